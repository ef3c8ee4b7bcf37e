import ccxt
import pytest


@pytest.mark.bitmart_error(50020, path="/spot/v2/submit_order")
def test_buy_without_funds(bitmart_mock):
    bitmart_mock.markets("ETH/USDT", "BTC/USDT:USDT")
    exchange = ccxt.bitmart({"apiKey": "key", "secret": "secret", "uid": "memo"})
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
