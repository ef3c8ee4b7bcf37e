import pytest
import requests


@pytest.mark.bitmart_error(50020)
def test_wallet(requests_mock):
    requests_mock.get("https://prices.example.com/btc", json={"usd": "97000"})
    requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10)
