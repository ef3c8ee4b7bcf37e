"""Which documented codes a test asking for the ``bitmart_error`` fixture runs with.

The set starts as every documented error code and is narrowed by the run's ``--bitmart-families`` and
``--bitmart-sources`` options (or ``bitmart_families`` / ``bitmart_sources`` ini keys) and the test's
``bitmart_codes`` markers. A selection that cannot be
honoured is a collection error that names the test and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._catalog import FAMILIES, SOURCES, ErrorCode, HttpFailure, UnknownCodeError, error_codes, http_failures, lookup
from ._rules import Rule, error_rule, http_error_rule

__all__ = [
    "CODES_MARKER",
    "CODES_OPTIONS",
    "Case",
    "Selection",
    "SelectionError",
    "parse_families",
    "parse_sources",
    "select",
]

CODES_MARKER = "bitmart_codes"
CODES_OPTIONS = ("family", "source", "http_status", "include", "exclude", "times", "http_failures")


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


def parse_families(values: Iterable[str], *, source: str) -> frozenset[str] | None:
    """The families a comma- or line-separated option names, checked; ``None`` when it names none."""
    families = {word.strip() for value in values for word in value.split(",") if word.strip()}
    for family in families:
        _check_family(family, source)
    return frozenset(families) or None


def parse_sources(values: Iterable[str], *, source: str) -> frozenset[str] | None:
    """The sources a comma- or line-separated option names, checked; ``None`` when it names none."""
    sources = {word.strip() for value in values for word in value.split(",") if word.strip()}
    for name in sources:
        _check_source(name, source)
    return frozenset(sources) or None


def select(
    markers: Sequence[Mapping[str, Any]],
    run_families: frozenset[str] | None,
    run_sources: frozenset[str] | None = None,
) -> Selection:
    """Narrow every documented code by the run's families and sources and the markers' options.

    The closest marker's value wins per option.
    """
    options: dict[str, Any] = {}
    for marker_options in markers:
        for name, value in marker_options.items():
            if name not in CODES_OPTIONS:
                close = difflib.get_close_matches(name, CODES_OPTIONS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise SelectionError(
                    f"@pytest.mark.{CODES_MARKER} got an unknown option {name!r}{hint}; "
                    f"it takes {', '.join(CODES_OPTIONS)}"
                )
            options.setdefault(name, value)  # the closest marker's value wins

    families = _as_set(options.get("family"), str)
    for family in families or ():
        _check_family(family, f"@pytest.mark.{CODES_MARKER}(family=...)")
    sources = _as_set(options.get("source"), str)
    for name in sources or ():
        _check_source(name, f"@pytest.mark.{CODES_MARKER}(source=...)")
    statuses = _as_set(options.get("http_status"), int)
    include = _codes(options.get("include"), "include")
    exclude = _codes(options.get("exclude"), "exclude")

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
    if options.get("http_failures"):
        entries += [failure for failure in http_failures() if statuses is None or failure.http_status in statuses]
    times = _times(options.get("times"))
    if entries:
        return Selection(tuple(Case(entry, times) for entry in entries))
    if (run_families is not None or run_sources is not None) and select(markers, None).cases:
        # The run was narrowed on purpose (--bitmart-families, --bitmart-sources): this test has nothing to do in it.
        where = [f"families {', '.join(sorted(run_families))}"] if run_families is not None else []
        where += [f"sources {', '.join(sorted(run_sources))}"] if run_sources is not None else []
        return Selection((), skip_reason=f"no selected code is in {' and '.join(where)}")
    raise SelectionError(
        f"the selection of BitMart codes is empty; widen @pytest.mark.{CODES_MARKER}(...) so it keeps at least one code"
    )


def _check_family(family: str, source: str) -> None:
    if family not in FAMILIES:
        close = difflib.get_close_matches(family, FAMILIES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SelectionError(f"{source}: unknown BitMart family {family!r}{hint} (families: {', '.join(FAMILIES)})")


def _check_source(name: str, source: str) -> None:
    if name not in SOURCES:
        close = difflib.get_close_matches(name, SOURCES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SelectionError(f"{source}: unknown BitMart source {name!r}{hint} (sources: {', '.join(SOURCES)})")


def _as_set(value: object, kind: type) -> frozenset[Any] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, kind) and not isinstance(value, bool) else value
    if not isinstance(values, Iterable) or isinstance(values, (str, bytes)):
        raise SelectionError(f"expected a {kind.__name__} or a list of them, got {value!r}")
    items = list(values)
    if not all(isinstance(item, kind) and not isinstance(item, bool) for item in items):
        raise SelectionError(f"expected a {kind.__name__} or a list of them, got {value!r}")
    return frozenset(items)


def _codes(value: object, name: str) -> frozenset[int] | None:
    codes = _as_set(value, int)
    for code in codes or ():
        try:
            entry = lookup(code)
        except UnknownCodeError as error:
            raise SelectionError(f"@pytest.mark.{CODES_MARKER}({name}=...): {error}") from None
        if entry.is_success:
            raise SelectionError(f"@pytest.mark.{CODES_MARKER}({name}=...): 1000 is the success code, not an error")
    return codes


def _times(value: object) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise SelectionError(
            f"@pytest.mark.{CODES_MARKER}(times=...) must be a whole number of at least 1, got {value!r}"
        )
    return value
