import pytest
import requests


@pytest.mark.bitmart_error(50020)
def test_wallet_refused():
    response = requests.get(
        "https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10
    )
    assert response.status_code == 400
    assert response.json()["code"] == 50020
