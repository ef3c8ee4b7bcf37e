import pytest
import requests
import requests_mock


@pytest.mark.bitmart_error(50020)
def test_wallet():
    with requests_mock.Mocker() as mocker:
        mocker.get("https://prices.example.com/btc", json={"usd": "97000"})
        response = requests.get(
            "https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10
        )
    assert response.json()["code"] == 50020
