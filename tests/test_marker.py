"""The ``bitmart_error`` marker: what it answers, which requests its filters select, and in which order."""

from __future__ import annotations

import re

import pytest

# The expected body, built from the catalog message and the key order BitMart's page shows per family,
# independently of the plugin's renderer.
CONFTEST = """
import json

import pytest

from pytest_bitmart import lookup

KEY_ORDER = {
    "auth": ("code", "message", "trace", "data"),
    "funding": ("code", "trace", "message", "data"),
    "spot": ("code", "trace", "message", "data"),
    "contract": ("code", "message", "trace"),
}


def expected_body(code, trace):
    entry = lookup(code)
    values = {"code": code, "message": entry.message, "trace": trace, "data": {}}
    return json.dumps({key: values[key] for key in KEY_ORDER[entry.family]}, separators=(",", ":")).encode()


@pytest.fixture
def expected():
    return expected_body
"""

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


@pytest.fixture
def pt(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    return pytester


def test_every_bitmart_request_gets_the_error_on_requests_httpx_and_async_httpx(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import httpx
        import pytest
        import requests

        from pytest_bitmart import lookup


        def check(status, headers, content, expected, code, *, used):
            entry = lookup(code)
            assert status == entry.http_status
            trace = __import__("json").loads(content)["trace"]
            assert content == expected(code, trace)
            assert headers["content-type"] == "application/json"
            assert headers["x-bm-ratelimit-limit"] == "600"
            assert headers["x-bm-ratelimit-reset"] == "60"
            assert headers["x-bm-ratelimit-mode"] == "IP"
            assert headers["x-bm-ratelimit-remaining"] == str(used)


        @pytest.mark.bitmart_error(50020)
        def test_requests_session(expected):
            with requests.Session() as session:
                first = session.get("{WALLET}")
                second = session.post("https://api-cloud-v2.bitmart.com/contract/private/submit-order", json={{}})
            check(first.status_code, first.headers, first.content, expected, 50020, used=1)
            check(second.status_code, second.headers, second.content, expected, 50020, used=2)


        @pytest.mark.bitmart_error(30005)
        def test_httpx_client(expected):
            with httpx.Client() as client:
                response = client.get("https://demo-api-cloud-v2.bitmart.com/contract/private/assets-detail")
            check(response.status_code, response.headers, response.content, expected, 30005, used=1)


        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(40012)
        async def test_httpx_async_client(expected):
            async with httpx.AsyncClient() as client:
                response = await client.get("https://api-cloud-v2.bitmart.com/contract/private/get-open-orders")
            check(response.status_code, response.headers, response.content, expected, 40012, used=1)
        """
    )
    # pytest-asyncio is loaded through its entry point, as in a user's project.
    pt.runpytest().assert_outcomes(passed=3)


def test_body_equals_the_public_renderer_and_mode_is_uid_for_signed_requests(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import json

        import pytest
        import requests

        from pytest_bitmart import lookup, render


        @pytest.mark.bitmart_error(30013)
        def test_rate_limited():
            response = requests.get("{WALLET}", headers={{"X-BM-KEY": "key"}})
            trace = json.loads(response.content)["trace"]
            rendered = render(lookup(30013), trace=trace, mode="UID")
            assert response.status_code == rendered.status == 429
            assert response.content == rendered.content
            assert response.headers["X-BM-RateLimit-Mode"] == "UID"
            # BitMart reports more requests used than the limit when it rate-limits.
            assert int(response.headers["X-BM-RateLimit-Remaining"]) > int(response.headers["X-BM-RateLimit-Limit"])
        """
    )
    pt.runpytest().assert_outcomes(passed=1)


def test_trace_is_stable_across_reruns(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import pytest
        import requests


        @pytest.mark.bitmart_error(50020)
        def test_trace():
            first = requests.get("{WALLET}").json()["trace"]
            second = requests.get("{WALLET}").json()["trace"]
            assert first != second
            print("TRACES", first, second)
        """
    )
    runs = [pt.runpytest("-s") for _ in range(2)]
    traces = [re.findall(r"TRACES (\S+) (\S+)", run.stdout.str()) for run in runs]
    assert len(traces[0]) == 1
    assert traces[0] == traces[1]


def test_path_matches_exactly_and_ignores_the_query(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import pytest
        import requests

        from pytest_bitmart import UnmatchedRequestError


        @pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
        def test_exact(bitmart_mock):
            assert requests.get("{WALLET}?currency=BTC").status_code == 400
            with pytest.raises(UnmatchedRequestError):
                requests.get("{WALLET}/extra")
            with pytest.raises(UnmatchedRequestError):
                requests.get("https://api-cloud.bitmart.com/spot/v1")
            bitmart_mock.assert_call_count(1, code=50020)
        """
    )
    result = pt.runpytest()
    # The two unanswered requests still fail the test, at teardown.
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*2 BitMart request(s) matched no rule and were not sent:",
            f"  GET {WALLET}/extra headers=*",
            "  GET https://api-cloud.bitmart.com/spot/v1 headers=*",
        ]
    )


def test_compiled_regex_path_searches(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        """
        import re

        import httpx
        import pytest

        from pytest_bitmart import UnmatchedRequestError


        @pytest.mark.bitmart_error(40012, path=re.compile(r"/contract/private/"))
        @pytest.mark.bitmart_error(50020, path=re.compile(r"wallet$"))
        def test_regex():
            assert httpx.get("https://api-cloud-v2.bitmart.com/contract/private/submit-order").json()["code"] == 40012
            assert httpx.get("https://api-cloud.bitmart.com/account/v1/wallet").json()["code"] == 50020
            with pytest.raises(UnmatchedRequestError):
                httpx.get("https://api-cloud.bitmart.com/spot/v1/wallet/x")
        """
    )
    result = pt.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet/x headers=*",
            "  1. bitmart_error(40012, path=re.compile('/contract/private/')): answered 1 (unlimited)",
            "  2. bitmart_error(50020, path=re.compile('wallet$')): answered 1 (unlimited)",
        ]
    )


def test_method_is_case_insensitive_and_host_narrows(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        """
        import httpx
        import pytest
        import requests


        @pytest.mark.bitmart_error(50020, method="post", host="API-CLOUD.bitmart.com")
        @pytest.mark.bitmart_error(30013)
        def test_filters():
            post = requests.post("https://api-cloud.bitmart.com/spot/v2/submit_order", data="{}")
            assert post.json()["code"] == 50020
            get = requests.get("https://api-cloud.bitmart.com/spot/v2/submit_order")
            assert get.json()["code"] == 30013
            other_host = httpx.post("https://api-cloud-v2.bitmart.com/contract/private/submit-order")
            assert other_host.json()["code"] == 30013
        """
    )
    pt.runpytest().assert_outcomes(passed=1)


def test_times_answers_n_requests_then_is_used_up(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import pytest
        import requests


        @pytest.mark.bitmart_error(30013, times=2)
        def test_times():
            assert [requests.get("{WALLET}").status_code for _ in range(2)] == [429, 429]
            try:
                requests.get("{WALLET}")
            except Exception:
                pass
        """
    )
    result = pt.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*test_times_answers_n_requests_then_is_used_up.py::test_times: 1 BitMart request(s) matched no rule*",
            f"  GET {WALLET} headers=*",
            "  1. bitmart_error(30013, times=2): answered 2 (of 2)",
        ]
    )


def test_several_markers_are_consulted_top_to_bottom(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import pytest
        import requests


        @pytest.mark.bitmart_error(30013, times=1)
        @pytest.mark.bitmart_error(50020, times=1)
        @pytest.mark.bitmart_error(30005)
        def test_order():
            codes = [requests.get("{WALLET}").json()["code"] for _ in range(4)]
            assert codes == [30013, 50020, 30005, 30005]
        """
    )
    pt.runpytest().assert_outcomes(passed=1)


def test_function_markers_come_before_class_and_module_markers(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import pytest
        import requests

        pytestmark = [pytest.mark.bitmart_error(30005, times=1), pytest.mark.bitmart_error(30006)]


        def codes(n):
            return [requests.get("{WALLET}").json()["code"] for _ in range(n)]


        @pytest.mark.bitmart_error(30001, times=1)
        @pytest.mark.bitmart_error(30002, times=1)
        class TestLevels:
            @pytest.mark.bitmart_error(50020, times=1)
            @pytest.mark.bitmart_error(50021, times=1)
            def test_all_levels(self):
                assert codes(7) == [50020, 50021, 30001, 30002, 30005, 30006, 30006]

            def test_class_then_module(self):
                assert codes(4) == [30001, 30002, 30005, 30006]


        def test_module_only():
            assert codes(3) == [30005, 30006, 30006]
        """
    )
    pt.runpytest().assert_outcomes(passed=3)


def test_marker_help_shows_the_full_signature(pt: pytest.Pytester) -> None:
    result = pt.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            (
                "@pytest.mark.bitmart_error(code, *, method=None, path=None, host=None, times=None, "
                "message_args=None, trace=None, headers=None, variant=None, http_status=None, delay=None): *"
            ),
            (
                "@pytest.mark.bitmart_http_error(status, *, method=None, path=None, host=None, times=None, "
                "headers=None, delay=None): *"
            ),
            "@pytest.mark.bitmart_fault(name, *, method=None, path=None, host=None, times=None, delay=None): *",
            "@pytest.mark.bitmart_faults(*, include=None, exclude=None, kind=None, times=None): *",
        ]
    )
    assert result.ret == 0


def test_strict_markers_users_can_use_the_markers(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import pytest
        import requests


        @pytest.mark.bitmart_error(50020)
        @pytest.mark.bitmart_http_error(500, path="/x")
        def test_strict():
            assert requests.get("{WALLET}").status_code == 400
        """
    )
    pt.runpytest("--strict-markers", "--strict-config").assert_outcomes(passed=1)


def test_marker_on_a_test_that_makes_no_request_passes(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        """
        import pytest


        @pytest.mark.bitmart_error(50020)
        def test_nothing():
            pass
        """
    )
    pt.runpytest().assert_outcomes(passed=1)


def test_message_args_trace_and_headers_options(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import pytest
        import requests

        from pytest_bitmart import lookup


        @pytest.mark.bitmart_error(50021, message_args=("symbol",), trace="fixed-trace", headers={{"Retry-After": "3"}})
        def test_options(expected):
            response = requests.get("{WALLET}")
            body = response.json()
            assert body["message"] == lookup(50021).message % ("symbol",)
            assert body["trace"] == "fixed-trace"
            assert response.headers["Retry-After"] == "3"
            # Added headers do not replace the rate-limit ones.
            assert response.headers["X-BM-RateLimit-Limit"] == "600"


        @pytest.mark.bitmart_error(50016, message_args=(100,))
        def test_integer_placeholder():
            assert requests.get("{WALLET}").json()["message"] == lookup(50016).message % (100,)
        """
    )
    pt.runpytest().assert_outcomes(passed=2)


def test_http_error_marker_serves_the_bare_documented_status(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        f"""
        import httpx
        import pytest
        import requests

        from pytest_bitmart import http_failure


        @pytest.mark.bitmart_http_error(500, times=1)
        @pytest.mark.bitmart_error(50020)
        def test_http_error(bitmart_mock):
            first = requests.get("{WALLET}")
            assert first.status_code == 500
            assert first.text == http_failure(500).description
            assert first.headers["Content-Type"].startswith("text/plain")
            assert httpx.get("{WALLET}").json()["code"] == 50020
            assert [call.code for call in bitmart_mock.calls] == [None, 50020]
        """
    )
    pt.runpytest().assert_outcomes(passed=1)
