"""MkDocs hook: the gate page's endpoint table, generated from the package's endpoint table.

``<!-- bitmart-endpoints -->`` on a line of its own becomes one table per API family: method, path,
auth type, documented rate limit and the public capture of BitMart's docs each row comes from.
``tests/test_gate_docs.py`` imports this file to check the table against the data.
"""

# ruff: noqa: INP001 - a MkDocs hook file, loaded by path, not a package module

from __future__ import annotations

import re
from typing import Any

from pytest_bitmart._endpoints import Endpoint, endpoints

DIRECTIVE = re.compile(r"^<!-- bitmart-endpoints -->[ \t]*$", re.MULTILINE)
FAMILY_TITLES = {
    "spot": "Spot",
    "margin": "Margin (isolated)",
    "funding": "Funding account",
    "contract": "Contract (futures)",
    "system": "System",
}


def rate_limit(endpoint: Endpoint) -> str:
    """``12 / 2 s per KEY``, or a dash where the source documents no limit."""
    if endpoint.limit is None:
        return "—"
    return f"{endpoint.limit} / {endpoint.window} s per {endpoint.target}"


def source_link(endpoint: Endpoint) -> str:
    """A link to the source file at the commit the row was taken from."""
    url = f"https://github.com/{endpoint.repo}/blob/{endpoint.commit}/{endpoint.source}"
    return f"[{endpoint.repo.split('/')[1]}@{endpoint.commit[:7]}]({url})"


def endpoint_tables() -> str:
    """One Markdown table per family, in the order of the family titles."""
    lines: list[str] = []
    rows = endpoints()
    for family, title in FAMILY_TITLES.items():
        chosen = [endpoint for endpoint in rows if endpoint.family == family]
        if not chosen:
            continue
        lines += [f"### {title}", "", "| Method | Path | Auth | Rate limit | Source |", "|---|---|---|---|---|"]
        lines += [f"| {e.method} | `{e.path}` | {e.auth} | {rate_limit(e)} | {source_link(e)} |" for e in chosen]
        lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Expand the endpoint-table directive."""
    return DIRECTIVE.sub(lambda _match: endpoint_tables(), markdown)
