"""BitMart's gate against the clients users test with: the official SDK and ccxt, sync and async.

Each signs with its own code; correct credentials pass to the armed rules, each mistake gets the
documented code and status, and each client raises what it raises for that answer from BitMart.
"""

from __future__ import annotations

import json

import pytest

from pytest_bitmart import BitMartMock, lookup

bitmart_spot = pytest.importorskip("bitmart.api_spot")
bitmart_contract = pytest.importorskip("bitmart.api_contract")
cloud_exceptions = pytest.importorskip("bitmart.lib.cloud_exceptions")
ccxt = pytest.importorskip("ccxt")
ccxt_async = pytest.importorskip("ccxt.async_support")

KEY, SECRET, MEMO = "gate-key", "gate-secret", "gate-memo"
SPOT_ORDER = {"symbol": "BTC_USDT", "side": "buy", "type": "limit", "size": "1", "price": "60000"}
CONTRACT_ORDER = {"symbol": "BTCUSDT", "side": 1, "type": "limit", "leverage": "1", "open_type": "isolated"}


@pytest.fixture
def gate(bitmart_mock: BitMartMock) -> BitMartMock:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO)
    return bitmart_mock


def sdk_spot(**credentials: str) -> object:
    options = {"api_key": KEY, "secret_key": SECRET, "memo": MEMO, **credentials}
    return bitmart_spot.APISpot(timeout=(3, 10), **options)


def sdk_contract(**credentials: str) -> object:
    options = {"api_key": KEY, "secret_key": SECRET, "memo": MEMO, **credentials}
    return bitmart_contract.APIContract(timeout=(3, 10), **options)


def submit_spot(client: object) -> tuple[dict[str, object], dict[str, str]]:
    result: tuple[dict[str, object], dict[str, str]] = client.post_submit_order(**SPOT_ORDER)
    return result


def sdk_refusal(call: object, code: int) -> None:
    """``call()`` raises the SDK's APIException with BitMart's status and ``code``."""
    __tracebackhide__ = True
    with pytest.raises(cloud_exceptions.APIException) as raised:
        call()
    assert raised.value.status_code == lookup(code).http_status
    assert json.loads(raised.value.response)["code"] == code


# The official SDK ------------------------------------------------------------------------------------------


def test_sdk_spot_order_with_correct_credentials_passes(gate: BitMartMock) -> None:
    gate.ok({"order_id": "1"}, path="/spot/v2/submit_order")
    body, _ = submit_spot(sdk_spot())
    assert body["data"] == {"order_id": "1"}


def test_sdk_contract_order_with_correct_credentials_passes(gate: BitMartMock) -> None:
    gate.ok({"order_id": 2}, path="/contract/private/submit-order")
    body, _ = sdk_contract().post_submit_order(contract_symbol="BTCUSDT", side=1, size=1, price="1")
    assert body["data"] == {"order_id": 2}


@pytest.mark.parametrize(("credentials", "code"), [({"secret_key": "wrong"}, 30005), ({"memo": "wrong"}, 30005)])
def test_sdk_with_a_wrong_secret_or_memo_gets_30005(gate: BitMartMock, credentials: dict[str, str], code: int) -> None:
    sdk_refusal(lambda: submit_spot(sdk_spot(**credentials)), code)
    sdk_refusal(lambda: sdk_contract(**credentials).post_cancel_order(contract_symbol="BTCUSDT", order_id="1"), code)


def test_sdk_without_a_key_gets_30001(gate: BitMartMock) -> None:
    sdk_refusal(lambda: submit_spot(sdk_spot(api_key="")), 30001)


def test_sdk_sends_spaced_json_signed_as_sent_and_passes(gate: BitMartMock) -> None:
    gate.ok({"order_id": "1"}, path="/spot/v2/submit_order")
    submit_spot(sdk_spot())
    (call,) = gate.calls
    assert b'", "' in call.request.content
    assert call.code == 1000


def test_sdk_with_a_stale_clock_gets_30007(gate: BitMartMock) -> None:
    gate.clock.advance(120)
    sdk_refusal(lambda: submit_spot(sdk_spot()), 30007)


def test_sdk_read_only_key_may_read_but_not_trade(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO, permissions=("read",))
    bitmart_mock.ok({"wallet": []}, path="/spot/v1/wallet")
    body, _ = sdk_spot().get_wallet()
    assert body["code"] == 1000
    sdk_refusal(lambda: submit_spot(sdk_spot()), 30012)


# ccxt, sync (requests) -------------------------------------------------------------------------------------


def ccxt_client(module: object = ccxt, **credentials: str) -> object:
    options = {"apiKey": KEY, "secret": SECRET, "uid": MEMO, "enableRateLimit": False, **credentials}
    return module.bitmart(options)


def arm_markets(mock: BitMartMock) -> None:
    # A fresh ccxt instance loads markets with three public GETs; the gate lets public endpoints through.
    mock.ok({"currencies": []}, path="/account/v1/currencies")
    mock.ok({"symbols": []}, path="/spot/v1/symbols/details")
    mock.ok({"symbols": []}, path="/contract/public/details")


def test_ccxt_fetch_balance_with_correct_credentials_passes(gate: BitMartMock) -> None:
    arm_markets(gate)
    gate.ok({"wallet": [{"id": "BTC", "available": "1.5", "frozen": "0"}]}, path="/spot/v1/wallet")
    balance = ccxt_client().fetch_balance()
    assert balance["BTC"]["free"] == 1.5


def test_ccxt_signed_order_passes_and_a_wrong_secret_is_an_authentication_error(gate: BitMartMock) -> None:
    gate.ok({"order_id": "1"}, path="/spot/v2/submit_order")
    gate.ok({"order_id": "2"}, path="/contract/private/submit-order")
    assert ccxt_client().private_post_spot_v2_submit_order(SPOT_ORDER)["data"] == {"order_id": "1"}
    assert ccxt_client().private_post_contract_private_submit_order(CONTRACT_ORDER)["data"] == {"order_id": "2"}
    with pytest.raises(ccxt.AuthenticationError, match="30005"):
        ccxt_client(secret="wrong").private_post_spot_v2_submit_order(SPOT_ORDER)
    gate.assert_call_count(1, code=30005)


def test_ccxt_memo_in_the_wrong_field_is_an_authentication_error(gate: BitMartMock) -> None:
    # ccxt calls the memo "uid": the account's numeric UID there, and the memo elsewhere, signs the wrong memo.
    with pytest.raises(ccxt.AuthenticationError, match="30005"):
        ccxt_client(uid="4200042", password=MEMO).private_post_spot_v2_submit_order(SPOT_ORDER)


def test_ccxt_key_without_trade_permission_is_refused(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO, permissions=("read",))
    with pytest.raises(ccxt.AuthenticationError, match="30012"):
        ccxt_client().private_post_spot_v2_submit_order(SPOT_ORDER)
    assert bitmart_mock.calls[-1].status == 403


def test_ccxt_over_the_rate_limit_is_rate_limit_exceeded(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO, rate_limits=True)
    bitmart_mock.clock.freeze()
    bitmart_mock.ok({}, path="/spot/v4/cancel_all")
    client = ccxt_client()
    client.private_post_spot_v4_cancel_all({"symbol": "BTC_USDT"})
    with pytest.raises(ccxt.RateLimitExceeded):
        client.private_post_spot_v4_cancel_all({"symbol": "BTC_USDT"})


MISTAKES = [
    pytest.param({"secret": "wrong"}, {}, 30005, ccxt.AuthenticationError, id="wrong-secret"),
    pytest.param({"uid": "wrong"}, {}, 30005, ccxt.AuthenticationError, id="wrong-memo"),
    pytest.param({}, {"state": "frozen"}, 30003, ccxt.AccountSuspended, id="frozen-key"),
    pytest.param({}, {"ip_allowed": False}, 30010, ccxt.PermissionDenied, id="ip-not-whitelisted"),
    pytest.param({}, {"permissions": ("read",)}, 30012, ccxt.AuthenticationError, id="no-trade-permission"),
]


def declare(mock: BitMartMock, account: dict[str, object]) -> None:
    mock.account(**{"api_key": KEY, "secret": SECRET, "memo": MEMO, **account})


@pytest.mark.parametrize(("credentials", "account", "code", "exception"), MISTAKES)
def test_ccxt_contract_order_mistakes(
    bitmart_mock: BitMartMock, credentials: dict[str, str], account: dict[str, object], code: int, exception: type
) -> None:
    declare(bitmart_mock, account)
    with pytest.raises(exception, match=str(code)):
        ccxt_client(**credentials).private_post_contract_private_submit_order(CONTRACT_ORDER)
    assert bitmart_mock.calls[-1].status == lookup(code).http_status


@pytest.mark.asyncio
@pytest.mark.parametrize(("credentials", "account", "code", "exception"), MISTAKES)
async def test_ccxt_async_spot_order_mistakes(
    bitmart_mock: BitMartMock, credentials: dict[str, str], account: dict[str, object], code: int, exception: type
) -> None:
    pytest.importorskip("aiohttp")
    declare(bitmart_mock, account)
    client = ccxt_client(ccxt_async, **credentials)
    try:
        with pytest.raises(exception, match=str(code)):
            await client.private_post_spot_v2_submit_order(SPOT_ORDER)
    finally:
        await client.close()
    assert bitmart_mock.calls[-1].status == lookup(code).http_status


# ccxt, async (aiohttp) -------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_ccxt_async_correct_credentials_pass_and_a_wrong_memo_is_refused(gate: BitMartMock) -> None:
    pytest.importorskip("aiohttp")
    gate.ok({"order_id": "1"}, path="/spot/v2/submit_order")
    client = ccxt_client(ccxt_async)
    wrong = ccxt_client(ccxt_async, uid="wrong")
    try:
        answer = await client.private_post_spot_v2_submit_order(SPOT_ORDER)
        assert answer["data"] == {"order_id": "1"}
        with pytest.raises(ccxt.AuthenticationError, match="30005"):
            await wrong.private_post_spot_v2_submit_order(SPOT_ORDER)
    finally:
        await client.close()
        await wrong.close()
    assert [call.code for call in gate.calls] == [1000, 30005]


@pytest.mark.asyncio
async def test_ccxt_async_stale_timestamp_is_refused(gate: BitMartMock) -> None:
    pytest.importorskip("aiohttp")
    gate.clock.advance(61)
    client = ccxt_client(ccxt_async)
    try:
        with pytest.raises(ccxt.AuthenticationError, match="30007"):
            await client.private_post_contract_private_submit_order(CONTRACT_ORDER)
    finally:
        await client.close()
