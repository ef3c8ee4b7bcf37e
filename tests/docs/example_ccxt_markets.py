import ccxt
import pytest


@pytest.mark.bitmart_error(50020)  # no path: it answers every BitMart request
def test_balance_not_enough(bitmart_mock):
    exchange = ccxt.bitmart({"apiKey": "key", "secret": "secret", "uid": "memo"})
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.fetch_balance()
    answered = [call.request.path for call in bitmart_mock.calls]
    assert answered == ["/spot/v1/wallet"]
