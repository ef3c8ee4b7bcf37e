"""Rules: which BitMart requests get which answer, built from marker or fixture options and validated once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._catalog import (
    ErrorCode,
    Family,
    HttpFailure,
    UnknownCodeError,
    http_failure,
    lookup,
    success,
)
from ._faults import Fault, UnknownFaultError
from ._faults import fault as lookup_fault
from ._options import DATA, ERROR, FAULT, HTTP_ERROR, OK, Kind, OptionError, is_int
from ._render import BitMartResponse, MessageArgsError, fill_message, render, render_fault, render_http_failure
from ._request import BitMartRequest

__all__ = [
    "InvalidRuleError",
    "Rule",
    "answer",
    "error_rule",
    "fault_rule",
    "http_error_rule",
    "matches",
    "ok_rule",
]

RuleKind = Literal["error", "ok", "http_error", "fault"]

# Longest option value a rule listing shows in full: an ok() payload is summarised, not printed.
_SHOWN = 60


class InvalidRuleError(ValueError):
    """Raised for a rule the plugin cannot honour: an unknown option, a bad value, an undocumented code."""


InvalidRuleError.__module__ = "pytest_bitmart"  # failures name the class users import


@dataclass(slots=True, eq=False)
class Rule:
    """One armed answer: what it matches, what it serves, how often it has served."""

    kind: RuleKind
    description: str
    entry: ErrorCode | HttpFailure | Fault | None = None
    family: Family | None = None
    method: str | None = None
    path: str | re.Pattern[str] | None = None
    host: str | None = None
    times: int | None = None
    message: str | None = None
    trace: str | None = None
    headers: Mapping[str, str] | None = None
    data: Any = None
    http_status: int | None = None
    delay: float = 0.0
    served: int = field(default=0)

    @property
    def used_up(self) -> bool:
        """Whether ``times`` answers have been served already."""
        return self.times is not None and self.served >= self.times


def matches(rule: Rule, request: BitMartRequest) -> bool:
    """Whether ``rule``'s filters accept ``request`` (ignoring whether it is used up)."""
    if rule.method is not None and request.method != rule.method:
        return False
    if rule.host is not None and request.host != rule.host:
        return False
    if rule.path is None:
        return True
    if isinstance(rule.path, str):
        return request.path == rule.path
    return rule.path.search(request.path) is not None


def answer(rule: Rule, request: BitMartRequest, *, trace: str, used: int) -> BitMartResponse:
    """Render ``rule``'s answer to ``request``."""
    response = _rendered(rule, request, trace=trace, used=used)
    if rule.http_status is not None:
        response.status = rule.http_status
    response.delay = rule.delay
    return response


def _rendered(rule: Rule, request: BitMartRequest, *, trace: str, used: int) -> BitMartResponse:
    mode = "UID" if request.header("X-BM-KEY") else "IP"
    if isinstance(rule.entry, Fault):
        return render_fault(rule.entry, trace=rule.trace or trace, used=used, mode=mode)
    if isinstance(rule.entry, HttpFailure):
        return render_http_failure(rule.entry, headers=rule.headers)
    entry = rule.entry if rule.entry is not None else success(rule.family or _family_of(request))
    return render(
        entry,
        trace=rule.trace or trace,
        message=rule.message,
        data=rule.data,
        used=used,
        mode=mode,
        headers=rule.headers,
    )


def error_rule(code: object, options: Mapping[str, Any], *, origin: str = "bitmart_error") -> Rule:
    """Build a rule answering with documented error ``code``; raises :class:`InvalidRuleError`."""
    values = _checked(ERROR, options, origin)
    entry = _variant(_entry_for(code), values.pop("variant"))
    try:
        message = fill_message(entry, values.pop("message_args"))
    except MessageArgsError as error:
        raise InvalidRuleError(f"{error}; pass one value per placeholder, e.g. message_args=(...)") from None
    return _armed(
        Rule(
            "error",
            _describe(origin, (code,), options),
            entry=entry,
            message=None if message == entry.message else message,
            **values,
        )
    )


def ok_rule(options: Mapping[str, Any], *, origin: str = "ok") -> Rule:
    """Build a rule answering with the family's documented ``1000 OK`` envelope."""
    data = options.get("data")
    values = _checked(OK, {name: value for name, value in options.items() if name != "data"}, origin)
    try:
        DATA.check(data)
    except OptionError as error:
        raise InvalidRuleError(str(error)) from None
    return _armed(Rule("ok", _describe(origin, (), options), data=data, **values))


def http_error_rule(status: object, options: Mapping[str, Any], *, origin: str = "bitmart_http_error") -> Rule:
    """Build a rule answering with one of the page's global HTTP return codes (404, 403, 401, 500)."""
    values = _checked(HTTP_ERROR, options, origin)
    if not is_int(status):
        raise InvalidRuleError(f"the HTTP status must be an int, got {status!r}")
    try:
        failure = http_failure(status)
    except UnknownCodeError as error:
        raise InvalidRuleError(str(error)) from None
    return _armed(Rule("http_error", _describe(origin, (status,), options), entry=failure, **values))


def _checked(kind: Kind, options: Mapping[str, Any], origin: str) -> dict[str, Any]:
    try:
        values = kind.check(options, origin)
    except OptionError as error:
        raise InvalidRuleError(str(error)) from None
    if "delay" in values and values["delay"] is None:
        values["delay"] = 0.0  # no delay given: the answer is served at once
    return values


def _armed(rule: Rule) -> Rule:
    """``rule``, once an answer has been rendered from it: whatever it would serve is checked now."""
    probe = BitMartRequest("GET", f"https://{rule.host or 'api-cloud.bitmart.com'}/")
    try:
        answer(rule, probe, trace="-", used=1).content  # noqa: B018 - rendering is the check
    except ValueError as error:  # pragma: no cover - every value was checked above; kept as the last word
        raise InvalidRuleError(f"{rule.description} cannot be served: {error}") from None
    return rule


def fault_rule(name: object, options: Mapping[str, Any], *, origin: str = "bitmart_fault") -> Rule:
    """Build a rule answering with catalog fault ``name`` (see ``pytest_bitmart.faults()``)."""
    values = _checked(FAULT, options, origin)
    if not isinstance(name, str):
        raise InvalidRuleError(f"the fault must be named by a string such as 'read-timeout', got {name!r}")
    try:
        entry = lookup_fault(name)
    except UnknownFaultError as error:
        raise InvalidRuleError(str(error)) from None
    return _armed(Rule("fault", _describe(origin, (name,), options), entry=entry, **values))


def _entry_for(code: object) -> ErrorCode:
    if not is_int(code):
        hint = f"; write {int(code)} without quotes" if isinstance(code, str) and code.strip().isdigit() else ""
        raise InvalidRuleError(f"the BitMart code must be an int, got {code!r}{hint}")
    try:
        entry = lookup(code)
    except UnknownCodeError as error:
        raise InvalidRuleError(str(error)) from None
    if entry.is_success:
        raise InvalidRuleError("1000 is BitMart's success code, not an error: use bitmart_mock.ok() to answer OK")
    return entry


def _variant(entry: ErrorCode, variant: str | None) -> ErrorCode:
    """The documented variant of ``entry`` a rule names (a status or message the API docs give instead)."""
    if variant is None:
        return entry
    try:
        return lookup(entry.code, variant=variant)
    except UnknownCodeError as error:
        raise InvalidRuleError(str(error)) from None


def _describe(origin: str, args: tuple[object, ...], options: Mapping[str, Any]) -> str:
    words = [repr(arg) for arg in args]
    words += [f"{name}={_show(value)}" for name, value in options.items() if value is not None]
    return f"{origin}({', '.join(words)})"


def _show(value: object) -> str:
    shown = f"re.compile({value.pattern!r})" if isinstance(value, re.Pattern) else repr(value)
    return shown if len(shown) <= _SHOWN else f"{shown[: _SHOWN - 5]}...{shown[-1]} ({len(shown)} characters)"


def _family_of(request: BitMartRequest) -> Family:
    """Which documented envelope a success on this endpoint uses."""
    if request.path.startswith("/contract/") or "-v2." in request.host:
        return "contract"
    if request.path.startswith("/account/"):
        return "funding"
    return "spot"
