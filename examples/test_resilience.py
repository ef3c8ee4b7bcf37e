"""How bitmart_client.py behaves for every error BitMart documents, served exactly as BitMart sends it.

Nothing here reaches the network and nothing sleeps: pytest-bitmart answers the client's requests,
and the client's backoff sleep is a list that records the delays (see conftest.py).
"""

import hashlib
import hmac
import json

import pytest
from bitmart_client import (
    AsyncBitMartClient,
    AuthenticationError,
    BadResponse,
    BitMartClient,
    BitMartError,
    Blocked,
    InsufficientFunds,
    InvalidRequest,
    NetworkError,
    RateLimited,
    ServiceUnavailable,
)

from pytest_bitmart import BitMartMock, ErrorCode, Fault, http_failures, lookup

# What our client must raise, written from BitMart's error page and API docs: the code decides where it
# is special, the HTTP status otherwise (any other 4xx, or an error sent with HTTP 200, is an InvalidRequest).
RATE_LIMITED = {30013}
MAINTENANCE = {30016}  # sent with HTTP 200
SERVER_ERRORS = {40012, 59001, 59002, *range(59003, 59012), 60050, 60051}  # the 500s
UNAVAILABLE = {30014, 30018} | MAINTENANCE | SERVER_ERRORS  # and the 503s
UNAUTHORIZED = {30001, 30002, 30003, 30004, 30005, 30006, 30007, 30008, 30010, 30011, 30012}
FORBIDDEN = {
    30019,  # no permission, sent with HTTP 200
    53000,  # account frozen
    *range(53001, 53012),  # KYC, region and account-type restrictions
    60020,  # deposits or withdrawals disabled...
    60021,
    60022,
    *range(60026, 60030),  # sub-account and account status
    *range(60053, 60066),  # withdrawal refused
    *range(61005, 61009),  # transfers refused
    *range(40046, 40051),  # futures account, region and client order id refusals
}
NOT_ENOUGH_BALANCE = {50020, 60008, 61001, 40027, 42000}
RETRIED = RATE_LIMITED | UNAVAILABLE

ORDER = {"symbol": "BTC_USDT", "side": "buy", "size": "0.001", "price": "60000"}
WALLET = [{"currency": "USDT", "name": "Tether USD", "available": "25.00000000", "frozen": "0.00000000"}]


def expected_error(code: int) -> type[Exception]:
    if code in RATE_LIMITED:
        return RateLimited
    if code in UNAVAILABLE:
        return ServiceUnavailable
    if code in UNAUTHORIZED | FORBIDDEN:
        return AuthenticationError
    if code in NOT_ENOUGH_BALANCE:
        return InsufficientFunds
    return InvalidRequest


def call_endpoint_of(entry: ErrorCode, client: BitMartClient) -> object:
    """Call an endpoint of the API part that documents ``entry``, as the application would."""
    if entry.family == "spot":
        return client.place_spot_order(**ORDER)
    if entry.family == "contract":
        return client.get_contract_assets()
    return client.get_wallet()  # funding account; the auth codes can come from any signed endpoint


def test_every_documented_error_becomes_its_typed_error(client, sleeps, bitmart_error, bitmart_mock):
    """Runs once per documented code (ids like ``[50020-spot]``)."""
    with pytest.raises(expected_error(bitmart_error.code)) as raised:
        call_endpoint_of(bitmart_error, client)

    error = raised.value
    assert error.code == bitmart_error.code
    assert error.message == bitmart_error.message
    assert error.http_status == bitmart_error.http_status
    assert error.trace == bitmart_mock.calls[-1].response.payload["trace"]
    # Transient errors are retried up to max_attempts, backing off in between; the rest fail at once.
    attempts = client.max_attempts if bitmart_error.code in RETRIED else 1
    bitmart_mock.assert_call_count(attempts, code=bitmart_error.code)
    assert len(sleeps) == attempts - 1


def test_rate_limited_twice_then_ok(client, sleeps, bitmart_mock: BitMartMock):
    bitmart_mock.error(30013, times=2)
    bitmart_mock.ok({"wallet": WALLET})

    assert client.get_wallet() == WALLET

    assert len(bitmart_mock.calls) == 3
    bitmart_mock.assert_call_count(2, code=30013)
    assert sleeps == [0.5, 1.0]  # exponential backoff


@pytest.mark.bitmart_error(50020, path="/spot/v2/submit_order")
def test_order_refused_for_balance_while_wallet_answers(client, bitmart_mock: BitMartMock):
    bitmart_mock.ok({"wallet": WALLET}, path="/account/v1/wallet")

    assert client.get_wallet() == WALLET
    with pytest.raises(InsufficientFunds) as raised:
        client.place_spot_order(**ORDER)

    assert raised.value.message == lookup(50020).message
    bitmart_mock.assert_call_count(1, path="/spot/v2/submit_order")  # not retried
    bitmart_mock.assert_call_count(1, path="/account/v1/wallet", code=1000)


@pytest.mark.bitmart_error(30005)
def test_a_wrong_signature_is_not_retried(client, sleeps, bitmart_error, bitmart_mock: BitMartMock):
    """The marker pins the ``bitmart_error`` fixture to one code instead of all of them."""
    with pytest.raises(AuthenticationError) as raised:
        client.get_wallet()

    assert raised.value.code == 30005
    assert raised.value.message == bitmart_error.message
    bitmart_mock.assert_call_count(1)
    assert sleeps == []


@pytest.mark.bitmart_error(30013)
def test_rate_limit_headers_are_read_after_a_30013(client, bitmart_mock: BitMartMock):
    with pytest.raises(RateLimited) as raised:
        client.get_wallet()

    rate_limit = raised.value.rate_limit
    served = bitmart_mock.calls[-1].response.headers
    assert rate_limit is not None
    assert rate_limit.used == int(served["X-BM-RateLimit-Remaining"])  # BitMart's "Remaining" counts used
    assert rate_limit.limit == int(served["X-BM-RateLimit-Limit"])
    assert rate_limit.used > rate_limit.limit
    assert rate_limit.remaining == 0
    assert rate_limit.reset_seconds == 60
    assert rate_limit.mode == "UID"  # signed requests are limited per account, not per IP
    assert client.rate_limit == rate_limit


def test_requests_are_signed(client, credentials, bitmart_mock: BitMartMock):
    bitmart_mock.ok({"order_id": "1234567890"})

    assert client.place_spot_order(**ORDER) == "1234567890"

    request = bitmart_mock.calls[0].request
    timestamp = request.header("X-BM-TIMESTAMP")
    assert timestamp is not None
    assert len(timestamp) == 13  # milliseconds
    assert timestamp.isdigit()
    message = f"{timestamp}#{credentials.memo}#{request.content.decode()}"
    expected = hmac.new(credentials.secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    assert request.header("X-BM-SIGN") == expected
    assert request.header("X-BM-KEY") == credentials.api_key
    assert json.loads(request.content) == {**ORDER, "type": "limit"}


@pytest.mark.parametrize("failure", http_failures(), ids=lambda failure: f"http-{failure.http_status}")
def test_global_http_failures_without_an_envelope(client, sleeps, failure, bitmart_mock: BitMartMock):
    """BitMart's bare 404/403/401/500 answers carry text, not JSON: the client still raises a typed error."""
    bitmart_mock.http_error(failure.http_status)
    expected, attempts = {
        401: (AuthenticationError, 1),
        403: (AuthenticationError, 1),
        404: (InvalidRequest, 1),
        500: (ServiceUnavailable, client.max_attempts),
    }[failure.http_status]

    with pytest.raises(expected) as raised:
        client.get_wallet()

    assert raised.value.code is None
    assert raised.value.message == failure.description
    assert raised.value.http_status == failure.http_status
    assert len(bitmart_mock.calls) == attempts
    assert len(sleeps) == attempts - 1


@pytest.mark.bitmart_codes(http_status=[429, 500, 503], times=1)
def test_every_transient_error_is_retried_until_ok(client, sleeps, bitmart_error, bitmart_mock: BitMartMock):
    """Each 429/5xx code answers the first request only; the retry gets the OK that follows."""
    assets = [{"currency": "USDT", "available_balance": "100", "frozen_balance": "0", "equity": "100"}]
    bitmart_mock.ok(assets)

    assert client.get_contract_assets() == assets

    bitmart_mock.assert_call_count(1, code=bitmart_error.code)
    bitmart_mock.assert_call_count(1, code=1000)
    assert sleeps == [0.5]


@pytest.mark.anyio
async def test_async_client_waits_out_maintenance(credentials, bitmart_mock: BitMartMock):
    bitmart_mock.error(30014, times=1)
    bitmart_mock.ok([{"currency": "USDT", "available_balance": "100"}])
    sleeps = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with AsyncBitMartClient(*credentials, sleep=sleep) as client:
        assert await client.get_contract_assets() == [{"currency": "USDT", "available_balance": "100"}]

    assert [call.code for call in bitmart_mock.calls] == [30014, 1000]
    assert sleeps == [0.5]


# Faults: what BitMart's gateway, Cloudflare and the network do beyond the error table ------------------


def expected_for_fault(fault: Fault) -> type[BitMartError]:
    """What our client must raise, written from the fault's description: who answered, and how."""
    if fault.kind in ("transport", "cut"):
        return NetworkError  # no (whole) answer came
    if dict(fault.headers).get("Server") == "cloudflare":
        return Blocked if fault.http_status == 403 else ServiceUnavailable
    if fault.http_status == 200 and fault.code is None:
        return BadResponse  # a 200 without an envelope
    return expected_error(fault.code) if fault.code in RETRIED else error_class_for_status(fault)


def error_class_for_status(fault: Fault) -> type[BitMartError]:
    if fault.code == 70003 or (fault.http_status or 0) >= 500:
        return ServiceUnavailable
    if fault.http_status == 403:
        return AuthenticationError
    return InvalidRequest  # a 404, or an error code with HTTP 200 (the gateway's retired-path 30030)


def test_every_fault_becomes_a_typed_error(client, sleeps, bitmart_fault, bitmart_mock):
    """Runs once per fault (ids like ``[read-timeout]``, ``[cloudflare-1020]``); reads are retried when worth it."""
    expected = expected_for_fault(bitmart_fault)
    with pytest.raises(BitMartError) as raised:
        client.get_wallet()

    assert type(raised.value) is expected
    assert raised.value.code == bitmart_fault.code
    assert "<" not in raised.value.message  # never a page of HTML as the message
    if bitmart_fault.name.startswith("gateway-"):
        assert raised.value.message == json.loads(bitmart_fault.body)["msg"]
    attempts = client.max_attempts if expected.retryable else 1
    assert len(bitmart_mock.calls) == attempts
    assert len(sleeps) == attempts - 1


def test_an_order_that_timed_out_is_not_sent_twice(client, sleeps, bitmart_mock: BitMartMock):
    """The request went out before the timeout: the order may exist, so the client does not place it again."""
    bitmart_mock.fault("read-timeout")

    with pytest.raises(NetworkError) as raised:
        client.place_spot_order(**ORDER, client_order_id="order-1")

    assert raised.value.sent
    bitmart_mock.assert_call_count(1)
    assert sleeps == []


def test_an_order_whose_connection_was_refused_is_retried(client, sleeps, bitmart_mock: BitMartMock):
    """Nothing was sent when the connection failed: placing the order again is safe."""
    bitmart_mock.fault("connection-refused", times=1)
    bitmart_mock.ok({"order_id": "1234567890"})

    assert client.place_spot_order(**ORDER) == "1234567890"
    assert sleeps == [0.5]


@pytest.mark.anyio
async def test_async_client_survives_a_timeout_then_a_cloudflare_page(credentials, bitmart_mock: BitMartMock):
    bitmart_mock.fault("read-timeout", times=1)
    bitmart_mock.fault("cloudflare-520", times=1)
    bitmart_mock.ok([{"currency": "USDT", "available_balance": "100"}])

    async def sleep(seconds: float) -> None:
        pass

    async with AsyncBitMartClient(*credentials, sleep=sleep) as client:
        assert await client.get_contract_assets() == [{"currency": "USDT", "available_balance": "100"}]

    assert [call.response.fault and call.response.fault.name for call in bitmart_mock.calls] == [
        "read-timeout",
        "cloudflare-520",
        None,
    ]
