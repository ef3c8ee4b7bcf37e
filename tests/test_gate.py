"""BitMart's gate through a hand-written httpx client: each classic signing mistake gets BitMart's answer."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from pytest_bitmart import BitMartMock, lookup, render
from pytest_bitmart._request import BitMartRequest
from pytest_bitmart._rules import answer, error_rule
from pytest_bitmart._signing import signature

KEY, SECRET, MEMO = "gate-key", "gate-secret", "gate-memo"
SPOT = "https://api-cloud.bitmart.com"
SUBMIT = f"{SPOT}/spot/v2/submit_order"  # SIGNED, needs the trade permission
QUERY = f"{SPOT}/spot/v4/query/order"  # SIGNED, a read
WALLET = f"{SPOT}/spot/v1/wallet"  # KEYED
WITHDRAW = f"{SPOT}/account/v1/withdraw/apply"  # SIGNED, needs the withdraw permission
ORDER = {"symbol": "BTC_USDT", "side": "buy", "type": "limit", "size": "1", "price": "60000"}


def now_ms() -> str:
    return str(int(time.time() * 1000))


def compact(payload: object) -> str:
    return json.dumps(payload, separators=(",", ":"))


def signed(payload: str, *, secret: str = SECRET, memo: str = MEMO, timestamp: str | None = None) -> dict[str, str]:
    """The headers a correct client sends with ``payload`` (the body, or the query string of a GET)."""
    timestamp = now_ms() if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "X-BM-KEY": KEY,
        "X-BM-TIMESTAMP": timestamp,
        "X-BM-SIGN": signature(secret, timestamp, memo, payload),
    }


def post(url: str, body: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url, content=body, headers=headers)


def assert_documented(response: httpx.Response, code: int) -> None:
    """``response`` is ``code`` exactly as the catalog renders it: status, body bytes."""
    __tracebackhide__ = True
    entry = lookup(code)
    assert response.status_code == entry.http_status
    assert response.content == render(entry, trace=response.json()["trace"]).content


@pytest.fixture
def gate(bitmart_mock: BitMartMock) -> BitMartMock:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO)
    bitmart_mock.ok({"order_id": "1"})
    return bitmart_mock


def test_a_correctly_signed_order_passes_to_the_armed_rule(gate: BitMartMock) -> None:
    body = compact(ORDER)
    response = post(SUBMIT, body, signed(body))
    assert response.status_code == 200
    assert response.json()["data"] == {"order_id": "1"}
    (call,) = gate.calls
    assert call.code == 1000


def test_a_wrong_secret_gets_30005(gate: BitMartMock) -> None:
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, signed(body, secret="not-the-secret")), 30005)


def test_the_memo_in_the_wrong_field_gets_30005(gate: BitMartMock) -> None:
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, signed(body, memo="")), 30005)


def test_a_body_signed_compact_but_sent_spaced_gets_30005(gate: BitMartMock) -> None:
    sent = json.dumps(ORDER)  # ", " and ": " separators
    assert_documented(post(SUBMIT, sent, signed(compact(ORDER))), 30005)


def test_a_spaced_body_signed_as_sent_passes(gate: BitMartMock) -> None:
    sent = json.dumps(ORDER)
    assert post(SUBMIT, sent, signed(sent)).status_code == 200


def test_a_timestamp_older_than_a_minute_gets_30007(gate: BitMartMock) -> None:
    body = compact(ORDER)
    stale = str(int(time.time() * 1000) - 61_000)
    assert_documented(post(SUBMIT, body, signed(body, timestamp=stale)), 30007)


def test_moving_the_gates_clock_makes_a_timestamp_stale(gate: BitMartMock) -> None:
    body = compact(ORDER)
    headers = signed(body)
    gate.clock.advance(61)
    assert_documented(post(SUBMIT, body, headers), 30007)


def test_recv_window_in_the_body_narrows_the_window(gate: BitMartMock) -> None:
    three_seconds_ago = str(int(time.time() * 1000) - 3_000)
    within = compact({**ORDER, "recvWindow": 5000})
    assert post(SUBMIT, within, signed(within, timestamp=three_seconds_ago)).status_code == 200
    too_narrow = compact({**ORDER, "recvWindow": 1000})
    assert_documented(post(SUBMIT, too_narrow, signed(too_narrow, timestamp=three_seconds_ago)), 30007)


@pytest.mark.parametrize("recv_window", [0, 60001, "soon", 2.5, True])
def test_a_recv_window_bitmart_refuses_gets_30007(gate: BitMartMock, recv_window: object) -> None:
    body = compact({**ORDER, "recvWindow": recv_window})
    assert_documented(post(SUBMIT, body, signed(body)), 30007)


def test_a_signature_with_non_ascii_characters_gets_30005(gate: BitMartMock) -> None:
    body = compact(ORDER)
    headers = {**signed(body), "X-BM-SIGN": "sïgn"}
    assert_documented(post(SUBMIT, body, {name: value.encode() for name, value in headers.items()}), 30005)


def test_a_signed_body_that_is_not_json_is_checked_as_sent(gate: BitMartMock) -> None:
    body = "symbol=BTC_USDT"
    assert post(SUBMIT, body, signed(body)).status_code == 200


def test_recv_window_of_a_get_is_read_from_the_query_string() -> None:
    from pytest_bitmart._gate import _recv_window

    assert _recv_window(BitMartRequest("GET", f"{WALLET}?recvWindow=5000", {})) == 5000
    assert _recv_window(BitMartRequest("GET", WALLET, {})) is None


def test_a_timestamp_in_seconds_with_a_dot_gets_30008(gate: BitMartMock) -> None:
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, signed(body, timestamp=f"{time.time():.3f}")), 30008)


@pytest.mark.parametrize(("missing", "code"), [("X-BM-KEY", 30001), ("X-BM-SIGN", 30004), ("X-BM-TIMESTAMP", 30006)])
def test_a_missing_header_gets_its_code(gate: BitMartMock, missing: str, code: int) -> None:
    body = compact(ORDER)
    headers = signed(body)
    del headers[missing]
    assert_documented(post(SUBMIT, body, headers), code)


def test_an_unknown_key_gets_30002(gate: BitMartMock) -> None:
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, {**signed(body), "X-BM-KEY": "another-key"}), 30002)


@pytest.mark.parametrize(("state", "code"), [("frozen", 30003), ("expired", 30011)])
def test_a_frozen_or_expired_key_gets_its_code(bitmart_mock: BitMartMock, state: str, code: int) -> None:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO, state=state)
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, signed(body)), code)


def test_an_ip_outside_the_whitelist_gets_30010(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO, ip_allowed=False)
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, signed(body)), 30010)


def test_a_read_only_key_may_query_but_not_trade_or_withdraw(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO, permissions=("read",))
    bitmart_mock.ok({})
    query = compact({"orderId": "1"})
    assert post(QUERY, query, signed(query)).status_code == 200
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, signed(body)), 30012)
    withdrawal = compact({"currency": "USDT-TRC20", "amount": "10", "address": "T"})
    assert_documented(post(WITHDRAW, withdrawal, signed(withdrawal)), 30012)


def test_a_keyed_endpoint_needs_the_key_only(gate: BitMartMock) -> None:
    assert httpx.get(WALLET, headers={"X-BM-KEY": KEY}).status_code == 200
    assert_documented(httpx.get(WALLET), 30001)


def test_an_endpoint_the_table_does_not_list_passes_unchecked(gate: BitMartMock) -> None:
    assert httpx.post(f"{SPOT}/spot/v9/not_documented", content="{}").status_code == 200


def test_a_public_endpoint_is_not_checked(gate: BitMartMock) -> None:
    assert httpx.get(f"{SPOT}/spot/v1/symbols/details").status_code == 200


def test_the_gates_answer_is_recorded_and_byte_identical_to_the_error_rules(gate: BitMartMock) -> None:
    body = compact(ORDER)
    response = post(SUBMIT, body, signed(body, secret="wrong"))
    (call,) = gate.calls
    assert call.code == 30005
    assert call.rule is not None
    assert call.rule.kind == "error"
    assert "X-BM-SIGN" in call.rule.description
    served = answer(error_rule(30005, {}), call.request, trace=response.json()["trace"], used=1)
    assert response.content == served.content
    assert response.headers["X-BM-RateLimit-Mode"] == served.headers["X-BM-RateLimit-Mode"] == "UID"


@pytest.mark.bitmart_error(50020, path="/spot/v2/submit_order")
def test_the_gate_answers_before_an_error_marker_and_passes_good_requests_to_it(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.account(api_key=KEY, secret=SECRET, memo=MEMO)
    body = compact(ORDER)
    assert_documented(post(SUBMIT, body, signed(body, memo="wrong")), 30005)
    assert_documented(post(SUBMIT, body, signed(body)), 50020)
