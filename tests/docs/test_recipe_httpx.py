"""The examples of docs/recipes/httpx-client.md, included there from this file."""

# --8<-- [start:client]
import httpx


class BitMartAPIError(Exception):
    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"HTTP {status}, BitMart {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def _unwrap(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:  # the global HTTP failures carry a plain-text body
        raise BitMartAPIError(response.status_code, None, response.text) from None
    if response.status_code != 200 or body.get("code") != 1000:
        raise BitMartAPIError(response.status_code, body.get("code"), body.get("message", ""))
    return body["data"]


class FuturesClient:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def assets(self) -> list[dict]:
        return _unwrap(self.http.get("/contract/private/assets-detail"))


class AsyncFuturesClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def assets(self) -> list[dict]:
        return _unwrap(await self.http.get("/contract/private/assets-detail"))


# --8<-- [end:client]

# --8<-- [start:tests]
import pytest  # noqa: E402

import pytest_bitmart  # noqa: E402

FUTURES = "https://api-cloud-v2.bitmart.com"


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
