"""``python -m pytest_bitmart``: print BitMart's documented codes, as a table or as JSON.

Filters combine: ``--family``, ``--source``, ``--status`` and ``--code`` must all match; several values
of one filter mean any of them. A mistyped family, source or code is an error (exit 2) naming the nearest
valid ones, so a typo never reads as "no such code". ``--variants`` lists, with the same filters, the
other statuses and messages the API docs give for codes of the error page.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ._catalog import (
    FAMILIES,
    SOURCES,
    SUCCESS_CODE,
    ErrorCode,
    error_codes,
    http_failures,
    source_document,
    success,
    unknown_code_message,
    variants,
)
from ._options import family_problem, source_problem

_PROG = "python -m pytest_bitmart"


class _UsageError(Exception):
    """A mistake on the command line, reported on one line of stderr."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=_PROG, description="List BitMart's documented API error codes.")
    parser.add_argument(
        "--family",
        action="append",
        default=[],
        metavar="FAMILY",
        help=f"only this family ({', '.join(FAMILIES)}); repeat or separate with commas",
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="SOURCE",
        help=f"only codes documented by this source ({', '.join(SOURCES)}); repeat or separate with commas",
    )
    parser.add_argument("--status", action="append", type=int, default=[], help="only this HTTP status; repeatable")
    parser.add_argument("--code", nargs="+", type=int, default=[], help="only these codes (1000 lists the OK entries)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.add_argument(
        "--http-failures", action="store_true", help="list the four global HTTP failures (404, 403, 401, 500)"
    )
    parser.add_argument(
        "--variants",
        action="store_true",
        help="list the other statuses and messages the API docs give for codes of the error page",
    )
    return parser


def _chosen(values: Sequence[str], known: Sequence[str], kind: str, plural: str) -> set[str]:
    chosen = {name.strip() for value in values for name in value.split(",") if name.strip()}
    if values and not chosen:  # "--family ''" must not quietly mean every family
        raise _UsageError(f"--{kind} {values[0]!r} names no {kind} ({plural}: {', '.join(known)})")
    for name in sorted(chosen):
        if name not in known:
            raise _UsageError((family_problem if kind == "family" else source_problem)(name))
    return chosen


def _select(args: argparse.Namespace) -> list[ErrorCode]:
    families = _chosen(args.family, FAMILIES, "family", "families")
    sources = _chosen(args.source, SOURCES, "source", "sources")
    documented = {SUCCESS_CODE, *(entry.code for entry in error_codes())}
    unknown = [code for code in args.code if code not in documented]
    if unknown:
        raise _UsageError(unknown_code_message(unknown[0]))
    entries = [variant.entry for variant in variants()] if args.variants else list(error_codes())
    if not args.variants and (SUCCESS_CODE in args.code or 200 in args.status):
        # 1000 OK is documented once per family; it is listed only when asked for.
        entries = [success(family) for family in FAMILIES] + entries
    statuses = {200, *(entry.http_status for entry in entries)}
    for status in args.status:
        if status not in statuses:
            raise _UsageError(f"no documented code has HTTP status {status} (statuses: {_joined(sorted(statuses))})")
    return [
        entry
        for entry in entries
        if (not families or entry.family in families)
        and (not sources or entry.source in sources)
        and (not args.status or entry.http_status in args.status)
        and (not args.code or entry.code in args.code)
    ]


def _http_failures(args: argparse.Namespace) -> str:
    if args.family or args.source or args.status or args.code or args.variants:
        raise _UsageError("--http-failures takes no --family, --source, --status, --code or --variants")
    failures = http_failures()
    if args.json:
        return json.dumps([{"http_status": f.http_status, "description": f.description} for f in failures])
    return _table([("HTTP", "DESCRIPTION"), *((str(f.http_status), f.description) for f in failures)])


def _joined(values: Sequence[object]) -> str:
    return ", ".join(str(value) for value in values)


def _table(rows: Sequence[Sequence[str]]) -> str:
    # Every column but the last is padded, so messages line up without trailing spaces.
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]) for row in rows
    )


def _as_json(entry: ErrorCode, variant: str | None) -> dict[str, object]:
    item: dict[str, object] = {key: getattr(entry, key) for key in ("code", "message", "http_status", "family")}
    if variant is not None:
        item["variant"] = variant
    # The capture date travels with each entry, so a saved listing says how current it was.
    item.update(source=entry.source, captured=source_document(entry.source).captured)
    return item


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.http_failures:
            print(_http_failures(args))
            return 0
        entries = _select(args)
    except _UsageError as error:
        print(f"{_PROG}: error: {error}", file=sys.stderr)
        return 2
    names = {variant.entry: variant.name for variant in variants()} if args.variants else {}
    if args.json:
        print(json.dumps([_as_json(entry, names.get(entry)) for entry in entries], ensure_ascii=False))
    elif entries:
        # The variant's name is what a rule asks for (variant=...): it comes right after the code.
        named = ["VARIANT"] if args.variants else []
        header = ["CODE", *named, "HTTP", "FAMILY", "SOURCE", "MESSAGE"]
        rows = [
            [str(e.code), *([names[e]] if named else []), str(e.http_status), e.family, e.source, e.message]
            for e in entries
        ]
        print(_table([header, *rows]))
    else:
        print("no documented code matches these filters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
