# --8<-- [start:setup]
import json

import pytest
from bitmart.api_spot import APISpot
from bitmart.api_system import APISystem
from bitmart.lib.cloud_exceptions import APIException

from pytest_bitmart import documented_data


@pytest.fixture
def spot():
    return APISpot(api_key="my-api-key", secret_key="my-secret", memo="my-memo")


# --8<-- [end:setup]


# --8<-- [start:marker]
@pytest.mark.bitmart_error(50020)  # answered with 50020's documented status and body
def test_wallet_with_insufficient_balance(spot):
    with pytest.raises(APIException) as raised:
        spot.get_wallet()
    assert raised.value.status_code == 400
    assert json.loads(raised.value.response)["code"] == 50020


# --8<-- [end:marker]


# --8<-- [start:every-code]
def test_every_documented_error_reaches_the_caller(spot, bitmart_error):
    if bitmart_error.http_status == 200:
        # 30016, 42000, 70000-71005...: documented with HTTP 200,
        # so the SDK returns the body.
        body, _ = spot.get_wallet()
        assert body["code"] == bitmart_error.code
        return
    # Any other status raises APIException, with the status and the raw body.
    with pytest.raises(APIException) as raised:
        spot.get_wallet()
    assert raised.value.status_code == bitmart_error.http_status
    assert json.loads(raised.value.response)["message"] == bitmart_error.message


# --8<-- [end:every-code]


# --8<-- [start:ok]
def test_wallet_and_rate_limit(spot, bitmart_mock):
    wallet = documented_data("/spot/v1/wallet")
    bitmart_mock.ok(wallet, path="/spot/v1/wallet")
    body, rate_limit = spot.get_wallet()
    assert body["data"] == wallet
    # The SDK copies the X-BM-RateLimit-* headers; a keyed request counts per UID.
    expected = {"Remaining": "1", "Limit": "600", "Reset": "60", "Mode": "UID"}
    assert rate_limit == expected
    # The SDK sent the API key; the plugin saw it (failure reports mask it).
    assert bitmart_mock.calls[0].request.header("X-BM-KEY") == "my-api-key"


# --8<-- [end:ok]


# --8<-- [start:startup]
@pytest.mark.bitmart_error(50020)
def test_clock_sync_then_wallet(spot, bitmart_mock):
    # /system/time is a start-up read: a rule without a path leaves it alone.
    body, _ = APISystem().get_system_time()
    assert body["code"] == 1000
    with pytest.raises(APIException):
        spot.get_wallet()


@pytest.mark.bitmart_error(30013, path="/system/time")
def test_clock_sync_rate_limited():
    with pytest.raises(APIException) as raised:
        APISystem().get_system_time()
    assert raised.value.status_code == 429


# --8<-- [end:startup]
