"""Real BitMart clients under the plugin: the official SDK and ccxt see what BitMart would send them."""

from __future__ import annotations

import pytest


def test_official_sdk_raises_api_exception_with_the_exact_body(pytester: pytest.Pytester) -> None:
    pytest.importorskip("bitmart")
    pytester.makepyfile(
        """
        import json

        import pytest
        from bitmart.api_spot import APISpot
        from bitmart.lib.cloud_exceptions import APIException

        from pytest_bitmart import lookup


        def client():
            return APISpot(api_key="the-key", secret_key="the-secret", memo="the-memo", timeout=(3, 10))


        @pytest.mark.bitmart_error(50020)
        def test_balance_not_enough(bitmart_mock):
            with pytest.raises(APIException) as raised:
                client().get_wallet()
            assert raised.value.status_code == 400
            trace = json.loads(raised.value.response)["trace"]
            expected = {"code": 50020, "trace": trace, "message": lookup(50020).message, "data": {}}
            assert raised.value.response == json.dumps(expected, separators=(",", ":"))
            (call,) = bitmart_mock.calls
            assert call.request.url == "https://api-cloud.bitmart.com/spot/v1/wallet"
            assert call.request.header("X-BM-KEY") == "the-key"


        def test_ok_returns_the_sdks_tuple_with_rate_limit_headers(bitmart_mock):
            wallet = {"wallet": [{"id": "BTC", "available": "1.25", "name": "Bitcoin", "frozen": "0"}]}
            bitmart_mock.ok(wallet, path="/spot/v1/wallet")
            body, limits = client().get_wallet()
            assert body["code"] == 1000
            assert body["message"] == "OK"
            assert body["data"] == wallet
            # The SDK copies BitMart's rate-limit headers; a keyed request is limited per UID.
            assert limits == {"Remaining": "1", "Limit": "600", "Reset": "60", "Mode": "UID"}


        @pytest.mark.bitmart_error(30013, times=1)
        def test_rate_limited_then_ok(bitmart_mock):
            bitmart_mock.ok({"wallet": []})
            with pytest.raises(APIException) as raised:
                client().get_wallet()
            assert raised.value.status_code == 429
            body, limits = client().get_wallet()
            assert body["data"] == {"wallet": []}
            assert limits["Remaining"] == "2"
        """
    )
    pytester.runpytest().assert_outcomes(passed=3)


def test_ccxt_raises_insufficient_funds_on_a_private_call(pytester: pytest.Pytester) -> None:
    pytest.importorskip("ccxt")
    pytester.makepyfile(
        """
        import ccxt
        import pytest

        from pytest_bitmart import lookup


        def test_fetch_balance(bitmart_mock):
            # ccxt loads markets before a private call: answer those public calls with empty OK envelopes.
            bitmart_mock.ok({"currencies": []}, path="/account/v1/currencies")
            bitmart_mock.ok({"symbols": []}, path="/spot/v1/symbols/details")
            bitmart_mock.ok({"symbols": []}, path="/contract/public/details")
            bitmart_mock.error(50020, path="/spot/v1/wallet")
            exchange = ccxt.bitmart({"apiKey": "the-key", "secret": "the-secret", "uid": "the-memo"})
            with pytest.raises(ccxt.InsufficientFunds, match=lookup(50020).message):
                exchange.fetch_balance()
            bitmart_mock.assert_call_count(1, code=50020, path="/spot/v1/wallet")
            assert bitmart_mock.get_calls(code=50020)[0].request.header("X-BM-SIGN") is not None
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_requests_session_with_a_mounted_adapter_still_gets_answered(pytester: pytest.Pytester) -> None:
    """A session that mounts its own adapter for https:// (a common retry setup) is still intercepted."""
    pytester.makepyfile(
        """
        import pytest
        import requests
        from requests.adapters import HTTPAdapter


        @pytest.mark.bitmart_error(50020)
        def test_mounted(bitmart_mock):
            with requests.Session() as session:
                session.mount("https://", HTTPAdapter(max_retries=0))
                session.mount("https://api-cloud.bitmart.com", HTTPAdapter(max_retries=0))
                assert session.get("https://api-cloud.bitmart.com/spot/v1/wallet").status_code == 400
            assert len(bitmart_mock.calls) == 1
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_requests_retry_policy_of_the_session_is_kept(pytester: pytest.Pytester) -> None:
    """A session retrying 429 through urllib3's Retry retries BitMart's rate limit, as it would for real."""
    pytester.makepyfile(
        """
        import pytest
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


        def retrying_session(total):
            session = requests.Session()
            session.mount("https://", HTTPAdapter(max_retries=Retry(total=total, status_forcelist=[429])))
            return session


        @pytest.mark.bitmart_error(30013, times=2)
        def test_retried_until_ok(bitmart_mock):
            bitmart_mock.ok({"wallet": []})
            with retrying_session(total=3) as session:
                response = session.get(WALLET)
            assert response.status_code == 200
            assert [call.status for call in bitmart_mock.calls] == [429, 429, 200]


        @pytest.mark.bitmart_error(30013)
        def test_gives_up_after_the_policy(bitmart_mock):
            with retrying_session(total=2) as session, pytest.raises(requests.exceptions.RetryError):
                session.get(WALLET)
            assert len(bitmart_mock.calls) == 3


        @pytest.mark.bitmart_error(30013)
        def test_plain_session_does_not_retry(bitmart_mock):
            assert requests.get(WALLET).status_code == 429
            assert len(bitmart_mock.calls) == 1
        """
    )
    pytester.runpytest().assert_outcomes(passed=3)
