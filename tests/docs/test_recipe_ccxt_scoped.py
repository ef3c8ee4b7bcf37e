"""The examples of docs/recipes/ccxt.md on wider-scoped fixtures (sync client)."""

# --8<-- [start:setup]
import ccxt
import pytest

import pytest_bitmart

# One spot market, GXC/BTC: BitMart's documented symbol details example.
SYMBOLS = {
    "symbols": [
        {
            "symbol": "GXC_BTC",
            "symbol_id": 1024,
            "base_currency": "GXC",
            "quote_currency": "BTC",
            "quote_increment": "1.00000000",
            "base_min_size": "1.00000000",
            "price_min_precision": 6,
            "price_max_precision": 8,
            "expiration": "NA",
            "min_buy_amount": "0.00010000",
            "min_sell_amount": "0.00010000",
            "trade_status": "trading",
        }
    ]
}
# --8<-- [end:setup]


# --8<-- [start:fixture]
@pytest.fixture(scope="session")
def exchange(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.ok({"currencies": []}, path="/account/v1/currencies")
        answers.ok(SYMBOLS, path="/spot/v1/symbols/details")
        answers.ok({"symbols": []}, path="/contract/public/details")
        client = ccxt.bitmart({"apiKey": "my-api-key", "secret": "my-secret", "uid": "my-memo"})
        client.load_markets()  # once for the run (once per xdist worker)
        yield client


# --8<-- [end:fixture]


# --8<-- [start:every-code]
def test_every_code_reaches_the_call(exchange, bitmart_error, bitmart_mock):
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.create_order("GXC/BTC", "limit", "buy", 1, 0.001)
    assert str(bitmart_error.code) in str(raised.value)
    # The error answered the call under test, the test's only request.
    [call] = bitmart_mock.calls
    assert call.request.path == "/spot/v2/submit_order"
    assert call.code == bitmart_error.code


# --8<-- [end:every-code]
