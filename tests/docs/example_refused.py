import requests

URL = "https://api-cloud.bitmart.com/spot/v1/wallet"


def test_wallet():
    # No pytest-bitmart marker or fixture: nothing answers this request.
    response = requests.get(URL, timeout=10)
    assert response.json()["code"] == 1000
