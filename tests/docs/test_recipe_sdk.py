# --8<-- [start:setup]
import json

import pytest
from bitmart.api_spot import APISpot
from bitmart.lib.cloud_exceptions import APIException


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
def test_every_documented_error_raises_api_exception(spot, bitmart_error):
    # The SDK raises APIException for any status but 200; every documented
    # error has one.
    with pytest.raises(APIException) as raised:
        spot.get_wallet()
    assert raised.value.status_code == bitmart_error.http_status
    assert json.loads(raised.value.response)["message"] == bitmart_error.message


# --8<-- [end:every-code]


# --8<-- [start:ok]
def test_wallet_and_rate_limit(spot, bitmart_mock):
    bitmart_mock.ok(
        {
            "wallet": [
                {"id": "BTC", "name": "Bitcoin", "available": "0.5", "frozen": "0"}
            ]
        }
    )
    body, rate_limit = spot.get_wallet()
    assert body["data"]["wallet"][0]["available"] == "0.5"
    # The SDK copies the X-BM-RateLimit-* headers; a keyed request is counted
    # per account (UID).
    assert rate_limit == {
        "Remaining": "1",
        "Limit": "600",
        "Reset": "60",
        "Mode": "UID",
    }
    # The SDK sent the API key; the plugin saw it (failure reports mask it).
    assert bitmart_mock.calls[0].request.header("X-BM-KEY") == "my-api-key"


# --8<-- [end:ok]
