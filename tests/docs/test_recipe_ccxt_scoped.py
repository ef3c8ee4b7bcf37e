"""A ccxt client that loads its markets once per run (sync client)."""

# --8<-- [start:setup]
import ccxt
import pytest

import pytest_bitmart

KEYS = {"apiKey": "my-api-key", "secret": "my-secret", "uid": "my-memo"}
# --8<-- [end:setup]


# --8<-- [start:fixture]
@pytest.fixture(scope="session")
def exchange(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        # Market loading gets BitMart's documented answers, listing these markets.
        answers.markets("BTC/USDT")
        client = ccxt.bitmart({**KEYS, "enableRateLimit": False})
        client.load_markets()  # once for the run (once per xdist worker)
        yield client


# --8<-- [end:fixture]


# --8<-- [start:every-code]
def test_every_code_reaches_the_call(exchange, bitmart_error, bitmart_mock):
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    assert str(bitmart_error.code) in str(raised.value)
    # The error answered the call under test, the test's only request.
    [call] = bitmart_mock.calls
    assert call.request.path == "/spot/v2/submit_order"
    assert call.code == bitmart_error.code


# --8<-- [end:every-code]
