"""Real BitMart clients under the plugin: the official SDK and ccxt see what BitMart would send them."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pytest_bitmart import BitMartMock, lookup

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


def sdk_spot() -> Any:
    pytest.importorskip("bitmart")
    from bitmart.api_spot import APISpot

    return APISpot(api_key="the-key", secret_key="the-secret", memo="the-memo", timeout=(3, 10))


def sdk_api_exception() -> type[Exception]:
    pytest.importorskip("bitmart")
    from bitmart.lib.cloud_exceptions import APIException

    return APIException


@pytest.mark.bitmart_error(50020)
def test_official_sdk_raises_api_exception_with_the_exact_body(bitmart_mock: BitMartMock) -> None:
    with pytest.raises(sdk_api_exception()) as raised:
        sdk_spot().get_wallet()
    assert raised.value.status_code == 400
    response = raised.value.response
    trace = json.loads(response)["trace"]
    expected = {"code": 50020, "trace": trace, "message": lookup(50020).message, "data": {}}
    assert response == json.dumps(expected, separators=(",", ":"))
    (call,) = bitmart_mock.calls
    assert call.request.url == WALLET
    assert call.request.header("X-BM-KEY") == "the-key"


def test_official_sdk_ok_returns_the_sdks_tuple_with_rate_limit_headers(bitmart_mock: BitMartMock) -> None:
    wallet = {"wallet": [{"id": "BTC", "available": "1.25", "name": "Bitcoin", "frozen": "0"}]}
    bitmart_mock.ok(wallet, path="/spot/v1/wallet")
    body, limits = sdk_spot().get_wallet()
    assert body["code"] == 1000
    assert body["message"] == "OK"
    assert body["data"] == wallet
    # The SDK copies BitMart's rate-limit headers; a keyed request is limited per UID.
    assert limits == {"Remaining": "1", "Limit": "600", "Reset": "60", "Mode": "UID"}


@pytest.mark.bitmart_error(30013, times=1)
def test_official_sdk_rate_limited_then_ok(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok({"wallet": []})
    with pytest.raises(sdk_api_exception()) as raised:
        sdk_spot().get_wallet()
    assert raised.value.status_code == 429
    body, limits = sdk_spot().get_wallet()
    assert body["data"] == {"wallet": []}
    assert limits["Remaining"] == "2"


def test_ccxt_raises_insufficient_funds_on_a_private_call(bitmart_mock: BitMartMock) -> None:
    ccxt = pytest.importorskip("ccxt")
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


@pytest.mark.bitmart_error(50020)
def test_requests_session_with_a_mounted_adapter_still_gets_answered(bitmart_mock: BitMartMock) -> None:
    """A session that mounts its own adapter for https:// (a common retry setup) is still intercepted."""
    with requests.Session() as session:
        session.mount("https://", HTTPAdapter(max_retries=0))
        session.mount("https://api-cloud.bitmart.com", HTTPAdapter(max_retries=0))
        assert session.get(WALLET, timeout=10).status_code == 400
    assert len(bitmart_mock.calls) == 1


def retrying_session(total: int) -> requests.Session:
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=Retry(total=total, status_forcelist=[429])))
    return session


# A session retrying 429 through urllib3's Retry retries BitMart's rate limit, as it would for real.
@pytest.mark.bitmart_error(30013, times=2)
def test_requests_retry_policy_retries_until_ok(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok({"wallet": []})
    with retrying_session(total=3) as session:
        response = session.get(WALLET, timeout=10)
    assert response.status_code == 200
    assert [call.status for call in bitmart_mock.calls] == [429, 429, 200]


@pytest.mark.bitmart_error(30013)
def test_requests_retry_policy_gives_up_after_the_policy(bitmart_mock: BitMartMock) -> None:
    with retrying_session(total=2) as session, pytest.raises(requests.exceptions.RetryError):
        session.get(WALLET, timeout=10)
    assert len(bitmart_mock.calls) == 3


@pytest.mark.bitmart_error(30013)
def test_requests_plain_session_does_not_retry(bitmart_mock: BitMartMock) -> None:
    assert requests.get(WALLET, timeout=10).status_code == 429
    assert len(bitmart_mock.calls) == 1
