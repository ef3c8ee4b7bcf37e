"""The "BitMart errors" summary: which documented codes the run's passing tests were served.

Each test's served codes travel on its call report as a user property, the one channel pytest-xdist
carries from workers to the controller, so the count is the same with ``-n 2`` as without.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._mock import BitMartMock

__all__ = ["FAULTS_PROPERTY", "PROPERTY", "CoverageSummary", "served_codes", "served_faults"]

PROPERTY = "bitmart_codes_served"
FAULTS_PROPERTY = "bitmart_faults_served"


def served_codes(mock: BitMartMock) -> list[int]:
    """The documented error codes and global HTTP statuses that ``mock`` answered with, its gate included.

    A wider scope's fallback rule that answered one of the test's requests was not meant for the test.
    """
    served = set()
    for call in mock.calls:
        if call.rule is None or call.response is None or mock._answered_by_fallback(call):  # noqa: SLF001 - ours
            continue
        if call.rule.kind == "error" and call.code is not None:
            served.add(call.code)
        elif call.rule.kind == "http_error":
            served.add(call.response.status)
    return sorted(served)


def served_faults(mock: BitMartMock) -> list[str]:
    """The names of the catalog faults that ``mock`` answered (or failed a connection) with."""
    return sorted(
        {call.response.fault.name for call in mock.calls if call.response is not None and call.response.fault}
    )


class CoverageSummary:
    """Collects served codes from test reports and writes the summary section at the end of the run."""

    def __init__(self, *, list_missing: bool) -> None:
        self._list_missing = list_missing
        self._pending: dict[str, list[int]] = {}
        self._exercised: set[int] = set()
        self._pending_faults: dict[str, list[str]] = {}
        self._faults: set[str] = set()
        self._faults_used = False
        self._used = False

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            for name, value in report.user_properties:
                if name == PROPERTY:
                    self._used = True
                    if report.passed:
                        self._pending[report.nodeid] = list(value)  # type: ignore[call-overload]
                elif name == FAULTS_PROPERTY and value:
                    self._faults_used = True
                    if report.passed:
                        self._pending_faults[report.nodeid] = list(value)  # type: ignore[call-overload]
        elif report.when == "teardown":
            # A test counts once all of it passed: an unanswered request fails it at teardown.
            codes = self._pending.pop(report.nodeid, [])
            served_faults = self._pending_faults.pop(report.nodeid, [])
            if report.passed:
                self._exercised.update(codes)
                self._faults.update(served_faults)

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self._used:
            return
        # Loaded only now: a run that never used the plugin prints nothing and loads no catalog.
        from ._catalog import FAMILIES, SOURCES, error_codes, http_failures

        documented = error_codes()
        exercised = {entry.code for entry in documented} & self._exercised
        write = terminalreporter.write_line
        terminalreporter.section("BitMart errors")
        write(f"{len(exercised)}/{len(documented)} documented error codes exercised by passing tests")
        width = max(len(name) for name in (*FAMILIES, *SOURCES)) + 1
        for family in FAMILIES:
            codes = [entry.code for entry in documented if entry.family == family]
            write(f"  {family:<{width}}{len(exercised.intersection(codes)):>3}/{len(codes)}")
        for source in SOURCES:
            codes = [entry.code for entry in documented if entry.source == source]
            write(f"  {source:<{width}}{len(exercised.intersection(codes)):>3}/{len(codes)}")
        statuses = {failure.http_status for failure in http_failures()} & self._exercised
        if statuses:
            write(f"  global HTTP failures: {', '.join(map(str, sorted(statuses)))}")
        if self._faults_used:  # only runs that armed faults hear about them
            self._write_faults(terminalreporter)
        missing = [entry.code for entry in documented if entry.code not in exercised]
        if not missing:
            return
        if self._list_missing or terminalreporter.verbosity > 0:
            for family in FAMILIES:
                codes = [entry.code for entry in documented if entry.family == family and entry.code in missing]
                if codes:
                    write(f"  not exercised, {family}: {_ranges(codes)}")
        else:
            write(f"{len(missing)} not exercised; -v or --bitmart-coverage lists them")

    def _write_faults(self, terminalreporter: pytest.TerminalReporter) -> None:
        from ._faults import faults

        catalog = [entry.name for entry in faults()]
        write = terminalreporter.write_line
        write(f"{len(self._faults.intersection(catalog))}/{len(catalog)} faults exercised by passing tests")
        missing = [name for name in catalog if name not in self._faults]
        if missing and (self._list_missing or terminalreporter.verbosity > 0):
            write(f"  not exercised, faults: {', '.join(missing)}")


def _ranges(codes: Iterable[int]) -> str:
    """``30000-30008, 30010`` for a sorted run of codes: short enough to read in a terminal."""
    spans: list[list[int]] = []
    for code in codes:
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return ", ".join(str(start) if start == end else f"{start}-{end}" for start, end in spans)
