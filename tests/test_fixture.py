"""The ``bitmart_mock`` fixture: arming rules during a test, OK envelopes, sequences, and the recorded calls.

What a request gets back is checked in-process through each client; what the run reports (failures at
teardown, masked secrets in failure output) through pytester.
"""

from __future__ import annotations

import pytest
from clients import Answer, Client

from pytest_bitmart import BitMartMock, lookup

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


def test_error_armed_during_the_test_answers_from_then_on(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.error(50020, path="/spot/v1/wallet")
    answer = client.get(WALLET)
    entry = lookup(50020)
    assert answer.status == entry.http_status
    body = answer.json()
    # Spot errors: code, trace, message, data, as on BitMart's page.
    assert list(body) == ["code", "trace", "message", "data"]
    assert (body["code"], body["message"], body["data"]) == (50020, entry.message, {})
    bitmart_mock.error(40012, host="api-cloud-v2.bitmart.com")
    contract = client.get("https://api-cloud-v2.bitmart.com/contract/private/submit-order").json()
    # Contract errors: code, message, trace, and no data.
    assert list(contract) == ["code", "message", "trace"]
    assert contract["message"] == lookup(40012).message


def test_ok_envelope_follows_the_endpoints_family(bitmart_mock: BitMartMock, client: Client) -> None:
    data = {"wallet": [{"id": "BTC", "available": "1.5"}]}
    bitmart_mock.ok(data)
    spot = client.get("https://api-cloud.bitmart.com/spot/v1/wallet")
    funding = client.get("https://api-cloud.bitmart.com/account/v1/wallet")
    contract = client.get("https://api-cloud-v2.bitmart.com/contract/private/assets-detail")
    for answer in (spot, funding):
        assert answer.status == 200
        assert list(answer.json()) == ["code", "trace", "message", "data"]
        assert answer.json()["code"] == 1000
        assert answer.json()["message"] == "OK"
        assert answer.json()["data"] == data
    assert contract.status == 200
    # Contract's documented key order, with data appended so an OK carries its payload.
    assert list(contract.json()) == ["code", "message", "trace", "data"]
    assert contract.json()["data"] == data


def test_ok_without_data_is_an_empty_object(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.ok()
    assert client.get("https://api-cloud.bitmart.com/spot/v1/ticker").json()["data"] == {}


def test_family_option_overrides_the_endpoint(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.ok([1, 2], family="auth")
    answer = client.get("https://api-cloud.bitmart.com/spot/v1/wallet")
    # Auth's documented order puts message before trace.
    assert list(answer.json()) == ["code", "message", "trace", "data"]
    assert answer.json()["data"] == [1, 2]


def fetch_with_retry(client: Client, attempts: int = 5) -> Answer:
    for _ in range(attempts):
        answer = client.get(WALLET)
        if answer.status != 429:
            return answer
    raise RuntimeError("gave up")


def test_rate_limited_twice_then_ok_in_two_lines(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.error(30013, times=2)
    bitmart_mock.ok({"balance": "10"})
    answer = fetch_with_retry(client)
    assert answer.json()["data"] == {"balance": "10"}
    assert [call.status for call in bitmart_mock.calls] == [429, 429, 200]
    assert [call.code for call in bitmart_mock.calls] == [30013, 30013, 1000]
    bitmart_mock.assert_call_count(2, code=30013)
    bitmart_mock.assert_call_count(1, code=1000)


def test_calls_record_the_request_and_the_answer(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.error(50020)
    client.request(
        "POST",
        "https://api-cloud.bitmart.com/spot/v2/submit_order?x=1",
        content=b'{"symbol":"BTC_USDT"}',
        headers={"X-BM-KEY": "my-api-key", "X-BM-SIGN": "my-signature", "X-BM-TIMESTAMP": "1"},
    )
    client.request("DELETE", "https://api-cloud-v2.bitmart.com/contract/private/cancel-order")
    first, second = bitmart_mock.calls
    assert first.request.method == "POST"
    assert first.request.url == "https://api-cloud.bitmart.com/spot/v2/submit_order?x=1"
    assert first.request.path == "/spot/v2/submit_order"
    assert first.request.host == "api-cloud.bitmart.com"
    assert first.request.header("x-bm-key") == "my-api-key"
    assert first.request.content == b'{"symbol":"BTC_USDT"}'
    assert (first.status, first.code) == (400, 50020)
    assert first.response is not None
    assert first.response.code == 50020
    assert second.request.method == "DELETE"
    assert second.request.content == b""
    assert (second.status, second.code) == (400, 50020)
    assert second.rule is first.rule is bitmart_mock.rules[0]
    shown = repr(first)
    assert "my-api-key" not in shown
    assert "my-signature" not in shown
    # httpx sends header names in lower case; the repr shows them as sent.
    assert "'x-bm-key': '***'" in shown.lower()
    assert "'x-bm-sign': '***'" in shown.lower()
    assert "'x-bm-timestamp': '1'" in shown.lower()
    assert bitmart_mock.get_calls(method="delete") == (second,)
    assert bitmart_mock.get_calls(path="/spot/v2/submit_order") == (first,)


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


def codes(client: Client, n: int) -> list[int]:
    return [client.get(WALLET).json()["code"] for _ in range(n)]


@pytest.mark.bitmart_error(30013, times=1)
def test_marker_rules_come_before_fixture_rules(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.error(50020)
    assert codes(client, 3) == [30013, 50020, 50020]
    assert [rule.description for rule in bitmart_mock.rules] == [
        "bitmart_error(30013, times=1)",
        "bitmart_mock.error(50020)",
    ]


def test_used_up_rules_are_skipped(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.error(30013, times=1)
    bitmart_mock.error(50021, times=2)
    bitmart_mock.ok()
    assert codes(client, 5) == [30013, 50021, 50021, 1000, 1000]
    assert [rule.served for rule in bitmart_mock.rules] == [1, 2, 2]
    assert [rule.used_up for rule in bitmart_mock.rules] == [True, True, False]


def test_describe_rules_shows_how_often_each_answered(bitmart_mock: BitMartMock, client: Client) -> None:
    assert bitmart_mock.describe_rules() == "No rules are armed for this test."
    bitmart_mock.error(30013, times=2)
    bitmart_mock.ok()
    client.get(WALLET)
    assert bitmart_mock.describe_rules().splitlines() == [
        "Rules armed for this test:",
        "  1. bitmart_mock.error(30013, times=2): answered 1 (of 2)",
        "  2. bitmart_mock.ok(): answered 0 (unlimited)",
    ]


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


def test_a_finished_tests_mock_is_not_kept_for_the_rest_of_the_run(pytester: pytest.Pytester) -> None:
    # pytest keeps every test item until the run ends: a mock held by one would keep all its requests and
    # answers, and a suite of thousands of tests would hold them all.
    pytester.makepyfile(
        """
        import gc
        import weakref

        import pytest
        import requests

        finished = []


        @pytest.mark.bitmart_error(50020)
        def test_first(bitmart_mock):
            requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", timeout=5)
            finished.append(weakref.ref(bitmart_mock))


        def test_later():
            gc.collect()
            assert finished[0]() is None
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)
