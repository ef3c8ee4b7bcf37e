import pytest
import requests


@pytest.mark.bitmart_error(50020)
def test_requests_through_our_proxy_are_answered_too():
    response = requests.get(
        "https://bitmart-proxy.internal.example/spot/v1/wallet", timeout=10
    )
    assert response.json()["code"] == 50020
