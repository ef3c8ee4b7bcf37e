"""The ``bitmart_mock`` fixture: arming rules during a test, OK envelopes, sequences, and the recorded calls."""

from __future__ import annotations

import pytest

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


def test_error_armed_during_the_test_answers_from_then_on(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import json

        import httpx
        import requests

        from pytest_bitmart import lookup


        def test_error(bitmart_mock):
            bitmart_mock.error(50020, path="/spot/v1/wallet")
            response = requests.get("{WALLET}")
            entry = lookup(50020)
            assert response.status_code == entry.http_status
            body = json.loads(response.content)
            # Spot errors: code, trace, message, data, as on BitMart's page.
            assert list(body) == ["code", "trace", "message", "data"]
            assert (body["code"], body["message"], body["data"]) == (50020, entry.message, {{}})
            bitmart_mock.error(40012, host="api-cloud-v2.bitmart.com")
            contract = httpx.get("https://api-cloud-v2.bitmart.com/contract/private/submit-order")
            # Contract errors: code, message, trace, and no data.
            assert list(contract.json()) == ["code", "message", "trace"]
            assert contract.json()["message"] == lookup(40012).message
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_ok_envelope_follows_the_endpoints_family(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import json

        import httpx
        import requests


        def body(content):
            return json.loads(content)


        def test_ok(bitmart_mock):
            bitmart_mock.ok({"wallet": [{"id": "BTC", "available": "1.5"}]})
            spot = requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
            funding = requests.get("https://api-cloud.bitmart.com/account/v1/wallet")
            contract = httpx.get("https://api-cloud-v2.bitmart.com/contract/private/assets-detail")
            data = {"wallet": [{"id": "BTC", "available": "1.5"}]}
            for response in (spot, funding):
                assert response.status_code == 200
                assert list(body(response.content)) == ["code", "trace", "message", "data"]
                assert body(response.content)["code"] == 1000
                assert body(response.content)["message"] == "OK"
                assert body(response.content)["data"] == data
            assert contract.status_code == 200
            # Contract's documented key order, with data appended so an OK carries its payload.
            assert list(contract.json()) == ["code", "message", "trace", "data"]
            assert contract.json()["data"] == data


        def test_ok_without_data_is_an_empty_object(bitmart_mock):
            bitmart_mock.ok()
            assert requests.get("https://api-cloud.bitmart.com/spot/v1/ticker").json()["data"] == {}


        def test_family_option_overrides_the_endpoint(bitmart_mock):
            bitmart_mock.ok([1, 2], family="auth")
            response = requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
            # Auth's documented order puts message before trace.
            assert list(response.json()) == ["code", "message", "trace", "data"]
            assert response.json()["data"] == [1, 2]
        """
    )
    pytester.runpytest().assert_outcomes(passed=3)


def test_rate_limited_twice_then_ok_in_two_lines(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import requests


        def fetch_with_retry(session, attempts=5):
            for _ in range(attempts):
                response = session.get("{WALLET}")
                if response.status_code != 429:
                    return response
            raise RuntimeError("gave up")


        def test_retry(bitmart_mock):
            bitmart_mock.error(30013, times=2)
            bitmart_mock.ok({{"balance": "10"}})
            with requests.Session() as session:
                response = fetch_with_retry(session)
            assert response.json()["data"] == {{"balance": "10"}}
            assert [call.status for call in bitmart_mock.calls] == [429, 429, 200]
            assert [call.code for call in bitmart_mock.calls] == [30013, 30013, 1000]
            bitmart_mock.assert_call_count(2, code=30013)
            bitmart_mock.assert_call_count(1, code=1000)
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_calls_record_the_request_and_the_answer(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx
        import requests


        def test_calls(bitmart_mock):
            bitmart_mock.error(50020)
            requests.post(
                "https://api-cloud.bitmart.com/spot/v2/submit_order?x=1",
                data=b'{"symbol":"BTC_USDT"}',
                headers={"X-BM-KEY": "my-api-key", "X-BM-SIGN": "my-signature", "X-BM-TIMESTAMP": "1"},
            )
            httpx.delete("https://api-cloud-v2.bitmart.com/contract/private/cancel-order")
            first, second = bitmart_mock.calls
            assert first.request.method == "POST"
            assert first.request.url == "https://api-cloud.bitmart.com/spot/v2/submit_order?x=1"
            assert first.request.path == "/spot/v2/submit_order"
            assert first.request.host == "api-cloud.bitmart.com"
            assert first.request.header("x-bm-key") == "my-api-key"
            assert first.request.content == b'{"symbol":"BTC_USDT"}'
            assert (first.status, first.code) == (400, 50020)
            assert first.response.code == 50020
            assert second.request.method == "DELETE"
            assert second.request.content == b""
            assert (second.status, second.code) == (400, 50020)
            assert second.rule is first.rule is bitmart_mock.rules[0]
            shown = repr(first)
            assert "my-api-key" not in shown and "my-signature" not in shown
            assert "'X-BM-KEY': '***'" in shown and "'X-BM-SIGN': '***'" in shown
            assert "'X-BM-TIMESTAMP': '1'" in shown
            assert bitmart_mock.get_calls(method="delete") == (second,)
            assert bitmart_mock.get_calls(path="/spot/v2/submit_order") == (first,)
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_assert_call_count_lists_the_calls_with_secrets_masked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import requests

        # Kept out of the test's body so the secrets can only reach the output through the plugin.
        SIGNED = {{"X-BM-KEY": "my-api-key", "X-BM-SIGN": "my-signature"}}


        def test_count(bitmart_mock):
            bitmart_mock.error(50020)
            requests.get("{WALLET}", headers=SIGNED)
            bitmart_mock.assert_call_count(3, code=50020, method="GET")


        def test_none(bitmart_mock):
            bitmart_mock.assert_call_count(1)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: expected 3 BitMart call(s) with code=50020, method='GET', got 1:",
            f"E         <Call GET {WALLET} headers={{*'X-BM-KEY': '***', 'X-BM-SIGN': '***'}} -> 400 code=50020>",
            "E       AssertionError: expected 1 BitMart call(s), got 0:",
            "E         (no BitMart calls)",
        ]
    )
    assert "my-api-key" not in result.stdout.str()
    assert "my-signature" not in result.stdout.str()


def test_unmatched_failure_masks_secrets(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import requests

        SIGNED = {{"X-BM-KEY": "my-api-key", "X-BM-SIGN": "my-signature"}}


        def test_unmatched(bitmart_mock):
            bitmart_mock.error(50020, method="POST")
            try:
                requests.get("{WALLET}", headers=SIGNED)
            except Exception:
                pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([f"  GET {WALLET} headers={{*'X-BM-KEY': '***', 'X-BM-SIGN': '***'}}"])
    assert "my-api-key" not in result.stdout.str()
    assert "my-signature" not in result.stdout.str()


def test_marker_rules_come_before_fixture_rules_and_used_up_rules_are_skipped(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest
        import requests


        def codes(n):
            return [requests.get("{WALLET}").json()["code"] for _ in range(n)]


        @pytest.mark.bitmart_error(30013, times=1)
        def test_marker_first(bitmart_mock):
            bitmart_mock.error(50020)
            assert codes(3) == [30013, 50020, 50020]
            assert [rule.description for rule in bitmart_mock.rules] == [
                "bitmart_error(30013, times=1)",
                "bitmart_mock.error(50020)",
            ]


        def test_used_up_skipped(bitmart_mock):
            bitmart_mock.error(30013, times=1)
            bitmart_mock.error(50021, times=2)
            bitmart_mock.ok()
            assert codes(5) == [30013, 50021, 50021, 1000, 1000]
            assert [rule.served for rule in bitmart_mock.rules] == [1, 2, 2]
            assert [rule.used_up for rule in bitmart_mock.rules] == [True, True, False]
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_describe_rules_shows_how_often_each_answered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import requests


        def test_describe(bitmart_mock):
            assert bitmart_mock.describe_rules() == "No rules are armed for this test."
            bitmart_mock.error(30013, times=2)
            bitmart_mock.ok()
            requests.get("{WALLET}")
            assert bitmart_mock.describe_rules().splitlines() == [
                "Rules armed for this test:",
                "  1. bitmart_mock.error(30013, times=2): answered 1 (of 2)",
                "  2. bitmart_mock.ok(): answered 0 (unlimited)",
            ]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_requesting_the_fixture_alone_makes_every_bitmart_request_fail_unanswered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest
        import requests

        from pytest_bitmart import UnmatchedRequestError


        def test_no_rules(bitmart_mock):
            with pytest.raises(UnmatchedRequestError, match="no rule answers GET {WALLET}"):
                requests.get("{WALLET}")
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["No rules are armed for this test."])


def test_teardown_report_hints_at_a_near_miss_and_summarises_payloads(pytester: pytest.Pytester) -> None:
    shown = len(repr({"symbols": [{"symbol": "BTC_USDT", "status": "trading"}] * 20}))
    pytester.makepyfile(
        """
        import httpx


        def test_submit(bitmart_mock):
            bitmart_mock.ok({"symbols": [{"symbol": "BTC_USDT", "status": "trading"}] * 20}, path="/spot/v1/symbols")
            bitmart_mock.error(40012, path="/contract/private/submit-order")
            try:
                httpx.post("https://api-cloud-v2.bitmart.com/contract/private/submit_order")
            except AssertionError:
                pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "Rules armed for this test:",
            # fnmatch reads "[" as a set: the payload's start is matched with "*".
            (
                f"  1. bitmart_mock.ok(data={{'symbols': *'status': 'trading'...}} ({shown} characters), "
                "path='/spot/v1/symbols'): answered 0 (unlimited)"
            ),
            "  2. bitmart_mock.error(40012, path='/contract/private/submit-order'): answered 0 (unlimited)",
            (
                "  hint: POST /contract/private/submit_order missed bitmart_mock.error(40012, "
                "path='/contract/private/submit-order') by a little (only '-' and '_' differ: BitMart uses both)"
            ),
        ]
    )
