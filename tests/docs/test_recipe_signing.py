# --8<-- [start:setup]
import hashlib
import hmac
import json
import time

import httpx
import pytest

SPOT = "https://api-cloud.bitmart.com"
ORDER = {"symbol": "BTC_USDT", "side": "buy", "type": "limit", "size": "1"}
# --8<-- [end:setup]


# --8<-- [start:client]
class MyBitMartClient:
    """The code under test: a small signed client of one's own."""

    def __init__(self, key: str, secret: str, memo: str) -> None:
        self.key, self.secret, self.memo = key, secret, memo

    def submit_order(self, **order: str) -> httpx.Response:
        body = json.dumps(order, separators=(",", ":"))
        timestamp = str(int(time.time() * 1000))
        message = f"{timestamp}#{self.memo}#{body}".encode()
        sign = hmac.new(self.secret.encode(), message, hashlib.sha256)
        headers = {
            "Content-Type": "application/json",
            "X-BM-KEY": self.key,
            "X-BM-TIMESTAMP": timestamp,
            "X-BM-SIGN": sign.hexdigest(),
        }
        url = f"{SPOT}/spot/v2/submit_order"
        return httpx.post(url, content=body, headers=headers)


# --8<-- [end:client]


# --8<-- [start:tests]
@pytest.mark.bitmart_account(api_key="my-key", secret="my-secret", memo="my-memo")
def test_my_signature_is_accepted(bitmart_mock):
    bitmart_mock.ok({"order_id": "1"})
    client = MyBitMartClient("my-key", "my-secret", "my-memo")
    response = client.submit_order(**ORDER)
    assert response.json()["data"] == {"order_id": "1"}


@pytest.mark.bitmart_account(api_key="my-key", secret="my-secret", memo="my-memo")
def test_a_wrong_memo_is_refused_as_bitmart_refuses_it(bitmart_mock):
    client = MyBitMartClient("my-key", "my-secret", "another-memo")
    response = client.submit_order(**ORDER)
    assert response.status_code == 401
    assert response.json()["code"] == 30005
    bitmart_mock.assert_call_count(1, code=30005)


# --8<-- [end:tests]


# --8<-- [start:clock]
@pytest.mark.bitmart_account(api_key="my-key", secret="my-secret", memo="my-memo")
def test_a_clock_a_minute_behind_is_refused(bitmart_mock):
    bitmart_mock.clock.advance(61)  # BitMart's clock, a minute ahead of ours
    client = MyBitMartClient("my-key", "my-secret", "my-memo")
    assert client.submit_order(**ORDER).json()["code"] == 30007


# --8<-- [end:clock]
