"""A test's pytest-bitmart markers: its rules, in reading order, its gate, its live opt-out, misspelt names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._mock import BitMartMock
    from ._rules import Rule

__all__ = [
    "LIVE_MARKER",
    "MARKERS",
    "OURS",
    "arm_gate",
    "has_rules",
    "is_live",
    "misspelt",
    "rules_from_markers",
    "strict_marker_hint",
]

ERROR_MARKER = "bitmart_error"
HTTP_ERROR_MARKER = "bitmart_http_error"
CODES_MARKER = "bitmart_codes"
FAULT_MARKER = "bitmart_fault"
FAULTS_MARKER = "bitmart_faults"
LIVE_MARKER = "bitmart_live"
ACCOUNT_MARKER = "bitmart_account"  # the same names as _gate's, which is not imported until a test needs it
RATE_LIMITS_MARKER = "bitmart_rate_limits"
# The markers that arm rules.
MARKERS = (ERROR_MARKER, HTTP_ERROR_MARKER, FAULT_MARKER)
# The markers that switch on BitMart's gate: they arm the test like a rule marker does.
GATE_MARKERS = (ACCOUNT_MARKER, RATE_LIMITS_MARKER)
# Every marker pytest-bitmart defines: any other name starting with "bitmart" is a typo.
OURS = (
    ERROR_MARKER,
    HTTP_ERROR_MARKER,
    FAULT_MARKER,
    CODES_MARKER,
    FAULTS_MARKER,
    ACCOUNT_MARKER,
    RATE_LIMITS_MARKER,
    LIVE_MARKER,
)


def _closest(name: str) -> list[str]:
    import difflib  # only for a misspelt name

    return difflib.get_close_matches(name, OURS, n=1, cutoff=0.6)


def has_rules(item: pytest.Item) -> bool:
    """Whether the test carries a marker that arms rules or BitMart's gate."""
    return any(item.get_closest_marker(name) is not None for name in (*MARKERS, *GATE_MARKERS))


def is_live(item: pytest.Item) -> bool:
    """Whether the test opted in to real BitMart requests with ``@pytest.mark.bitmart_live``."""
    return item.get_closest_marker(LIVE_MARKER) is not None


def misspelt(item: pytest.Item) -> str | None:
    """The failure text for a marker that looks like ours but is not, or None."""
    for mark in item.iter_markers():
        name = mark.name
        if name.startswith("bitmart") and name not in OURS:
            close = _closest(name)
            hint = f"did you mean @pytest.mark.{close[0]}?" if close else f"pytest-bitmart's are {', '.join(OURS)}."
            return (
                f"pytest-bitmart: {item.nodeid}: @pytest.mark.{name} is not a pytest-bitmart marker, so this "
                f"test would run without the answers it asks for; {hint}"
            )
    return None


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
    from ._rules import InvalidRuleError

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


def arm_gate(item: pytest.Item, mock: BitMartMock) -> None:
    """Switch on BitMart's gate from the bitmart_account / bitmart_rate_limits markers."""
    __tracebackhide__ = True
    from . import _gate
    from ._rules import InvalidRuleError

    for name in GATE_MARKERS:
        mark = item.get_closest_marker(name)
        if mark is None:
            continue
        problem = None
        try:
            options = _gate.marker_options(name, mark.args, mark.kwargs)
            (mock.account if name == ACCOUNT_MARKER else mock.rate_limits)(**options)
        except InvalidRuleError as error:
            problem = str(error)
        if problem is not None:  # failed outside the except block, so no chained traceback is shown
            pytest.fail(f"pytest-bitmart: {item.nodeid}: @pytest.mark.{name}: {problem}", pytrace=False)


def _rule_from_marker(mark: pytest.Mark) -> Rule:
    from ._rules import InvalidRuleError, error_rule, fault_rule, http_error_rule

    if len(mark.args) != 1:
        example = {ERROR_MARKER: "50020", HTTP_ERROR_MARKER: "500", FAULT_MARKER: "'read-timeout'"}[mark.name]
        what = "fault name" if mark.name == FAULT_MARKER else "code"
        raise InvalidRuleError(
            f"takes exactly one {what} as its first argument, got {len(mark.args)} "
            f"(write @pytest.mark.{mark.name}({example}, ...); one marker per {what})"
        )
    build = {ERROR_MARKER: error_rule, HTTP_ERROR_MARKER: http_error_rule, FAULT_MARKER: fault_rule}[mark.name]
    return build(mark.args[0], mark.kwargs, origin=mark.name)


def strict_marker_hint(text: str) -> str | None:
    """For pytest's own ``--strict-markers`` collection error about a ``bitmart...`` name: "did you mean"."""
    for name in re.findall(r"'(bitmart\w*)' not found in `markers` configuration option", text):
        if name not in OURS:
            close = _closest(name)
            if close:
                return (
                    f"pytest-bitmart: @pytest.mark.{name} is not a pytest-bitmart marker; "
                    f"did you mean @pytest.mark.{close[0]}?"
                )
    return None
