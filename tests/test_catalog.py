"""The catalog is BitMart's error page, byte for byte: checked against the committed copy of the page."""

from __future__ import annotations

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
    ErrorCode,
    UnknownCodeError,
    _catalog,
    error_codes,
    http_failure,
    http_failures,
    lookup,
    success,
)

REFERENCE = Path(__file__).parent / "reference" / "bitmart-error-codes.txt"

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
        elif section in FAMILIES and (match := _CODE_ROW.match(line)):
            row = Row(int(match["code"]), match["message"], int(match["status"]), section)
            (ok_rows if row.code == 1000 else errors).append(row)
        elif section in FAMILIES and (match := _EXAMPLE.search(line)):
            examples[section] = (int(match["status"]), json.loads(match["body"]))
    return Page(errors, ok_rows, http, examples)


def render_rows(rows: Iterable[Row | ErrorCode]) -> list[str]:
    """One comparable line per code, sorted by code, so a diff names the code that drifted.

    Messages are shown with ``repr`` so a stray space or a look-alike character is visible in the diff.
    """
    lines = [f"{row.code} | {row.message!r} | {row.http_status} | {row.family}" for row in rows]
    return sorted(lines)


def catalog_diff(expected: Iterable[Row], actual: Iterable[ErrorCode]) -> str:
    """An empty string when equal, else one unified diff (page on the ``-`` side, catalog on the ``+`` side)."""
    diff = difflib.unified_diff(
        render_rows(expected),
        render_rows(actual),
        fromfile=str(REFERENCE.name),
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
    assert set(page.examples) == set(FAMILIES)


def test_catalog_equals_the_page(page: Page) -> None:
    """Every documented code is there, none extra, messages byte-equal, statuses and families equal."""
    diff = catalog_diff(page.errors, error_codes())
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

    diff = catalog_diff(page.errors, error_codes())

    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert [line[:8] for line in changed] == ["-40025 |", "+40025 |"]
    assert "\u2019" in changed[0]
    assert "position's margin" in changed[1]


def test_comparison_reports_missing_and_extra_codes(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = ErrorCode(50026, "Not on the page", 400, "spot")
    entries = (*tuple(entry for entry in _catalog._SORTED if entry.code != 60022), extra)
    monkeypatch.setattr(_catalog, "_SORTED", entries)

    diff = catalog_diff(page.errors, error_codes()).splitlines()

    assert [line[:7] for line in diff if line.startswith("-6")] == ["-60022 "]
    assert "+50026 | 'Not on the page' | 400 | spot" in diff


def test_family_counts(page: Page) -> None:
    expected = {"auth": 14, "funding": 20, "spot": 31, "contract": 34}
    assert {family: sum(row.family == family for row in page.errors) for family in FAMILIES} == expected
    assert {family: len(error_codes(family=family)) for family in FAMILIES} == expected
    assert len(error_codes()) == 99


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
    """1000 OK: from the family's table row, or for auth (no row) from its example envelope."""
    rows = [row for row in page.ok_rows if row.family == family]
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
    assert str(excinfo.value) == "unknown BitMart code 50200; did you mean 50020 or 50000?"
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
    codes = [entry.code for entry in error_codes()]
    assert codes == sorted(row.code for row in page.errors)
    for family in FAMILIES:
        assert [entry.code for entry in error_codes(family=family)] == sorted(
            row.code for row in page.errors if row.family == family
        )
    for status in {row.http_status for row in page.errors}:
        assert [entry.code for entry in error_codes(http_status=status)] == sorted(
            row.code for row in page.errors if row.http_status == status
        )


def test_error_codes_filters_combine(page: Page) -> None:
    assert [entry.code for entry in error_codes(family="auth", http_status=401)] == [
        row.code for row in page.errors if row.family == "auth" and row.http_status == 401
    ]
    assert [entry.code for entry in error_codes(family="funding", http_status=403)] == [60020, 60021, 60022]
    assert error_codes(family="contract", http_status=429) == ()
    assert error_codes(http_status=200) == ()


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
    assert {entry.code: entry.placeholders for entry in error_codes() if entry.placeholders} == PLACEHOLDERS
    assert all(success(family).placeholders == () for family in FAMILIES)


def test_families_constant() -> None:
    assert pytest_bitmart.FAMILIES == ("auth", "funding", "spot", "contract")


def test_error_codes_refuses_an_unknown_family() -> None:
    with pytest.raises(
        ValueError, match="unknown BitMart family 'nope'; the families are auth, funding, spot, contract"
    ):
        error_codes(family="nope")  # type: ignore[arg-type]
