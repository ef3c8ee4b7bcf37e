"""BitMart's gate, emulated: each request's credentials checked and its rate limit counted, before any rule.

Off unless a test declares an account (``bitmart_account`` marker, ``bitmart_mock.account(...)``) or
asks for rate limits (``bitmart_rate_limits`` marker, ``bitmart_mock.rate_limits(...)``). Endpoints
come from the endpoint table; a request to an endpoint it does not list passes unchecked.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from . import _endpoints, _signing
from ._catalog import HttpFailure
from ._options import did_you_mean, unknown_option
from ._render import BitMartResponse
from ._request import BitMartRequest
from ._rules import InvalidRuleError, Rule, error_rule

__all__ = [
    "ACCOUNT_OPTIONS",
    "PERMISSIONS",
    "RATE_LIMIT_OPTIONS",
    "Account",
    "Clock",
    "Gate",
    "Verdict",
    "account_from_options",
    "ban_after_from_options",
    "marker_options",
]

ACCOUNT_MARKER = "bitmart_account"
RATE_LIMITS_MARKER = "bitmart_rate_limits"

KeyState = Literal["active", "frozen", "expired"]
STATES: tuple[KeyState, ...] = ("active", "frozen", "expired")
PERMISSIONS = ("read", "trade", "withdraw")
ACCOUNT_OPTIONS = ("api_key", "secret", "memo", "state", "permissions", "ip_allowed", "rate_limits", "ip_ban_after")
RATE_LIMIT_OPTIONS = ("ip_ban_after",)

# "Header X-BM-TIMESTAMP range. Within a minute": the window when a request names no recvWindow.
_DEFAULT_WINDOW_MS = 60_000
# A recvWindow must lie in (0, 60000] milliseconds; a timestamp may run ahead of the server by 1 s.
_MAX_RECV_WINDOW_MS = 60_000
_AHEAD_MS = 1_000
_RATE_LIMITED = 30013
# BitMart documents HTTP 418 for an IP banned after repeated 429s, with no body.
_BANNED = HttpFailure(418, "")


class Clock:
    """The gate's clock: real time, plus however far the test has moved it with :meth:`advance`.

    :meth:`freeze` stops real time from passing, so that a window cannot run out while a slow
    machine sends a test's requests; the clock then moves only with :meth:`advance`.
    """

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen_at: float | None = None

    def now(self) -> float:
        """Seconds since the epoch, as BitMart's servers see them."""
        base = time.time() if self._frozen_at is None else self._frozen_at
        return base + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` without sleeping (rate-limit windows, stale timestamps)."""
        __tracebackhide__ = True
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise InvalidRuleError(f"clock.advance() takes a number of seconds of at least 0, got {seconds!r}")
        self._offset += seconds

    def freeze(self) -> None:
        """Stop real time from passing for the gate; only :meth:`advance` moves the clock from now on."""
        if self._frozen_at is None:
            self._frozen_at = time.time()


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """The API key a test declares: BitMart checks each keyed or signed request against it.

    ``state`` is the key's state, ``permissions`` what it may do (``read``, ``trade``, ``withdraw``),
    ``ip_allowed`` whether the caller's IP passes the key's whitelist.
    """

    api_key: str
    secret: str
    memo: str = ""
    state: KeyState = "active"
    permissions: frozenset[str] = frozenset(PERMISSIONS)
    ip_allowed: bool = True

    def __repr__(self) -> str:  # the key and secret are never printed
        return f"Account(api_key='***', secret='***', memo='***', state={self.state!r})"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The gate's word on one request: a refusal ``rule`` to answer with, and rate-limit ``headers``."""

    rule: Rule | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def stamp(self, response: BitMartResponse, rule: Rule) -> None:
        """Put the counted rate-limit headers on ``response``; headers the rule names itself stay."""
        own = rule.headers or {}
        response.headers.update({name: value for name, value in self.headers.items() if name not in own})


@dataclass(slots=True)
class _Window:
    start: float
    used: int = 0


class Gate:
    """Checks requests as BitMart's gate does: credentials in BitMart's order, then the rate limit."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.account: Account | None = None
        self.rate_limits = False
        self.ip_ban_after: int | None = None
        self._windows: dict[tuple[str, str, str], _Window] = {}
        self._refused = 0
        self._banned_until: float | None = None
        self._lock = threading.Lock()

    def declare_account(self, options: Mapping[str, Any], *, origin: str) -> None:
        """Check requests against the account ``options`` declare; raises InvalidRuleError."""
        __tracebackhide__ = True
        account, rate_limits, ban_after = account_from_options(options, origin=origin)
        self.account = account
        if rate_limits:
            self.rate_limits, self.ip_ban_after = True, ban_after

    def count_limits(self, options: Mapping[str, Any], *, origin: str) -> None:
        """Count every endpoint's documented rate limit; raises InvalidRuleError for bad ``options``."""
        __tracebackhide__ = True
        self.rate_limits, self.ip_ban_after = True, ban_after_from_options(options, origin=origin)

    def check(self, request: BitMartRequest) -> Verdict:
        """The answer BitMart's gate gives ``request`` before any handler, or a pass with its headers."""
        endpoint = _endpoints.find(request.method, request.path)
        if endpoint is None:
            return Verdict()
        headers: dict[str, str] = {}
        if self.rate_limits:
            with self._lock:
                refusal = self._count(endpoint, request, headers)
            if refusal is not None:
                return Verdict(refusal, headers)
        if self.account is not None and endpoint.auth != "NONE":
            problem = self._authenticate(self.account, endpoint, request)
            if problem is not None:
                code, why = problem
                return Verdict(_refusal(code, why, headers), headers)
        return Verdict(None, headers)

    # Rate limits ---------------------------------------------------------------------------------------

    def _count(self, endpoint: _endpoints.Endpoint, request: BitMartRequest, headers: dict[str, str]) -> Rule | None:
        now = self.clock.now()
        if self._banned_until is not None:  # a ban is on the IP: every endpoint
            if now < self._banned_until:
                return _ban_rule()
            self._banned_until, self._refused = None, 0
        if endpoint.limit is None or endpoint.window is None:
            return None
        bucket = "" if endpoint.target == "IP" else (request.header("X-BM-KEY") or "")
        key = (endpoint.method, endpoint.path, bucket)
        window = self._windows.get(key)
        if window is None or now >= window.start + endpoint.window:
            window = self._windows[key] = _Window(now)
        window.used += 1
        headers.update(
            {
                "X-BM-RateLimit-Remaining": str(window.used),
                "X-BM-RateLimit-Limit": str(endpoint.limit),
                "X-BM-RateLimit-Reset": str(endpoint.window),
                "X-BM-RateLimit-Mode": "IP" if endpoint.target == "IP" else "UID",
            }
        )
        if window.used <= endpoint.limit:
            return None
        self._refused += 1
        if self.ip_ban_after is not None and self._refused > self.ip_ban_after:
            self._banned_until = window.start + endpoint.window
            return _ban_rule()
        limit = f"{endpoint.limit} per {endpoint.window} s per {endpoint.target}"
        return _refusal(_RATE_LIMITED, f"request {window.used} of a window allowing {limit}", headers)

    # Credentials ---------------------------------------------------------------------------------------

    def _authenticate(  # noqa: PLR0911 - one return per documented check, in BitMart's order
        self, account: Account, endpoint: _endpoints.Endpoint, request: BitMartRequest
    ) -> tuple[int, str] | None:
        key = request.header("X-BM-KEY")
        if not key:
            return 30001, "no X-BM-KEY header"
        if key != account.api_key:
            return 30002, "X-BM-KEY is not the declared account's key"
        if account.state == "frozen":
            return 30003, "the declared key is frozen"
        if account.state == "expired":
            return 30011, "the declared key has expired"
        if endpoint.auth == "SIGNED":
            problem = self._check_signature(account, request)
            if problem is not None:
                return problem
        if not account.ip_allowed:
            return 30010, "the declared key's IP whitelist refuses this caller"
        if endpoint.permission not in account.permissions:
            return 30012, f"the declared key lacks the {endpoint.permission!r} permission"
        return None

    def _check_signature(self, account: Account, request: BitMartRequest) -> tuple[int, str] | None:
        sign = request.header("X-BM-SIGN")
        if not sign:
            return 30004, "no X-BM-SIGN header"
        timestamp = request.header("X-BM-TIMESTAMP")
        problem = self._check_timestamp(timestamp, request)
        if problem is not None or timestamp is None:
            return problem
        candidates = _signing.payloads(request.method, request.url, request.content)
        if not _signing.verify(
            sign, secret=account.secret, timestamp=timestamp, memo=account.memo, candidates=candidates
        ):
            return 30005, "X-BM-SIGN is not the HMAC-SHA256 of timestamp#memo#payload as sent"
        return None

    def _check_timestamp(self, timestamp: str | None, request: BitMartRequest) -> tuple[int, str] | None:
        if not timestamp:
            return 30006, "no X-BM-TIMESTAMP header"
        if not (timestamp.isascii() and timestamp.isdigit()):
            return 30008, "X-BM-TIMESTAMP is not a whole number of milliseconds"
        try:
            recv_window = _recv_window(request)
        except _RecvWindowError:
            return 30007, "recvWindow is not a whole number of milliseconds in (0, 60000]"
        if not self._in_window(int(timestamp), recv_window):
            return 30007, "X-BM-TIMESTAMP is outside the accepted window of the gate's clock"
        return None

    def _in_window(self, timestamp: int, recv_window: int | None) -> bool:
        now = self.clock.now() * 1000
        if recv_window is None:
            return abs(now - timestamp) <= _DEFAULT_WINDOW_MS
        return timestamp <= now + _AHEAD_MS and now - timestamp <= recv_window


class _RecvWindowError(ValueError):
    """A ``recvWindow`` BitMart refuses: not a whole number, or outside (0, 60000] milliseconds."""


def _recv_window(request: BitMartRequest) -> int | None:
    """The request's ``recvWindow`` in ms (JSON body for POST, query otherwise), or None if it has none."""
    value: object = None
    if request.method in {"GET", "DELETE"}:
        values = parse_qs(urlsplit(request.url).query).get("recvWindow")
        value = values[0] if values else None
    elif request.content:
        try:
            body = json.loads(request.content)
        except ValueError:
            return None
        value = body.get("recvWindow") if isinstance(body, dict) else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise _RecvWindowError
    window = int(value)
    if not 0 < window <= _MAX_RECV_WINDOW_MS:
        raise _RecvWindowError
    return window


def _refusal(code: int, why: str, headers: Mapping[str, str]) -> Rule:
    rule = error_rule(code, {"headers": dict(headers)} if headers else {}, origin="gate")
    return dataclasses.replace(rule, description=f"BitMart's gate ({code}: {why})")


def _ban_rule() -> Rule:
    return Rule("http_error", "BitMart's gate (418: IP banned after repeated 429s)", entry=_BANNED)


# Options --------------------------------------------------------------------------------------------------


def marker_options(name: str, args: Sequence[object], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The options of a gate marker, checked as far as needed to call the controller with them."""
    if args:
        raise InvalidRuleError(f"takes keyword options only, got {len(args)} positional argument(s)")
    if name == RATE_LIMITS_MARKER:
        return {"ip_ban_after": ban_after_from_options(kwargs, origin=name)}
    account_from_options(kwargs, origin=name)  # checked here so a message names the marker
    return dict(kwargs)


def account_from_options(options: Mapping[str, Any], *, origin: str) -> tuple[Account, bool, int | None]:
    """The account, ``rate_limits`` and ``ip_ban_after`` the options declare; raises InvalidRuleError."""
    __tracebackhide__ = True
    _check_names(options, ACCOUNT_OPTIONS, origin)
    for required in ("api_key", "secret"):
        if required not in options:
            raise InvalidRuleError(f"{origin}() needs {required}=...: the credentials the code under test signs with")
    for name in ("api_key", "secret", "memo"):
        value = options.get(name, "")
        if not isinstance(value, str) or (name != "memo" and not value):
            raise InvalidRuleError(f"{name} must be a non-empty string, got {value!r}")
    state = options.get("state", "active")
    if state not in STATES:
        raise InvalidRuleError(f"state must be one of {', '.join(STATES)}, got {state!r}{did_you_mean(state, STATES)}")
    permissions = _permissions(options.get("permissions", PERMISSIONS))
    flags = {name: options.get(name, default) for name, default in (("ip_allowed", True), ("rate_limits", False))}
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise InvalidRuleError(f"{name} must be True or False, got {value!r}")
    account = Account(
        api_key=options["api_key"],
        secret=options["secret"],
        memo=options.get("memo", ""),
        state=state,
        permissions=permissions,
        ip_allowed=flags["ip_allowed"],
    )
    return account, flags["rate_limits"], ban_after_from_options(options, origin=origin, check_names=False)


def ban_after_from_options(options: Mapping[str, Any], *, origin: str, check_names: bool = True) -> int | None:
    """The ``ip_ban_after`` option: how many 429s a caller gets before BitMart answers 418."""
    __tracebackhide__ = True
    if check_names:
        _check_names(options, RATE_LIMIT_OPTIONS, origin)
    value = options.get("ip_ban_after")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise InvalidRuleError(f"ip_ban_after must be a whole number of 429 answers (0 or more) or None, got {value!r}")
    return value


def _permissions(value: object) -> frozenset[str]:
    __tracebackhide__ = True
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidRuleError(f"permissions must be a tuple such as ('read', 'trade'), got {value!r}")
    chosen = list(value)
    for permission in chosen:
        if permission not in PERMISSIONS:
            raise InvalidRuleError(
                f"unknown permission {permission!r}{did_you_mean(permission, PERMISSIONS)}; "
                f"a key has {', '.join(PERMISSIONS)}"
            )
    return frozenset(chosen)


def _check_names(options: Mapping[str, Any], allowed: Sequence[str], origin: str) -> None:
    __tracebackhide__ = True
    problem = unknown_option(options, allowed, origin)
    if problem:
        raise InvalidRuleError(problem)
