"""The examples of docs/recipes/ccxt.md (sync client, on requests), included there from this file."""

# --8<-- [start:fixture]
import ccxt
import pytest


@pytest.fixture
def exchange(bitmart_mock):
    """A ccxt client whose markets are already loaded, so a test's error rules meet only the call under test."""
    # A fresh ccxt instance loads markets with three public GETs (some versions repeat one later): answer them OK.
    bitmart_mock.ok({"currencies": []}, path="/account/v1/currencies")
    bitmart_mock.ok({"symbols": []}, path="/spot/v1/symbols/details")
    bitmart_mock.ok({"symbols": []}, path="/contract/public/details")
    # enableRateLimit=False: ccxt's own throttle would only slow the tests down.
    client = ccxt.bitmart({"apiKey": "my-api-key", "secret": "my-secret", "uid": "my-memo", "enableRateLimit": False})
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
    # The every-code error answers only what no other rule answers: the fixture's market data stays OK.
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.fetch_balance()
    assert str(bitmart_error.code) in str(raised.value)


# --8<-- [end:every-code]
