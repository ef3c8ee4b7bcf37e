# --8<-- [start:setup]
import ccxt
import pytest

from pytest_bitmart import documented_data

KEYS = {"apiKey": "my-api-key", "secret": "my-secret", "uid": "my-memo"}
# --8<-- [end:setup]


# --8<-- [start:fresh]
@pytest.mark.bitmart_error(50020)
def test_buy_without_funds(bitmart_mock):
    bitmart_mock.markets("BTC/USDT", "ETH/USDT", "BTC/USDT:USDT")
    exchange = ccxt.bitmart({**KEYS, "enableRateLimit": False})
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    # Market loading got the documented answers; the order got the error.
    (call,) = bitmart_mock.get_calls(code=50020)
    assert call.request.path == "/spot/v2/submit_order"


# --8<-- [end:fresh]


# --8<-- [start:fixture]
@pytest.fixture
def exchange(bitmart_mock):
    """A ccxt client whose markets are loaded before the test's own calls."""
    bitmart_mock.markets("BTC/USDT", "BTC/USDT:USDT")
    # enableRateLimit=False: ccxt's own throttle would only slow the tests down.
    client = ccxt.bitmart({**KEYS, "enableRateLimit": False})
    client.load_markets()
    return client


# --8<-- [end:fixture]


# --8<-- [start:marker]
@pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
def test_balance_not_enough_is_insufficient_funds(exchange):
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.fetch_balance()


@pytest.mark.bitmart_error(30013, path="/spot/v3/cancel_order")
def test_rate_limited_cancel_is_rate_limit_exceeded(exchange):
    with pytest.raises(ccxt.RateLimitExceeded):
        exchange.cancel_order("1", "BTC/USDT")


# --8<-- [end:marker]


# --8<-- [start:ok]
def test_balance_from_the_documented_example(exchange, bitmart_mock):
    bitmart_mock.ok(documented_data("/spot/v1/wallet"), path="/spot/v1/wallet")
    balance = exchange.fetch_balance()
    (wallet,) = documented_data("/spot/v1/wallet")["wallet"]
    assert balance[wallet["id"]]["free"] == float(wallet["available"])


# --8<-- [end:ok]


# --8<-- [start:every-code]
def test_every_documented_error_is_a_ccxt_error(exchange, bitmart_error):
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.create_order("BTC/USDT:USDT", "limit", "buy", 1, 30000)
    assert str(bitmart_error.code) in str(raised.value)


# --8<-- [end:every-code]
