import pytest
import requests


@pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
def test_wallet_balance():
    # The rule is about the spot wallet, but this client reads the funding wallet.
    requests.get("https://api-cloud.bitmart.com/account/v1/wallet", timeout=10)
