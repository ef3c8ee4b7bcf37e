"""The pytest11 entry point: markers, options, fixtures and hooks. Glue only; the work lives elsewhere.

Importing this module must stay cheap: pytest and the standard library only. Client and mocking
libraries are imported by ``_activation`` when a test asks for BitMart answers.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from . import _activation, _fault_selection, _gate, _selection
from ._catalog import ErrorCode, HttpFailure, lookup
from ._faults import Fault, fault
from ._mock import BitMartMock
from ._options import marker_help
from ._rules import InvalidRuleError

_ACTIVE_MOCK = pytest.StashKey[BitMartMock]()
_RUN_FAMILIES = pytest.StashKey["frozenset[str] | None"]()
_RUN_SOURCES = pytest.StashKey["frozenset[str] | None"]()
_RUN_FAULTS = pytest.StashKey["frozenset[str] | None"]()

# The gate's markers are not rule kinds: their options live in _gate, their help here.
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A marker alone arms the plugin: give those tests the fixture first, so clients built by the
    # user's own fixtures are covered too. Tests without a marker pay nothing.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and "bitmart_mock" not in names and _has_rule_marker(item):
            names.insert(0, "bitmart_mock")


def _has_rule_marker(item: pytest.Item) -> bool:
    return any(item.get_closest_marker(name) is not None for name in (*_activation.MARKERS, *_gate.MARKERS))


def _arm_gate(item: pytest.Item, mock: BitMartMock) -> None:
    """Switch on BitMart's gate from the bitmart_account / bitmart_rate_limits markers."""
    __tracebackhide__ = True
    for name in _gate.MARKERS:
        mark = item.get_closest_marker(name)
        if mark is None:
            continue
        problem = None
        try:
            options = _gate.marker_options(name, mark.args, mark.kwargs)
            (mock.account if name == _gate.ACCOUNT_MARKER else mock.rate_limits)(**options)
        except InvalidRuleError as error:
            problem = str(error)
        if problem is not None:  # failed outside the except block, so no chained traceback is shown
            pytest.fail(f"pytest-bitmart: {item.nodeid}: @pytest.mark.{name}: {problem}", pytrace=False)


@pytest.fixture
def bitmart_mock(request: pytest.FixtureRequest) -> Iterator[BitMartMock]:
    """Answer this test's BitMart requests; arm rules with ``.error()`` / ``.ok()``, inspect ``.calls``."""
    item = request.node
    config = request.config
    mock = BitMartMock(
        hosts=_activation.configured_hosts(config),
        seed=item.nodeid,
        on_response=_activation.response_hook(config),
    )
    try:
        for rule in _activation.rules_from_markers(item):
            mock.add(rule)  # a host the mock does not answer is refused here
    except InvalidRuleError as error:
        pytest.fail(f"pytest-bitmart: {item.nodeid}: {error}", pytrace=False)
    _arm_gate(item, mock)
    with _activation.activated(mock):
        item.stash[_ACTIVE_MOCK] = mock
        try:
            yield mock
        finally:
            del item.stash[_ACTIVE_MOCK]
            mock._close()  # noqa: SLF001 - the fixture owns the mock's life
    report = _activation.failure_report(item, mock)
    if report is not None:
        pytest.fail(report, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    mock = item.stash.get(_ACTIVE_MOCK, None)
    if mock is None:
        return (yield)
    # Another mocker that would answer BitMart first is named before the test runs; a BitMart answer
    # registered with another mocker, which we made unreachable, once it has.
    message = _activation.shadowing()
    if message is not None:
        pytest.fail(f"pytest-bitmart: {item.nodeid}: {message}", pytrace=False)
    result = yield
    message = _activation.registered_elsewhere(item, mock)
    if message is not None:
        pytest.fail(f"pytest-bitmart: {item.nodeid}: {message}", pytrace=False)
    return result


@pytest.fixture
def bitmart_error(request: pytest.FixtureRequest, bitmart_mock: BitMartMock) -> ErrorCode | HttpFailure:
    """Arm this test's BitMart error: one documented code per test instance, on every BitMart request.

    A test carrying ``@pytest.mark.bitmart_error(CODE)`` is not parametrized; it gets that code's entry.
    """
    case: _selection.Case | None = getattr(request, "param", None)
    if case is not None:
        bitmart_mock.add(case.rule())
        return case.entry
    marker = request.node.get_closest_marker("bitmart_error")
    if marker is None or not marker.args:
        pytest.fail(
            f"pytest-bitmart: {request.node.nodeid}: the bitmart_error fixture was requested dynamically; "
            "name it in the test's arguments so it can be parametrized, or add @pytest.mark.bitmart_error(CODE)",
            pytrace=False,
        )
    # Already validated and armed by bitmart_mock.
    return lookup(marker.args[0], variant=marker.kwargs.get("variant"))


@pytest.fixture
def bitmart_fault(request: pytest.FixtureRequest, bitmart_mock: BitMartMock) -> Fault:
    """Arm this test's BitMart fault: one catalog fault per test instance (ids are the names), on every request.

    A test carrying ``@pytest.mark.bitmart_fault(NAME)`` is not parametrized; it gets that fault.
    """
    case: _fault_selection.FaultCase | None = getattr(request, "param", None)
    if case is not None:
        bitmart_mock.add(case.rule())
        return case.entry
    marker = request.node.get_closest_marker("bitmart_fault")
    if marker is None or not marker.args:
        pytest.fail(
            f"pytest-bitmart: {request.node.nodeid}: the bitmart_fault fixture was requested dynamically; "
            "name it in the test's arguments so it can be parametrized, or add @pytest.mark.bitmart_fault(NAME)",
            pytrace=False,
        )
    return fault(marker.args[0])  # already validated and armed by bitmart_mock


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
    bitmart_mock.add(case.rule())
    return case.entry


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    mock = item.stash.get(_ACTIVE_MOCK, None)
    if mock is not None and report.when == "call":
        from ._coverage import FAULTS_PROPERTY, PROPERTY, served_codes, served_faults

        report.user_properties.append((PROPERTY, served_codes(mock)))
        report.user_properties.append((FAULTS_PROPERTY, served_faults(mock)))
    return report
