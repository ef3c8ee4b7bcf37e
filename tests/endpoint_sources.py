"""Parse the committed copies of BitMart's endpoint references into endpoint-table rows.

Used by the test that keeps ``pytest_bitmart/data/endpoints.tsv`` equal to its sources, and to
regenerate the file: ``python tests/endpoint_sources.py > pytest_bitmart/data/endpoints.tsv``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REFERENCE = Path(__file__).parent / "reference"
SKILLS_REPO = "bitmartexchange/bitmart-skills"
SKILLS_COMMIT = "4dac0cb9f3864cae5c22eeb7f5156a814a469afd"
SOURCES = {
    "bitmart-skills-spot-api-reference.md": "skills/bitmart-exchange-spot/references/api-reference.md",
    "bitmart-skills-futures-api-reference.md": "skills/bitmart-exchange-futures/references/api-reference.md",
}
# Captures of BitMart's own rate-limit tables (developer-pro.bitmart.com, spot and futures pages).
DOCS_REPO = "rosssaunders/coincise"
DOCS_SOURCES = {
    "bitmart-docs-spot-rate-limits.md": ("docs/bitmart/rate_limits.md", "c836b49695f84aa1216c5494ecc2f8063418da5b"),
    "bitmart-docs-futures-rate-limits.md": (
        "docs/bitmart/endpoints/private/GET_rate_limit.md",
        "030c215a19a19a841c7d522a877d0495226249de",
    ),
}
# Endpoints the clients call that the references above do not list: the auth type is the official SDK's
# (``Auth.SIGNED`` / no auth argument in ``bitmart/api_account.py``, checked by a test against the
# installed SDK), the rate limit that of BitMart's rate-limit table, which is the row's source.
SDK_ROWS = (("GET", "/account/v1/currencies", "NONE"), ("POST", "/account/v1/withdraw/apply", "SIGNED"))

HEADER = ("method", "path", "auth", "limit", "window", "target", "family", "repo", "source", "commit")

_ENDPOINT = re.compile(r"^`(GET|POST|DELETE|PUT) (/[^`]*)`$")
_SECTION_AUTH = re.compile(r"^## .*\((NONE|KEYED|SIGNED) auth\)$")
_AUTH = re.compile(r"\*\*Auth:\*\* (NONE|KEYED|SIGNED)")
_LIMIT = re.compile(r"\*\*Rate Limit:\*\* (\d+) req/(\d*)sec per (IP|KEY|UID)")
# "| /spot/v1/wallet | Get ... | X-BM-KEY | 12 times/2 sec |" ("times/sec", "times/2s" and "times/2 esc" too).
_DOCS_ROW = re.compile(
    r"^\|\s*(/[^\s|]+)\s*\|[^|]*\|\s*(IP|X-BM-KEY|UID)\s*\|\s*(\d+) times/\s*(\d*)\s*(?:sec|s|esc)\s*\|"
)


def family(path: str) -> str:
    """The API family an endpoint belongs to, from its path."""
    if path.startswith("/contract/"):
        return "contract"
    if path.startswith("/spot/v1/margin/"):
        return "margin"
    if path.startswith("/account/"):
        return "funding"
    if path.startswith("/system/"):
        return "system"
    return "spot"


def parse(text: str, source: str) -> list[tuple[str, ...]]:
    """One row per endpoint heading of a reference page: the first Auth/Rate Limit line after it."""
    rows: list[tuple[str, ...]] = []
    section_auth = ""
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(("## ", "# ")):
            match = _SECTION_AUTH.match(line)
            section_auth = match[1] if match else ("" if line.startswith("# ") else section_auth)
        endpoint = _ENDPOINT.match(line)
        if endpoint:
            current = [endpoint[1], endpoint[2], section_auth, "", "", ""]
            rows.append(tuple(current))
            continue
        if current is None:
            continue
        auth, limit = _AUTH.search(line), _LIMIT.search(line)
        if auth or limit:
            if auth:
                current[2] = auth[1]
            if limit:
                current[3:6] = [limit[1], limit[2] or "1", limit[3]]
            rows[-1] = tuple(current)
            current = None
    return [(*row, family(row[1]), SKILLS_REPO, source, SKILLS_COMMIT) for row in rows]


def documented_limits() -> dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]]:
    """BitMart's rate-limit tables: path -> ((limit, window, target), (repo, source, commit))."""
    limits = {}
    for name, (source, commit) in DOCS_SOURCES.items():
        for line in (REFERENCE / name).read_text(encoding="utf-8").splitlines():
            match = _DOCS_ROW.match(line)
            if match:
                target = "KEY" if match[2] == "X-BM-KEY" else match[2]
                limits[match[1]] = ((match[3], match[4] or "1", target), (DOCS_REPO, source, commit))
    return limits


def rows() -> list[tuple[str, ...]]:
    """Every row of the endpoint table, deduplicated (both pages list the system endpoints)."""
    seen: dict[tuple[str, str], tuple[str, ...]] = {}
    for name, source in SOURCES.items():
        for row in parse((REFERENCE / name).read_text(encoding="utf-8"), source):
            seen.setdefault((row[0], row[1]), row)
    limits = documented_limits()
    for method, path, auth in SDK_ROWS:
        limit, source = limits[path]
        seen.setdefault((method, path), (method, path, auth, *limit, family(path), *source))
    return list(seen.values())


def tsv() -> str:
    """The endpoint table file, as it must be committed."""
    return "".join("\t".join(row) + "\n" for row in [HEADER, *rows()])


if __name__ == "__main__":
    sys.stdout.write(tsv())
