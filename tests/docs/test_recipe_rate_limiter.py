# --8<-- [start:setup]
from collections.abc import Callable

import httpx
import pytest

FEE = "https://api-cloud.bitmart.com/spot/v1/trade_fee"
# --8<-- [end:setup]


# --8<-- [start:limiter]
class PoliteClient:
    """The code under test: waits out the window when BitMart says it is used up."""

    def __init__(self, key: str, sleep: Callable[[float], None]) -> None:
        self.key, self.sleep = key, sleep
        self.used = self.limit = self.reset = 0

    def trade_fee(self, symbol: str) -> httpx.Response:
        if self.limit and self.used >= self.limit:
            self.sleep(self.reset)
        headers = {"X-BM-KEY": self.key}
        response = httpx.get(FEE, params={"symbol": symbol}, headers=headers)
        # "Remaining" is what BitMart calls the requests already *used*.
        self.used = int(response.headers["X-BM-RateLimit-Remaining"])
        self.limit = int(response.headers["X-BM-RateLimit-Limit"])
        self.reset = int(response.headers["X-BM-RateLimit-Reset"])
        return response


# --8<-- [end:limiter]


# --8<-- [start:tests]
@pytest.fixture
def fees(bitmart_mock):
    bitmart_mock.rate_limits()
    bitmart_mock.clock.freeze()  # time moves only when the client "sleeps"
    bitmart_mock.ok({"symbol": "BTC_USDT", "buy_taker_fee_rate": "0.0025"})
    return bitmart_mock


def test_the_limiter_never_gets_30013(fees):
    client = PoliteClient("my-key", sleep=fees.clock.advance)
    for _ in range(10):
        assert client.trade_fee("BTC_USDT").status_code == 200
    fees.assert_call_count(0, code=30013)


def test_without_waiting_bitmart_refuses_the_request_over_the_limit(fees):
    client = PoliteClient("my-key", sleep=lambda _: None)  # never waits
    statuses = [client.trade_fee("BTC_USDT").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # 2 requests per 2 seconds, as documented


# --8<-- [end:tests]
