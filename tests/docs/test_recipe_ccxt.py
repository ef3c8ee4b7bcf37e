# --8<-- [start:setup]
import ccxt
import pytest

# --8<-- [end:setup]


# --8<-- [start:fixture]
@pytest.fixture
def exchange(bitmart_mock):
    """A ccxt client with its markets loaded: rules meet only the call tested."""
    # A fresh instance loads markets with three public GETs: answer them OK.
    # (Some ccxt versions repeat one later; these rules answer every time.)
    bitmart_mock.ok({"currencies": []}, path="/account/v1/currencies")
    bitmart_mock.ok({"symbols": []}, path="/spot/v1/symbols/details")
    bitmart_mock.ok({"symbols": []}, path="/contract/public/details")
    # enableRateLimit=False: ccxt's own throttle would only slow the tests down.
    client = ccxt.bitmart(
        {
            "apiKey": "my-api-key",
            "secret": "my-secret",
            "uid": "my-memo",
            "enableRateLimit": False,
        }
    )
    client.load_markets()
    return client


# --8<-- [end:fixture]


# --8<-- [start:marker]
@pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
def test_balance_not_enough_is_insufficient_funds(exchange):
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.fetch_balance()


@pytest.mark.bitmart_error(30013, path="/spot/v1/wallet")
def test_rate_limited_is_rate_limit_exceeded(exchange):
    with pytest.raises(ccxt.RateLimitExceeded):
        exchange.fetch_balance()


# --8<-- [end:marker]


# --8<-- [start:every-code]
def test_every_documented_error_is_a_ccxt_error(exchange, bitmart_error):
    # `exchange` comes first in the arguments: its markets are loaded before
    # the error is armed.
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.fetch_balance()
    assert str(bitmart_error.code) in str(raised.value)


# --8<-- [end:every-code]
