"""Which documented codes a test asking for the ``bitmart_error`` fixture runs with.

The set starts as every documented error code and is narrowed by the run's ``--bitmart-families`` and
``--bitmart-sources`` options (or ``bitmart_families`` / ``bitmart_sources`` ini keys) and the test's
``bitmart_codes`` markers. A selection that cannot be honoured is a collection error that names the test
and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ._catalog import FAMILIES, SOURCES, ErrorCode, HttpFailure, error_codes, http_failures
from ._options import CODES, OptionError, family_problem, source_problem
from ._rules import Rule, error_rule, http_error_rule

__all__ = [
    "CODES_MARKER",
    "Case",
    "Marker",
    "Selection",
    "SelectionError",
    "misplaced",
    "option_words",
    "parse_families",
    "parse_sources",
    "select",
]

CODES_MARKER = "bitmart_codes"


class SelectionError(ValueError):
    """A ``bitmart_codes`` marker or ``--bitmart-families`` value that selects nothing or names unknown codes."""


@dataclass(frozen=True, slots=True)
class Case:
    """One instance of a test using the ``bitmart_error`` fixture: a documented code and how often it answers."""

    entry: ErrorCode | HttpFailure
    times: int | None = None

    @property
    def id(self) -> str:
        """A stable, readable id that contains the code, so ``-k 50020`` selects it."""
        if isinstance(self.entry, HttpFailure):
            return f"http-{self.entry.http_status}"
        return f"{self.entry.code}-{self.entry.family}"

    def rule(self) -> Rule:
        """The rule that answers every BitMart request of the test (the first ``times`` ones) with this code."""
        options = {} if self.times is None else {"times": self.times}
        if isinstance(self.entry, HttpFailure):
            return http_error_rule(self.entry.http_status, options, origin="bitmart_error fixture")
        return error_rule(self.entry.code, options, origin="bitmart_error fixture")


@dataclass(frozen=True, slots=True)
class Selection:
    """The cases one test runs with, or why it has none in this run."""

    cases: tuple[Case, ...]
    skip_reason: str | None = None


class Marker(Protocol):
    """What the selection reads of a ``pytest.Mark``."""

    @property
    def args(self) -> tuple[Any, ...]: ...

    @property
    def kwargs(self) -> Mapping[str, Any]: ...


def option_words(values: Iterable[str], *, source: str, kind: str, known: str) -> frozenset[str] | None:
    """The words a comma- or line-separated run option names; ``None`` when it is left out or empty.

    Separators alone (``--bitmart-sources=,,,``) are a mistake, not a quiet "every one": the run would not
    be narrowed as its author meant.
    """
    values = list(values)
    words = {word.strip() for value in values for word in value.split(",") if word.strip()}
    if not words and any(value.strip() for value in values):
        raise SelectionError(
            f"{source}: {', '.join(map(repr, values))} names no {kind}; name at least one "
            f"({known}) or leave the option out to run every {kind}"
        )
    return frozenset(words) or None


def parse_families(values: Iterable[str], *, source: str) -> frozenset[str] | None:
    """The families a comma- or line-separated option names, checked; ``None`` when it names none."""
    families = option_words(values, source=source, kind="family", known=", ".join(FAMILIES))
    for family in sorted(families or ()):
        _check_family(family, source)
    return families


def parse_sources(values: Iterable[str], *, source: str) -> frozenset[str] | None:
    """The sources a comma- or line-separated option names, checked; ``None`` when it names none."""
    sources = option_words(values, source=source, kind="source", known=", ".join(SOURCES))
    for name in sorted(sources or ()):
        if name not in SOURCES:
            raise SelectionError(f"{source}: {source_problem(name)}")
    return sources


def misplaced(
    *,
    uses_fixture: bool,
    codes_on_test: bool,
    error_marker: bool,
    http_error_markers: Sequence[Mapping[str, Any]],
) -> str | None:
    """Why this test's markers and fixtures contradict each other, or ``None``.

    ``codes_on_test``: a ``bitmart_codes`` marker on the test function itself (one on a class or module
    applies to the tests there that use the fixture and is ignored by the others).
    """
    if codes_on_test and not uses_fixture:
        return (
            f"@pytest.mark.{CODES_MARKER} narrows the codes of the bitmart_error fixture, but this test does not "
            "use it; add bitmart_error to the test's arguments, or remove the marker"
        )
    if not uses_fixture:
        return None
    if codes_on_test and error_marker:
        return (
            f"@pytest.mark.{CODES_MARKER} and @pytest.mark.bitmart_error contradict each other: the marker fixes "
            f"the code, so the test is not run over the codes {CODES_MARKER} selects; remove one of them"
        )
    if not error_marker and any(not kwargs for kwargs in http_error_markers):
        return (
            "@pytest.mark.bitmart_http_error answers every BitMart request before the bitmart_error fixture's "
            "code could, so the test would never see the code the fixture reports; remove the marker, narrow it "
            "with path=/method=/times=, or use bitmart_codes(http_failures=True)"
        )
    return None


def select(
    markers: Sequence[Marker],
    run_families: frozenset[str] | None,
    run_sources: frozenset[str] | None = None,
) -> Selection:
    """Narrow every documented code by the run's families and sources and the markers' options.

    The closest marker's value wins per option.
    """
    given: dict[str, Any] = {}
    origin = f"@pytest.mark.{CODES_MARKER}"
    for marker in markers:
        if marker.args:
            raise SelectionError(
                f"{origin} takes options by name only, got {', '.join(map(repr, marker.args))}; "
                f"write e.g. {CODES_MARKER}(include=[50020]) or {CODES_MARKER}(family='spot')"
            )
        for name, value in marker.kwargs.items():
            given.setdefault(name, value)  # the closest marker's value wins
    try:
        options = CODES.check(given, origin)
    except OptionError as error:
        where = origin if error.option is None else f"{origin}({error.option}=...)"
        raise SelectionError(f"{where}: {error}" if error.option else str(error)) from None

    families, sources, statuses = options["family"], options["source"], options["http_status"]
    include, exclude = options["include"], options["exclude"]
    entries: list[ErrorCode | HttpFailure] = [
        entry
        for entry in error_codes()
        if (run_families is None or entry.family in run_families)
        and (families is None or entry.family in families)
        and (run_sources is None or entry.source in run_sources)
        and (sources is None or entry.source in sources)
        and (statuses is None or entry.http_status in statuses)
        and (include is None or entry.code in include)
        and entry.code not in (exclude or ())
    ]
    if options["http_failures"]:
        entries += [failure for failure in http_failures() if statuses is None or failure.http_status in statuses]
    if entries:
        return Selection(tuple(Case(entry, options["times"]) for entry in entries))
    if (run_families is not None or run_sources is not None) and select(markers, None).cases:
        # The run was narrowed on purpose (--bitmart-families, --bitmart-sources): this test has nothing to do in it.
        narrowed = [f"families {', '.join(sorted(run_families))}"] if run_families is not None else []
        narrowed += [f"sources {', '.join(sorted(run_sources))}"] if run_sources is not None else []
        return Selection((), skip_reason=f"no selected code is in {' and '.join(narrowed)}")
    raise SelectionError(
        f"the selection of BitMart codes is empty; widen @pytest.mark.{CODES_MARKER}(...) so it keeps at least one code"
    )


def _check_family(family: str, source: str) -> None:
    if family not in FAMILIES:
        raise SelectionError(f"{source}: {family_problem(family)}")
