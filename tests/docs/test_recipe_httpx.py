# --8<-- [start:setup]
import httpx
import pytest

import pytest_bitmart
from futures_client import AsyncFuturesClient, BitMartAPIError, FuturesClient

FUTURES = "https://api-cloud-v2.bitmart.com"

# --8<-- [end:setup]


# --8<-- [start:tests]
@pytest.fixture
def client():
    with httpx.Client(base_url=FUTURES) as http:
        yield FuturesClient(http)


@pytest.mark.bitmart_error(40027)  # the futures account's balance is too low
def test_assets_refused(client):
    with pytest.raises(BitMartAPIError) as raised:
        client.assets()
    assert (raised.value.status, raised.value.code) == (400, 40027)


@pytest.mark.bitmart_codes(family="contract", http_failures=True)
def test_every_contract_error(client, bitmart_error):
    with pytest.raises(BitMartAPIError) as raised:
        client.assets()
    assert raised.value.status == bitmart_error.http_status
    if isinstance(bitmart_error, pytest_bitmart.ErrorCode):
        assert raised.value.message == bitmart_error.message
    else:  # a global HTTP failure: bare status, the page's description as text
        assert raised.value.message == bitmart_error.description


def test_assets_ok(client, bitmart_mock):
    bitmart_mock.ok([{"currency": "USDT", "available_balance": "100"}])
    assert client.assets() == [{"currency": "USDT", "available_balance": "100"}]


@pytest.mark.asyncio
@pytest.mark.bitmart_error(40012)  # "System error", HTTP 500
async def test_async_assets_refused():
    async with httpx.AsyncClient(base_url=FUTURES) as http:
        with pytest.raises(BitMartAPIError) as raised:
            await AsyncFuturesClient(http).assets()
    assert (raised.value.status, raised.value.code) == (500, 40012)


# --8<-- [end:tests]
