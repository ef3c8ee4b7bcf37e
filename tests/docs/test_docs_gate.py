# --8<-- [start:setup]
import ccxt
import pytest

ORDER = {"symbol": "BTC_USDT", "side": "buy", "type": "market", "size": "1"}
# --8<-- [end:setup]


# --8<-- [start:marker]
@pytest.mark.bitmart_account(api_key="my-key", secret="my-secret", memo="my-memo")
def test_an_order_signed_with_the_right_memo_is_placed(bitmart_mock):
    bitmart_mock.ok({"order_id": "42"}, path="/spot/v2/submit_order")
    exchange = ccxt.bitmart(
        {"apiKey": "my-key", "secret": "my-secret", "uid": "my-memo"},
    )
    answer = exchange.private_post_spot_v2_submit_order(ORDER)
    assert answer["data"] == {"order_id": "42"}


# --8<-- [end:marker]


# --8<-- [start:controller]
def test_a_read_only_key_cannot_trade(bitmart_mock):
    bitmart_mock.account(
        api_key="my-key",
        secret="my-secret",
        memo="my-memo",
        permissions=("read",),
    )
    exchange = ccxt.bitmart(
        {"apiKey": "my-key", "secret": "my-secret", "uid": "my-memo"},
    )
    with pytest.raises(ccxt.AuthenticationError, match="30012"):
        exchange.private_post_spot_v2_submit_order(ORDER)
    (call,) = bitmart_mock.calls
    assert (call.status, call.code) == (403, 30012)


# --8<-- [end:controller]
