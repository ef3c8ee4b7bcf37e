"""Which faults a test asking for the ``bitmart_fault`` (or ``bitmart_failure``) fixture runs with.

Like the codes: every fault to start with, narrowed by the run's ``--bitmart-faults`` option (or the
``bitmart_faults`` ini key) and the test's ``bitmart_faults`` markers. Both name faults or kinds
(``response``, ``cut``, ``transport``). A selection that cannot be honoured names the test and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from ._faults import Fault, FaultKind, faults
from ._rules import Rule, fault_rule
from ._selection import SelectionError

__all__ = ["FAULTS_MARKER", "FAULTS_OPTIONS", "FaultCase", "parse_fault_names", "select_faults"]

FAULTS_MARKER = "bitmart_faults"
FAULTS_OPTIONS = ("include", "exclude", "kind", "times")
_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)


@dataclass(frozen=True, slots=True)
class FaultCase:
    """One instance of a test over faults: a catalog fault and how often it answers."""

    entry: Fault
    times: int | None = None

    @property
    def id(self) -> str:
        """The fault's name, so ``-k read-timeout`` selects it."""
        return self.entry.name

    def rule(self) -> Rule:
        """The rule that answers every BitMart request of the test (the first ``times`` ones) with this fault."""
        options = {} if self.times is None else {"times": self.times}
        return fault_rule(self.entry.name, options, origin="bitmart_fault fixture")


def parse_fault_names(values: Iterable[str], *, source: str) -> frozenset[str] | None:
    """The fault names and kinds a comma- or line-separated option lists, checked; ``None`` when it lists none."""
    words = {word.strip() for value in values for word in value.split(",") if word.strip()}
    for word in words:
        _check_word(word, source)
    return frozenset(words) or None


def select_faults(markers: Sequence[Mapping[str, Any]], run_words: frozenset[str] | None) -> tuple[FaultCase, ...]:
    """Every fault, narrowed by the run's names/kinds and the markers' options (closest marker first)."""
    options: dict[str, Any] = {}
    for marker_options in markers:
        for name, value in marker_options.items():
            if name not in FAULTS_OPTIONS:
                close = difflib.get_close_matches(name, FAULTS_OPTIONS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise SelectionError(
                    f"@pytest.mark.{FAULTS_MARKER} got an unknown option {name!r}{hint}; "
                    f"it takes {', '.join(FAULTS_OPTIONS)}"
                )
            options.setdefault(name, value)
    include = _words(options.get("include"), "include")
    exclude = _words(options.get("exclude"), "exclude") or frozenset()
    kinds = _words(options.get("kind"), "kind")
    times = options.get("times")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise SelectionError(
            f"@pytest.mark.{FAULTS_MARKER}(times=...) must be a whole number of at least 1, got {times!r}"
        )
    return tuple(
        FaultCase(entry, times)
        for entry in faults()
        if (run_words is None or _picked(entry, run_words))
        and (include is None or _picked(entry, include))
        and (kinds is None or entry.kind in kinds)
        and not _picked(entry, exclude)
    )


def _picked(entry: Fault, words: frozenset[str]) -> bool:
    return entry.name in words or entry.kind in words


def _words(value: object, option: str) -> frozenset[str] | None:
    if value is None:
        return None
    words = [value] if isinstance(value, str) else value
    if not isinstance(words, Iterable) or not all(isinstance(word, str) for word in words):
        raise SelectionError(f"@pytest.mark.{FAULTS_MARKER}({option}=...) takes a fault name or a list of them")
    for word in words:
        _check_word(word, f"@pytest.mark.{FAULTS_MARKER}({option}=...)")
    return frozenset(words)


def _check_word(word: str, source: str) -> None:
    known = [entry.name for entry in faults()] + list(_KINDS)
    if word not in known:
        close = difflib.get_close_matches(word, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SelectionError(
            f"{source}: unknown BitMart fault {word!r}{hint} (pytest_bitmart.faults() lists them; "
            f"kinds: {', '.join(_KINDS)})"
        )
