"""The examples of docs/getting-started.md and docs/index.md, included there from this file."""

# --8<-- [start:client]
import pytest
import requests

import pytest_bitmart


class WalletError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"BitMart {code}: {message}")
        self.code = code
        self.message = message


def spot_wallet() -> list[dict]:
    """The code under test: reads the spot wallet, raises WalletError when BitMart refuses."""
    response = requests.get(
        "https://api-cloud.bitmart.com/spot/v1/wallet",
        headers={"X-BM-KEY": "my-api-key"},
        timeout=10,
    )
    body = response.json()
    if body["code"] != 1000:
        raise WalletError(body["code"], body["message"])
    return body["data"]["wallet"]


# --8<-- [end:client]


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
    # One test per documented code: [30000-auth], ..., [50020-spot], ..., [40034-contract]
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
