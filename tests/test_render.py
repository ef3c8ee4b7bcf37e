"""Rendering: the exact status, headers and body bytes BitMart's page documents for each family.

Expected bytes are written by hand from the page's example envelopes; the messages themselves come from
the catalog (checked against the page in test_catalog.py), never retyped.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from decimal import Decimal

import pytest

from pytest_bitmart import (
    FAMILIES,
    BitMartResponse,
    ErrorCode,
    http_failure,
    http_failures,
    lookup,
    render,
    success,
)
from pytest_bitmart._render import MessageArgsError, fill_message, render_http_failure, trace_for

# The trace of the page's funding/spot example envelope.
TRACE = "886fb6ae-456b-4654-b4e0-d681ac05cea1"
T = TRACE.encode()


def message_bytes(code: int, *, family: str = "spot") -> bytes:
    return lookup(code, family=family).message.encode("utf-8")  # type: ignore[arg-type]


# --- bodies: one code of each family, byte for byte -------------------------------------------------


def test_auth_body_orders_code_message_trace_data() -> None:
    response = render(lookup(30013), trace=TRACE)
    assert (
        response.content == b'{"code":30013,"message":"' + message_bytes(30013) + b'","trace":"' + T + b'","data":{}}'
    )


def test_funding_body_orders_code_trace_message_data() -> None:
    response = render(lookup(60008), trace=TRACE)
    assert (
        response.content == b'{"code":60008,"trace":"' + T + b'","message":"' + message_bytes(60008) + b'","data":{}}'
    )


def test_spot_body_orders_code_trace_message_data() -> None:
    response = render(lookup(50020), trace=TRACE)
    assert (
        response.content == b'{"code":50020,"trace":"' + T + b'","message":"' + message_bytes(50020) + b'","data":{}}'
    )


def test_contract_error_body_has_no_data_key() -> None:
    response = render(lookup(40001), trace=TRACE)
    assert response.content == b'{"code":40001,"message":"' + message_bytes(40001) + b'","trace":"' + T + b'"}'


def test_contract_body_keeps_typographic_apostrophes_as_raw_utf8() -> None:
    response = render(lookup(40025), trace=TRACE)
    assert response.content == b'{"code":40025,"message":"' + message_bytes(40025) + b'","trace":"' + T + b'"}'
    assert response.content.count(b"\xe2\x80\x99") == 2  # U+2019 in UTF-8
    assert b"\\u2019" not in response.content


def test_contract_body_escapes_the_stray_quotes_of_40013() -> None:
    escaped = lookup(40013).message.replace('"', '\\"').encode()
    response = render(lookup(40013), trace=TRACE)
    assert response.content == b'{"code":40013,"message":"' + escaped + b'","trace":"' + T + b'"}'


def test_status_is_the_documented_one() -> None:
    assert render(lookup(30013), trace=TRACE).status == 429
    assert render(lookup(60021), trace=TRACE).status == 403
    assert render(lookup(50020), trace=TRACE).status == 400
    assert render(lookup(40012), trace=TRACE).status == 500


def test_response_code_names_the_rendered_code() -> None:
    assert render(lookup(50020), trace=TRACE).code == 50020


def test_message_override_replaces_only_the_message() -> None:
    response = render(lookup(50020), trace=TRACE, message="custom")
    assert response.content == b'{"code":50020,"trace":"' + T + b'","message":"custom","data":{}}'


def test_content_follows_payload_edits() -> None:
    """A hook edits ``payload`` in place; the bytes served are re-encoded from it."""
    response = render(lookup(50020), trace=TRACE)
    assert response.payload is not None
    response.payload["data"] = {"hint": "x"}
    del response.payload["trace"]
    assert response.content == b'{"code":50020,"message":"' + message_bytes(50020) + b'","data":{"hint":"x"}}'


# --- 1000 OK envelopes --------------------------------------------------------------------------------


def test_ok_envelopes_per_family() -> None:
    ok = success("spot").message.encode()
    data = {"balance": "1.5", "ids": [1, 2]}
    d = b'{"balance":"1.5","ids":[1,2]}'
    bodies = {family: render(success(family), trace=TRACE, data=data).content for family in FAMILIES}
    assert bodies == {
        "auth": b'{"code":1000,"message":"' + ok + b'","trace":"' + T + b'","data":' + d + b"}",
        "funding": b'{"code":1000,"trace":"' + T + b'","message":"' + ok + b'","data":' + d + b"}",
        "spot": b'{"code":1000,"trace":"' + T + b'","message":"' + ok + b'","data":' + d + b"}",
        # Contract errors have no data key, but an OK without data would be useless: it goes last.
        "contract": b'{"code":1000,"message":"' + ok + b'","trace":"' + T + b'","data":' + d + b"}",
        "spot-public": b'{"code":1000,"trace":"' + T + b'","message":"' + ok + b'","data":' + d + b"}",
    }
    assert {render(success(family), trace=TRACE).status for family in FAMILIES} == {200}


def test_ok_without_data_has_an_empty_object() -> None:
    assert render(success("spot"), trace=TRACE).content.endswith(b',"data":{}}')


def test_ok_data_keeps_non_ascii_as_utf8() -> None:
    content = render(success("spot"), trace=TRACE, data={"name": "比特"}).content
    assert content.endswith(b'"data":{"name":"' + "比特".encode() + b'"}}')


# --- headers ------------------------------------------------------------------------------------------


def test_headers_of_an_error() -> None:
    response = render(lookup(50020), trace=TRACE, used=5)
    assert response.headers == {
        "Content-Type": "application/json",
        "X-BM-RateLimit-Remaining": "5",
        "X-BM-RateLimit-Limit": "600",
        "X-BM-RateLimit-Reset": "60",
        "X-BM-RateLimit-Mode": "IP",
    }


def test_headers_mode_uid() -> None:
    assert render(lookup(50020), trace=TRACE, mode="UID").headers["X-BM-RateLimit-Mode"] == "UID"


def test_rate_limited_30013_reports_more_used_than_the_limit() -> None:
    headers = render(lookup(30013), trace=TRACE, used=1).headers
    assert int(headers["X-BM-RateLimit-Remaining"]) > int(headers["X-BM-RateLimit-Limit"])
    assert headers["X-BM-RateLimit-Remaining"] == "601"


@pytest.mark.parametrize(("used", "reported"), [(0, "1"), (1, "1"), (600, "600"), (10_000, "600")])
def test_used_count_stays_within_the_window_for_other_codes(used: int, reported: str) -> None:
    assert render(lookup(50020), trace=TRACE, used=used).headers["X-BM-RateLimit-Remaining"] == reported


def test_extra_headers_add_and_override() -> None:
    headers = render(lookup(50020), trace=TRACE, headers={"Retry-After": "1", "X-BM-RateLimit-Mode": "UID"}).headers
    assert headers["Retry-After"] == "1"
    assert headers["X-BM-RateLimit-Mode"] == "UID"
    assert headers["Content-Type"] == "application/json"


# --- trace ids ----------------------------------------------------------------------------------------

_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_trace_is_deterministic_per_seed_and_index() -> None:
    seed = "tests/test_orders.py::test_retry"
    assert trace_for(seed, 0) == trace_for(seed, 0)
    assert trace_for(seed, 0) != trace_for(seed, 1)
    assert trace_for(seed, 0) != trace_for(seed + "x", 0)
    assert len({trace_for(seed, index) for index in range(1000)}) == 1000


def test_trace_has_uuid_form() -> None:
    for index in range(50):
        assert _UUID4.match(trace_for("seed", index))


def test_trace_is_the_version_4_uuid_of_the_seeds_digest() -> None:
    # The traces of 0.1.0, formatted by the uuid module; every variant nibble (8, 9, a, b) comes up.
    for index in range(500):
        digest = hashlib.sha1(f"seed#{index}".encode(), usedforsecurity=False).digest()
        assert trace_for("seed", index) == str(uuid.UUID(bytes=digest[:16], version=4))


# --- message_args -------------------------------------------------------------------------------------


def test_message_args_fill_the_placeholder() -> None:
    entry = lookup(50006)
    assert fill_message(entry, ["0.01"]) == entry.message.replace("%s", "0.01")
    assert fill_message(lookup(50016), [100]) == lookup(50016).message.replace("%d", "100")
    assert fill_message(lookup(50021), [Decimal("0.5")]) == lookup(50021).message.replace("%s", "0.5")


def test_message_args_fill_in_order() -> None:
    entry = ErrorCode(99999, "from %s to %d", 400, "spot")  # not a BitMart code: two placeholders in order
    assert fill_message(entry, ["a", 2]) == "from a to 2"


def test_no_message_args_keeps_the_placeholder_verbatim() -> None:
    assert fill_message(lookup(50006), None) == lookup(50006).message
    assert "%s" in fill_message(lookup(50006), None)


def test_filled_message_is_rendered() -> None:
    message = fill_message(lookup(60006), [8])
    content = render(lookup(60006), trace=TRACE, message=message).content
    assert (
        content
        == b'{"code":60006,"trace":"'
        + T
        + b'","message":"'
        + message_bytes(60006).replace(b"%d", b"8")
        + b'","data":{}}'
    )


@pytest.mark.parametrize(("code", "args"), [(50006, []), (50006, ["1", "2"]), (50020, ["x"])])
def test_wrong_number_of_message_args(code: int, args: list[object]) -> None:
    with pytest.raises(
        MessageArgsError,
        match=rf"^code {code} \(.*\) has \d placeholder\(s\) but message_args has {len(args)} value\(s\)$",
    ):
        fill_message(lookup(code), args)


@pytest.mark.parametrize("value", ["100", 1.5, True, False, None], ids=repr)
def test_percent_d_needs_a_real_int(value: object) -> None:
    with pytest.raises(MessageArgsError, match=r"^code 50016 \(.*\) needs an integer for %d, got "):
        fill_message(lookup(50016), [value])


def test_message_args_error_is_a_value_error() -> None:
    assert issubclass(MessageArgsError, ValueError)


# --- global HTTP failures -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 403, 401, 500])
def test_http_failure_is_a_bare_status_with_its_description(status: int) -> None:
    failure = http_failure(status)
    response = render_http_failure(failure)
    assert isinstance(response, BitMartResponse)
    assert response.status == status
    assert response.payload is None
    assert response.content == failure.description.encode()
    assert response.headers == {"Content-Type": "text/plain; charset=utf-8"}


def test_http_failure_extra_headers() -> None:
    response = render_http_failure(http_failures()[0], headers={"Server": "nginx"})
    assert response.headers == {"Content-Type": "text/plain; charset=utf-8", "Server": "nginx"}
