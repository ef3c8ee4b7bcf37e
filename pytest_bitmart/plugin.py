"""The pytest11 entry point: markers, options, fixtures and hooks. Glue only; the work lives elsewhere.

Importing this module must stay cheap: pytest and the standard library only. Client adapters are
installed when their library is imported (``_adapters``); ``_phases`` arms each test and reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from . import _fault_selection, _selection
from ._catalog import ErrorCode, HttpFailure, lookup
from ._faults import Fault, fault
from ._mock import BitMartMock
from ._options import marker_help

if TYPE_CHECKING:
    from ._phases import MockFactory
    from ._router import Router

_RUN_FAMILIES = pytest.StashKey["frozenset[str] | None"]()
_RUN_SOURCES = pytest.StashKey["frozenset[str] | None"]()
_RUN_FAULTS = pytest.StashKey["frozenset[str] | None"]()
_UNDO = pytest.StashKey["list[Callable[[], None]]"]()

# The gate's markers and the live opt-out are not rule kinds: their options live elsewhere, their help here.
_GATE_MARKER_HELP = (
    (
        "bitmart_account(*, api_key, secret, memo='', state='active', permissions=('read', 'trade', 'withdraw'), "
        "ip_allowed=True, rate_limits=False, ip_ban_after=None): check this test's keyed and signed BitMart "
        "requests against this account, as BitMart's gate does, before any rule answers."
    ),
    (
        "bitmart_rate_limits(*, ip_ban_after=None): count each BitMart endpoint's documented rate limit in "
        "this test; over it, 30013 with HTTP 429."
    ),
    (
        "bitmart_live: let this test's BitMart requests go to the real exchange (or demo host) instead of "
        "refusing them; for deliberate integration tests."
    ),
)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import _hookspecs

    pluginmanager.add_hookspecs(_hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "bitmart_hosts",
        type="linelist",
        default=[],
        help="pytest-bitmart: more hosts to treat as BitMart (a proxy, a regional domain), one per line.",
    )
    parser.addini(
        "bitmart_live",
        type="bool",
        default=False,
        help="pytest-bitmart: let BitMart requests no rule answers go to the real exchange for the whole run.",
    )
    parser.addini(
        "bitmart_families",
        type="args",
        default=[],
        help=(
            "pytest-bitmart: run the bitmart_error fixture only over these families "
            "(auth funding spot contract spot-public)."
        ),
    )
    parser.addini(
        "bitmart_sources",
        type="args",
        default=[],
        help="pytest-bitmart: run the bitmart_error fixture only over codes from these sources "
        "(error-page spot-docs futures-docs).",
    )
    parser.addini(
        "bitmart_summary",
        default="short",
        help="pytest-bitmart: the BitMart errors summary at the end of the run: off, short or full.",
    )
    parser.addini(
        "bitmart_faults",
        type="args",
        default=[],
        help="pytest-bitmart: run the bitmart_fault fixture only over these faults or kinds (response cut transport).",
    )
    group = parser.getgroup("bitmart", "pytest-bitmart")
    group.addoption(
        "--bitmart-faults",
        metavar="FAULT[,FAULT]",
        help="run the bitmart_fault fixture only over these faults or kinds (response, cut, transport).",
    )
    group.addoption(
        "--bitmart-families",
        metavar="FAMILY[,FAMILY]",
        help="run the bitmart_error fixture only over these families (auth, funding, spot, contract, spot-public).",
    )
    group.addoption(
        "--bitmart-sources",
        metavar="SOURCE[,SOURCE]",
        help="run the bitmart_error fixture only over codes from these sources (error-page, spot-docs, futures-docs).",
    )
    group.addoption(
        "--bitmart-live",
        action="store_true",
        help="let BitMart requests no rule answers go to the real exchange (default: refuse them).",
    )
    group.addoption(
        "--bitmart-coverage",
        action="store_true",
        help="list the documented BitMart codes that no passing test exercised.",
    )
    group.addoption(
        "--bitmart-summary",
        choices=("off", "short", "full"),
        help="the BitMart errors summary: off, short (the default) or full (--bitmart-coverage).",
    )


def pytest_configure(config: pytest.Config) -> None:
    for help_text in (*marker_help(), *_GATE_MARKER_HELP):
        config.addinivalue_line("markers", help_text)
    option = config.getoption("bitmart_families")
    source = "--bitmart-families" if option else "the bitmart_families ini option"
    try:
        config.stash[_RUN_FAMILIES] = _selection.parse_families(
            [option] if option else config.getini("bitmart_families"), source=source
        )
    except _selection.SelectionError as error:
        raise pytest.UsageError(f"pytest-bitmart: {error}") from None
    option = config.getoption("bitmart_sources")
    source = "--bitmart-sources" if option else "the bitmart_sources ini option"
    try:
        config.stash[_RUN_SOURCES] = _selection.parse_sources(
            [option] if option else config.getini("bitmart_sources"), source=source
        )
    except _selection.SelectionError as error:
        raise pytest.UsageError(f"pytest-bitmart: {error}") from None
    option = config.getoption("bitmart_faults")
    source = "--bitmart-faults" if option else "the bitmart_faults ini option"
    try:
        config.stash[_RUN_FAULTS] = _fault_selection.parse_fault_names(
            [option] if option else config.getini("bitmart_faults"), source=source
        )
    except _selection.SelectionError as error:
        raise pytest.UsageError(f"pytest-bitmart: {error}") from None
    if not hasattr(config, "workerinput"):  # under xdist the controller sums up what the workers report
        from ._coverage import CoverageSummary

        mode = config.getoption("bitmart_summary") or config.getini("bitmart_summary")
        if mode not in {"off", "short", "full"}:
            raise pytest.UsageError(f"pytest-bitmart: bitmart_summary = {mode!r}; use off, short or full")
        if mode != "off":
            full = mode == "full" or config.getoption("bitmart_coverage")
            config.pluginmanager.register(CoverageSummary(list_missing=full), "bitmart-coverage")
    _start_routing(config)


def _start_routing(config: pytest.Config) -> None:
    """Install the firewall and the client adapters once for the run, routed by the run's router."""
    from . import _adapters, _firewall, _hosts, _phases
    from ._router import Router

    try:
        extra = _hosts.parse_hosts(config.getini("bitmart_hosts"))
    except _hosts.HostsError as error:
        raise pytest.UsageError(str(error)) from None
    matcher = _hosts.HostMatcher(extra)
    live = bool(config.getoption("bitmart_live") or config.getini("bitmart_live"))
    router = Router(matcher.matches, live=live)
    undo: list[Callable[[], None]] = config.stash.setdefault(_UNDO, [])
    # The firewall first, so that the adapters sit above it and answer before it is consulted.
    undo.append(_firewall.install(matcher, router.firewall_refusal))
    installation = _adapters.Installation(router)
    installation.start()
    undo.append(installation.stop)
    plugin = _phases.RoutingPlugin(config, router, installation, _mock_factory(config, extra, router))
    config.pluginmanager.register(plugin, "bitmart-routing")


def pytest_unconfigure(config: pytest.Config) -> None:
    undos: list[Callable[[], None]] = config.stash.get(_UNDO, [])
    for undo in reversed(undos):
        undo()
    config.stash[_UNDO] = []


def _mock_factory(config: pytest.Config, extra_hosts: tuple[str, ...], router: Router) -> MockFactory:
    from ._mock import DEFAULT_HOSTS

    hook = config.hook.pytest_bitmart_response
    hosts = (*DEFAULT_HOSTS, *extra_hosts)

    def on_response(request: object, response: object) -> None:
        hook(request=request, response=response)

    def make(seed: str, *, scoped: bool = False) -> BitMartMock:
        # The hook is called only when a conftest implements it (rarely): most answers skip the call.
        hooked = on_response if hook.get_hookimpls() else None
        if scoped:  # a wider-scoped fixture's answers (bitmart_answers)
            from ._scoped import BitMartAnswers

            return BitMartAnswers(seed, hosts=hosts, on_response=hooked)
        return BitMartMock(hosts=hosts, seed=seed, on_response=hooked, behind=router.fallbacks)

    return make


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    _parametrize_faults(metafunc)
    # One test per documented code, unless a bitmart_error marker already says which code this test is about.
    definition = metafunc.definition
    problem = _selection.misplaced(
        uses_fixture="bitmart_error" in metafunc.fixturenames,
        codes_on_test=any(mark.name == _selection.CODES_MARKER for mark in definition.own_markers),
        error_marker=definition.get_closest_marker("bitmart_error") is not None,
        http_error_markers=[mark.kwargs for mark in definition.iter_markers("bitmart_http_error")],
    )
    if problem is not None:
        pytest.fail(f"pytest-bitmart: {definition.nodeid}: {problem}", pytrace=False)
    if "bitmart_error" not in metafunc.fixturenames or definition.get_closest_marker("bitmart_error"):
        return
    markers = list(definition.iter_markers(_selection.CODES_MARKER))
    try:
        selection = _selection.select(
            markers, metafunc.config.stash[_RUN_FAMILIES], metafunc.config.stash[_RUN_SOURCES]
        )
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
    definition = metafunc.definition
    problem = None
    try:
        cases: list[_selection.Case | _fault_selection.FaultCase] = list(
            _fault_selection.select_faults(
                [mark.kwargs for mark in definition.iter_markers(_fault_selection.FAULTS_MARKER)],
                metafunc.config.stash[_RUN_FAULTS],
            )
        )
        if wanted == ["bitmart_failure"]:
            codes = _selection.select(
                list(definition.iter_markers(_selection.CODES_MARKER)),
                metafunc.config.stash[_RUN_FAMILIES],
                metafunc.config.stash[_RUN_SOURCES],
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
