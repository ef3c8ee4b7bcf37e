"""Turning one test's markers into an armed ``BitMartMock``, and patching the installed clients for it."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from . import _guard
from ._mock import DEFAULT_HOSTS, BitMartMock, ResponseHook, mask_headers
from ._rules import InvalidRuleError, Rule, error_rule, fault_rule, http_error_rule

__all__ = [
    "MARKERS",
    "activated",
    "configured_hosts",
    "failure_report",
    "registered_elsewhere",
    "response_hook",
    "rules_from_markers",
    "shadowing",
]

ERROR_MARKER = "bitmart_error"
HTTP_ERROR_MARKER = "bitmart_http_error"
FAULT_MARKER = "bitmart_fault"
MARKERS = (ERROR_MARKER, HTTP_ERROR_MARKER, FAULT_MARKER)

# Client library -> the adapter module that patches it, imported only when a test needs it.
_TRANSPORTS = {
    "requests": "pytest_bitmart._requests",
    "httpx": "pytest_bitmart._httpx",
    "aiohttp": "pytest_bitmart._aiohttp",
}


def configured_hosts(config: pytest.Config) -> tuple[str, ...]:
    """BitMart's documented hosts plus those the ``bitmart_hosts`` ini option adds."""
    extra = [host.strip().lower() for host in config.getini("bitmart_hosts") if host.strip()]
    return (*DEFAULT_HOSTS, *extra)


def markers_in_order(item: pytest.Item) -> Iterator[pytest.Mark]:
    """This test's rule markers in the order a reader sees them: the function's top to bottom, then outwards.

    Decorators are applied bottom-up, so pytest stores a function's (and a class's) marks last-written first.
    """
    nodes: list[tuple[object, list[pytest.Mark]]] = []
    for node, mark in item.iter_markers_with_node():
        if mark.name not in MARKERS:
            continue
        if not nodes or nodes[-1][0] is not node:
            nodes.append((node, []))
        nodes[-1][1].append(mark)
    for owner, marks in nodes:
        yield from (marks if isinstance(owner, pytest.Module) else reversed(marks))


def rules_from_markers(item: pytest.Item) -> list[Rule]:
    """Build the rules of the test's markers; a bad marker fails the test's setup with one clear message."""
    __tracebackhide__ = True
    rules = []
    for mark in markers_in_order(item):
        problem = None
        try:
            rules.append(_rule_from_marker(mark))
        except InvalidRuleError as error:
            problem = str(error)
        if problem is not None:  # failed outside the except block, so no chained traceback is shown
            pytest.fail(f"pytest-bitmart: {item.nodeid}: @pytest.mark.{mark.name}: {problem}", pytrace=False)
    return rules


def _rule_from_marker(mark: pytest.Mark) -> Rule:
    if len(mark.args) != 1:
        example = {ERROR_MARKER: "50020", HTTP_ERROR_MARKER: "500", FAULT_MARKER: "'read-timeout'"}[mark.name]
        what = "fault name" if mark.name == FAULT_MARKER else "code"
        raise InvalidRuleError(
            f"takes exactly one {what} as its first argument, got {len(mark.args)} "
            f"(write @pytest.mark.{mark.name}({example}, ...); one marker per {what})"
        )
    build = {ERROR_MARKER: error_rule, HTTP_ERROR_MARKER: http_error_rule, FAULT_MARKER: fault_rule}[mark.name]
    return build(mark.args[0], mark.kwargs, origin=mark.name)


@contextmanager
def activated(mock: BitMartMock) -> Iterator[None]:
    """Patch every installed client library so its BitMart requests reach ``mock``; undone on exit."""
    undos: list[Callable[[], None]] = [_guard.install(mock)]
    try:
        for library, adapter in _TRANSPORTS.items():
            if _installed(library):
                undos.append(importlib.import_module(adapter).install(mock))
        yield
    finally:
        for undo in reversed(undos):
            undo()


def shadowing() -> str | None:
    """Another mocker that would answer BitMart requests before us, explained; None if there is none."""
    return _first_finding("shadowing")


def registered_elsewhere(item: pytest.Item, mock: BitMartMock) -> str | None:
    """A BitMart answer the test registered with another mocking library, which can never be served."""
    return _first_finding("registered_elsewhere", getattr(item, "funcargs", {}), mock)


def _first_finding(check_name: str, *args: object) -> str | None:
    """Ask each adapter this test loaded (for a library the code under test imported) for a conflict."""
    for library, adapter in _TRANSPORTS.items():
        check = getattr(sys.modules.get(adapter), check_name, None)
        if check is not None and library in sys.modules:
            message: str | None = check(*args)
            if message:
                return message
    return None


def failure_report(item: pytest.Item, mock: BitMartMock) -> str | None:
    """The teardown failure for BitMart requests the test left unanswered, or None if all were answered."""
    unmatched = mock.unmatched
    if not unmatched:
        return None
    lines = [f"pytest-bitmart: {item.nodeid}: {len(unmatched)} BitMart request(s) matched no rule and were not sent:"]
    lines += [
        f"  {call.request.method} {call.request.url} headers={mask_headers(call.request.headers)!r}"
        for call in unmatched
    ]
    lines += [f"  reason: {problem}" for problem in mock.problems]
    lines.append(mock.describe_rules())
    lines.append(
        "Arm a rule that answers them (@pytest.mark.bitmart_error(...), bitmart_mock.error(...) or "
        "bitmart_mock.ok(...)), or narrow an existing rule's method/path/host/times."
    )
    return "\n".join(lines)


def response_hook(config: pytest.Config) -> ResponseHook | None:
    """Call ``pytest_bitmart_response`` implementations, or None when there are none (the usual case)."""
    hook = config.hook.pytest_bitmart_response
    if not hook.get_hookimpls():
        return None

    def call(request: object, response: object) -> None:
        hook(request=request, response=response)

    return call


def _installed(library: str) -> bool:
    if library in sys.modules:
        return sys.modules[library] is not None
    try:
        return importlib.util.find_spec(library) is not None
    except (ImportError, ValueError):
        return False
