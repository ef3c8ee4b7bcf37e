# --8<-- [start:setup]
import pytest

import pytest_bitmart
from wallet import WalletError, spot_wallet

# --8<-- [end:setup]


# --8<-- [start:marker]
@pytest.mark.bitmart_error(50020)  # answered with 50020's documented status and body
def test_wallet_reports_insufficient_balance():
    with pytest.raises(WalletError) as raised:
        spot_wallet()
    assert raised.value.code == 50020
    assert raised.value.message == pytest_bitmart.lookup(50020).message


# --8<-- [end:marker]


# --8<-- [start:every-code]
def test_wallet_raises_for_every_documented_error(bitmart_error):
    # One test per code: [30000-auth], ..., [50020-spot], ..., [40034-contract]
    with pytest.raises(WalletError) as raised:
        spot_wallet()
    assert raised.value.code == bitmart_error.code
    assert raised.value.message == bitmart_error.message


# --8<-- [end:every-code]


# --8<-- [start:ok]
def test_wallet_lists_balances(bitmart_mock):
    bitmart_mock.ok({"wallet": [{"id": "BTC", "available": "0.5", "frozen": "0"}]})
    assert spot_wallet() == [{"id": "BTC", "available": "0.5", "frozen": "0"}]
    bitmart_mock.assert_call_count(1, method="GET", path="/spot/v1/wallet")


# --8<-- [end:ok]
