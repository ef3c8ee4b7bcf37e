"""Start-up cost: loading the plugin imports pytest and the standard library only.

pytest loads every installed plugin on every run of every project, so the client and mocking libraries
must wait until a test asks for them. Each check runs in a fresh interpreter, where nothing else has
imported them first.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys

import pytest

import pytest_bitmart

HEAVY = (
    "requests",
    "responses",
    "httpx",
    "respx",
    "aiohttp",
    "aioresponses",
    "requests_mock",
    "pytest_httpx",
    "urllib3",
    "httpcore",
    "anyio",
    "multidict",
    "yarl",
    "bitmart",
    "ccxt",
)


def modules_after(statement: str) -> set[str]:
    """The names in ``sys.modules`` of a fresh interpreter after running ``statement``."""
    probe = f"import sys\n{statement}\nloaded = sorted(sys.modules)\nimport json\nprint(json.dumps(loaded))"
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY)


def test_probe_sees_a_heavy_import() -> None:
    """The probe itself works: importing requests does show up."""
    assert "requests" in heavy_in(modules_after("import requests"))


@pytest.mark.parametrize("statement", ["import pytest_bitmart.plugin", "import pytest_bitmart"])
def test_no_client_or_mocking_library_is_imported(statement: str) -> None:
    assert heavy_in(modules_after(statement)) == []


def test_plugin_adds_only_the_standard_library_to_pytest() -> None:
    baseline = modules_after("import pytest")
    added = modules_after("import pytest_bitmart.plugin") - baseline
    foreign = sorted(
        name
        for name in added
        if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "pytest_bitmart"
    )
    assert foreign == []


def test_version_is_read_lazily() -> None:
    """importlib.metadata is slow to import: only asking for ``__version__`` loads it (pytest loads it anyway)."""
    imported = modules_after("import pytest_bitmart\nassert '__version__' not in vars(pytest_bitmart)")
    assert "importlib.metadata" not in imported or "pytest" in imported
    assert "importlib.metadata" in modules_after("import pytest_bitmart\npytest_bitmart.__version__")


def test_version_resolves() -> None:
    version = pytest_bitmart.__version__
    assert version == importlib.metadata.version("pytest-bitmart")
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", version)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"^module 'pytest_bitmart' has no attribute 'nope'$"):
        pytest_bitmart.nope  # noqa: B018


def _isort_key(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions, each alphabetical.
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_all_is_sorted_unique_and_resolves() -> None:
    names = pytest_bitmart.__all__
    assert names == sorted(names, key=_isort_key)
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(pytest_bitmart, name) is not None


def test_all_exposes_no_pytest_hooks() -> None:
    assert not [name for name in pytest_bitmart.__all__ if name.startswith("pytest_")]


def test_a_client_library_first_imported_by_a_test_is_routed_from_then_on(pytester: pytest.Pytester) -> None:
    """No plugin imports aiohttp: the adapter is installed by the import hook when the test imports it."""
    pytester.makeconftest(
        """
        import sys


        def pytest_sessionstart():
            assert "aiohttp" not in sys.modules
        """
    )
    pytester.makepyfile(
        """
        import sys

        import pytest


        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_late_import():
            assert "aiohttp" not in sys.modules
            import aiohttp

            async with aiohttp.ClientSession() as session:
                async with session.get("https://api-cloud.bitmart.com/spot/v1/wallet") as response:
                    assert (await response.json())["code"] == 50020
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_nested_runs_each_route_a_library_first_imported_inside(pytester: pytest.Pytester) -> None:
    """A run inside a run (both waiting for aiohttp) installs both adapters on the first import, no loop."""
    inner = """
import pytest


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_inner():
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get("https://api-cloud.bitmart.com/spot/v1/wallet") as response:
            assert (await response.json())["code"] == 50020
"""
    pytester.makepyfile(
        test_outer=f"""
        import sys

        import pytest

        pytest_plugins = ["pytester"]
        INNER = {inner!r}


        def test_outer(pytester):
            assert "aiohttp" not in sys.modules
            pytester.makepyfile(test_inner=INNER)
            pytester.makeini("[pytest]\\nasyncio_default_fixture_loop_scope = function\\n")
            pytester.runpytest().assert_outcomes(passed=1)
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


@pytest.mark.parametrize("statement", ["import pytest_bitmart.plugin", "import pytest_bitmart"])
def test_importing_loads_none_of_our_engine(statement: str) -> None:
    """The catalog, the rules and the mock load on first use: pytest's start pays for two small modules."""
    ours = sorted(name for name in modules_after(statement) if name.split(".")[0] == "pytest_bitmart")
    assert ours == sorted({"pytest_bitmart", *statement.removeprefix("import ").split()}), ours


def test_a_public_name_loads_its_module_on_first_use() -> None:
    imported = modules_after("import pytest_bitmart\npytest_bitmart.lookup(50020)")
    assert "pytest_bitmart._catalog" in imported


# What a whole run loads: a test that never uses the plugin must not pay for the catalog, the rules, the
# mock, the selection or http.client (the firewall patches it only once something imports it).
ENGINE = (
    "pytest_bitmart._catalog",
    "pytest_bitmart._options",
    "pytest_bitmart._rules",
    "pytest_bitmart._render",
    "pytest_bitmart._mock",
    "pytest_bitmart._selection",
    "pytest_bitmart._faults",
)
# Writes which of ENGINE (and http.client) the run loaded, at its very end, for the test to read.
RECORD_AT_THE_END = """
import json
import sys

import pytest

WATCHED = {watched!r}


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    loaded = [name for name in WATCHED if name in sys.modules]
    active = "pytest_bitmart._firewall" in sys.modules
    (session.config.rootpath / "loaded.json").write_text(json.dumps({{"active": active, "loaded": loaded}}))
"""
PLAIN_TESTS = """
import pytest

@pytest.mark.parametrize("number", [1, 2])
def test_plain(number):
    assert number
"""


def _loaded_by_a_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *, passed: int) -> list[str]:
    """Which watched modules a run with pytest-bitmart as its only plugin had loaded when it ended."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # no other plugin imports anything for it
    pytester.makeini("[pytest]\nfilterwarnings = error\n")  # none of the other plugins' ini keys
    result = pytester.runpytest_subprocess("-p", "pytest_bitmart.plugin", "--strict-markers")
    result.assert_outcomes(passed=passed)
    record = json.loads((pytester.path / "loaded.json").read_text())
    assert record["active"]  # the plugin was there
    loaded: list[str] = record["loaded"]
    return loaded


def test_a_run_that_never_uses_the_plugin_loads_none_of_its_engine(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(RECORD_AT_THE_END.format(watched=(*ENGINE, "http.client")))
    pytester.makepyfile(PLAIN_TESTS)
    assert _loaded_by_a_run(pytester, monkeypatch, passed=2) == []


def test_a_plugin_that_imports_requests_installs_the_adapter_without_the_engine(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As requests-mock's plugin does in every run: the adapter goes in, the catalog stays out.
    watched = (*ENGINE, "pytest_bitmart._requests")
    pytester.makeconftest("import requests\n" + RECORD_AT_THE_END.format(watched=watched))
    pytester.makepyfile(PLAIN_TESTS)
    assert _loaded_by_a_run(pytester, monkeypatch, passed=2) == ["pytest_bitmart._requests"]


def test_a_run_that_arms_a_rule_loads_the_engine_it_needs(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks above can fail: the same record shows the engine once a test uses the plugin."""
    pytester.makeconftest(RECORD_AT_THE_END.format(watched=ENGINE))
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.bitmart_error(50020)
        def test_armed(bitmart_mock):
            assert bitmart_mock.describe_rules()
        """
    )
    loaded = _loaded_by_a_run(pytester, monkeypatch, passed=1)
    # All but the every-code selection, which only the bitmart_error fixture needs.
    assert loaded == [name for name in ENGINE if name != "pytest_bitmart._selection"]
