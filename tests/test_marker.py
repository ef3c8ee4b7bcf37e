"""The ``bitmart_error`` marker: what it answers, which requests its filters select, and in which order.

What a request gets back is tested in-process through each client; what a run reports (teardown
failures, the marker help, traces across runs) through pytester.
"""

from __future__ import annotations

import json
import re

import pytest
from clients import Answer, Client

from pytest_bitmart import BitMartMock, http_failure, lookup, render

# The expected body, built from the catalog message and the key order BitMart's page shows per family,
# independently of the plugin's renderer.
KEY_ORDER = {
    "auth": ("code", "message", "trace", "data"),
    "funding": ("code", "trace", "message", "data"),
    "spot": ("code", "trace", "message", "data"),
    "contract": ("code", "message", "trace"),
}


def expected_body(code: int, trace: str) -> bytes:
    entry = lookup(code)
    values = {"code": code, "message": entry.message, "trace": trace, "data": {}}
    return json.dumps({key: values[key] for key in KEY_ORDER[entry.family]}, separators=(",", ":")).encode()


WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


def check(answer: Answer, code: int, *, used: int) -> None:
    entry = lookup(code)
    assert answer.status == entry.http_status
    assert answer.body == expected_body(code, answer.json()["trace"])
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-bm-ratelimit-limit"] == "600"
    assert answer.headers["x-bm-ratelimit-reset"] == "60"
    assert answer.headers["x-bm-ratelimit-mode"] == "IP"
    assert answer.headers["x-bm-ratelimit-remaining"] == str(used)


@pytest.mark.bitmart_error(50020)
def test_every_bitmart_request_gets_the_error(client: Client) -> None:
    first = client.get(WALLET)
    second = client.post("https://api-cloud-v2.bitmart.com/contract/private/submit-order", json={})
    check(first, 50020, used=1)
    check(second, 50020, used=2)


@pytest.mark.bitmart_error(30005)
def test_the_demo_host_gets_the_error_too(client: Client) -> None:
    answer = client.get("https://demo-api-cloud-v2.bitmart.com/contract/private/assets-detail")
    check(answer, 30005, used=1)


@pytest.mark.bitmart_error(40012)
def test_a_contract_error_has_the_contract_envelope(client: Client) -> None:
    answer = client.get("https://api-cloud-v2.bitmart.com/contract/private/get-open-orders")
    check(answer, 40012, used=1)


@pytest.mark.bitmart_error(30013)
def test_body_equals_the_public_renderer_and_mode_is_uid_for_signed_requests(client: Client) -> None:
    answer = client.get(WALLET, headers={"X-BM-KEY": "key"})
    rendered = render(lookup(30013), trace=answer.json()["trace"], mode="UID")
    assert answer.status == rendered.status == 429
    assert answer.body == rendered.content
    assert answer.headers["X-BM-RateLimit-Mode"] == "UID"
    # BitMart reports more requests used than the limit when it rate-limits.
    assert int(answer.headers["X-BM-RateLimit-Remaining"]) > int(answer.headers["X-BM-RateLimit-Limit"])


def test_trace_is_stable_across_reruns(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
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
    runs = [pytester.runpytest("-s") for _ in range(2)]
    traces = [re.findall(r"TRACES (\S+) (\S+)", run.stdout.str()) for run in runs]
    assert len(traces[0]) == 1
    assert traces[0] == traces[1]


def test_path_matches_exactly_and_ignores_the_query(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
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
    result = pytester.runpytest()
    # The two unanswered requests still fail the test, at teardown.
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*2 BitMart request(s) matched no rule and were not sent:",
            f"  GET {WALLET}/extra headers=*",
            "  GET https://api-cloud.bitmart.com/spot/v1 headers=*",
        ]
    )


def test_compiled_regex_path_searches(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
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
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet/x headers=*",
            "  1. bitmart_error(40012, path=re.compile('/contract/private/')): answered 1 (unlimited)",
            "  2. bitmart_error(50020, path=re.compile('wallet$')): answered 1 (unlimited)",
        ]
    )


@pytest.mark.bitmart_error(50020, method="post", host="API-CLOUD.bitmart.com")
@pytest.mark.bitmart_error(30013)
def test_method_is_case_insensitive_and_host_narrows(client: Client) -> None:
    post = client.request("POST", "https://api-cloud.bitmart.com/spot/v2/submit_order", content=b"{}")
    assert post.json()["code"] == 50020
    get = client.get("https://api-cloud.bitmart.com/spot/v2/submit_order")
    assert get.json()["code"] == 30013
    other_host = client.post("https://api-cloud-v2.bitmart.com/contract/private/submit-order")
    assert other_host.json()["code"] == 30013


def test_times_answers_n_requests_then_is_used_up(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
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
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*test_times_answers_n_requests_then_is_used_up.py::test_times: 1 BitMart request(s) matched no rule*",
            f"  GET {WALLET} headers=*",
            "  1. bitmart_error(30013, times=2): answered 2 (of 2)",
        ]
    )


@pytest.mark.bitmart_error(30013, times=1)
@pytest.mark.bitmart_error(50020, times=1)
@pytest.mark.bitmart_error(30005)
def test_several_markers_are_consulted_top_to_bottom(client: Client) -> None:
    codes = [client.get(WALLET).json()["code"] for _ in range(4)]
    assert codes == [30013, 50020, 30005, 30005]


def test_marker_help_shows_the_full_signature(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
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


# This project's own run has --strict-markers and --strict-config, as a careful user's has.
@pytest.mark.bitmart_error(50020)
@pytest.mark.bitmart_http_error(500, path="/x")
def test_strict_markers_users_can_use_the_markers(request: pytest.FixtureRequest, client: Client) -> None:
    assert request.config.option.strict_markers
    assert client.get(WALLET).status == 400


@pytest.mark.bitmart_error(50020)
def test_marker_on_a_test_that_makes_no_request_passes() -> None:
    pass


@pytest.mark.bitmart_error(50021, message_args=("symbol",), trace="fixed-trace", headers={"Retry-After": "3"})
def test_message_args_trace_and_headers_options(client: Client) -> None:
    answer = client.get(WALLET)
    body = answer.json()
    assert body["message"] == lookup(50021).message % ("symbol",)
    assert body["trace"] == "fixed-trace"
    assert answer.headers["Retry-After"] == "3"
    # Added headers do not replace the rate-limit ones.
    assert answer.headers["X-BM-RateLimit-Limit"] == "600"


@pytest.mark.bitmart_error(50016, message_args=(100,))
def test_an_integer_placeholder_is_filled(client: Client) -> None:
    assert client.get(WALLET).json()["message"] == lookup(50016).message % (100,)


@pytest.mark.bitmart_http_error(500, times=1)
@pytest.mark.bitmart_error(50020)
def test_http_error_marker_serves_the_bare_documented_status(bitmart_mock: BitMartMock, client: Client) -> None:
    first = client.get(WALLET)
    assert first.status == 500
    assert first.text == http_failure(500).description
    assert first.headers["Content-Type"].startswith("text/plain")
    assert client.get(WALLET).json()["code"] == 50020
    assert [call.code for call in bitmart_mock.calls] == [None, 50020]
