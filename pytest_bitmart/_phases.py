"""Following pytest through the run: arm each test at the start of its setup, name every phase, report refusals.

Registered once per run by ``plugin.pytest_configure``. A test's owner is armed when its setup starts
(before any fixture, whatever their order) and disarmed when its teardown ends, so its rules answer the
test body and its function-scoped fixtures, set up and torn down. Fixtures of wider scope get a phase of
their own, so that their requests are answered by the answers they armed (``bitmart_answers``), or else
refused with their name, never given the test's answers.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from . import _markers, _reporting
from ._router import Owner, Phase, RequestRefusedError, Router

if TYPE_CHECKING:
    from ._adapters import Installation
    from ._mock import BitMartMock, Call
    from ._scoped import BitMartAnswers

__all__ = ["ARMED", "Armed", "RoutingPlugin"]

# The names of fixtures that ask for answers: a test requesting one gets a mock even without a marker.
_OUR_FIXTURES = ("bitmart_mock", "bitmart_error", "bitmart_fault", "bitmart_failure")
# The fixtures whose parametrized case (a code or a fault) is armed when the test's setup starts.
_CASE_FIXTURES = ("bitmart_error", "bitmart_fault", "bitmart_failure")
_WORKER_KEY = "pytest_bitmart_refused"


@dataclass(slots=True)
class Armed:
    """What a running test was armed with, and how much of its trouble has been reported already."""

    owner: Owner
    reported_unmatched: int = 0


@dataclass(slots=True)
class _Scoped:
    """A wider-scoped fixture's armed answers, and how many of its unmatched requests were reported."""

    owner: Owner
    answers: BitMartAnswers
    reported_unmatched: int = 0


class MockFactory(Protocol):
    """Builds a test's mock (seeded with its node id), or a wider-scoped fixture's answers."""

    def __call__(self, seed: str, *, scoped: bool = False) -> BitMartMock: ...


ARMED = pytest.StashKey[Armed]()


class RoutingPlugin:
    """The run's pytest hooks for routing: phases, arming, reporting."""

    def __init__(
        self,
        config: pytest.Config,
        router: Router,
        installation: Installation,
        make_mock: MockFactory,
    ) -> None:
        self._config = config
        self._router = router
        self._installation = installation
        self._make_mock = make_mock
        self._teardowns: dict[int, Phase] = {}
        self._setups: dict[int, tuple[Phase, str]] = {}
        self._scoped: list[_Scoped] = []
        self._remote: list[str] = []

    # Phases ---------------------------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_collection(self) -> Generator[None, object, object]:
        phase = Phase("during collection")
        self._router.enter(phase)
        try:
            return (yield)
        finally:
            self._router.leave(phase)

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self) -> Generator[None, Any, Any]:
        report: pytest.CollectReport = yield
        if report.failed:
            hint = _markers.strict_marker_hint(str(report.longrepr))
            if hint is not None:
                report.sections.append(("pytest-bitmart", hint))
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any]) -> Generator[None, object, object]:
        if fixturedef.scope == "function":
            return (yield)
        where = self._where(fixturedef)
        named = f"{fixturedef.scope}-scoped fixture '{fixturedef.argname}' ({where})"
        setup = Phase(f"during setup of {named}", fixturedef.scope, fixturedef)
        teardown = Phase(f"during teardown of {named}", fixturedef.scope, fixturedef)
        self._router.enter(setup)
        self._setups[id(fixturedef)] = (setup, named)
        before = self._router.alive()
        try:
            return (yield)
        finally:
            del self._setups[id(fixturedef)]
            self._router.leave(setup)
            self._router.threads_started(before, setup)
            # Finalizers run newest first: this one runs before the fixture's own teardown code, and
            # pytest_fixture_post_finalizer, registered before any, after it.
            fixturedef.addfinalizer(lambda: self._enter_teardown(fixturedef, teardown))

    def _enter_teardown(self, fixturedef: pytest.FixtureDef[Any], phase: Phase) -> None:
        self._teardowns[id(fixturedef)] = phase
        self._router.enter(phase)

    @pytest.hookimpl
    def pytest_fixture_post_finalizer(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        phase = self._teardowns.pop(id(fixturedef), None)
        if phase is not None:
            self._router.leave(phase)

    def _where(self, fixturedef: pytest.FixtureDef[Any]) -> str:
        code = getattr(fixturedef.func, "__code__", None)
        if code is None:
            return fixturedef.baseid or "."
        filename = str(code.co_filename)
        try:
            return os.path.relpath(filename, self._config.rootpath).replace(os.sep, "/")
        except ValueError:  # another drive on Windows
            return filename

    # Arming a test --------------------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        __tracebackhide__ = True
        owner = Owner("function", item.nodeid, live=_markers.is_live(item) or self._router.live)
        owner.make = lambda: self._make_mock(item.nodeid)
        item.stash[ARMED] = Armed(owner)
        self._router.arm(owner)
        phase = Phase(f"during setup of test {item.nodeid}")
        self._router.enter(phase)
        try:
            self._arm(item, owner)
            return (yield)
        finally:
            self._router.leave(phase)
            if owner.mock is not None:
                owner.mock._settle()  # noqa: SLF001 - see _arm: rules the body arms come after the case

    def _arm(self, item: pytest.Item, owner: Owner) -> None:
        __tracebackhide__ = True
        typo = _markers.misspelt(item)
        if typo is not None:
            pytest.fail(typo, pytrace=False)
        names = getattr(item, "fixturenames", ())
        if not _markers.has_rules(item) and not any(name in names for name in _OUR_FIXTURES):
            return
        if _markers.is_live(item):
            pytest.fail(
                f"pytest-bitmart: {item.nodeid}: @pytest.mark.bitmart_live sends this test's BitMart requests "
                "for real, and its rules (markers or the bitmart_mock / bitmart_error fixtures) would answer "
                "them instead: keep one of the two.",
                pytrace=False,
            )
        owner.live = False
        owner.mock = mock = self._make_mock(item.nodeid)
        from ._rules import InvalidRuleError

        problem = None
        try:
            for rule in _markers.rules_from_markers(item):
                mock.add(rule)  # a host the mock does not answer is refused here
        except InvalidRuleError as error:
            problem = str(error)
        if problem is not None:  # failed outside the except block, so no chained traceback is shown
            pytest.fail(f"pytest-bitmart: {item.nodeid}: {problem}", pytrace=False)
        _markers.arm_gate(item, mock)
        # A code or fault given by parametrization is armed now too, not when its fixture runs, so a
        # fixture listed before it is answered the same. Until setup ends it comes after every rule the
        # fixtures arm (market data answered OK keeps answering); rules the test body arms come after it
        # (a success after `times` errors), in whatever order the arguments are listed.
        params = getattr(getattr(item, "callspec", None), "params", {})
        for name in _CASE_FIXTURES:
            build = getattr(params.get(name), "rule", None)
            if callable(build):
                mock._add_fallback(build())  # noqa: SLF001 - the one caller, kept off the public mock

    def mock_for(self, item: Any) -> BitMartMock:
        """The running test's mock; a test that asked for it only dynamically is armed from now on."""
        armed: Armed | None = item.stash.get(ARMED, None)
        if armed is None:
            pytest.fail(f"pytest-bitmart: {item.nodeid}: bitmart_mock is only available to a test", pytrace=False)
        mock = armed.owner.mock
        if mock is None:
            mock = armed.owner.mock = self._make_mock(item.nodeid)
            armed.owner.live = False
        return mock

    # Arming a wider-scoped fixture -----------------------------------------------------------------------

    def answers_for(self, request: Any, *, usage: str) -> tuple[Owner, BitMartAnswers]:
        """Arm answers for the wider-scoped fixture ``request`` belongs to, while it is being set up."""
        __tracebackhide__ = True
        test = self._router.test
        where = f"pytest-bitmart: {test.label if test is not None else 'outside any test'}"
        name = getattr(request, "fixturename", None)
        scope = getattr(request, "scope", None)
        if scope == "function":
            who = "the test" if name is None else f"fixture '{name}', which is function-scoped"
            pytest.fail(
                f"{where}: bitmart_answers() arms answers for a session-, package-, module- or class-scoped "
                f"fixture, and the request passed to it is {who}'s. Use the bitmart_mock fixture there: its "
                "rules answer the test and its function-scoped fixtures.",
                pytrace=False,
            )
        # pytest names the fixture a request belongs to only privately; compared by identity, never changed.
        fixturedef = getattr(request, "_fixturedef", None)
        setting_up = self._setups.get(id(fixturedef))
        if name is None or setting_up is None or self._router.phases[-1] is not setting_up[0]:
            pytest.fail(
                f"{where}: bitmart_answers() got {request!r}, not the request of the wider-scoped fixture "
                f"being set up: {usage}",
                pytrace=False,
            )
        phase, named = setting_up
        if any(scoped.owner.fixture is fixturedef for scoped in self._scoped if scoped.owner in self._router.owners):
            pytest.fail(f"{where}: {named} already armed bitmart_answers(): enter it once.", pytrace=False)
        answers = self._make_mock(named, scoped=True)
        owner = Owner(phase.scope or "session", named, mock=answers, fixture=fixturedef)
        owner.fallback = answers.fallback  # type: ignore[attr-defined] # scoped=True builds BitMartAnswers
        self._scoped.append(_Scoped(owner, answers))  # type: ignore[arg-type] # as above
        self._router.arm(owner)
        return owner, answers  # type: ignore[return-value] # as above

    def release(self, owner: Owner) -> None:
        """The fixture's ``with`` block ended: its answers and fallbacks stop answering."""
        self._router.disarm(owner)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        __tracebackhide__ = True
        armed = item.stash.get(ARMED, None)
        phase = Phase(f"during test {item.nodeid}")
        self._router.enter(phase)
        try:
            if armed is not None and armed.owner.mock is not None:
                # Another mocker that would answer BitMart first is named before the test runs; a BitMart
                # answer registered with another mocker, which we made unreachable, once it has.
                message = self._installation.shadowing()
                if message is not None:
                    pytest.fail(f"pytest-bitmart: {item.nodeid}: {message}", pytrace=False)
                yield
                message = self._installation.registered_elsewhere(getattr(item, "funcargs", {}))
                if message is not None:
                    pytest.fail(f"pytest-bitmart: {item.nodeid}: {message}", pytrace=False)
                return None
            return (yield)
        finally:
            self._router.leave(phase)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        armed = item.stash.get(ARMED, None)
        phase = Phase(f"during teardown of test {item.nodeid}")
        self._router.enter(phase)
        try:
            return (yield)
        finally:
            self._router.leave(phase)
            if armed is not None:
                self._router.disarm(armed.owner)
                if armed.owner.mock is not None:
                    armed.owner.mock._close()  # noqa: SLF001 - arming a finished test's mock is a mistake

    # Reporting ------------------------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        armed = item.stash.get(ARMED, None)
        if armed is None:
            return report
        if report.when == "teardown":
            # The test is over: its mock, with every request and answer it recorded, is not kept by the item
            # (items live until the run ends; a suite of thousands of tests would hold them all).
            del item.stash[ARMED]
        mock = armed.owner.mock
        if mock is not None and report.when == "call":
            from ._coverage import FAULTS_PROPERTY, PROPERTY, served_codes, served_faults

            report.user_properties.append((PROPERTY, served_codes(mock)))
            report.user_properties.append((FAULTS_PROPERTY, served_faults(mock)))
        if report.failed and call.excinfo is not None and _ours(call.excinfo.value):
            # The test already fails with our error: the same requests are not reported again.
            self._take(item, armed)
            return report
        if report.when == "call":
            return report
        # At setup, only what wider-scoped fixtures set up for this test left unanswered: the test does not
        # run on a fixture whose requests got no answer. The test's own trouble is reported at teardown.
        text = self._take_scoped(item) if report.when == "setup" else self._take(item, armed)
        if text is None:
            return report
        if report.passed:
            report.outcome = "failed"
            report.longrepr = text
        else:
            report.sections.append(("pytest-bitmart", text))
        return report

    def _take(self, item: pytest.Item, armed: Armed) -> str | None:
        """The report of this test's unreported unmatched and refused requests; marks them reported."""
        mock = armed.owner.mock
        unmatched = mock.unmatched[armed.reported_unmatched :] if mock is not None else ()
        armed.reported_unmatched += len(unmatched)
        refused = self._router.take(item.nodeid)
        texts = [_reporting.test_report(item.nodeid, mock, unmatched, refused, None)] if unmatched or refused else []
        scoped = self._take_scoped(item)
        return "\n".join([*texts, scoped] if scoped else texts) or None

    def _take_scoped(self, item: pytest.Item) -> str | None:
        """The report of wider-scoped fixtures' unreported unmatched requests; marks them reported.

        They fail the test whose setup or teardown ran the fixture.
        """
        texts = []
        for scoped in self._scoped:
            theirs: tuple[Call, ...] = scoped.answers.unmatched[scoped.reported_unmatched :]
            scoped.reported_unmatched += len(theirs)
            if theirs:
                texts.append(_reporting.test_report(item.nodeid, scoped.answers, theirs, (), scoped.owner.label))
        self._scoped = [scoped for scoped in self._scoped if scoped.owner in self._router.owners]
        return "\n".join(texts) or None

    # The run ---------------------------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        lines = self._outside_lines()
        workeroutput = getattr(self._config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller reports and fails the run
            workeroutput[_WORKER_KEY] = lines
            return
        if lines and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _outside_lines(self) -> list[str]:
        refused = self._router.outside()
        return [*self._remote, *(_reporting.outside_report(refused) if refused else [])]

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:  # noqa: ARG002 - xdist's signature
        self._remote.extend(getattr(node, "workeroutput", {}).get(_WORKER_KEY, ()))

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        lines = self._outside_lines()
        if not lines:
            return
        terminalreporter.section("pytest-bitmart: BitMart requests outside any test", red=True)
        for line in lines:
            terminalreporter.write_line(line)


def _ours(error: BaseException) -> bool:
    """Whether ``error`` is, wraps or was caused by one of our refusals or unmatched-request errors."""
    from ._mock import UnmatchedRequestError

    seen: set[int] = set()
    pending: list[object] = [error]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, RequestRefusedError | UnmatchedRequestError):
            return True
        pending += [current.__cause__, current.__context__, *current.args]
    return False
