"""``python -m pytest_bitmart``: the catalog on the command line, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pytest_bitmart import FAMILIES, error_codes, http_failures, lookup, source_document, success, variants


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "pytest_bitmart", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def table_rows(stdout: str) -> list[tuple[int, int, str, str, str]]:
    header, *lines = stdout.splitlines()
    assert header.split() == ["CODE", "HTTP", "FAMILY", "SOURCE", "MESSAGE"]
    rows = []
    for line in lines:
        code, status, family, source, message = line.split(None, 4)
        rows.append((int(code), int(status), family, source, message))
    return rows


def as_rows(entries: object) -> list[tuple[int, int, str, str, str]]:
    return [(e.code, e.http_status, e.family, e.source, e.message) for e in entries]  # type: ignore[attr-defined]


def as_json(entry: object, **extra: object) -> dict[str, object]:
    e = entry
    return {
        "code": e.code,  # type: ignore[attr-defined]
        "message": e.message,  # type: ignore[attr-defined]
        "http_status": e.http_status,  # type: ignore[attr-defined]
        "family": e.family,  # type: ignore[attr-defined]
        **extra,
        "source": e.source,  # type: ignore[attr-defined]
        "captured": source_document(e.source).captured,  # type: ignore[attr-defined]
    }


def test_default_lists_every_error_code_sorted() -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    assert table_rows(result.stdout) == as_rows(error_codes())
    assert len(table_rows(result.stdout)) == 221


def test_table_columns_are_aligned() -> None:
    lines = run().stdout.splitlines()
    start = lines[0].index("MESSAGE")
    for line in lines[1:]:
        code = int(line.split()[0])
        assert line[start:] == lookup(code).message
        assert line[start - 1] == " "
        assert line == line.rstrip()


def test_family_contract_lists_exactly_the_51_contract_codes() -> None:
    result = run("--family", "contract")
    assert result.returncode == 0, result.stderr
    rows = table_rows(result.stdout)
    assert [row[0] for row in rows] == [*range(40001, 40051), 42000]
    assert rows == as_rows(error_codes(family="contract"))


def test_families_repeat_or_comma_separate() -> None:
    expected = as_rows(e for e in error_codes() if e.family in {"auth", "funding"})
    assert table_rows(run("--family", "auth", "--family", "funding").stdout) == expected
    assert table_rows(run("--family", "auth,funding").stdout) == expected


def test_json_equals_the_catalog() -> None:
    result = run("--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [as_json(e) for e in error_codes()]


def test_json_keeps_non_ascii() -> None:
    result = run("--code", "40025", "--json")
    assert lookup(40025).message in result.stdout
    assert json.loads(result.stdout) == [
        {
            "code": 40025,
            "message": lookup(40025).message,
            "http_status": 400,
            "family": "contract",
            "source": "error-page",
            "captured": None,
        }
    ]


def test_json_names_the_source_and_its_capture_date() -> None:
    (item,) = json.loads(run("--code", "61001", "--json").stdout)
    assert (item["source"], item["captured"]) == ("spot-docs", "2025-11-08")
    (item,) = json.loads(run("--code", "40050", "--json").stdout)
    assert (item["source"], item["captured"]) == ("futures-docs", "2025-11-08")


def test_source_filters_and_combines() -> None:
    rows = table_rows(run("--source", "error-page").stdout)
    assert rows == as_rows(error_codes(source="error-page"))
    assert len(rows) == 99
    rows = table_rows(run("--source", "spot-docs,futures-docs", "--family", "contract").stdout)
    assert rows == as_rows(error_codes(source="futures-docs"))
    assert table_rows(run("--source", "error-page", "--source", "futures-docs", "--status", "403").stdout) == as_rows(
        e for e in error_codes(http_status=403) if e.source != "spot-docs"
    )


def test_unknown_source_suggests_the_nearest() -> None:
    sources = "the sources are error-page, spot-docs, futures-docs"
    assert_usage_error(
        run("--source", "spot-doc"), f"unknown BitMart source 'spot-doc' (did you mean 'spot-docs'?); {sources}"
    )
    assert_usage_error(run("--source", "wiki"), f"unknown BitMart source 'wiki'; {sources}")


def test_variants_list_the_other_documented_forms_with_their_names() -> None:
    result = run("--variants")
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["CODE", "VARIANT", "HTTP", "FAMILY", "SOURCE", "MESSAGE"]
    rows = [tuple(line.split(None, 5)) for line in lines]
    assert rows == [
        (str(v.entry.code), v.name, str(v.entry.http_status), v.entry.family, v.entry.source, v.entry.message)
        for v in variants()
    ]
    assert [row[:3] for row in rows if row[0] in {"40012", "59001"}] == [
        ("59001", "spot-docs", "400"),
        ("40012", "futures-docs", "400"),
    ]


def test_variants_json_and_filters() -> None:
    assert json.loads(run("--variants", "--code", "30007", "--json").stdout) == [
        as_json(v.entry, variant=v.name) for v in variants(30007)
    ]
    assert [item["code"] for item in json.loads(run("--variants", "--source", "futures-docs", "--json").stdout)] == [
        40012,
        40034,
    ]


def test_filters_combine() -> None:
    result = run("--family", "auth,funding", "--status", "403", "--json")
    codes = [item["code"] for item in json.loads(result.stdout)]
    assert codes == [e.code for e in error_codes() if e.family in {"auth", "funding"} and e.http_status == 403]
    assert codes[:6] == [30010, 30011, 30012, 60020, 60021, 60022]
    assert 60026 in codes


def test_status_repeats() -> None:
    rows = table_rows(run("--status", "429", "--status", "503").stdout)
    assert [row[0] for row in rows] == [30013, 30014, 30018]


def test_code_takes_several() -> None:
    rows = table_rows(run("--code", "60008", "50020", "--family", "spot").stdout)
    assert rows == as_rows([lookup(50020)])
    assert [row[0] for row in table_rows(run("--code", "60008", "50020").stdout)] == [50020, 60008]


def test_code_1000_lists_one_ok_per_family() -> None:
    rows = table_rows(run("--code", "1000").stdout)
    assert rows == as_rows(success(family) for family in FAMILIES)


def test_no_match_is_not_an_error() -> None:
    result = run("--family", "contract", "--status", "429")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "no documented code matches these filters\n"
    assert json.loads(run("--family", "contract", "--status", "429", "--json").stdout) == []


def test_http_failures() -> None:
    result = run("--http-failures")
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["HTTP", "DESCRIPTION"]
    assert [tuple(line.split(None, 1)) for line in lines] == [
        (str(failure.http_status), failure.description) for failure in http_failures()
    ]
    assert [int(line.split()[0]) for line in lines] == [404, 403, 401, 500]


def test_http_failures_json() -> None:
    assert json.loads(run("--http-failures", "--json").stdout) == [
        {"http_status": failure.http_status, "description": failure.description} for failure in http_failures()
    ]


def assert_usage_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"python -m pytest_bitmart: error: {message}\n"


def test_unknown_family_suggests_the_nearest() -> None:
    families = "the families are auth, funding, spot, contract, spot-public"
    assert_usage_error(run("--family", "sopt"), f"unknown BitMart family 'sopt' (did you mean 'spot'?); {families}")
    assert_usage_error(
        run("--family", "auth,contrat"), f"unknown BitMart family 'contrat' (did you mean 'contract'?); {families}"
    )


def test_unknown_family_without_a_near_miss_lists_the_families() -> None:
    assert_usage_error(
        run("--family", "margin"),
        "unknown BitMart family 'margin'; the families are auth, funding, spot, contract, spot-public",
    )


def test_unknown_code_suggests_the_nearest() -> None:
    assert_usage_error(
        run("--code", "50020", "50200"), "unknown BitMart code 50200; did you mean 50020, 50000 or 52000?"
    )


def test_undocumented_status() -> None:
    result = run("--status", "402")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "python -m pytest_bitmart: error: no documented code has HTTP status 402 (statuses: "
    )


def test_http_failures_take_no_filters() -> None:
    assert_usage_error(
        run("--http-failures", "--family", "spot"),
        "--http-failures takes no --family, --source, --status, --code or --variants",
    )


def test_non_integer_code_is_rejected_by_argparse() -> None:
    result = run("--code", "abc")
    assert result.returncode == 2
    assert "invalid int value: 'abc'" in result.stderr
