"""How the every-code suite's cost grows with the number of documented codes it runs over.

The same three suites as the every-code measurement (fixture, hand-written, empty), each narrowed to N codes
spread evenly over the catalog, for a few N up to every code the installed catalog has: the largest size
follows the catalog as it grows. The fixture's suite is narrowed the way a user narrows it, with a
``bitmart_codes(include=...)`` marker; the hand-written one spells out the same N canned responses.
"""

from __future__ import annotations

from pathlib import Path

import _suites

from pytest_bitmart import ErrorCode, error_codes

# Sizes below the catalog's; the catalog's own size is always added.
SIZES = (25, 50, 99)
VARIANTS = ("fixture", "hand-written", "empty")


def sizes(up_to: int | None = None) -> list[int]:
    """The code counts to measure: ``SIZES`` below the catalog's size, then the catalog's size itself.

    ``up_to`` stops at that many codes (a quick run measures the small sizes only).
    """
    total = len(error_codes())
    every = sorted({size for size in SIZES if size < total} | {total})
    return every if up_to is None else [size for size in every if size <= up_to]


def spread_codes(count: int) -> tuple[ErrorCode, ...]:
    """``count`` codes taken at even steps through the sorted catalog, so every family and status appears."""
    entries = error_codes()
    return tuple(entries[index * len(entries) // count] for index in range(count))


def write(work: Path, count: int) -> dict[str, Path]:
    """The three suites over ``count`` codes, each in its own folder under ``work``, keyed by variant."""
    entries = spread_codes(count)
    writers = {
        "fixture": _suites.write_every_code_suite,
        "hand-written": _suites.write_hand_written_suite,
        "empty": _suites.write_empty_suite,
    }
    return {name: writers[name](work / f"growth-{count}-{name}", entries) for name in VARIANTS}


def tests(count: int) -> int:
    """How many tests each suite over ``count`` codes holds: one per code per client."""
    return count * len(_suites.transports())
