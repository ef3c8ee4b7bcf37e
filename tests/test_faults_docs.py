"""docs/faults.md: every fault with its exact bytes, and the client table from the recorded outcomes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from pytest_bitmart import faults
from pytest_bitmart._render import render_fault

ROOT = Path(__file__).parent.parent


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fault_hooks", ROOT / "docs" / "fault_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_is_in_the_nav_and_its_hook_is_loaded() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - docs/fault_hooks.py\n" in config
    assert "  - Faults: faults.md\n" in config
    page = (ROOT / "docs" / "faults.md").read_text(encoding="utf-8")
    assert "<!-- bitmart-faults -->" in page
    assert "<!-- bitmart-fault-table -->" in page


def test_every_fault_is_listed_with_its_provenance_and_exact_bytes() -> None:
    hooks = load_hooks()
    section = hooks.catalog_section()
    for entry in faults():
        assert f"### `{entry.name}` {{#{entry.name}}}" in section
        if not entry.is_generic:
            assert entry.provenance in section
        if entry.kind != "transport":
            body = render_fault(entry, trace=hooks.EXAMPLE_TRACE).content.decode()
            assert f"\n\n{body}\n```" in section


def test_the_table_is_the_recorded_outcomes() -> None:
    table = load_hooks().table_section()
    outcomes = json.loads((ROOT / "tests" / "docs" / "fault_outcomes.json").read_text(encoding="utf-8"))
    assert len(table.splitlines()) == 2 + len(faults())
    assert "| [`gateway-not-found`](#gateway-not-found) |" in table
    assert outcomes["gateway-not-found"]["ccxt"] == "raises AttributeError"
    assert "raises `AttributeError`" in table.splitlines()[2]
