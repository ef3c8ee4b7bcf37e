# --8<-- [start:setup]
import httpx
import pytest
import requests

WALLET = "https://api-cloud.bitmart.com/account/v1/wallet"


# --8<-- [end:setup]


# --8<-- [start:marker]
@pytest.mark.bitmart_fault("read-timeout")
def test_a_read_timeout_is_requests_own():
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(WALLET, timeout=10)  # raised at once: nothing waits


# --8<-- [end:marker]


# --8<-- [start:sequence]
def test_timeout_then_cloudflare_then_ok(bitmart_mock):
    bitmart_mock.fault("read-timeout", times=1)
    bitmart_mock.fault("cloudflare-520", times=1)
    bitmart_mock.ok({"wallet": []})

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(WALLET)
    assert httpx.get(WALLET).status_code == 520
    assert httpx.get(WALLET).json()["data"] == {"wallet": []}


# --8<-- [end:sequence]


# --8<-- [start:every-fault]
def fetch_wallet() -> list | None:
    """The code under test: None when BitMart is unreachable or talks nonsense."""
    try:
        response = httpx.get(WALLET, timeout=10)
        body = response.json()
    except (httpx.TransportError, ValueError):
        return None
    if response.status_code != 200 or body.get("code") != 1000:
        return None
    return body["data"]["wallet"]


def test_every_fault_is_survived(bitmart_fault):
    """Runs once per fault (ids like [read-timeout], [cloudflare-1020])."""
    assert fetch_wallet() is None


# --8<-- [end:every-fault]


# --8<-- [start:status-and-delay]
def test_an_error_served_with_http_200(bitmart_mock):
    bitmart_mock.error(50020, http_status=200)
    response = requests.get(WALLET, timeout=10)
    assert (response.status_code, response.json()["code"]) == (200, 50020)


def test_a_delay_longer_than_the_timeout(bitmart_mock):
    bitmart_mock.ok({"wallet": []}, delay=30)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(WALLET, timeout=(3, 0.01))  # raised after 0.01 s


# --8<-- [end:status-and-delay]
