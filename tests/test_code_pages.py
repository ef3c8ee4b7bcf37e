"""The generated code pages name each code's source, every variant and every code known but not served."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from pytest_bitmart import SOURCES, error_codes, source_document, variants
from pytest_bitmart._catalog import unserved_codes

HOOKS = Path(__file__).resolve().parent.parent / "docs" / "hooks.py"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("docs_hooks", HOOKS)
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.codes_pages()  # type: ignore[no-any-return]


def test_each_code_names_its_source(pages: dict[str, str]) -> None:
    titles = {"error-page": "error page", "spot-docs": "spot API docs", "futures-docs": "futures API docs"}
    for entry in error_codes():
        page = pages[f"codes/{entry.family}.md"]
        # The heading carries the message too: the entry starts after its anchor.
        section = page.split(f" {{#{entry.code}}}\n", 1)[1].split("\n## ", 1)[0]
        assert f"Source: [{titles[entry.source]}](index.md#source-{entry.source})." in section, entry.code


def test_the_overview_lists_each_source_with_its_capture_date_and_count(pages: dict[str, str]) -> None:
    overview = pages["codes/index.md"]
    for name in SOURCES:
        document = source_document(name)
        (row,) = [line for line in overview.splitlines() if line.startswith(f"| `{name}` {{#source-{name}}} |")]
        assert (document.captured or "not recorded") in row
        assert row.endswith(f"| {len(error_codes(source=name))} |")


def test_the_market_data_envelope_is_explained_with_the_body_served(pages: dict[str, str]) -> None:
    overview = pages["codes/index.md"]
    assert "### Market data (70000-71005)" in overview
    assert '"message":"symbol is invalid","data":null}`' in overview


def test_the_disagreements_page_lists_every_variant(pages: dict[str, str]) -> None:
    page = pages["codes/disagreements.md"]
    for variant in variants():
        entry = variant.entry
        (row,) = [
            line
            for line in page.splitlines()
            if line.startswith(f"| [{entry.code}](") and f"| `{variant.name}` |" in line
        ]
        assert f"HTTP {entry.http_status}" in row or f"`{entry.message}`" in row
    disagreements, extra = page.split("## More messages for one code")
    assert sum(line.startswith("| [") for line in disagreements.splitlines()) == 3
    assert sum(line.startswith("| [") for line in extra.splitlines()) == 5


def test_the_not_served_page_lists_every_known_code(pages: dict[str, str]) -> None:
    page = pages["codes/not-served.md"]
    for code in unserved_codes():
        assert f"| {code.code} | `{code.family}` |" in page
    assert len(unserved_codes()) == 28
