"""The pytest11 entry point: markers, options, fixtures and hooks. Glue only; the work lives elsewhere.

Importing this module must stay cheap: pytest and the standard library only. Client adapters are
installed when their library is imported (``_adapters``); ``_phases`` arms each test and reports.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

_UNDO = pytest.StashKey["list[Callable[[], None]]"]()
_AFTER_RUN = pytest.StashKey["Callable[[], None]"]()

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
    # Only what every run needs loads here; the catalog, the rules and the selection load when a test (or
    # an option naming families, sources or faults) needs them, so a run that never uses the plugin pays
    # for the firewall and little else.
    from . import _fixtures

    for line in _marker_lines(config):
        config.addinivalue_line("markers", line)
    for key, name in (
        (_fixtures.RUN_FAMILIES, "bitmart_families"),
        (_fixtures.RUN_SOURCES, "bitmart_sources"),
        (_fixtures.RUN_FAULTS, "bitmart_faults"),
    ):
        # The command-line option wins over the ini key of the same name.
        option = config.getoption(name)
        values = [option] if option else config.getini(name)
        source = f"--{name.replace('_', '-')}" if option else f"the {name} ini option"
        config.stash[key] = _run_selection(name, values, source)
    if not hasattr(config, "workerinput"):  # under xdist the controller sums up what the workers report
        from ._coverage import CoverageSummary

        mode = config.getoption("bitmart_summary") or config.getini("bitmart_summary")
        if mode not in {"off", "short", "full"}:
            raise pytest.UsageError(f"pytest-bitmart: bitmart_summary = {mode!r}; use off, short or full")
        if mode != "off":
            full = mode == "full" or config.getoption("bitmart_coverage")
            config.pluginmanager.register(CoverageSummary(list_missing=full), "bitmart-coverage")
    config.pluginmanager.register(_fixtures, "bitmart-fixtures")
    _start_routing(config)


def _marker_lines(config: pytest.Config) -> tuple[str, ...]:
    """The ``markers`` ini lines, each marker's name and, when ``pytest --markers`` shows them, its help.

    ``--strict-markers`` reads only the names; the help text is built from the option definitions, which
    load the catalog.
    """
    if config.getoption("markers", False):
        from ._options import marker_help

        return (*marker_help(), *_GATE_MARKER_HELP)
    from ._markers import OURS

    gate = {line.partition(":")[0].partition("(")[0] for line in _GATE_MARKER_HELP}
    return (*(name for name in OURS if name not in gate), *_GATE_MARKER_HELP)


def _run_selection(name: str, values: list[str], source: str) -> frozenset[str] | None:
    """The families, sources or faults run option ``name`` names (``None``: every one), checked."""
    if not values:
        return None
    from . import _fault_selection, _selection

    parse = {
        "bitmart_families": _selection.parse_families,
        "bitmart_sources": _selection.parse_sources,
        "bitmart_faults": _fault_selection.parse_fault_names,
    }[name]
    try:
        selected: frozenset[str] | None = parse(values, source=source)
    except _selection.SelectionError as error:
        raise pytest.UsageError(f"pytest-bitmart: {error}") from None
    return selected


def _start_routing(config: pytest.Config) -> None:
    """Install the firewall and the client adapters once for the run, routed by the run's router."""
    from . import _adapters, _firewall, _fixtures, _hosts, _phases
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
    if not live:
        config.stash[_AFTER_RUN] = lambda: _firewall.guard_after_run(matcher)
    installation = _adapters.Installation(router)
    installation.start()
    undo.append(installation.stop)
    plugin = _phases.RoutingPlugin(config, router, installation, _fixtures.mock_factory(config, extra, router))
    config.pluginmanager.register(plugin, "bitmart-routing")


def pytest_unconfigure(config: pytest.Config) -> None:
    undos: list[Callable[[], None]] = config.stash.get(_UNDO, [])
    for undo in reversed(undos):
        undo()
    config.stash[_UNDO] = []
    after_run = config.stash.get(_AFTER_RUN, None)
    if after_run is not None:
        after_run()
