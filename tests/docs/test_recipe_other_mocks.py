# --8<-- [start:setup]
import httpx
import pytest
import requests
import responses

# --8<-- [end:setup]


# --8<-- [start:responses]
@responses.activate
@pytest.mark.bitmart_error(50020)
def test_with_responses_for_another_host():
    responses.get("https://prices.example.com/btc", json={"usd": "97000"})

    assert requests.get("https://prices.example.com/btc", timeout=10).json() == {
        "usd": "97000"
    }
    assert (
        requests.get(
            "https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10
        ).json()["code"]
        == 50020
    )


# --8<-- [end:responses]


# --8<-- [start:respx]
@pytest.mark.bitmart_error(50020)
def test_with_respx_for_another_host(respx_mock):
    respx_mock.get("https://prices.example.com/btc").respond(json={"usd": "97000"})

    assert httpx.get("https://prices.example.com/btc").json() == {"usd": "97000"}
    assert (
        httpx.get("https://api-cloud.bitmart.com/spot/v1/wallet").json()["code"]
        == 50020
    )


# --8<-- [end:respx]


# --8<-- [start:pytest-httpx]
@pytest.mark.bitmart_error(50020)
def test_with_pytest_httpx_for_another_host(httpx_mock):
    httpx_mock.add_response(
        url="https://prices.example.com/btc", json={"usd": "97000"}
    )

    assert httpx.get("https://prices.example.com/btc").json() == {"usd": "97000"}
    assert (
        httpx.get("https://api-cloud.bitmart.com/spot/v1/wallet").json()["code"]
        == 50020
    )


# --8<-- [end:pytest-httpx]
