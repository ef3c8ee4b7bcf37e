"""--bitmart-summary and the bitmart_summary ini key: how much of the BitMart errors summary a run prints."""

from __future__ import annotations

import pytest

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
    result.stdout.fnmatch_lines(
        [
            "1/99 documented error codes exercised by passing tests",
            "98 not exercised; -v or --bitmart-coverage lists them",
        ]
    )


def test_full_lists_the_codes_not_exercised(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_wallet=SUITE)
    result = pytester.runpytest("--bitmart-summary=full")
    result.stdout.fnmatch_lines(["  not exercised, spot: 50000-50019, 50021-50025, 53000, 57001, 58001, 59001-59002"])


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
