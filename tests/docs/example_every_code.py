import requests


def test_every_documented_error_is_refused(bitmart_error):
    # Runs once per documented code: [30000-auth], ..., [50020-spot], ...
    response = requests.get(
        "https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10
    )
    assert response.status_code == bitmart_error.http_status
    assert response.json()["message"] == bitmart_error.message
