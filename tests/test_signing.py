"""The signature BitMart's gate recomputes is the one the official SDK and ccxt send."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_bitmart._signing import payloads, presign, signature, verify

SECRET = "the-secret"
MEMO = "the-memo"


def test_presign_string_is_timestamp_memo_payload() -> None:
    cloud_utils = pytest.importorskip("bitmart.lib.cloud_utils")
    assert presign("1589267764859", MEMO, '{"a":1}') == cloud_utils.pre_substring("1589267764859", MEMO, '{"a":1}')


@pytest.mark.parametrize("payload", ["", '{"symbol": "BTC_USDT", "size": "1"}', "symbol=BTC_USDT&limit=5", "ünï"])
def test_signature_equals_the_official_sdks(payload: str) -> None:
    cloud_utils = pytest.importorskip("bitmart.lib.cloud_utils")
    expected = cloud_utils.sign(cloud_utils.pre_substring("1700000000000", MEMO, payload), SECRET)
    assert signature(SECRET, "1700000000000", MEMO, payload) == expected


def _ccxt_request(method: str, path: str, params: dict[str, object]) -> dict[str, object]:
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt.bitmart({"apiKey": "the-key", "secret": SECRET, "uid": MEMO})
    request: dict[str, object] = exchange.sign(path, "private", method, params)
    return request


def test_ccxt_post_signature_is_recomputed_from_its_body() -> None:
    request = _ccxt_request("POST", "spot/v2/submit_order", {"symbol": "BTC_USDT", "side": "buy", "size": "1"})
    headers = request["headers"]
    assert isinstance(headers, dict)
    body = str(request["body"])
    assert payloads("POST", str(request["url"]), body.encode()) == (body,)
    assert signature(SECRET, headers["X-BM-TIMESTAMP"], MEMO, body) == headers["X-BM-SIGN"]


def test_ccxt_get_signature_is_recomputed_from_its_query_string() -> None:
    request = _ccxt_request("GET", "contract/private/order", {"symbol": "BTCUSDT", "order_id": "42"})
    headers = request["headers"]
    assert isinstance(headers, dict)
    candidates = payloads("GET", str(request["url"]), b"")
    assert candidates == ("symbol=BTCUSDT&order_id=42", "")
    assert verify(
        headers["X-BM-SIGN"], secret=SECRET, timestamp=headers["X-BM-TIMESTAMP"], memo=MEMO, candidates=candidates
    )


def test_get_payloads_are_the_query_as_sent_or_empty() -> None:
    url = "https://api-cloud.bitmart.com/spot/v1/wallet?b=2&a=1"
    assert payloads("GET", url, b"") == ("b=2&a=1", "")
    assert payloads("DELETE", "https://api-cloud.bitmart.com/x", b"") == ("",)


def test_post_payload_is_the_body_as_sent_not_reserialized() -> None:
    assert payloads("POST", "https://api-cloud.bitmart.com/x", b'{"a": 1}') == ('{"a": 1}',)


@given(st.text(), st.text(), st.text(), st.text())
def test_a_signature_verifies_only_with_its_own_memo(secret: str, timestamp: str, memo: str, payload: str) -> None:
    sign = signature(secret, timestamp, memo, payload)
    assert verify(sign, secret=secret, timestamp=timestamp, memo=memo, candidates=(payload,))
    assert not verify(sign, secret=secret, timestamp=timestamp, memo=memo + "x", candidates=(payload,))
