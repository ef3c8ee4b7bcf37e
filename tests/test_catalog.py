"""The catalog is BitMart's error page and the current API docs' tables, byte for byte.

Checked against the committed copies of the page (``bitmart-error-codes.txt``) and of the codes read
from the spot and futures API docs (``bitmart-extended-codes.tsv``).
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import pytest

import pytest_bitmart
from pytest_bitmart import (
    FAMILIES,
    SOURCES,
    ErrorCode,
    UnknownCodeError,
    _catalog,
    error_codes,
    http_failure,
    http_failures,
    lookup,
    source_document,
    success,
    variants,
)

REFERENCE = Path(__file__).parent / "reference" / "bitmart-error-codes.txt"
# The families the page's tables document; the market-data family comes from the API docs alone.
PAGE_FAMILIES = ("auth", "funding", "spot", "contract")

# The page's section titles, in the page's order, and the family each table documents.
_SECTIONS = {
    "List of global HTTP return codes": "http",
    "Authentication Error Code": "auth",
    "Funding Account API Error Code": "funding",
    "Spot API Error Code": "spot",
    "Contract API Error Code": "contract",
}
# "message | code | http status |" in the four code tables; "status | description |" in the global one.
_CODE_ROW = re.compile(r"^(?P<message>.+) \| (?P<code>\d+) \| (?P<status>\d{3}) \|$")
_HTTP_ROW = re.compile(r"^(?P<status>\d{3}) \| (?P<description>.+) \|$")
_EXAMPLE = re.compile(r"httpStatus:(?P<status>\d{3}), body:(?P<body>\{.*\})$")


class Row(NamedTuple):
    code: int
    message: str
    http_status: int
    family: str
    source: str = "error-page"


class Page(NamedTuple):
    errors: list[Row]
    ok_rows: list[Row]
    http: list[tuple[int, str]]
    examples: dict[str, tuple[int, dict[str, object]]]


def parse_page(text: str) -> Page:
    """Split the page into its tables; header and separator rows match neither row pattern."""
    errors: list[Row] = []
    ok_rows: list[Row] = []
    http: list[tuple[int, str]] = []
    examples: dict[str, tuple[int, dict[str, object]]] = {}
    section: str | None = None
    for line in text.splitlines():
        if line in _SECTIONS:
            section = _SECTIONS[line]
        elif section == "http" and (match := _HTTP_ROW.match(line)):
            http.append((int(match["status"]), match["description"]))
        elif section in PAGE_FAMILIES and (match := _CODE_ROW.match(line)):
            row = Row(int(match["code"]), match["message"], int(match["status"]), section)
            (ok_rows if row.code == 1000 else errors).append(row)
        elif section in PAGE_FAMILIES and (match := _EXAMPLE.search(line)):
            examples[section] = (int(match["status"]), json.loads(match["body"]))
    return Page(errors, ok_rows, http, examples)


def render_rows(rows: Iterable[Row | ErrorCode]) -> list[str]:
    """One comparable line per code, sorted by code, so a diff names the code that drifted.

    Messages are shown with ``repr`` so a stray space or a look-alike character is visible in the diff.
    """
    lines = [f"{row.code} | {row.message!r} | {row.http_status} | {row.family} | {row.source}" for row in rows]
    return sorted(lines)


def catalog_diff(expected: Iterable[Row], actual: Iterable[ErrorCode], *, reference: Path = REFERENCE) -> str:
    """An empty string when equal, else one unified diff (reference on the ``-`` side, catalog on the ``+`` side)."""
    diff = difflib.unified_diff(
        render_rows(expected),
        render_rows(actual),
        fromfile=str(reference.name),
        tofile="pytest_bitmart._catalog",
        lineterm="",
    )
    return "\n".join(diff)


@pytest.fixture(scope="module")
def page() -> Page:
    return parse_page(REFERENCE.read_text(encoding="utf-8"))


def test_parser_finds_every_table(page: Page) -> None:
    """Guard the parser itself: a table it silently skipped would make the comparison vacuous."""
    assert len(page.errors) == 99
    assert len(page.http) == 4
    assert [row.family for row in page.ok_rows] == ["funding", "spot", "contract"]
    assert set(page.examples) == set(PAGE_FAMILIES)


def test_catalog_equals_the_page(page: Page) -> None:
    """Every code of the page is there, none extra, messages byte-equal, statuses and families equal."""
    diff = catalog_diff(page.errors, error_codes(source="error-page"))
    assert not diff, f"the catalog drifted from {REFERENCE.name}:\n{diff}"


def test_lookup_agrees_with_the_listing(page: Page) -> None:
    for row in page.errors:
        assert lookup(row.code) == ErrorCode(row.code, row.message, row.http_status, row.family)  # type: ignore[arg-type]


def test_comparison_reports_a_one_character_drift(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: 40025's typographic apostrophe turned into a plain one is reported, naming 40025."""
    drifted = tuple(
        dataclasses.replace(entry, message=entry.message.replace("\u2019", "'", 1)) if entry.code == 40025 else entry
        for entry in _catalog._SORTED
    )
    monkeypatch.setattr(_catalog, "_SORTED", drifted)

    diff = catalog_diff(page.errors, error_codes(source="error-page"))

    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert [line[:8] for line in changed] == ["-40025 |", "+40025 |"]
    assert "\u2019" in changed[0]
    assert "position's margin" in changed[1]


def test_comparison_reports_missing_and_extra_codes(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = ErrorCode(50099, "Not on the page", 400, "spot")
    entries = (*tuple(entry for entry in _catalog._SORTED if entry.code != 60022), extra)
    monkeypatch.setattr(_catalog, "_SORTED", entries)

    diff = catalog_diff(page.errors, error_codes(source="error-page")).splitlines()

    assert [line[:7] for line in diff if line.startswith("-6")] == ["-60022 "]
    assert "+50099 | 'Not on the page' | 400 | spot | error-page" in diff


def test_family_counts(page: Page) -> None:
    expected = {"auth": 14, "funding": 20, "spot": 31, "contract": 34}
    assert {family: sum(row.family == family for row in page.errors) for family in PAGE_FAMILIES} == expected
    assert {family: len(error_codes(family=family, source="error-page")) for family in PAGE_FAMILIES} == expected
    assert len(error_codes(source="error-page")) == 99


def _page_message(page: Page, code: int) -> str:
    (message,) = [row.message for row in page.errors if row.code == code]
    return message


def test_quirk_40013_keeps_its_stray_quotes(page: Page) -> None:
    message = _page_message(page, 40013)
    assert message.count('"') == 2
    assert lookup(40013).message == message


def test_quirk_40025_keeps_typographic_apostrophes(page: Page) -> None:
    message = _page_message(page, 40025)
    assert message.count("\u2019") == 2
    assert "'" not in message
    assert lookup(40025).message == message
    assert lookup(40025).message.encode() == message.encode("utf-8")


def test_quirk_50019_keeps_its_missing_bracket(page: Page) -> None:
    message = _page_message(page, 50019)
    assert "[" in message
    assert "]" not in message
    assert lookup(50019).message == message


def test_global_http_failures_equal_the_page(page: Page) -> None:
    assert [(failure.http_status, failure.description) for failure in http_failures()] == page.http
    assert [failure.http_status for failure in http_failures()] == [404, 403, 401, 500]
    for status, description in page.http:
        assert http_failure(status).description == description


def test_http_failure_rejects_an_undocumented_status() -> None:
    with pytest.raises(
        UnknownCodeError, match=r"^418 is not one of BitMart's global HTTP return codes \(404, 403, 401, 500\)$"
    ):
        http_failure(418)


@pytest.mark.parametrize("family", FAMILIES)
def test_success_entry_per_family(page: Page, family: str) -> None:
    """1000 OK: from the family's table row, or for auth (no row) from its example envelope.

    The market-data table documents no success; its endpoints are spot's, so it is spot's row.
    """
    rows = [row for row in page.ok_rows if row.family == ("spot" if family == "spot-public" else family)]
    if rows:
        (row,) = rows
        expected = (row.code, row.message, row.http_status)
    else:
        status, body = page.examples[family]
        expected = (body["code"], body["message"], status)
    entry = success(family)  # type: ignore[arg-type]
    assert (entry.code, entry.message, entry.http_status, entry.family) == (*expected, family)
    assert entry.is_success
    assert lookup(1000, family=family) == entry  # type: ignore[arg-type]


def test_lookup_1000_defaults_to_spot() -> None:
    assert lookup(1000) == success("spot")


def test_errors_are_not_successes() -> None:
    assert not any(entry.is_success for entry in error_codes())
    assert 1000 not in {entry.code for entry in error_codes()}


def test_unknown_code_names_the_nearest_documented_codes() -> None:
    with pytest.raises(UnknownCodeError) as excinfo:
        lookup(50200)
    assert str(excinfo.value) == "unknown BitMart code 50200; did you mean 50020, 50000 or 52000?"
    assert isinstance(excinfo.value, LookupError)


def test_unknown_code_without_a_near_miss_has_no_hint() -> None:
    with pytest.raises(UnknownCodeError) as excinfo:
        lookup(12345678)
    assert str(excinfo.value) == "unknown BitMart code 12345678"


def test_unknown_code_suggests_at_most_three_nearest_first() -> None:
    # 30009 is the gap in the authentication table: 30000-30008 and 40009/50009/60009 are one digit away;
    # the three closest in value are named, closest first.
    with pytest.raises(UnknownCodeError) as excinfo:
        lookup(30009)
    assert str(excinfo.value) == "unknown BitMart code 30009; did you mean 30008, 30007 or 30006?"


@pytest.mark.parametrize("code", ["50020", 50020.0, 1000.0, None, True, [50020]], ids=repr)
def test_lookup_rejects_non_int_codes(code: object) -> None:
    with pytest.raises(UnknownCodeError, match=r"^unknown BitMart code "):
        lookup(code)  # type: ignore[arg-type]


def test_lookup_of_a_quoted_code_suggests_the_code_itself() -> None:
    with pytest.raises(UnknownCodeError, match=r"^unknown BitMart code '50020'; did you mean 50020\b"):
        lookup("50020")  # type: ignore[arg-type]


def test_error_codes_sorted_and_filtered(page: Page) -> None:
    codes = [entry.code for entry in error_codes(source="error-page")]
    assert codes == sorted(row.code for row in page.errors)
    assert [entry.code for entry in error_codes()] == sorted(entry.code for entry in error_codes())
    for family in PAGE_FAMILIES:
        assert [entry.code for entry in error_codes(family=family, source="error-page")] == sorted(
            row.code for row in page.errors if row.family == family
        )
    for status in {row.http_status for row in page.errors}:
        assert [entry.code for entry in error_codes(http_status=status, source="error-page")] == sorted(
            row.code for row in page.errors if row.http_status == status
        )


def test_error_codes_filters_combine(page: Page) -> None:
    assert [entry.code for entry in error_codes(family="auth", http_status=401, source="error-page")] == [
        row.code for row in page.errors if row.family == "auth" and row.http_status == 401
    ]
    assert [entry.code for entry in error_codes(family="funding", http_status=403, source="error-page")] == [
        60020,
        60021,
        60022,
    ]
    assert error_codes(family="contract", http_status=429) == ()
    assert error_codes(http_status=200, source="error-page") == ()


def test_error_code_is_frozen_and_slotted() -> None:
    entry = lookup(50020)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.message = "changed"  # type: ignore[misc]
    assert not hasattr(entry, "__dict__")
    assert hash(entry) == hash(lookup(50020))


# Written from the page: the codes whose message carries a %s or %d, with the placeholders in order.
PLACEHOLDERS = {
    50006: ("s",),
    50007: ("s",),
    50008: ("s",),
    50009: ("s",),
    50013: ("d",),
    50016: ("d",),
    50021: ("s",),
    50025: ("s",),
    60005: ("s",),
    60006: ("d",),
}


def test_placeholders_of_every_code() -> None:
    # 60013 is the one code of the API docs with a placeholder.
    expected = {**PLACEHOLDERS, 60013: ("s",)}
    assert {entry.code: entry.placeholders for entry in error_codes() if entry.placeholders} == expected
    assert all(success(family).placeholders == () for family in FAMILIES)


def test_families_constant() -> None:
    assert pytest_bitmart.FAMILIES == ("auth", "funding", "spot", "contract", "spot-public")


def test_error_codes_refuses_an_unknown_family() -> None:
    with pytest.raises(
        ValueError, match="unknown BitMart family 'nope'; the families are auth, funding, spot, contract, spot-public"
    ):
        error_codes(family="nope")  # type: ignore[arg-type]


# The codes of the current API docs ---------------------------------------------------------------------

EXTENDED = Path(__file__).parent / "reference" / "bitmart-extended-codes.tsv"
_COLUMNS = ["code", "family", "http_status", "message", "table", "source_repo", "source_path", "source_commit", "notes"]


class DocsRow(NamedTuple):
    """One row of the TSV, as written (``http_status`` stays text: some rows say ``n/a (WebSocket)``)."""

    code: int
    family: str
    http_status: str
    message: str
    repository: str
    path: str
    commit: str
    notes: str

    @property
    def served(self) -> bool:
        """A REST code with a documented message and HTTP status: the only kind the catalog serves."""
        return not self.family.startswith("ws-") and self.http_status.isdigit() and self.message != ""

    def as_row(self) -> Row:
        return Row(self.code, self.message, int(self.http_status), self.family, self.source)

    @property
    def source(self) -> str:
        """The catalog source whose capture this row cites, or ``?`` (which no catalog entry has)."""
        for name in SOURCES:
            document = source_document(name)
            if (document.repository, document.path, document.commit) == (self.repository, self.path, self.commit):
                return name
        return "?"


def parse_extended(text: str) -> list[DocsRow]:
    # No quoting: a message may contain double quotes, and tabs never occur inside a cell.
    header, *lines = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    assert header == _COLUMNS
    return [
        DocsRow(int(code), family, status, message, repo, path, commit, notes)
        for code, family, status, message, _table, repo, path, commit, notes in lines
    ]


@pytest.fixture(scope="module")
def docs_rows() -> list[DocsRow]:
    return parse_extended(EXTENDED.read_text(encoding="utf-8"))


def _new_rows(page: Page, docs_rows: list[DocsRow]) -> list[Row]:
    on_page = {row.code for row in page.errors}
    return [row.as_row() for row in docs_rows if row.served and row.code not in on_page]


def _docs_entries() -> list[ErrorCode]:
    return [entry for entry in error_codes() if entry.source != "error-page"]


def test_extended_parser_reads_every_row(page: Page, docs_rows: list[DocsRow]) -> None:
    """Guard the parser: 158 rows, of which 122 new REST codes, 8 other forms of page codes, 28 not served."""
    assert len(docs_rows) == 158
    assert len(_new_rows(page, docs_rows)) == 122
    on_page = {row.code for row in page.errors}
    assert sum(row.served and row.code in on_page for row in docs_rows) == 8
    assert sum(not row.served for row in docs_rows) == 28


def test_catalog_equals_the_api_docs_rows(page: Page, docs_rows: list[DocsRow]) -> None:
    """Every REST row not on the page is in the catalog: message byte-equal, status, family and source equal."""
    diff = catalog_diff(_new_rows(page, docs_rows), _docs_entries(), reference=EXTENDED)
    assert not diff, f"the catalog drifted from {EXTENDED.name}:\n{diff}"


def test_api_docs_comparison_reports_a_one_character_drift(
    page: Page, docs_rows: list[DocsRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check can fail: 53005's apostrophe turned typographic is reported, naming 53005 and nothing else."""
    drifted = tuple(
        dataclasses.replace(entry, message=entry.message.replace("'", "\u2019", 1)) if entry.code == 53005 else entry
        for entry in _catalog._SORTED
    )
    monkeypatch.setattr(_catalog, "_SORTED", drifted)

    diff = catalog_diff(_new_rows(page, docs_rows), _docs_entries(), reference=EXTENDED)

    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert [line[:8] for line in changed] == ["-53005 |", "+53005 |"]
    assert "Don't have" in changed[0]
    assert "Don\u2019t have" in changed[1]


def test_api_docs_comparison_reports_a_wrong_status_or_source(
    page: Page, docs_rows: list[DocsRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    drifted = tuple(
        dataclasses.replace(entry, http_status=400)
        if entry.code == 70002
        else dataclasses.replace(entry, source="spot-docs")
        if entry.code == 40035
        else entry
        for entry in _catalog._SORTED
    )
    monkeypatch.setattr(_catalog, "_SORTED", drifted)

    diff = catalog_diff(_new_rows(page, docs_rows), _docs_entries(), reference=EXTENDED).splitlines()

    assert "-70002 | 'symbol is invalid' | 200 | spot-public | spot-docs" in diff
    assert "+70002 | 'symbol is invalid' | 400 | spot-public | spot-docs" in diff
    assert "+40035 | 'The order is not exist' | 400 | contract | spot-docs" in diff


def test_variants_equal_the_rows_for_codes_of_the_page(page: Page, docs_rows: list[DocsRow]) -> None:
    """Where the API docs give a page code another status or message, that form is a variant, byte for byte."""
    on_page = {row.code for row in page.errors}
    expected = [row.as_row() for row in docs_rows if row.served and row.code in on_page]
    diff = catalog_diff(expected, [variant.entry for variant in variants()], reference=EXTENDED)
    assert not diff, f"the variants drifted from {EXTENDED.name}:\n{diff}"
    # The page's own values stay the ones served.
    for variant in variants():
        assert lookup(variant.entry.code).source == "error-page"
        assert lookup(variant.entry.code) != variant.entry


def test_variant_kinds_follow_the_rows_notes(docs_rows: list[DocsRow]) -> None:
    """A row noted as a disagreement with the page is one; a code "listed again" has an extra message."""
    for variant in variants():
        (row,) = [row for row in docs_rows if row.code == variant.entry.code and row.message == variant.entry.message]
        expected = "disagreement" if row.notes.startswith("EXISTING code") else "extra message"
        assert variant.kind == expected, variant
    assert sorted({v.entry.code for v in variants() if v.kind == "disagreement"}) == [40012, 40034, 59001]


def test_variant_names_are_their_source_numbered_when_one_source_gives_several() -> None:
    for code in {variant.entry.code for variant in variants()}:
        of_code = variants(code)
        sources = [variant.entry.source for variant in of_code]
        if len(of_code) == 1:
            assert [variant.name for variant in of_code] == sources
        else:
            assert [variant.name for variant in of_code] == [f"{s}-{n}" for n, s in enumerate(sources, start=1)]
    assert [variant.name for variant in variants(30007)] == ["spot-docs-1", "spot-docs-2", "spot-docs-3"]


def test_lookup_returns_a_variant_by_name() -> None:
    entry = lookup(40012, variant="futures-docs")
    assert (entry.code, entry.message, entry.http_status, entry.source) == (40012, "System error", 400, "futures-docs")
    assert lookup(40012).http_status == 500
    assert lookup(30007, variant="spot-docs-2") == variants(30007)[1].entry


def test_lookup_of_an_unknown_variant_names_the_documented_ones() -> None:
    with pytest.raises(UnknownCodeError) as excinfo:
        lookup(40012, variant="futures")
    assert str(excinfo.value) == (
        "code 40012 has no variant 'futures'; did you mean 'futures-docs'? (its variants: 'futures-docs')"
    )
    with pytest.raises(UnknownCodeError) as excinfo:
        lookup(50020, variant="spot-docs")
    assert str(excinfo.value) == (
        "code 50020 has no documented variant; the codes with variants are 30006, 30007, 40012, 40034, 59001, 60000"
    )


def test_the_success_code_has_no_variant() -> None:
    with pytest.raises(UnknownCodeError, match=r"^code 1000 has no documented variant; the codes with variants"):
        lookup(1000, variant="spot-docs")


def test_unserved_codes_are_the_remaining_rows(docs_rows: list[DocsRow]) -> None:
    """WebSocket codes, partial rows and client-only codes are listed as known, never served."""

    def reason(row: DocsRow) -> str:
        if row.repository == "ccxt/ccxt":
            return "client-source"
        return "websocket" if row.family.startswith("ws-") else "partial"

    expected = sorted(f"{r.code} | {r.family} | {r.message!r} | {reason(r)}" for r in docs_rows if not r.served)
    actual = sorted(f"{u.code} | {u.family} | {u.message!r} | {u.reason}" for u in _catalog.unserved_codes())
    assert actual == expected
    served = {entry.code for entry in error_codes()}
    assert [u.code for u in _catalog.unserved_codes() if u.code in served] == []


def test_every_entry_cites_a_source_document_with_its_capture(docs_rows: list[DocsRow]) -> None:
    assert {entry.source for entry in error_codes()} == set(SOURCES)
    for row in docs_rows:
        if row.served and row.source == "spot-docs":
            assert f"commit date {source_document('spot-docs').captured}" in row.notes, row.code
    # Both API docs' tables come from one capture (one commit of the repository that keeps them).
    spot, futures = source_document("spot-docs"), source_document("futures-docs")
    assert (futures.repository, futures.commit, futures.captured) == (spot.repository, spot.commit, spot.captured)
    assert source_document("error-page").captured is None


def test_source_document_refuses_an_unknown_source() -> None:
    with pytest.raises(ValueError, match="unknown source 'docs'; the sources are error-page, spot-docs, futures-docs"):
        source_document("docs")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown source 'docs'"):
        error_codes(source="docs")  # type: ignore[arg-type]


def test_counts_per_family_and_source() -> None:
    counts = {family: len(error_codes(family=family)) for family in FAMILIES}
    assert counts == {"auth": 20, "funding": 52, "spot": 90, "contract": 51, "spot-public": 8}
    assert {source: len(error_codes(source=source)) for source in SOURCES} == {
        "error-page": 99,
        "spot-docs": 105,
        "futures-docs": 17,
    }
    assert len(error_codes()) == 221
