"""Rules: which BitMart requests get which answer, built from marker or fixture options and validated once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from ._catalog import (
    FAMILIES,
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
from ._render import BitMartResponse, MessageArgsError, fill_message, render, render_fault, render_http_failure

__all__ = [
    "ERROR_OPTIONS",
    "FAULT_OPTIONS",
    "HTTP_ERROR_OPTIONS",
    "OK_OPTIONS",
    "BitMartRequest",
    "InvalidRuleError",
    "Rule",
    "error_rule",
    "fault_rule",
    "http_error_rule",
    "ok_rule",
]

RuleKind = Literal["error", "ok", "http_error", "fault"]

_FILTERS = ("method", "path", "host", "times")
ERROR_OPTIONS = (*_FILTERS, "message_args", "trace", "headers", "variant", "http_status", "delay")
OK_OPTIONS = ("data", *_FILTERS, "family", "trace", "headers", "delay")
HTTP_ERROR_OPTIONS = (*_FILTERS, "headers", "delay")
FAULT_OPTIONS = (*_FILTERS, "delay")

_METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
# Characters that never appear in a BitMart path but always in a pattern: a sign the user meant a regex.
_REGEX_HINTS = frozenset("^$*+?()[]{}|\\")


class InvalidRuleError(ValueError):
    """Raised for a rule the plugin cannot honour: an unknown option, a bad value, an undocumented code."""


@dataclass(frozen=True, slots=True)
class BitMartRequest:
    """A request a client sent to a BitMart host, as the plugin saw it."""

    method: str
    url: str
    headers: Mapping[str, str]
    content: bytes = b""
    host: str = field(init=False)
    """The host name, lower-case, without port."""
    path: str = field(init=False)
    """The URL path, without the query string."""

    def __post_init__(self) -> None:
        # Parsed once here: every armed rule compares against them.
        parts = urlsplit(self.url)
        object.__setattr__(self, "host", (parts.hostname or "").lower())
        object.__setattr__(self, "path", parts.path or "/")

    def header(self, name: str) -> str | None:
        """The value of header ``name``, looked up case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


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

    def matches(self, request: BitMartRequest) -> bool:
        """Whether this rule's filters accept ``request`` (ignoring whether it is used up)."""
        if self.method is not None and request.method != self.method:
            return False
        if self.host is not None and request.host != self.host:
            return False
        if self.path is None:
            return True
        if isinstance(self.path, str):
            return request.path == self.path
        return self.path.search(request.path) is not None

    def respond(self, request: BitMartRequest, *, trace: str, used: int) -> BitMartResponse:
        """Render this rule's answer to ``request``."""
        response = self._render(request, trace=trace, used=used)
        if self.http_status is not None:
            response.status = self.http_status
        response.delay = self.delay
        return response

    def _render(self, request: BitMartRequest, *, trace: str, used: int) -> BitMartResponse:
        mode = "UID" if request.header("X-BM-KEY") else "IP"
        if isinstance(self.entry, Fault):
            return render_fault(self.entry, trace=self.trace or trace, used=used, mode=mode)
        if isinstance(self.entry, HttpFailure):
            return render_http_failure(self.entry, headers=self.headers)
        entry = self.entry if self.entry is not None else success(self.family or _family_of(request))
        return render(
            entry,
            trace=self.trace or trace,
            message=self.message,
            data=self.data,
            used=used,
            mode=mode,
            headers=self.headers,
        )


def error_rule(code: object, options: Mapping[str, Any], *, origin: str = "bitmart_error") -> Rule:
    """Build a rule answering with documented error ``code``; raises :class:`InvalidRuleError`."""
    _check_names(options, ERROR_OPTIONS, origin)
    entry = _variant(_entry_for(code), options.get("variant"))
    try:
        message = fill_message(entry, _sequence_or_none(options.get("message_args"), "message_args"))
    except MessageArgsError as error:
        raise InvalidRuleError(f"{error}; pass one value per placeholder, e.g. message_args=(...)") from None
    trace = options.get("trace")
    if trace is not None and not isinstance(trace, str):
        raise InvalidRuleError(f"trace must be a string, got {trace!r}")
    return Rule(
        "error",
        _describe(origin, (code,), options),
        entry=entry,
        message=None if message == entry.message else message,
        trace=trace,
        headers=_headers(options.get("headers")),
        http_status=_http_status(options.get("http_status")),
        **_filters(options),
    )


def ok_rule(options: Mapping[str, Any], *, origin: str = "ok") -> Rule:
    """Build a rule answering with the family's documented ``1000 OK`` envelope."""
    _check_names(options, OK_OPTIONS, origin)
    family = options.get("family")
    if family is not None and family not in FAMILIES:
        raise InvalidRuleError(f"unknown family {family!r}{_did_you_mean(str(family), FAMILIES)}")
    trace = options.get("trace")
    if trace is not None and not isinstance(trace, str):
        raise InvalidRuleError(f"trace must be a string, got {trace!r}")
    return Rule(
        "ok",
        _describe(origin, (), options),
        family=family,
        trace=trace,
        data=options.get("data"),
        headers=_headers(options.get("headers")),
        **_filters(options),
    )


def http_error_rule(status: object, options: Mapping[str, Any], *, origin: str = "bitmart_http_error") -> Rule:
    """Build a rule answering with one of the page's global HTTP return codes (404, 403, 401, 500)."""
    _check_names(options, HTTP_ERROR_OPTIONS, origin)
    if not isinstance(status, int) or isinstance(status, bool):
        raise InvalidRuleError(f"the HTTP status must be an int, got {status!r}")
    try:
        failure = http_failure(status)
    except UnknownCodeError as error:
        raise InvalidRuleError(str(error)) from None
    return Rule(
        "http_error",
        _describe(origin, (status,), options),
        entry=failure,
        headers=_headers(options.get("headers")),
        **_filters(options),
    )


def fault_rule(name: object, options: Mapping[str, Any], *, origin: str = "bitmart_fault") -> Rule:
    """Build a rule answering with catalog fault ``name`` (see ``pytest_bitmart.faults()``)."""
    _check_names(options, FAULT_OPTIONS, origin)
    if not isinstance(name, str):
        raise InvalidRuleError(f"the fault must be named by a string such as 'read-timeout', got {name!r}")
    try:
        entry = lookup_fault(name)
    except UnknownFaultError as error:
        raise InvalidRuleError(str(error)) from None
    return Rule("fault", _describe(origin, (name,), options), entry=entry, **_filters(options))


def _http_status(status: object) -> int | None:
    if status is not None and (not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599):
        raise InvalidRuleError(f"http_status must be an HTTP status between 100 and 599, got {status!r}")
    return status


def _delay(delay: object) -> float:
    if delay is None:
        return 0.0
    if not isinstance(delay, (int, float)) or isinstance(delay, bool) or not 0 <= delay < float("inf"):
        raise InvalidRuleError(f"delay must be a number of seconds, 0 or more, got {delay!r}")
    return float(delay)


def _entry_for(code: object) -> ErrorCode:
    if not isinstance(code, int) or isinstance(code, bool):
        hint = f"; write {int(code)} without quotes" if isinstance(code, str) and code.strip().isdigit() else ""
        raise InvalidRuleError(f"the BitMart code must be an int, got {code!r}{hint}")
    try:
        entry = lookup(code)
    except UnknownCodeError as error:
        raise InvalidRuleError(str(error)) from None
    if entry.is_success:
        raise InvalidRuleError("1000 is BitMart's success code, not an error: use bitmart_mock.ok() to answer OK")
    return entry


def _variant(entry: ErrorCode, variant: object) -> ErrorCode:
    """The documented variant of ``entry`` a rule names (a status or message the API docs give instead)."""
    if variant is None:
        return entry
    if not isinstance(variant, str):
        raise InvalidRuleError(f"variant must be a variant's name such as 'futures-docs', got {variant!r}")
    try:
        return lookup(entry.code, variant=variant)
    except UnknownCodeError as error:
        raise InvalidRuleError(str(error)) from None


def _check_names(options: Mapping[str, Any], allowed: Sequence[str], origin: str) -> None:
    for name in options:
        if name not in allowed:
            raise InvalidRuleError(
                f"{origin}() got an unknown option {name!r}{_did_you_mean(name, allowed)}; "
                f"it takes {', '.join(allowed)}"
            )


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _filters(options: Mapping[str, Any]) -> dict[str, Any]:
    method = options.get("method")
    if method is not None:
        if not isinstance(method, str) or method.upper() not in _METHODS:
            raise InvalidRuleError(f"method must be one of {', '.join(sorted(_METHODS))}, got {method!r}")
        method = method.upper()
    host = options.get("host")
    if host is not None:
        if not isinstance(host, str) or not host or "/" in host:
            raise InvalidRuleError(f"host must be a bare host name such as 'api-cloud.bitmart.com', got {host!r}")
        host = host.lower()
    times = options.get("times")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise InvalidRuleError(f"times must be a whole number of at least 1 (or None for every request), got {times!r}")
    filters = {"method": method, "host": host, "times": times, "path": _path(options.get("path"))}
    return {**filters, "delay": _delay(options.get("delay"))}


def _path(path: object) -> str | re.Pattern[str] | None:
    if path is None or isinstance(path, re.Pattern):
        return path
    if not isinstance(path, str):
        raise InvalidRuleError(f"path must be a string or a compiled regular expression, got {path!r}")
    bare, _, query = path.partition("?")
    # "/spot/v1/wallet?currency=BTC" is a URL with a query, not a pattern: say that, not "use re.compile".
    if "=" in query and not _REGEX_HINTS.intersection(bare):
        raise InvalidRuleError(
            f"path {path!r} has a query string, but rules match the URL path only (the query is ignored); "
            f"write path={bare!r}"
        )
    if _REGEX_HINTS.intersection(path):
        try:
            re.compile(path)
        except re.error as error:
            raise InvalidRuleError(
                f"path {path!r} is neither a URL path nor a valid regular expression ({error}); "
                "pass the exact path, such as '/spot/v1/wallet', or a pattern with re.compile(...)"
            ) from None
        raise InvalidRuleError(
            f"path {path!r} looks like a regular expression but a string path matches exactly; "
            f"pass re.compile({path!r}) to match a pattern"
        )
    if not path.startswith("/"):
        raise InvalidRuleError(f"path must start with '/' (the URL path, without host or query), got {path!r}")
    return path


def _headers(headers: object) -> dict[str, str] | None:
    if headers is None:
        return None
    if not isinstance(headers, Mapping) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in headers.items()
    ):
        raise InvalidRuleError(f"headers must be a mapping of str to str, got {headers!r}")
    return dict(headers)


def _sequence_or_none(value: object, name: str) -> Sequence[object] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidRuleError(f"{name} must be a tuple or list of values, got {value!r}")
    return value


def _describe(origin: str, args: tuple[object, ...], options: Mapping[str, Any]) -> str:
    words = [repr(arg) for arg in args]
    words += [f"{name}={_show(value)}" for name, value in options.items() if value is not None]
    return f"{origin}({', '.join(words)})"


def _show(value: object) -> str:
    return f"re.compile({value.pattern!r})" if isinstance(value, re.Pattern) else repr(value)


def _family_of(request: BitMartRequest) -> Family:
    """Which documented envelope a success on this endpoint uses."""
    if request.path.startswith("/contract/") or "-v2." in request.host:
        return "contract"
    if request.path.startswith("/account/"):
        return "funding"
    return "spot"
