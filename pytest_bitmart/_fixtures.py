"""The fixtures and the parametrization of pytest-bitmart, registered as a plugin when a run starts.

Kept out of the entry point so that loading ``pytest_bitmart.plugin`` stays cheap: this module and what it
imports load with the run's ``pytest_configure``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ._markers import CODES_MARKER

if TYPE_CHECKING:
    from . import _fault_selection, _selection
    from ._catalog import ErrorCode, HttpFailure
    from ._faults import Fault
    from ._mock import BitMartMock
    from ._phases import MockFactory
    from ._router import Router

# The run's narrowing of the every-code and every-fault fixtures, parsed once by pytest_configure.
RUN_FAMILIES = pytest.StashKey["frozenset[str] | None"]()
RUN_SOURCES = pytest.StashKey["frozenset[str] | None"]()
RUN_FAULTS = pytest.StashKey["frozenset[str] | None"]()
# The fixtures pytest_generate_tests parametrizes.
_PARAMETRIZED = ("bitmart_error", "bitmart_fault", "bitmart_failure")


def mock_factory(config: pytest.Config, extra_hosts: tuple[str, ...], router: Router) -> MockFactory:
    hook = config.hook.pytest_bitmart_response

    def on_response(request: object, response: object) -> None:
        hook(request=request, response=response)

    def make(seed: str, *, scoped: bool = False) -> BitMartMock:
        from ._mock import DEFAULT_HOSTS, BitMartMock  # the first armed test loads the engine

        hosts = (*DEFAULT_HOSTS, *extra_hosts)
        # The hook is called only when a conftest implements it (rarely): most answers skip the call.
        hooked = on_response if hook.get_hookimpls() else None
        if scoped:  # a wider-scoped fixture's answers (bitmart_answers)
            from ._scoped import BitMartAnswers

            return BitMartAnswers(seed, hosts=hosts, on_response=hooked)
        return BitMartMock(hosts=hosts, seed=seed, on_response=hooked, behind=router.fallbacks)

    return make


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    codes_on_test = any(mark.name == CODES_MARKER for mark in metafunc.definition.own_markers)
    if not codes_on_test and not any(name in metafunc.fixturenames for name in _PARAMETRIZED):
        return  # nothing of the plugin's to parametrize or check: a run that never uses it loads no catalog
    from . import _selection

    _parametrize_faults(metafunc)
    # One test per documented code, unless a bitmart_error marker already says which code this test is about.
    definition = metafunc.definition
    problem = _selection.misplaced(
        uses_fixture="bitmart_error" in metafunc.fixturenames,
        # On a bitmart_failure test the codes marker narrows that fixture's codes (see _parametrize_faults).
        codes_on_test=codes_on_test and "bitmart_failure" not in metafunc.fixturenames,
        error_marker=definition.get_closest_marker("bitmart_error") is not None,
        http_error_markers=[mark.kwargs for mark in definition.iter_markers("bitmart_http_error")],
    )
    if problem is not None:
        pytest.fail(f"pytest-bitmart: {definition.nodeid}: {problem}", pytrace=False)
    if "bitmart_error" not in metafunc.fixturenames or definition.get_closest_marker("bitmart_error"):
        return
    markers = list(definition.iter_markers(_selection.CODES_MARKER))
    try:
        selection = _selection.select(markers, metafunc.config.stash[RUN_FAMILIES], metafunc.config.stash[RUN_SOURCES])
    except _selection.SelectionError as error:
        problem = str(error)
    if problem is not None:
        pytest.fail(f"pytest-bitmart: {metafunc.definition.nodeid}: {problem}", pytrace=False)
    if selection.skip_reason is not None:
        skipped = pytest.param(None, marks=pytest.mark.skip(reason=selection.skip_reason), id="none")
        metafunc.parametrize("bitmart_error", [skipped], indirect=True)
        return
    metafunc.parametrize("bitmart_error", selection.cases, ids=[case.id for case in selection.cases], indirect=True)


def _parametrize_faults(metafunc: pytest.Metafunc) -> None:
    # One test per fault (bitmart_fault), or per code and fault (bitmart_failure), narrowed like the codes.
    names = metafunc.fixturenames
    wanted = [name for name in ("bitmart_fault", "bitmart_failure") if name in names]
    if not wanted or metafunc.definition.get_closest_marker("bitmart_fault"):
        return
    from . import _fault_selection, _selection

    definition = metafunc.definition
    problem = None
    try:
        cases: list[_selection.Case | _fault_selection.FaultCase] = list(
            _fault_selection.select_faults(
                [mark.kwargs for mark in definition.iter_markers(_fault_selection.FAULTS_MARKER)],
                metafunc.config.stash[RUN_FAULTS],
            )
        )
        if wanted == ["bitmart_failure"]:
            codes = _selection.select(
                list(definition.iter_markers(_selection.CODES_MARKER)),
                metafunc.config.stash[RUN_FAMILIES],
                metafunc.config.stash[RUN_SOURCES],
            )
            cases = [*codes.cases, *cases]
    except _selection.SelectionError as error:
        problem = str(error)
    if problem is not None:
        pytest.fail(f"pytest-bitmart: {definition.nodeid}: {problem}", pytrace=False)
    if not cases:
        skipped = pytest.param(
            None, marks=pytest.mark.skip(reason="no BitMart fault is selected in this run"), id="none"
        )
        metafunc.parametrize(wanted[0], [skipped], indirect=True)
        return
    metafunc.parametrize(wanted[0], cases, ids=[case.id for case in cases], indirect=True)


@pytest.fixture
def bitmart_mock(request: pytest.FixtureRequest) -> BitMartMock:
    """Answer this test's BitMart requests; arm rules with ``.error()`` / ``.ok()``, inspect ``.calls``.

    Armed when the test's setup starts, before any fixture: its rules answer the test and its
    function-scoped fixtures, in whatever order they are listed.
    """
    from ._phases import RoutingPlugin

    plugin = request.config.pluginmanager.get_plugin("bitmart-routing")
    assert isinstance(plugin, RoutingPlugin)
    return plugin.mock_for(request.node)


@pytest.fixture
def bitmart_error(request: pytest.FixtureRequest, bitmart_mock: BitMartMock) -> ErrorCode | HttpFailure:
    """Arm this test's BitMart error: one documented code per test instance, on every BitMart request.

    A test carrying ``@pytest.mark.bitmart_error(CODE)`` is not parametrized; it gets that code's entry.
    """
    case: _selection.Case | None = getattr(request, "param", None)
    if case is not None:
        return case.entry  # its rule was armed when the test's setup started
    marker = request.node.get_closest_marker("bitmart_error")
    if marker is None or not marker.args:
        pytest.fail(
            f"pytest-bitmart: {request.node.nodeid}: the bitmart_error fixture was requested dynamically; "
            "name it in the test's arguments so it can be parametrized, or add @pytest.mark.bitmart_error(CODE)",
            pytrace=False,
        )
    from ._catalog import lookup

    return lookup(marker.args[0], variant=marker.kwargs.get("variant"))  # validated and armed already


@pytest.fixture
def bitmart_fault(request: pytest.FixtureRequest, bitmart_mock: BitMartMock) -> Fault:
    """Arm this test's BitMart fault: one catalog fault per test instance (ids are the names), on every request.

    A test carrying ``@pytest.mark.bitmart_fault(NAME)`` is not parametrized; it gets that fault.
    """
    case: _fault_selection.FaultCase | None = getattr(request, "param", None)
    if case is not None:
        return case.entry  # its rule was armed when the test's setup started
    marker = request.node.get_closest_marker("bitmart_fault")
    if marker is None or not marker.args:
        pytest.fail(
            f"pytest-bitmart: {request.node.nodeid}: the bitmart_fault fixture was requested dynamically; "
            "name it in the test's arguments so it can be parametrized, or add @pytest.mark.bitmart_fault(NAME)",
            pytrace=False,
        )
    from ._faults import fault

    return fault(marker.args[0])  # validated and armed already


@pytest.fixture
def bitmart_failure(request: pytest.FixtureRequest, bitmart_mock: BitMartMock) -> ErrorCode | HttpFailure | Fault:
    """Everything BitMart can do to a request: one test instance per documented code and per catalog fault."""
    case: _selection.Case | _fault_selection.FaultCase | None = getattr(request, "param", None)
    if case is None:
        pytest.fail(
            f"pytest-bitmart: {request.node.nodeid}: the bitmart_failure fixture was requested dynamically; "
            "name it in the test's arguments so it can be parametrized",
            pytrace=False,
        )
    return case.entry  # its rule was armed when the test's setup started
