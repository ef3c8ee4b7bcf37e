"""One definition per rule kind: the methods' signatures, the marker help and the reference page follow it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import httpx
import pytest
import requests

from pytest_bitmart import BitMartMock, BitMartRequest, UnmatchedRequestError
from pytest_bitmart._options import (
    CODES,
    ERROR,
    FAULT,
    FAULTS,
    HTTP_ERROR,
    KINDS,
    Kind,
    did_you_mean,
    is_int,
    reference_rows,
)

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "pytest.md"
WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"
SIGNED = {"X-BM-KEY": "raw-key-value", "X-BM-SIGN": "raw-sign-value", "X-BM-TIMESTAMP": "1700000000000"}


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_method_signature_is_its_kinds_definition(kind: Kind) -> None:
    assert kind.method is not None
    parameters = list(inspect.signature(getattr(BitMartMock, kind.method)).parameters.values())[1:]
    first, options = parameters[0], parameters[1:]
    assert first.name == kind.first
    assert first.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert [option.name for option in options] == list(kind.names)
    assert all(option.kind is inspect.Parameter.KEYWORD_ONLY and option.default is None for option in options)


@pytest.mark.parametrize("kind", [ERROR, HTTP_ERROR, FAULT, CODES, FAULTS], ids=lambda kind: kind.name)
def test_the_reference_page_shows_each_markers_definition(kind: Kind) -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert kind.marker is not None
    assert reference_rows(kind) in page
    blocks = re.findall(r"``` \{ \.text \.no-copy \}\n(@pytest\.mark\..*?)\n```", page, re.DOTALL)
    # The page splits a signature over lines, with a trailing comma: compare it as one line.
    shown = {" ".join(block.split()).replace("( ", "(").replace(", )", ")") for block in blocks}
    assert f"@pytest.mark.{kind.signature(kind.marker)}" in shown


def test_marker_help_is_the_definitions(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            f"@pytest.mark.{kind.signature(kind.marker)}: {kind.summary}"
            for kind in (ERROR, HTTP_ERROR, FAULT, CODES, FAULTS)
            if kind.marker
        ]
    )


@pytest.mark.parametrize(
    ("value", "expected"), [(1, True), (0, True), (True, False), (False, False), (1.0, False), ("1", False)]
)
def test_int_but_not_bool(value: object, expected: bool) -> None:
    assert is_int(value) is expected


def test_did_you_mean_names_the_closest_choice_or_nothing() -> None:
    assert did_you_mean("pth", ("method", "path")) == " (did you mean 'path'?)"
    assert did_you_mean("zzz", ("method", "path")) == ""


# The request a test inspects --------------------------------------------------------------------------


def test_request_repr_masks_the_key_and_signature_but_headers_keep_them() -> None:
    request = BitMartRequest("POST", WALLET, SIGNED, b'{"a":1}')
    assert repr(request) == (
        "BitMartRequest(method='POST', url='https://api-cloud.bitmart.com/spot/v1/wallet', "
        "headers={'X-BM-KEY': '***', 'X-BM-SIGN': '***', 'X-BM-TIMESTAMP': '1700000000000'}, "
        "content=b'{\"a\":1}')"
    )
    assert request.headers["X-BM-KEY"] == "raw-key-value"
    assert request.header("x-bm-sign") == "raw-sign-value"
    assert request.headers == SIGNED
    assert request.json() == {"a": 1}


def test_request_json_of_an_empty_body_says_so() -> None:
    with pytest.raises(ValueError, match=r"^GET https://api-cloud\.bitmart\.com/spot/v1/wallet has no body$"):
        BitMartRequest("GET", WALLET).json()


def test_get_calls_and_counts_take_patterns_and_a_host(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok()
    requests.get(WALLET, timeout=10)
    httpx.get("https://api-cloud-v2.bitmart.com/contract/public/details")
    assert [call.request.path for call in bitmart_mock.get_calls(path=re.compile("^/spot/"))] == ["/spot/v1/wallet"]
    assert len(bitmart_mock.get_calls(host="API-Cloud-V2.bitmart.com")) == 1
    bitmart_mock.assert_call_count(1, path=re.compile("^/spot/"))
    bitmart_mock.assert_call_count(1, method="get", host="api-cloud.bitmart.com", path="/spot/v1/wallet")
    with pytest.raises(
        AssertionError, match=r"^expected 0 BitMart call\(s\) with path=re.compile\('\^/spot/'\), got 1"
    ):
        bitmart_mock.assert_call_count(0, path=re.compile("^/spot/"))


def test_a_near_miss_path_gets_a_hint() -> None:
    mock = BitMartMock()
    mock.error(40012, path="/contract/private/submit-order")
    url = "https://api-cloud-v2.bitmart.com/contract/private/submit_order"
    with pytest.raises(UnmatchedRequestError) as raised:
        mock._respond(BitMartRequest("POST", url))
    assert str(raised.value).splitlines() == [
        f"pytest-bitmart: no rule answers POST {url}; it was not sent to BitMart.",
        "Rules armed for this test:",
        "  1. bitmart_mock.error(40012, path='/contract/private/submit-order'): answered 0 (unlimited)",
        (
            "  hint: POST /contract/private/submit_order missed bitmart_mock.error(40012, "
            "path='/contract/private/submit-order') by a little (only '-' and '_' differ: BitMart uses both)"
        ),
    ]


def test_a_long_ok_payload_is_summarised_in_listings() -> None:
    data = {"symbols": ["BTC_USDT"] * 100}
    rule = BitMartMock().ok(data)
    assert rule.description == (
        "bitmart_mock.ok(data={'symbols': ['BTC_USDT', 'BTC_USDT', 'BTC_USDT', 'BTC_U...} "
        f"({len(repr(data))} characters))"
    )


def test_a_one_letter_typo_in_a_path_gets_a_hint_and_a_far_path_none() -> None:
    mock = BitMartMock()
    mock.error(50020, path="/spot/v1/wallet")
    for url in (f"{WALLET[:-1]}", "https://api-cloud.bitmart.com/contract/private/assets-detail"):
        with pytest.raises(UnmatchedRequestError):
            mock._respond(BitMartRequest("GET", url))
    hints = [line for line in mock.describe_rules().splitlines() if line.startswith("  hint:")]
    assert hints == [
        "  hint: GET /spot/v1/walle missed bitmart_mock.error(50020, path='/spot/v1/wallet') by a little (a near miss)"
    ]


def test_a_bytes_secret_is_text_and_masked_too() -> None:
    request = BitMartRequest("GET", WALLET, {"X-BM-KEY": b"raw-key-value"})  # type: ignore[dict-item]
    assert request.headers["X-BM-KEY"] == "raw-key-value"
    assert repr(request.headers) == "{'X-BM-KEY': '***'}"
    assert repr(request.headers["X-BM-KEY"]) == "'***'"
