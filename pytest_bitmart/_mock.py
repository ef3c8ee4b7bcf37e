"""The object a test talks to: armed rules, the answer to each BitMart request, and the calls seen."""

from __future__ import annotations

import difflib
import functools
import inspect
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec

from ._catalog import Family
from ._gate import Clock, Gate
from ._options import ERROR, FAULT, HTTP_ERROR, OK, Kind, OptionError, did_you_mean, is_int
from ._render import BitMartResponse, trace_for
from ._request import BitMartRequest, mask_headers
from ._rules import (
    InvalidRuleError,
    Rule,
    answer,
    error_rule,
    fault_rule,
    http_error_rule,
    matches,
    ok_rule,
)
from ._startup import DEFAULT_MARKETS, StartupAnswers, is_startup_read, parse_markets, pick

__all__ = ["DEFAULT_HOSTS", "BitMartMock", "Call", "UnmatchedRequestError"]

DEFAULT_HOSTS = ("api-cloud.bitmart.com", "api-cloud-v2.bitmart.com", "demo-api-cloud-v2.bitmart.com")

ResponseHook = Callable[[BitMartRequest, BitMartResponse], None]


class UnmatchedRequestError(AssertionError):
    """Raised to the client for a BitMart request no rule answers; it never reaches the network.

    An ``AssertionError`` so that retry code catching the client library's network errors does not
    mistake it for a BitMart answer; the test also fails at teardown if the client swallowed it.
    """


UnmatchedRequestError.__module__ = "pytest_bitmart"  # failures name the class users import


@dataclass(frozen=True, slots=True)
class Call:
    """One BitMart request and what it got: ``response`` and ``rule`` are ``None`` if no rule matched."""

    request: BitMartRequest
    response: BitMartResponse | None
    rule: Rule | None

    @property
    def status(self) -> int | None:
        """The HTTP status served, or ``None`` for an unmatched request."""
        return None if self.response is None else self.response.status

    @property
    def code(self) -> int | None:
        """The BitMart code served (``1000`` for OK), ``None`` for a bare HTTP failure or no answer."""
        return None if self.response is None else self.response.code

    def __repr__(self) -> str:
        request = self.request
        answer = "unmatched" if self.response is None else f"{self.status} code={self.code}"
        return f"<Call {request.method} {request.url} headers={mask_headers(request.headers)!r} -> {answer}>"


_P = ParamSpec("_P")
_Arming = Callable[Concatenate["BitMartMock", _P], Rule]


def _arming(kind: Kind) -> Callable[[_Arming[_P]], _Arming[_P]]:
    """Check a call's argument names against ``kind`` first, so ``pth=`` gets "did you mean 'path'".

    The method keeps its explicit signature (what editors and type checkers read); only the TypeError
    Python would raise for a misspelt or missing argument is replaced by the markers' message.
    """

    def decorate(method: _Arming[_P]) -> _Arming[_P]:
        signature = inspect.signature(method)
        origin = f"bitmart_mock.{kind.method}"

        @functools.wraps(method)
        def arm(self: BitMartMock, /, *args: _P.args, **kwargs: _P.kwargs) -> Rule:
            __tracebackhide__ = True
            try:
                signature.bind(self, *args, **kwargs)
            except TypeError as error:
                problem = str(error)
            else:
                return method(self, *args, **kwargs)
            try:
                kind.check({name: None for name in kwargs if name != kind.first}, origin)
            except OptionError as error:
                problem = str(error)
            else:
                problem = f"{origin}() {problem}; call it as {kind.signature(origin)}"
            raise InvalidRuleError(problem)

        return arm

    return decorate


class _TransportInterface:
    """The names the client adapters call; not part of what a test uses (the API page lists none of them)."""

    _problems: list[str]

    def is_bitmart(self, host: str | None) -> bool:
        return self._is_bitmart(host)

    def respond(self, request: BitMartRequest) -> BitMartResponse:
        __tracebackhide__ = True
        return self._respond(request)

    def refuse(self, request: BitMartRequest, reason: str) -> UnmatchedRequestError:
        return self._refuse(request, reason)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(self._problems)

    def _is_bitmart(self, host: str | None) -> bool:
        raise NotImplementedError

    def _respond(self, request: BitMartRequest) -> BitMartResponse:
        raise NotImplementedError

    def _refuse(self, request: BitMartRequest, reason: str) -> UnmatchedRequestError:
        raise NotImplementedError


class BitMartMock(_TransportInterface):
    """Controls what BitMart answers during one test: the object behind the ``bitmart_mock`` fixture.

    Exported for type annotations (``def test_x(bitmart_mock: BitMartMock)``); the fixture builds it.
    Rules are consulted in the order they were added (marker rules first); a used-up rule is skipped.
    A client's start-up reads (market loading, server time) skip error rules that do not name their path
    and get BitMart's documented answers, for the markets declared with ``markets()``.
    """

    def __init__(
        self,
        *,
        hosts: Iterable[str] = DEFAULT_HOSTS,
        seed: str = "",
        on_response: ResponseHook | None = None,
        behind: Callable[[], Iterable[BitMartMock]] | None = None,
    ) -> None:
        self.hosts: frozenset[str] = frozenset(host.lower() for host in hosts)
        self._seed = seed
        self._on_response = on_response
        # Who answers what no rule of ours does (the wider scopes' fallbacks), asked at each request.
        self._behind = behind
        self._subject = "this test"
        self._name = "bitmart_mock"  # how a rule's description names where it was armed
        self._rules: list[Rule] = []
        self._fallbacks = 0
        self._calls: list[Call] = []
        self._requests_seen = 0
        self._problems: list[str] = []
        self._closed = False
        self._lock = threading.Lock()
        self._startup: StartupAnswers | None = None  # declared with markets()
        self._default_startup: StartupAnswers | None = None
        # The wider scopes' fallback rules that answered one of our requests (by id): not ours to count.
        self._borrowed: dict[int, Rule] = {}
        self._gate: Gate | None = None  # BitMart's auth and rate-limit checks, once a test asks for them

    # Arming -------------------------------------------------------------------------------------------

    @_arming(ERROR)
    def error(
        self,
        code: int,
        *,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        host: str | None = None,
        times: int | None = None,
        message_args: tuple[object, ...] | list[object] | None = None,
        trace: str | None = None,
        headers: Mapping[str, str] | None = None,
        variant: str | None = None,
        http_status: int | None = None,
        delay: float | None = None,
    ) -> Rule:
        """Answer matching requests with documented error ``code``, exactly as BitMart sends it.

        ``variant`` names another documented form of the code (a status or message the API docs give
        instead of the error page), as listed by :func:`pytest_bitmart.variants`.
        ``http_status`` serves the code with another HTTP status (BitMart's status and code are independent);
        ``delay`` holds the answer back that many seconds, and a client whose read timeout is shorter gets its
        own read-timeout error once that timeout has passed.
        """
        __tracebackhide__ = True
        options = {
            "method": method,
            "path": path,
            "host": host,
            "times": times,
            "message_args": message_args,
            "trace": trace,
            "headers": headers,
            "variant": variant,
            "http_status": http_status,
            "delay": delay,
        }
        return self._armed(lambda: error_rule(code, _given(options), origin=f"{self._name}.error"))

    @_arming(OK)
    def ok(
        self,
        data: Any = None,
        *,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        host: str | None = None,
        times: int | None = None,
        family: Family | None = None,
        trace: str | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float | None = None,
    ) -> Rule:
        """Answer matching requests with the documented success envelope (``code`` 1000) carrying ``data``.

        The envelope's family follows the endpoint (contract on the futures host, funding under
        ``/account/``, spot otherwise) unless ``family`` names one. ``data`` must be JSON values only;
        ``delay`` holds the answer back.
        """
        __tracebackhide__ = True
        options = {
            "data": data,
            "method": method,
            "path": path,
            "host": host,
            "times": times,
            "family": family,
            "trace": trace,
            "headers": headers,
            "delay": delay,
        }
        return self._armed(lambda: ok_rule(_given(options), origin=f"{self._name}.ok"))

    @_arming(HTTP_ERROR)
    def http_error(
        self,
        status: int,
        *,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        host: str | None = None,
        times: int | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float | None = None,
    ) -> Rule:
        """Answer matching requests with a global HTTP return code (404, 403, 401, 500): status and description."""
        __tracebackhide__ = True
        options = {"method": method, "path": path, "host": host, "times": times, "headers": headers, "delay": delay}
        return self._armed(lambda: http_error_rule(status, _given(options), origin=f"{self._name}.http_error"))

    @_arming(FAULT)
    def fault(
        self,
        name: str,
        *,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        host: str | None = None,
        times: int | None = None,
        delay: float | None = None,
    ) -> Rule:
        """Answer matching requests with catalog fault ``name`` (``pytest_bitmart.faults()`` lists them).

        A gateway body, a Cloudflare page, a broken body, or a failed connection raised as the client's own error.
        """
        __tracebackhide__ = True
        options = {"method": method, "path": path, "host": host, "times": times, "delay": delay}
        return self._armed(lambda: fault_rule(name, _given(options), origin=f"{self._name}.fault"))

    def markets(self, *symbols: str) -> None:
        """Declare the markets that exist, in ccxt's notation: ``markets("BTC/USDT", "BTC/USDT:USDT")``.

        The documented answers to a client's start-up reads (currencies, spot symbol details, contract
        details) then list these markets; before this call they list ``BTC/USDT``, ``ETH/USDT`` and
        ``BTC/USDT:USDT``. ``markets()`` with no symbol declares none.
        """
        __tracebackhide__ = True
        problem: InvalidRuleError | None = None
        try:
            startup = StartupAnswers(parse_markets(symbols))
        except InvalidRuleError as error:
            problem = error
        if problem is not None:  # raised outside the except block: no chained traceback
            raise problem.with_traceback(None)
        with self._lock:
            self._startup = startup

    # BitMart's gate ------------------------------------------------------------------------------------

    def account(self, **options: Any) -> None:
        """Declare the API key BitMart knows: keyed and signed requests are then checked against it.

        Options: ``api_key``, ``secret``, ``memo``, ``state`` (``active``, ``frozen``, ``expired``),
        ``permissions`` (of ``read``, ``trade``, ``withdraw``), ``ip_allowed``, ``rate_limits``,
        ``ip_ban_after``. A refused request gets BitMart's documented code; one that passes goes on to
        the armed rules.
        """
        __tracebackhide__ = True
        self._the_gate().declare_account(options, origin="bitmart_mock.account")

    def rate_limits(self, *, ip_ban_after: int | None = None) -> None:
        """Count each endpoint's documented rate limit: over it, 30013 with HTTP 429.

        With ``ip_ban_after=N``, requests after N such answers get HTTP 418 until the window resets.
        """
        __tracebackhide__ = True
        self._the_gate().count_limits({"ip_ban_after": ip_ban_after}, origin="bitmart_mock.rate_limits")

    @property
    def clock(self) -> Clock:
        """The clock of BitMart's gate: real time unless moved with ``clock.advance(seconds)``."""
        return self._the_gate().clock

    def _the_gate(self) -> Gate:
        with self._lock:
            if self._gate is None:
                self._gate = Gate()
            return self._gate

    def add(self, rule: Rule) -> Rule:
        """Arm an already built rule (one that ``error()``, ``ok()`` or ``http_error()`` returned) after the others."""
        __tracebackhide__ = True
        return self._armed(lambda: rule)

    def _armed(self, build: Callable[[], Rule]) -> Rule:
        """Build and arm a rule; its InvalidRuleError re-raised without our frames, pointing at the user's line."""
        __tracebackhide__ = True
        problem: InvalidRuleError | None = None
        try:
            return self._arm(build())
        except InvalidRuleError as error:
            problem = error
        raise problem.with_traceback(None)

    def _arm(self, rule: object) -> Rule:
        if not isinstance(rule, Rule):
            raise InvalidRuleError(
                f"bitmart_mock.add() takes a rule that bitmart_mock.error(), .ok() or .http_error() returned, "
                f"got {rule!r}; arm rules with those methods"
            )
        if self._closed:
            raise InvalidRuleError(
                f"{rule.description}: this bitmart_mock belongs to a test that has finished; "
                "arm rules on the bitmart_mock fixture of the test that makes the requests"
            )
        if rule.host is not None and not self._is_bitmart(rule.host):
            raise InvalidRuleError(
                f"{rule.description}: host {rule.host!r} is not a host pytest-bitmart answers, so the rule could "
                f"never match{did_you_mean(rule.host, sorted(self.hosts))}; the hosts are "
                f"{', '.join(sorted(self.hosts))} (add others with the bitmart_hosts ini option)"
            )
        with self._lock:
            # Before the fallbacks, which stay last.
            self._rules.insert(len(self._rules) - self._fallbacks, rule)
        return rule

    def _close(self) -> None:
        """The test is over: arming this mock again is a mistake (a mock kept from a finished test)."""
        self._closed = True

    def _add_fallback(self, rule: Rule) -> None:
        """Arm ``rule`` after every rule, including those armed until :meth:`_settle` (a test's setup)."""
        with self._lock:
            self._rules.append(rule)
            self._fallbacks += 1

    def _settle(self) -> None:
        """From now on, rules are armed after the fallbacks too (a test body's own rules come after them)."""
        with self._lock:
            self._fallbacks = 0

    # Answering ----------------------------------------------------------------------------------------

    def _is_bitmart(self, host: str | None) -> bool:
        """Whether requests to ``host`` are BitMart's, and so answered (or refused) by this mock."""
        return host is not None and host.lower().removesuffix(".") in self.hosts

    def _respond(self, request: BitMartRequest) -> BitMartResponse:
        """The answer to ``request`` from the first live matching rule; raises :class:`UnmatchedRequestError`."""
        __tracebackhide__ = True  # an unmatched request's failure points at the client call
        verdict = None if self._gate is None else self._gate.check(request)  # BitMart's gate answers first
        with self._lock:
            index = self._requests_seen
            self._requests_seen += 1
        rule, behind, fallbacks = self._resolve(request, None if verdict is None else verdict.rule)
        if rule is None:
            with self._lock:
                self._calls.append(Call(request, None, None))
            rules = "\n".join([self.describe_rules(), *(mock.describe_rules() for mock in fallbacks)])
            raise UnmatchedRequestError(
                f"pytest-bitmart: no rule answers {request.method} {request.url}; it was not sent to BitMart.\n{rules}"
            )
        response = answer(rule, request, trace=trace_for(self._seed, index), used=index + 1)
        if verdict is not None:
            verdict.stamp(response, rule)
        if self._on_response is not None:
            self._on_response(request, response)
        if behind is not None:
            with self._lock:
                self._borrowed[id(rule)] = rule
        for recorder in (self, behind):  # a fallback's calls list what it answered, in any test
            if recorder is not None:
                recorder._record(Call(request, response, rule))  # noqa: SLF001 - the same class
        return response

    def _resolve(
        self, request: BitMartRequest, refusal: Rule | None
    ) -> tuple[Rule | None, BitMartMock | None, list[BitMartMock]]:
        """Who answers ``request``: the rule, the scope's fallback it came from, and the fallbacks consulted.

        In order: a refusal of BitMart's gate, this mock's rules, the wider scopes' fallbacks innermost
        first, and last the documented answer to a start-up read.
        """
        if refusal is not None:
            with self._lock:
                refusal.served += 1
            return refusal, None, []
        rule = self._pick(request)
        if rule is not None:
            return rule, None, []
        fallbacks = [] if self._behind is None else list(self._behind())
        for mock in fallbacks:
            rule = mock._pick(request)  # noqa: SLF001 - the same class
            if rule is not None:
                return rule, mock, fallbacks
        rule = self._startup_for(fallbacks).rule_for(request)
        if rule is not None:
            with self._lock:
                rule.served += 1
        return rule, None, fallbacks

    def _would_answer(self, request: BitMartRequest) -> bool:
        """Whether this mock would answer ``request`` now: an armed rule, or declared markets' start-up answer."""
        with self._lock:
            if self._startup is not None and is_startup_read(request):
                return True
            return pick(self._rules, request) is not None

    def _answered_by_fallback(self, call: Call) -> bool:
        """Whether a wider scope's fallback, not this mock, answered ``call``."""
        with self._lock:
            return call.rule is not None and self._borrowed.get(id(call.rule)) is call.rule

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def _pick(self, request: BitMartRequest) -> Rule | None:
        """The first live rule matching ``request``, counted as serving it; None if no rule matches."""
        with self._lock:
            rule = pick(self._rules, request)
            if rule is not None:
                rule.served += 1
        return rule

    def _startup_for(self, scopes: Iterable[BitMartMock]) -> StartupAnswers:
        """The start-up answers for the markets this test declared, else the innermost scope's, else the default."""
        declared = (mock._startup for mock in (self, *scopes))  # noqa: SLF001 - the same class
        startup = next((startup for startup in declared if startup is not None), None)
        if startup is not None:
            return startup
        with self._lock:
            if self._default_startup is None:
                self._default_startup = StartupAnswers(parse_markets(DEFAULT_MARKETS))
            return self._default_startup

    def _refuse(self, request: BitMartRequest, reason: str) -> UnmatchedRequestError:
        """Record that ``request`` cannot be answered for ``reason``; returns the error to raise to the client."""
        with self._lock:
            self._calls.append(Call(request, None, None))
            if reason not in self._problems:
                self._problems.append(reason)
        return UnmatchedRequestError(
            f"pytest-bitmart: {request.method} {request.url} was not sent to BitMart: {reason}"
        )

    # Inspecting ---------------------------------------------------------------------------------------

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The armed rules, in the order they are consulted."""
        return tuple(self._rules)

    @property
    def calls(self) -> tuple[Call, ...]:
        """Every BitMart request of the test so far, answered or not, in the order they finished."""
        return tuple(self._calls)

    @property
    def unmatched(self) -> tuple[Call, ...]:
        """The BitMart requests no rule answered."""
        return tuple(call for call in self._calls if call.rule is None)

    def get_calls(
        self,
        *,
        code: int | None = None,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        host: str | None = None,
    ) -> tuple[Call, ...]:
        """The calls that got ``code``, used ``method``, hit ``path`` and ``host`` (each filter optional).

        ``path`` and ``host`` compare as a rule's do: a string path exactly, a ``re.compile(...)`` pattern
        searched in the path.
        """
        __tracebackhide__ = True
        wanted = _call_filter("get_calls", code=code, method=method, path=path, host=host)
        return tuple(call for call in self._calls if wanted(call))

    def assert_call_count(
        self,
        expected: int,
        *,
        code: int | None = None,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        host: str | None = None,
    ) -> None:
        """Assert how many calls got ``code`` / used ``method`` / hit ``path`` / ``host``, listing the calls if not."""
        __tracebackhide__ = True
        if not is_int(expected) or expected < 0:
            hint = f"; write {expected} without quotes" if isinstance(expected, str) and expected.isdigit() else ""
            raise _clean(ValueError(f"assert_call_count() takes a whole number of calls, got {expected!r}{hint}"))
        wanted = _call_filter("assert_call_count", code=code, method=method, path=path, host=host)
        found = [call for call in self._calls if wanted(call)]
        if len(found) != expected:
            given = ", ".join(
                f"{name}={_shown(value)}"
                for name, value in (("code", code), ("method", method), ("path", path), ("host", host))
                if value is not None
            )
            listing = "\n".join(f"  {call!r}" for call in self._calls) or "  (no BitMart calls)"
            raise AssertionError(
                f"expected {expected} BitMart call(s){' with ' + given if given else ''}, got {len(found)}:\n{listing}"
            )

    def describe_rules(self) -> str:
        """The armed rules, one per line, with how often each has answered, and near misses of unmatched calls."""
        if not self._rules:
            return f"No rules are armed for {self._subject}."
        lines = [f"Rules armed for {self._subject}:"]
        for number, rule in enumerate(self._rules, start=1):
            limit = "unlimited" if rule.times is None else f"of {rule.times}"
            lines.append(f"  {number}. {rule.description}: answered {rule.served} ({limit})")
        lines += _near_misses(self.unmatched, self._rules)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<BitMartMock rules={len(self._rules)} calls={len(self._calls)}>"


def _clean(error: Exception) -> Exception:
    return error.with_traceback(None)


def _shown(value: object) -> str:
    return f"re.compile({value.pattern!r})" if isinstance(value, re.Pattern) else repr(value)


def _call_filter(origin: str, *, code: object, method: object, path: object, host: object) -> Callable[[Call], bool]:
    """The test a call must pass; filter values are checked as a rule's are."""
    __tracebackhide__ = True
    if code is not None and not is_int(code):
        raise _clean(ValueError(f"{origin}(code=...) takes a BitMart code (an int), got {code!r}"))
    given = {"method": method, "path": path, "host": host}
    try:
        values = ERROR.check({name: value for name, value in given.items() if value is not None}, origin)
    except OptionError as error:
        problem = f"{origin}(): {error}"
    else:
        probe = Rule("error", origin, **{name: values[name] for name in given})

        def wanted(call: Call) -> bool:
            return (code is None or call.code == code) and matches(probe, call.request)

        return wanted
    raise _clean(ValueError(problem))


def _near_misses(unmatched: Iterable[Call], rules: Iterable[Rule]) -> list[str]:
    """A hint per unmatched path that is a character or two from a rule's path (BitMart mixes - and _)."""
    hints: list[str] = []
    for call in unmatched:
        sent = call.request.path
        for rule in rules:
            if not isinstance(rule.path, str) or rule.path == sent:
                continue
            if sent.replace("_", "-") == rule.path.replace("_", "-"):
                why = "only '-' and '_' differ: BitMart uses both"
            elif difflib.SequenceMatcher(None, sent, rule.path).ratio() >= 0.9:
                why = "a near miss"
            else:
                continue
            hint = f"  hint: {call.request.method} {sent} missed {rule.description} by a little ({why})"
            if hint not in hints:
                hints.append(hint)
    return hints


def _given(options: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in options.items() if value is not None}
