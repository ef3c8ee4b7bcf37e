"""Which faults a test asking for the ``bitmart_fault`` (or ``bitmart_failure``) fixture runs with.

Like the codes: every fault to start with, narrowed by the run's ``--bitmart-faults`` option (or the
``bitmart_faults`` ini key) and the test's ``bitmart_faults`` markers. Both name faults or kinds
(``response``, ``cut``, ``transport``). A selection that cannot be honoured names the test and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._faults import Fault, faults
from ._options import FAULTS, OptionError, fault_problem
from ._rules import Rule, fault_rule
from ._selection import SelectionError, option_words

__all__ = ["FAULTS_MARKER", "FaultCase", "parse_fault_names", "select_faults"]

FAULTS_MARKER = "bitmart_faults"


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
    words = option_words(values, source=source, kind="fault", known="a fault's name or kind")
    for word in sorted(words or ()):
        problem = fault_problem(word)
        if problem:
            raise SelectionError(f"{source}: {problem}")
    return words


def select_faults(markers: Sequence[Mapping[str, Any]], run_words: frozenset[str] | None) -> tuple[FaultCase, ...]:
    """Every fault, narrowed by the run's names/kinds and the markers' options (closest marker first)."""
    given: dict[str, Any] = {}
    for marker_options in markers:
        for name, value in marker_options.items():
            given.setdefault(name, value)  # the closest marker's value wins
    origin = f"@pytest.mark.{FAULTS_MARKER}"
    try:
        options = FAULTS.check(given, origin)
    except OptionError as error:
        raise SelectionError(f"{origin}({error.option}=...): {error}" if error.option else str(error)) from None
    include, exclude, kinds = options["include"], options["exclude"] or frozenset(), options["kind"]
    return tuple(
        FaultCase(entry, options["times"])
        for entry in faults()
        if (run_words is None or _picked(entry, run_words))
        and (include is None or _picked(entry, include))
        and (kinds is None or entry.kind in kinds)
        and not _picked(entry, exclude)
    )


def _picked(entry: Fault, words: frozenset[str]) -> bool:
    return entry.name in words or entry.kind in words
