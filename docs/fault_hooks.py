"""MkDocs hook: the fault page's catalog and client table, generated so they cannot drift from the package.

Two directives, each on a line of its own:
- ``<!-- bitmart-faults -->`` becomes every fault: its description, provenance and the exact bytes served.
- ``<!-- bitmart-fault-table -->`` becomes the fault x client table recorded by ``tests/test_faults_clients.py``
  in ``tests/docs/fault_outcomes.json``; the build stops if the file misses a fault or a fault it names is gone.
"""

# ruff: noqa: INP001 - a MkDocs hook file, loaded by path, not a package module

from __future__ import annotations

import http
import json
import re
from pathlib import Path
from typing import Any

from pytest_bitmart import Fault, faults
from pytest_bitmart._render import render_fault

# A trace id from BitMart's own examples; in a test the trace is derived from the test's node id instead.
EXAMPLE_TRACE = "f9d46e1b-4edb-4d07-a06e-4895fb2fc8fc"
OUTCOMES = Path(__file__).parent.parent / "tests" / "docs" / "fault_outcomes.json"
KIND_TITLES = {
    "response": "a complete answer",
    "cut": "an answer cut short",
    "transport": "no answer: the client raises",
}

_FAULTS_DIRECTIVE = re.compile(r"^<!-- bitmart-faults -->[ \t]*$", re.MULTILINE)
_TABLE_DIRECTIVE = re.compile(r"^<!-- bitmart-fault-table -->[ \t]*$", re.MULTILINE)


class FaultDocsError(Exception):
    """The fault page cannot be generated; raised so that the build stops instead of publishing a wrong page."""


def served(entry: Fault) -> str:
    """The answer pytest-bitmart serves for ``entry`` on a test's first request, as an HTTP message."""
    response = render_fault(entry, trace=EXAMPLE_TRACE)
    try:
        phrase = http.HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    headers = dict(response.headers)
    headers["Content-Length"] = str(entry.declared_length or len(response.content))
    lines = [f"HTTP/1.1 {response.status} {phrase}".rstrip()]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return "\n".join([*lines, "", response.content.decode()])


def catalog_section() -> str:
    """Every fault: a heading with its name, what it is, where it comes from, and what is served."""
    lines: list[str] = []
    for entry in faults():
        status = f"HTTP {entry.http_status}" if entry.http_status is not None else "no HTTP status"
        lines += [
            f"### `{entry.name}` {{#{entry.name}}}",
            "",
            f"{entry.description}. {status}; {KIND_TITLES[entry.kind]}.",
            "",
        ]
        source = "Generic: no capture of BitMart exists" if entry.is_generic else f"Observed: {entry.provenance}"
        lines += [f"*{source}.*", ""]
        if entry.kind == "transport":
            lines += ["Each client raises its own error: see the table below.", ""]
            continue
        if entry.kind == "cut":
            lines.append(
                f"The body stops after {len(entry.body)} of the {entry.declared_length} bytes announced, "
                "and the connection closes."
            )
            lines.append("")
        # Exact bytes, never folded: the stylesheet wraps the block to the column instead.
        lines += ["```http { .wrap }", served(entry), "```", ""]
    return "\n".join(lines)


def table_section() -> str:
    """Fault x client: what each real client raised or returned, as recorded by the tests."""
    outcomes: dict[str, dict[str, str]] = json.loads(OUTCOMES.read_text(encoding="utf-8"))
    names = [entry.name for entry in faults()]
    if list(outcomes) != names:
        raise FaultDocsError(
            f"{OUTCOMES.name} does not list the catalog's faults in order; "
            "regenerate it with PYTEST_BITMART_REGENERATE=1 pytest tests/test_faults_clients.py -p no:xdist"
        )
    clients = list(outcomes[names[0]])
    lines = ["| Fault | " + " | ".join(clients) + " |", "|---|" + "---|" * len(clients)]
    for name in names:
        cells = [_cell(outcomes[name][client]) for client in clients]
        lines.append(f"| [`{name}`](#{name}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(outcome: str) -> str:
    verb, _, what = outcome.partition(" ")
    return f"{verb} `{what}`" if verb == "raises" else f"{verb} {what}"


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Expand the two directives where a page uses them."""
    markdown = _FAULTS_DIRECTIVE.sub(lambda _match: catalog_section(), markdown)
    return _TABLE_DIRECTIVE.sub(lambda _match: table_section(), markdown)
