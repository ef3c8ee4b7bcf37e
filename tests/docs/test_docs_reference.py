# --8<-- [start:setup]
import re

import httpx
import pytest
import requests

import pytest_bitmart
from pytest_bitmart import lookup

SPOT = "https://api-cloud.bitmart.com"
FUTURES = "https://api-cloud-v2.bitmart.com"


def balance_or_error() -> int:
    """Returns BitMart's code for a wallet read: 1000 when it answered OK."""
    return requests.get(f"{SPOT}/spot/v1/wallet", timeout=10).json()["code"]


# --8<-- [end:setup]


# --8<-- [start:marker-options]
@pytest.mark.bitmart_error(
    50008,  # its message has one %s placeholder
    method="POST",
    path="/spot/v2/submit_order",
    message_args=("0.01",),
    trace="my-trace-1",
    headers={"Retry-After": "1"},
)
def test_order_below_minimum_price():
    response = requests.post(
        f"{SPOT}/spot/v2/submit_order", json={"symbol": "BTC_USDT"}, timeout=10
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": 50008,
        "trace": "my-trace-1",
        "message": lookup(50008).message % "0.01",
        "data": {},
    }
    assert response.headers["Retry-After"] == "1"


# --8<-- [end:marker-options]


# --8<-- [start:marker-path-regex]
@pytest.mark.bitmart_error(
    40027, path=re.compile(r"^/contract/private/"), host="api-cloud-v2.bitmart.com"
)
def test_every_private_futures_call_is_refused():
    response = httpx.get(f"{FUTURES}/contract/private/assets-detail")
    assert response.status_code == 400
    assert response.json()["code"] == 40027
    assert "data" not in response.json()  # contract errors carry no data key


# --8<-- [end:marker-path-regex]


# --8<-- [start:marker-order]
@pytest.mark.bitmart_error(
    30013, times=2
)  # consulted first: the first two requests are rate limited
@pytest.mark.bitmart_error(50020)  # then every later request: balance not enough
def test_markers_are_consulted_top_to_bottom():
    codes = [
        requests.get(f"{SPOT}/spot/v1/wallet", timeout=10).json()["code"]
        for _ in range(3)
    ]
    assert codes == [30013, 30013, 50020]


# --8<-- [end:marker-order]


# --8<-- [start:http-error]
@pytest.mark.bitmart_http_error(500)
def test_server_error_page():
    response = requests.get(f"{SPOT}/spot/v1/ticker", timeout=10)
    assert response.status_code == 500
    assert response.text == pytest_bitmart.http_failure(500).description


# --8<-- [end:http-error]


# --8<-- [start:codes-family]
@pytest.mark.bitmart_codes(family="auth", http_status=[401, 403])
def test_auth_errors(bitmart_error):
    # Runs for the 11 authentication codes answered with 401 or 403.
    assert balance_or_error() == bitmart_error.code


# --8<-- [end:codes-family]


# --8<-- [start:codes-times]
@pytest.mark.bitmart_codes(include=[30013, 59002, 60051], times=1)
def test_recovers_after_one_error(bitmart_error, bitmart_mock):
    bitmart_mock.ok({"wallet": []})  # answers once the code has been served once
    assert balance_or_error() == bitmart_error.code
    assert balance_or_error() == 1000


# --8<-- [end:codes-times]


# --8<-- [start:codes-http-failures]
@pytest.mark.bitmart_codes(family="spot", exclude=[59001, 59002], http_failures=True)
def test_spot_errors_and_http_failures(bitmart_error):
    response = requests.get(f"{SPOT}/spot/v1/wallet", timeout=10)
    if isinstance(
        bitmart_error, pytest_bitmart.HttpFailure
    ):  # ids http-404, http-403, http-401, http-500
        assert response.status_code == bitmart_error.http_status
    else:
        assert response.json()["code"] == bitmart_error.code


# --8<-- [end:codes-http-failures]


# --8<-- [start:mock]
def test_the_mock_records_every_call(bitmart_mock):
    bitmart_mock.error(30013, path="/spot/v1/wallet", times=1)
    bitmart_mock.ok({"wallet": []}, path="/spot/v1/wallet")
    bitmart_mock.http_error(404, path=re.compile(r"^/spot/v9/"))

    assert requests.get(f"{SPOT}/spot/v1/wallet", timeout=10).status_code == 429
    assert requests.get(f"{SPOT}/spot/v1/wallet", timeout=10).status_code == 200
    assert requests.get(f"{SPOT}/spot/v9/nothing", timeout=10).status_code == 404

    assert [call.code for call in bitmart_mock.calls] == [30013, 1000, None]
    assert [call.status for call in bitmart_mock.calls] == [429, 200, 404]
    first = bitmart_mock.calls[0]
    assert first.request.path == "/spot/v1/wallet"
    assert first.response.headers["X-BM-RateLimit-Mode"] == "IP"
    bitmart_mock.assert_call_count(2, path="/spot/v1/wallet")
    assert len(bitmart_mock.get_calls(code=30013)) == 1
    assert bitmart_mock.unmatched == ()


# --8<-- [end:mock]
