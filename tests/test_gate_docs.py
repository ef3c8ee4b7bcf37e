"""The gate's docs: the endpoint table is generated from the data, and its examples fit the page."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from pytest_bitmart._endpoints import endpoints

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["test_docs_gate.py", "test_recipe_signing.py", "test_recipe_rate_limiter.py"]


def load_gate_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gate_hooks", ROOT / "docs" / "gate_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_asks_for_the_endpoint_table() -> None:
    page = (ROOT / "docs" / "gate.md").read_text(encoding="utf-8")
    hooks = load_gate_hooks()
    assert hooks.DIRECTIVE.search(page)
    assert "<!-- bitmart-endpoints -->" not in hooks.on_page_markdown(page)


def test_every_endpoint_is_a_row_with_its_documented_numbers_and_source() -> None:
    tables = load_gate_hooks().endpoint_tables()
    for endpoint in endpoints():
        limit = "—" if endpoint.limit is None else f"{endpoint.limit} / {endpoint.window} s per {endpoint.target}"
        row = f"| {endpoint.method} | `{endpoint.path}` | {endpoint.auth} | {limit} | "
        assert row in tables, row
        assert f"/blob/{endpoint.commit}/{endpoint.source})" in tables
    assert tables.count("\n| GET ") + tables.count("\n| POST ") == len(endpoints())


def test_included_examples_fit_the_pages_column() -> None:
    for name in EXAMPLES:
        text = (ROOT / "tests" / "docs" / name).read_text(encoding="utf-8")
        for section in re.findall(r"# --8<-- \[start:[\w-]+\]\n(.*?)# --8<-- \[end:", text, re.DOTALL):
            too_long = [line for line in section.splitlines() if len(line) > 85]
            assert not too_long, f"{name}: {too_long}"
