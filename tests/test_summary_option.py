"""--bitmart-summary and the bitmart_summary ini key: how much of the BitMart errors summary a run prints."""

from __future__ import annotations

import pytest

from pytest_bitmart import error_codes

SUITE = """
import pytest
import requests


@pytest.mark.bitmart_error(50020)
def test_wallet():
    requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10)
"""


def test_off_prints_no_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_wallet=SUITE)
    result = pytester.runpytest("--bitmart-summary=off")
    result.assert_outcomes(passed=1)
    assert "BitMart errors" not in result.stdout.str()


def test_short_is_the_default(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_wallet=SUITE)
    result = pytester.runpytest("--bitmart-summary=short")
    total = len(error_codes())
    result.stdout.fnmatch_lines(
        [
            f"1/{total} documented error codes exercised by passing tests",
            f"{total - 1} not exercised; -v or --bitmart-coverage lists them",
        ]
    )
    assert "not exercised, spot:" not in result.stdout.str()


def _runs(codes: list[int]) -> str:
    """``codes`` as the summary writes them: consecutive codes as one ``first-last`` run."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][-1] + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def test_full_lists_the_codes_not_exercised(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_wallet=SUITE)
    result = pytester.runpytest("--bitmart-summary=full")
    spot = [entry.code for entry in error_codes(family="spot") if entry.code != 50020]
    assert _runs([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    result.stdout.fnmatch_lines([f"  not exercised, spot: {_runs(spot)}"])


def test_the_ini_key_quiets_a_project(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        "[pytest]\naddopts = -p no:randomly\nasyncio_default_fixture_loop_scope = function\nbitmart_summary = off\n"
    )
    pytester.makepyfile(test_wallet=SUITE)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "BitMart errors" not in result.stdout.str()


def test_the_option_wins_over_the_ini_key(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        "[pytest]\naddopts = -p no:randomly\nasyncio_default_fixture_loop_scope = function\nbitmart_summary = off\n"
    )
    pytester.makepyfile(test_wallet=SUITE)
    result = pytester.runpytest("--bitmart-summary=short")
    result.stdout.fnmatch_lines(["*= BitMart errors =*"])


def test_an_unknown_ini_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        "[pytest]\naddopts = -p no:randomly\nasyncio_default_fixture_loop_scope = function\nbitmart_summary = quiet\n"
    )
    pytester.makepyfile(test_wallet=SUITE)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*pytest-bitmart: bitmart_summary = 'quiet'; use off, short or full"])
