"""MkDocs hooks: pages that are generated from the package at build time, so they cannot drift from it.

- ``on_files`` adds the error-code pages (``codes/*.md``), rendered from the catalog with
  ``pytest_bitmart.render``: every code, its verbatim message, its HTTP status, where it is documented,
  the exact bytes served, a marker line to copy and what ccxt and the official SDK do with it
  (``tests/docs/client_errors.json``, which ``tests/test_client_errors.py`` keeps equal to what those
  clients really do); the variants where BitMart's sources disagree; the codes known but not served.
- ``on_page_markdown`` expands four directives written on a line of their own in a page:
  ``::: pytest_bitmart.NAME`` becomes that public name's signature and docstring,
  ``<!-- bitmart-cli: ARGS -->`` becomes ``python -m pytest_bitmart ARGS`` and the output it prints now, and
  ``<!-- bitmart-output: FILE -->`` becomes a text block of the pytest output stored in ``FILE`` (checked
  against real runs by ``tests/test_docs.py``), its long lines folded to the code column, and
  ``<!-- bitmart-example: FILE -->`` becomes a Python block of the whole file: the home page uses it, so
  that it reads as plain Markdown (where a directive is an invisible comment) and not as include lines.

``tests/test_docs.py`` imports this file to check the generated pages against the catalog.
"""

# ruff: noqa: INP001 - a MkDocs hook file, loaded by path, not a package module

from __future__ import annotations

import dataclasses
import http
import inspect
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest_bitmart
from pytest_bitmart import (
    SOURCES,
    ErrorCode,
    error_codes,
    http_failures,
    lookup,
    render,
    source_document,
    success,
    variants,
)
from pytest_bitmart._catalog import unserved_codes
from pytest_bitmart._render import RATE_LIMIT, RATE_LIMIT_WINDOW_SECONDS, render_http_failure

# A trace id from BitMart's own examples; in a test the trace is derived from the test's node id instead.
EXAMPLE_TRACE = "f9d46e1b-4edb-4d07-a06e-4895fb2fc8fc"

FAMILY_TITLES = {
    "auth": "Authentication",
    "funding": "Funding account",
    "spot": "Spot",
    "contract": "Contract (futures)",
    "spot-public": "Market data",
}
FAMILY_SCOPE = {
    "auth": "any signed or keyed endpoint, on every host",
    "funding": "`/account/...` endpoints on `api-cloud.bitmart.com`",
    "spot": "`/spot/...` and system endpoints on `api-cloud.bitmart.com`",
    "contract": "`/contract/...` endpoints on `api-cloud-v2.bitmart.com` (and the demo futures host)",
    "spot-public": "public market-data endpoints (`/spot/quotation/v3/...`) on `api-cloud.bitmart.com`",
}

# Material's content column shows about 85 characters of code before it scrolls; every generated line fits.
COLUMNS = 85

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ERRORS = ROOT / "tests" / "docs" / "client_errors.json"

# Where BitMart publishes the page the catalog copies, and when the project's copy of it was committed.
BITMART_PAGES = {
    "auth": "https://developer-pro.bitmart.com/en/spot/#error-code",
    "funding": "https://developer-pro.bitmart.com/en/spot/#error-code",
    "spot": "https://developer-pro.bitmart.com/en/spot/#error-code",
    "contract": "https://developer-pro.bitmart.com/en/futuresv2/#error-code",
}
COPY_DATE = "2026-11-26"

_API_DIRECTIVE = re.compile(r"^::: pytest_bitmart\.(?P<name>\w+)[ \t]*$", re.MULTILINE)
_CLI_DIRECTIVE = re.compile(r"^<!-- bitmart-cli:(?P<args>[^>]*)-->[ \t]*$", re.MULTILINE)
_EXAMPLE_DIRECTIVE = re.compile(r"^<!-- bitmart-example:(?P<path>[^>]*)-->[ \t]*$", re.MULTILINE)
_OUTPUT_DIRECTIVE = re.compile(r"^<!-- bitmart-output:(?P<path>[^>]*)-->[ \t]*$", re.MULTILINE)
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|])")


class DocsBuildError(Exception):
    """A page cannot be generated; raised so that the build stops instead of publishing a wrong page."""


# Error-code pages ---------------------------------------------------------------------------------------


def http_exchange(entry: ErrorCode) -> str:
    """The response BitMart sends for ``entry`` on a test's first request, as an HTTP message."""
    response = render(entry, trace=EXAMPLE_TRACE)
    return _http_message(response.status, response.headers, response.content)


def _http_message(status: int, headers: dict[str, str], content: bytes) -> str:
    lines = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return "\n".join([*lines, "", content.decode()])


def _code_span(text: str) -> str:
    if "`" in text or "|" in text:
        raise DocsBuildError(f"{text!r} cannot be shown in a table cell as is; teach docs/hooks.py to escape it")
    return f"`{text}`"


def _heading_text(text: str) -> str:
    """``text`` as plain words in a heading: no character read as Markdown."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def client_errors() -> dict[str, Any]:
    """What ccxt and the official SDK did with each code, as ``tests/test_client_errors.py`` recorded it."""
    return json.loads(CLIENT_ERRORS.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def marker_line(entry: ErrorCode) -> str:
    """The marker a test copies to be answered with ``entry``."""
    if entry.placeholders:
        # Placeholders are served verbatim without message_args; show how to fill them.
        values = ", ".join('"BTC_USDT"' if kind == "s" else "1" for kind in entry.placeholders)
        return f"@pytest.mark.bitmart_error({entry.code}, message_args=({values},))"
    return f"@pytest.mark.bitmart_error({entry.code})"


def _outcome(seen: dict[str, Any]) -> str:
    if seen["raises"] is None:
        return "returns without raising"
    status = f" (`status_code` {seen['status_code']})" if "status_code" in seen else ""
    return f"raises `{seen['raises']}`{status}"


def _pretty(content: bytes) -> str:
    return json.dumps(json.loads(content), indent=2, ensure_ascii=False)


def code_section(entry: ErrorCode, clients: dict[str, Any], headers: dict[str, str]) -> list[str]:
    """One code's entry: heading with its message, status, what the clients do, marker, exact body.

    ``headers`` are those shown once at the top of the page; an entry shows only the ones it changes.
    The message is in the heading (so the table of contents reads) and verbatim in the body.
    """
    response = render(entry, trace=EXAMPLE_TRACE)
    content = response.content
    facts = [f"**HTTP {entry.http_status}.**"]
    if entry.placeholders:
        facts.append("Placeholders " + ", ".join(f"`%{kind}`" for kind in entry.placeholders) + ".")
    facts.append(f"Source: {source_link(entry)}.")
    seen = clients["codes"].get(str(entry.code))
    if seen is None:
        facts.append("What ccxt and the official SDK do with this code is not recorded yet.")
    else:
        facts.append(
            f"ccxt {clients['ccxt']} {_outcome(seen['ccxt'])};\n"
            f"the official SDK {clients['sdk']} {_outcome(seen['sdk'])}."
        )
    lines = [
        f"## {entry.code} · {_heading_text(entry.message)} {{#{entry.code}}}",
        "",
        " ".join(facts),
        *variant_lines(entry),
        "",
        "```python",
        marker_line(entry),
        "```",
        "",
        '=== "Body, exact bytes"',
        "",
        "    ```json { .wrap }",
        f"    {content.decode()}",
        "    ```",
        "",
        '=== "Pretty-printed"',
        "",
        "    ```json { .wrap }",
        textwrap.indent(_pretty(content), "    "),
        "    ```",
        "",
    ]
    changed = {name: value for name, value in response.headers.items() if headers.get(name) != value}
    if changed:
        lines += ["Headers that differ from the page's:", "", "```http"]
        lines += [f"{name}: {value}" for name, value in changed.items()]
        lines += ["```", ""]
    return lines


def family_page(family: str) -> str:
    """The page listing every documented code of ``family``."""
    entries = error_codes(family=family)  # type: ignore[arg-type]
    ok = success(family)  # type: ignore[arg-type]
    clients = client_errors()
    # The headers most of the family's answers share; the few that differ are shown in their entry.
    shown = [tuple(render(entry, trace=EXAMPLE_TRACE).headers.items()) for entry in entries]
    common = dict(max(shown, key=shown.count))
    lines = [
        f"# {FAMILY_TITLES[family]} error codes",
        "",
        f"{len(entries)} documented codes; BitMart uses them on {FAMILY_SCOPE[family]}.",
        "Each entry names the document its code is copied from:",
        "",
        *family_sources(family),
        "",
        "Each entry shows the code's message and HTTP status, the marker that serves it, the body bytes",
        f"served on a test's first request (with the example trace id `{EXAMPLE_TRACE}`; in a test",
        "the trace is derived from the test's node id, so it is stable across reruns), and what",
        f"ccxt's `{clients['call']['ccxt']}` and the official SDK's `{clients['call']['sdk']}` did",
        "when pytest-bitmart answered them with it.",
        "",
        "## Headers",
        "",
        "Answers on this page carry these headers, unless an entry says otherwise (here for a",
        "test's first request, sent without `X-BM-KEY`; see [Headers](index.md#headers)):",
        "",
        "```http",
        *(f"{name}: {value}" for name, value in common.items()),
        "```",
        "",
        '!!! note "Placeholders"',
        "    A message with `%s` or `%d` is served verbatim unless the rule passes `message_args`,",
        "    which fill the placeholders in order.",
        "",
        "| Code | HTTP | Message | Source |",
        "|---:|---:|---|---|",
    ]
    lines += [
        f"| [{entry.code}](#{entry.code}) | {entry.http_status} | {_code_span(entry.message)} | {source_link(entry)} |"
        for entry in entries
    ]
    lines += ["", "## Success", "", f"`{ok.code}` answers `bitmart_mock.ok(data)`:", "", "```http { .wrap }"]
    lines += [http_exchange(ok), "```", ""]
    for entry in entries:
        lines += code_section(entry, clients, common)
    return "\n".join(lines)


def family_sources(family: str) -> list[str]:
    """One bullet per document ``family``'s codes come from: a link, the date of the copy, the count."""
    lines = []
    for name in SOURCES:
        count = len(error_codes(family=family, source=name))  # type: ignore[arg-type]
        if not count:
            continue
        if name == "error-page":
            # The error page's copy is the project's own; BitMart's page is one per API.
            where = f"[BitMart's error-code page]({BITMART_PAGES[family]}), in the project's copy of {COPY_DATE}"
        else:
            document = source_document(name)
            where = f"[{document.title}]({document.url}), captured on {document.captured}"
        lines.append(f"- {where}: {count} codes ([sources](index.md#source-{name})).")
    return lines


def index_page() -> str:
    """The overview: families, success envelopes, global HTTP failures and the headers every answer has."""
    lines = [
        "# Error codes",
        "",
        f"pytest-bitmart serves the {len(error_codes())} REST error codes BitMart documents, each exactly as",
        "documented: HTTP status, verbatim message, the family's key order, rate-limit headers. Every code",
        "says where it is documented ([sources](#sources)); where BitMart's sources disagree, the error page",
        "is served and the other value is a [variant](disagreements.md) a rule can ask for. These pages are",
        "generated from the package's catalog when the site is built; each family's page links BitMart's own",
        "page and says what ccxt and the official SDK raise for every code.",
        "",
        "| Family | Codes | Where BitMart uses them |",
        "|---|---:|---|",
    ]
    lines += [
        f"| [{FAMILY_TITLES[family]}]({family}.md) | {len(error_codes(family=family))} | {FAMILY_SCOPE[family]} |"  # type: ignore[arg-type]
        for family in pytest_bitmart.FAMILIES
    ]
    lines += [
        "",
        "## Body shapes",
        "",
        "The documented examples disagree on key order, and clients that snapshot bodies care, so each family",
        "keeps its own. The same code, `1000`, is served with each family's envelope:",
        "",
    ]
    for family in pytest_bitmart.FAMILIES:
        body = render(success(family), trace=EXAMPLE_TRACE).content.decode()
        lines += [f"- {FAMILY_TITLES[family]}:", "", "    ```json { .wrap }", f"    {body}", "    ```", ""]
    contract_error = render(lookup(40001, family="contract"), trace=EXAMPLE_TRACE).content.decode()
    lines += [
        "Contract errors carry no `data` key at all:",
        "",
        "```json { .wrap }",
        contract_error,
        "```",
        "",
        *market_data_envelope(),
        *sources_section(),
        "## Headers",
        "",
        "Every JSON answer carries `Content-Type: application/json` and BitMart's rate-limit headers:",
        "",
        "| Header | Value served |",
        "|---|---|",
        (
            "| `X-BM-RateLimit-Remaining` | requests *used* in the window so far (BitMart's name is misleading): "
            "1 for a test's first BitMart request, 2 for the second...; 601 for `30013` |"
        ),
        f"| `X-BM-RateLimit-Limit` | `{RATE_LIMIT}` |",
        f"| `X-BM-RateLimit-Reset` | `{RATE_LIMIT_WINDOW_SECONDS}` (seconds) |",
        "| `X-BM-RateLimit-Mode` | `UID` when the request carries `X-BM-KEY`, `IP` otherwise |",
        "",
        "A rule's `headers={...}` adds or replaces headers; the `pytest_bitmart_response` hook can change anything.",
        "",
        "## Global HTTP failures",
        "",
        "The page also lists four bare HTTP failures with no JSON body. `@pytest.mark.bitmart_http_error(status)`",
        "and `bitmart_mock.http_error(status)` serve them with the description as a `text/plain` body:",
        "",
        "| Status | Description |",
        "|---:|---|",
    ]
    lines += [f"| {failure.http_status} | {_code_span(failure.description)} |" for failure in http_failures()]
    first = http_failures()[0]
    response = render_http_failure(first)
    lines += ["", "```http", _http_message(response.status, response.headers, response.content), "```", ""]
    return "\n".join(lines)


def codes_pages() -> dict[str, str]:
    """Every generated page, by its path under ``docs/``."""
    pages = {"codes/index.md": index_page()}
    pages.update({f"codes/{family}.md": family_page(family) for family in pytest_bitmart.FAMILIES})
    pages["codes/disagreements.md"] = disagreements_page()
    pages["codes/not-served.md"] = not_served_page()
    return pages


SOURCE_SHORT = {"error-page": "error page", "spot-docs": "spot API docs", "futures-docs": "futures API docs"}


def source_link(entry: ErrorCode) -> str:
    """Where ``entry`` is documented, linked to the sources table of the overview."""
    return f"[{SOURCE_SHORT[entry.source]}](index.md#source-{entry.source})"


def variant_lines(entry: ErrorCode) -> list[str]:
    """One line per documented variant of ``entry``, with what it changes and how a rule asks for it."""
    lines = []
    for variant in variants(entry.code):
        other = variant.entry
        change = f"HTTP {other.http_status}" if other.http_status != entry.http_status else _code_span(other.message)
        lines.append(
            f"{'Disagreement' if variant.kind == 'disagreement' else 'Also documented'}: {change} in"
            f" {source_link(other)}; `variant={variant.name!r}` serves it ([all variants](disagreements.md))."
        )
    return ["", *lines] if lines else []


def sources_section() -> list[str]:
    """The overview's table of the documents the catalog is copied from, with their capture dates."""
    lines = [
        "## Sources",
        "",
        "Each code is copied from one of these documents; `python -m pytest_bitmart --source NAME` lists",
        "a document's codes, and `--bitmart-sources=NAME` runs the `bitmart_error` fixture over them alone.",
        "",
        "| Source | Document | Captured | Codes |",
        "|---|---|---|---:|",
    ]
    for name in SOURCES:
        document = source_document(name)
        title = f"[{document.title}]({document.url})" if document.url else document.title
        captured = document.captured or "not recorded"
        if name == "error-page":
            captured += f" (the project's copy: {COPY_DATE})"
        if document.repository:
            captured += f" (`{document.repository}` `{document.path}` at `{(document.commit or '')[:8]}`)"
        lines.append(f"| `{name}` {{#source-{name}}} | {title} | {captured} | {len(error_codes(source=name))} |")
    lines += [
        "",
        "The error page is the reference for the codes it lists: where the API docs give one of them another",
        "status or message, that value is a [variant](disagreements.md). Codes BitMart mentions that are not",
        "served (WebSocket codes, partial rows, codes seen only in client libraries) are listed under",
        "[not served](not-served.md).",
        "",
    ]
    return lines


def market_data_envelope() -> list[str]:
    """Why the market-data family's errors are served as they are."""
    body = render(lookup(70002), trace=EXAMPLE_TRACE).content.decode()
    (seen,) = [code.message for code in unserved_codes() if code.code == 70003]
    return [
        "### Market data (70000-71005)",
        "",
        "BitMart documents the public market-data codes with HTTP 200, so they are served with status 200:",
        "a client must read the body's `code` to notice the error. The docs give no example body for this",
        "table. The one captured body of this family, a 70003 quoted in ccxt's source, is",
        f'`{{"code":70003,"trace":"…","message":"{seen}","data":null}}`: spot\'s key order,',
        "and `data` is `null` where spot and account errors carry `{}`. pytest-bitmart follows it:",
        "",
        f"`{body}`",
        "",
        "Other HTTP 200 errors keep their family's envelope (30016, 30019, 30030 and 30031 the",
        "authentication one, 42000 the contract one with no `data` key).",
        "",
    ]


def disagreements_page() -> str:
    """Every place where BitMart's current API docs give a code of the error page another value."""
    lines = [
        "# Where the sources disagree",
        "",
        "BitMart's error page is the reference for the codes it lists: their page values are what",
        "pytest-bitmart serves. BitMart's current API docs give some of them another HTTP status or message,",
        "or list the code again with another message. Each such value is a *variant*: a rule asks for it by",
        "name, in a marker or from `bitmart_mock`:",
        "",
        "```python",
        '--8<-- "tests/docs/test_docs_codes.py:setup"',
        "",
        '--8<-- "tests/docs/test_docs_codes.py:variant"',
        "```",
        "",
        "`python -m pytest_bitmart --variants` prints the same list; `pytest_bitmart.variants()` returns it.",
        "",
    ]
    for kind, title, text in (
        ("disagreement", "The API docs say otherwise", "The current docs give this value instead of the page's."),
        ("extra message", "More messages for one code", "The current docs list the code again, with this message."),
    ):
        lines += [
            f"## {title}",
            "",
            text,
            "",
            "| Code | Variant | Error page | API docs | Source |",
            "|---:|---|---|---|---|",
        ]
        for variant in variants():
            if variant.kind != kind:
                continue
            page, other = lookup(variant.entry.code), variant.entry
            if other.http_status != page.http_status:
                shown = (f"HTTP {page.http_status}", f"HTTP {other.http_status}")
            else:
                shown = (_code_span(page.message), _code_span(other.message))
            family_page_link = f"[{page.code}]({page.family}.md#{page.code})"
            lines.append(f"| {family_page_link} | `{variant.name}` | {shown[0]} | {shown[1]} | {source_link(other)} |")
        lines.append("")
    return "\n".join(lines)


_REASONS = {
    "websocket": "WebSocket code (pytest-bitmart has no WebSocket transport)",
    "partial": "documented without a message or an HTTP status",
    "client-source": "seen only in a client library's source, not in BitMart's docs",
}


def not_served_page() -> str:
    """The codes BitMart's sources mention that pytest-bitmart knows of and does not serve."""
    lines = [
        "# Known but not served",
        "",
        "These codes appear in BitMart's docs or in client libraries, but pytest-bitmart does not serve them:",
        "a rule naming one fails with the nearest served codes. The message is as the source gives it.",
        "",
    ]
    for reason, title in (("websocket", "WebSocket"), ("partial", "Partial"), ("client-source", "Client source only")):
        lines += [f"## {title}", "", _REASONS[reason] + ".", "", "| Code | Family | Message |", "|---:|---|---|"]
        for code in unserved_codes():
            if code.reason == reason:
                message = _code_span(code.message) if code.message else "(none documented)"
                lines.append(f"| {code.code} | `{code.family}` | {message} |")
        lines.append("")
    return "\n".join(lines)


# Public API directive ------------------------------------------------------------------------------------


class _Annotation:
    """Shows a postponed (string) annotation without the quotes ``inspect`` would add."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _signature(obj: Any, name: str) -> str:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return name
    parameters = [
        parameter.replace(annotation=_Annotation(parameter.annotation))
        if isinstance(parameter.annotation, str)
        else parameter
        for parameter in signature.parameters.values()
    ]
    returns = signature.return_annotation
    if isinstance(returns, str):
        returns = _Annotation(returns)
    return f"{name}{signature.replace(parameters=parameters, return_annotation=returns)}"


def _split_top_level(text: str) -> list[str]:
    """``text`` split at the commas that are not inside brackets or quotes."""
    parts, depth, quote, current = [], 0, "", ""
    for character in text:
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
        elif character == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += character
    return [*parts, current.strip()] if current.strip() else parts


def fold_signature(header: str) -> str:
    """A ``def``/``class`` line wider than the code column, one parameter per line as black writes it."""
    if len(header) <= COLUMNS or "(" not in header:
        return header
    opening = header.index("(")
    depth = 0
    for index in range(opening, len(header)):
        depth += {"(": 1, ")": -1}.get(header[index], 0)
        if depth == 0:
            break
    parameters = _split_top_level(header[opening + 1 : index])
    return "\n".join([header[: opening + 1], *(f"    {parameter}," for parameter in parameters), header[index:]])


def _docstring(obj: Any) -> str:
    text = inspect.getdoc(obj) or ""
    # Docstrings use reST literals (``x``); Markdown wants single backticks.
    return re.sub(r"``([^`]+)``", r"`\1`", text).replace(":class:", "")


def _members(cls: type) -> list[str]:
    lines: list[str] = []
    for attribute, value in vars(cls).items():
        if attribute.startswith("_"):
            continue
        if isinstance(value, property):
            kind, shown = "property", f"{attribute}"
            doc = _docstring(value)
        elif inspect.isfunction(value):
            kind, shown = "method", _signature(value, attribute).replace("(self, ", "(").replace("(self)", "()")
            doc = _docstring(value)
        else:
            continue
        first = doc.split("\n\n", 1)[0].replace("\n", " ")
        lines.append(f"- `{shown}` ({kind}): {first}")
    return lines


def api_section(name: str) -> str:
    """The signature and docstring of public name ``pytest_bitmart.<name>``, as Markdown."""
    if name not in pytest_bitmart.__all__:
        raise DocsBuildError(f"pytest_bitmart.{name} is not a public name (not in pytest_bitmart.__all__)")
    obj = getattr(pytest_bitmart, name)
    doc = _docstring(obj) if isinstance(obj, type) or inspect.isfunction(obj) else ""
    if isinstance(obj, type) and issubclass(obj, BaseException):
        bases = ", ".join(base.__name__ for base in obj.__bases__)
        header = f"class {name}({bases})"
    elif isinstance(obj, type):
        header = (
            "class " + _signature(obj, name).removesuffix(" -> None")
            if dataclasses.is_dataclass(obj)
            else f"class {name}"
        )
    elif inspect.isfunction(obj):
        header = "def " + _signature(obj, name)
    else:  # a constant or a type alias: its value says it all
        header = f"{name} = {obj!r}".replace("typing.", "")
    # Not for copying, and a copy button would cover the end of a long first line.
    lines = [f"### `{name}` {{#{name}}}", "", "``` { .python .no-copy }", fold_signature(header), "```", "", doc, ""]
    if isinstance(obj, type) and not issubclass(obj, BaseException):
        members = _members(obj)
        if members:
            lines += ["", *members, ""]
    return "\n".join(lines)


# CLI directive --------------------------------------------------------------------------------------------


def cli_block(args: str) -> str:
    """A console block: the command and what it prints today."""
    argv = shlex.split(args)
    environment = {**os.environ, "COLUMNS": str(COLUMNS), "NO_COLOR": "1"}
    result = subprocess.run(  # noqa: S603 - our own interpreter running our own module
        [sys.executable, "-m", "pytest_bitmart", *argv],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    if result.returncode != 0:
        raise DocsBuildError(f"python -m pytest_bitmart {args} exited {result.returncode}:\n{result.stderr}")
    command = shlex.join(["python", "-m", "pytest_bitmart", *argv])
    if "--json" in argv:
        # Folding would put line breaks inside JSON strings: let the stylesheet wrap it instead.
        return "\n".join(["```console { .wrap }", f"$ {command}", result.stdout.rstrip("\n"), "```"])
    printed = [folded for line in result.stdout.rstrip("\n").splitlines() for folded in fold(line)]
    return "\n".join(["```console", f"$ {command}", *printed, "```"])


def fold(line: str) -> list[str]:
    """One line of terminal output as lines that fit the code column.

    Continuations are indented under the line's own prefix (pytest's ``E   `` included), so a reader
    sees where a folded line goes on; the words themselves are not changed.
    """
    if len(line) <= COLUMNS:
        return [line]
    prefix = re.match(r"(E\s+|\s*)", line)
    indent = (prefix[0] if prefix else "") + "    "
    return textwrap.wrap(
        line,
        COLUMNS,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
        replace_whitespace=False,
    )


def output_block(path: str) -> str:
    """A text block of the output stored in ``path`` (under the project root), folded to the column."""
    text = (ROOT / path).read_text(encoding="utf-8")
    lines = [folded for line in text.splitlines() for folded in fold(line)]
    return "\n".join(["```text", *lines, "```"])


def example_block(path: str) -> str:
    """A Python block of the whole example file ``path``, titled with the name a reader saves it as."""
    source = ROOT / path
    title = "test_" + source.name.removeprefix("example_")
    return "\n".join([f'```python title="{title}"', source.read_text(encoding="utf-8").rstrip("\n"), "```"])


def expand(markdown: str) -> str:
    """Replace the ``:::``, ``bitmart-cli``, ``bitmart-output`` and ``bitmart-example`` directives of a page."""
    markdown = _API_DIRECTIVE.sub(lambda match: api_section(match["name"]), markdown)
    markdown = _EXAMPLE_DIRECTIVE.sub(lambda match: example_block(match["path"].strip()), markdown)
    markdown = _OUTPUT_DIRECTIVE.sub(lambda match: output_block(match["path"].strip()), markdown)
    return _CLI_DIRECTIVE.sub(lambda match: cli_block(match["args"].strip()), markdown)


# MkDocs events --------------------------------------------------------------------------------------------


def on_files(files: Any, config: Any) -> Any:
    """Add the generated error-code pages to the site."""
    # Imported here so that the tests can load this file without the docs extra installed.
    from mkdocs.structure.files import File  # noqa: PLC0415

    for uri, content in codes_pages().items():
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Expand this page's directives."""
    return expand(markdown)
