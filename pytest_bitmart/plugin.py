"""The pytest11 entry point: markers, options, fixtures and hooks. Glue only; the work lives elsewhere.

Importing this module must stay cheap: pytest and the standard library only. Client and mocking
libraries are imported by ``_activation`` when a test asks for BitMart answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import _activation
from ._mock import BitMartMock

_ACTIVE_MOCK = pytest.StashKey[BitMartMock]()

_MARKER_HELP = {
    "bitmart_error": (
        "bitmart_error(code, *, method=None, path=None, host=None, times=None, message_args=None, trace=None, "
        "headers=None): answer this test's BitMart requests with documented error `code`, exactly as BitMart "
        "sends it. Several markers are consulted top to bottom."
    ),
    "bitmart_http_error": (
        "bitmart_http_error(status, *, method=None, path=None, host=None, times=None, headers=None): answer "
        "this test's BitMart requests with one of BitMart's global HTTP return codes (404, 403, 401, 500)."
    ),
}


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


def pytest_configure(config: pytest.Config) -> None:
    for help_text in _MARKER_HELP.values():
        config.addinivalue_line("markers", help_text)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A marker alone arms the plugin: give those tests the fixture first, so clients built by the
    # user's own fixtures are covered too. Tests without a marker pay nothing.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and "bitmart_mock" not in names and _has_rule_marker(item):
            names.insert(0, "bitmart_mock")


def _has_rule_marker(item: pytest.Item) -> bool:
    return any(item.get_closest_marker(name) is not None for name in _activation.MARKERS)


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
    for rule in _activation.rules_from_markers(item):
        mock.add(rule)
    with _activation.activated(mock):
        item.stash[_ACTIVE_MOCK] = mock
        try:
            yield mock
        finally:
            del item.stash[_ACTIVE_MOCK]
    report = _activation.failure_report(item, mock)
    if report is not None:
        pytest.fail(report, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    if _ACTIVE_MOCK in item.stash:
        message = _activation.shadowing()
        if message is not None:
            pytest.fail(f"pytest-bitmart: {item.nodeid}: {message}", pytrace=False)
    return (yield)
