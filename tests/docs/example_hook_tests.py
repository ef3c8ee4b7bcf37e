import pytest
import requests


@pytest.mark.bitmart_error(30013)
def test_rate_limit_answer_carries_retry_after():
    response = requests.get(
        "https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10
    )
    assert response.headers["Retry-After"] == "2"
    assert (
        response.json()["trace"]
        == "619294ecef584282b26a3be322b1e01f.66.17403093228242229"
    )


@pytest.mark.bitmart_error(50020)
def test_other_answers_do_not():
    response = requests.get(
        "https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10
    )
    assert "Retry-After" not in response.headers
