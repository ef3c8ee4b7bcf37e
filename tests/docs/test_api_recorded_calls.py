# --8<-- [start:calls]
import json

import requests

from pytest_bitmart import BitMartRequest


def test_the_order_sent(bitmart_mock):
    bitmart_mock.ok({"order_id": "1"}, path="/spot/v2/submit_order")
    requests.post(
        "https://api-cloud.bitmart.com/spot/v2/submit_order?recvWindow=5000",
        json={"symbol": "BTC_USDT", "side": "buy"},
        headers={"X-BM-KEY": "my-api-key"},
        timeout=5,
    )
    (call,) = bitmart_mock.get_calls(path="/spot/v2/submit_order")
    request: BitMartRequest = call.request
    assert request.method == "POST"
    assert request.host == "api-cloud.bitmart.com"
    assert request.path == "/spot/v2/submit_order"  # no query string
    assert request.url.endswith("?recvWindow=5000")
    assert request.header("x-bm-key") == "my-api-key"  # any case
    assert json.loads(request.content) == {"symbol": "BTC_USDT", "side": "buy"}
    assert call.code == 1000


# --8<-- [end:calls]
