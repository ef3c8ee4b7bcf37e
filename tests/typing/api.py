"""Typed uses of the public API, checked by ``mypy --strict``: a signature change shows up here first.

Never run; only type-checked (the mypy configuration lists this file).
"""

from __future__ import annotations

import re
from typing import Any

import pytest_bitmart
from pytest_bitmart import (
    FAMILIES,
    BitMartMock,
    BitMartRequest,
    BitMartResponse,
    Call,
    ErrorCode,
    Family,
    HttpFailure,
    InvalidRuleError,
    Rule,
    UnknownCodeError,
    UnmatchedRequestError,
    error_codes,
    http_failure,
    http_failures,
    lookup,
    render,
    success,
)


def catalog() -> None:
    entry: ErrorCode = lookup(50020)
    ok_entry: ErrorCode = success("spot")
    family: Family = entry.family
    families: tuple[Family, ...] = FAMILIES
    codes: tuple[ErrorCode, ...] = error_codes(family="contract", http_status=400)
    failures: tuple[HttpFailure, ...] = http_failures()
    failure: HttpFailure = http_failure(500)
    placeholders: tuple[str, ...] = entry.placeholders
    message: str = entry.message
    status: int = failure.http_status
    response: BitMartResponse = render(entry, trace="t", message=None, data=None, used=1, mode="IP", headers={})
    content: bytes = response.content
    del ok_entry, family, families, codes, failures, placeholders, message, status, content


def arming(bitmart_mock: BitMartMock) -> None:
    rule: Rule = bitmart_mock.error(
        50020,
        method="POST",
        path=re.compile(r"^/spot/"),
        host="api-cloud.bitmart.com",
        times=1,
        message_args=("x",),
        trace="trace",
        headers={"X-A": "1"},
    )
    bitmart_mock.ok({"balance": "1"}, method="GET", path="/spot/v1/wallet", family="spot", trace="t", headers={})
    bitmart_mock.ok()
    bitmart_mock.http_error(500, method=None, path=None, host=None, times=None, headers=None)
    same: Rule = bitmart_mock.add(rule)
    used_up: bool = same.used_up
    served: int = same.served
    del used_up, served


def inspecting(bitmart_mock: BitMartMock) -> None:
    calls: tuple[Call, ...] = bitmart_mock.get_calls(code=50020, method="GET", path=re.compile("^/spot/"), host="x")
    bitmart_mock.assert_call_count(1, code=None, method=None, path="/spot/v1/wallet", host=None)
    everything: tuple[Call, ...] = bitmart_mock.calls
    unmatched: tuple[Call, ...] = bitmart_mock.unmatched
    rules: tuple[Rule, ...] = bitmart_mock.rules
    listing: str = bitmart_mock.describe_rules()
    for call in calls:
        request: BitMartRequest = call.request
        key: str | None = request.header("X-BM-KEY")
        raw: str = request.headers["X-BM-SIGN"]
        body: Any = request.json()
        status: int | None = call.status
        code: int | None = call.code
        answer: BitMartResponse | None = call.response
        del key, raw, body, status, code, answer
    del everything, unmatched, rules, listing


def errors() -> None:
    rule_error: type[ValueError] = InvalidRuleError
    unknown: type[LookupError] = UnknownCodeError
    unmatched: type[AssertionError] = UnmatchedRequestError
    version: str = pytest_bitmart.__version__
    del rule_error, unknown, unmatched, version


def hook(request: BitMartRequest, response: BitMartResponse) -> None:
    response.status = 429
    response.headers["X-BM-RateLimit-Remaining"] = "601"
    if response.payload is not None:
        response.payload["message"] = request.path
