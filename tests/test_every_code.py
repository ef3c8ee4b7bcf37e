"""The bitmart_error fixture: one test per documented code, narrowed by bitmart_codes and --bitmart-families."""

from __future__ import annotations

import re

import pytest

from pytest_bitmart import error_codes, http_failures

WALLET = "https://api-cloud.bitmart.com/account/v1/wallet"
INNER_INI_WITH_CONTRACT = """
[pytest]
addopts = -p no:randomly
asyncio_default_fixture_loop_scope = function
bitmart_families = contract
"""

# An inline test that checks each instance really receives its own code, over requests.
ANSWERS_ITS_CODE = f"""
    import requests

    def test_answers(bitmart_error):
        response = requests.get("{WALLET}")
        assert response.status_code == bitmart_error.http_status
        assert response.json()["code"] == bitmart_error.code
        assert response.json()["message"] == bitmart_error.message
"""


def collected_ids(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest("--collect-only", "-q", *args)
    return [line.strip() for line in result.outlines if "::" in line]


def test_one_item_per_documented_error_code_with_readable_ids(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    ids = collected_ids(pytester)
    # 99 is the page's count: 14 authentication, 20 funding, 31 spot, 34 contract codes.
    assert len(ids) == 99
    assert "test_codes.py::test_answers[50020-spot]" in ids
    assert "test_codes.py::test_answers[40013-contract]" in ids
    assert ids == [f"test_codes.py::test_answers[{entry.code}-{entry.family}]" for entry in error_codes()]


def test_every_instance_is_answered_with_its_own_code(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    pytester.runpytest().assert_outcomes(passed=99)


def test_dash_k_selects_one_code(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    result = pytester.runpytest("-k", "50020", "-v")
    result.assert_outcomes(passed=1, deselected=98)
    result.stdout.fnmatch_lines(["*test_answers?50020-spot? PASSED*"])


def test_a_bitmart_error_marker_turns_the_fixture_into_that_code(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest, requests

        @pytest.mark.bitmart_error(30013)
        def test_marked(bitmart_error):
            assert bitmart_error.code == 30013
            assert requests.get("{WALLET}").status_code == 429
        """
    )
    assert collected_ids(pytester) == ["test_a_bitmart_error_marker_turns_the_fixture_into_that_code.py::test_marked"]
    pytester.runpytest().assert_outcomes(passed=1)


def test_bitmart_codes_narrows_by_family_status_include_and_exclude(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_narrow="""
        import pytest

        @pytest.mark.bitmart_codes(family="auth", http_status=[401, 403], exclude=[30001])
        def test_auth(bitmart_error):
            pass

        @pytest.mark.bitmart_codes(include=[50020, 60008, 40027])
        def test_balance(bitmart_error):
            pass
        """
    )
    ids = collected_ids(pytester)
    auth = [
        entry.code for entry in error_codes(family="auth") if entry.http_status in (401, 403) and entry.code != 30001
    ]
    assert [i for i in ids if "test_auth" in i] == [f"test_narrow.py::test_auth[{code}-auth]" for code in auth]
    assert [i.split("[")[1] for i in ids if "test_balance" in i] == ["40027-contract]", "50020-spot]", "60008-funding]"]


def test_the_closest_bitmart_codes_marker_wins_per_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_levels="""
        import pytest

        pytestmark = pytest.mark.bitmart_codes(family="spot", http_status=400)

        @pytest.mark.bitmart_codes(family="funding")
        def test_funding_400(bitmart_error):
            pass
        """
    )
    expected = [entry.code for entry in error_codes(family="funding", http_status=400)]
    assert collected_ids(pytester) == [f"test_levels.py::test_funding_400[{code}-funding]" for code in expected]


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ('family="sopt"', "*(family=...): unknown BitMart family 'sopt' (did you mean 'spot'?); the families are *"),
        ("include=[50200]", "*include=...): unknown BitMart code 50200; did you mean 50020 or 50000?*"),
        ('famliy="spot"', "*unknown option 'famliy' (did you mean 'family'?)*"),
        ('family="contract", http_status=429', "*the selection of BitMart codes is empty; widen*"),
        ("times=0", "*(times=...): times must be a whole number of at least 1 (or None for every request), got 0"),
    ],
)
def test_a_bad_selection_is_a_collection_error_naming_the_test(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    pytester.makepyfile(
        test_bad=f"""
        import pytest

        @pytest.mark.bitmart_codes({marker})
        def test_x(bitmart_error):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"pytest-bitmart: test_bad.py::test_x: {message}"])
    assert "Traceback" not in result.stdout.str()


def test_bitmart_families_option_and_ini_narrow_the_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    expected = len(error_codes(family="spot")) + len(error_codes(family="auth"))
    assert len(collected_ids(pytester, "--bitmart-families=spot,auth")) == expected
    pytester.makeini(INNER_INI_WITH_CONTRACT)
    assert len(collected_ids(pytester)) == len(error_codes(family="contract"))


def test_a_test_whose_codes_the_run_excludes_is_skipped_not_an_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_contract="""
        import pytest

        @pytest.mark.bitmart_codes(family="contract")
        def test_x(bitmart_error):
            pass
        """
    )
    result = pytester.runpytest("--bitmart-families=spot", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no selected code is in families spot*"])


def test_an_unknown_family_on_the_command_line_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    result = pytester.runpytest("--bitmart-families=spot,autj")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--bitmart-families: unknown BitMart family 'autj' (did you mean 'auth'?); the families are *"]
    )


def test_global_http_failures_join_the_set_as_bare_statuses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_http=f"""
        import pytest, requests
        from pytest_bitmart import HttpFailure

        @pytest.mark.bitmart_codes(http_failures=True, family="auth", http_status=[401, 404])
        def test_x(bitmart_error):
            response = requests.get("{WALLET}")
            assert response.status_code == bitmart_error.http_status
            if isinstance(bitmart_error, HttpFailure):
                assert response.text == bitmart_error.description
        """
    )
    ids = collected_ids(pytester)
    assert [i.split("[")[1].rstrip("]") for i in ids if "http-" in i] == ["http-404", "http-401"]
    result = pytester.runpytest()
    auth = [entry for entry in error_codes(family="auth") if entry.http_status in (401, 404)]
    result.assert_outcomes(passed=len(auth) + 2)


def test_times_lets_a_success_follow_each_code(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_seq=f"""
        import pytest, requests

        @pytest.mark.bitmart_codes(http_status=429, times=2)
        def test_recovers(bitmart_error, bitmart_mock):
            bitmart_mock.ok({{"balance": "1"}})
            statuses = [requests.get("{WALLET}").status_code for _ in range(3)]
            assert statuses == [429, 429, 200]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


SUMMARY_SUITE = f"""
    import pytest, requests

    @pytest.mark.bitmart_codes(family="auth")
    def test_auth(bitmart_error):
        requests.get("{WALLET}")

    @pytest.mark.bitmart_codes(include=[50020, 50021])
    def test_spot_fails_for_50021(bitmart_error):
        requests.get("{WALLET}")
        assert bitmart_error.code != 50021

    @pytest.mark.bitmart_error(60008, times=1)
    def test_served_then_unmatched_fails_at_teardown():
        requests.get("{WALLET}")
        try:
            requests.get("{WALLET}")
        except Exception:
            pass  # swallowed by the client code: the teardown check still fails the test

    def test_untouched():
        pass
"""


def test_summary_counts_codes_exercised_by_passing_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_summary=SUMMARY_SUITE)
    result = pytester.runpytest()
    result.assert_outcomes(passed=17, failed=1, errors=1)
    # 14 auth codes and 50020 passed; 50021 failed; 60008 was served once but the test errored at teardown.
    result.stdout.fnmatch_lines(
        [
            "*= BitMart errors =*",
            "15/99 documented error codes exercised by passing tests",
            "  auth      14/14",
            "  funding    0/20",
            "  spot       1/31",
            "  contract   0/34",
            "84 not exercised; -v or --bitmart-coverage lists them",
        ]
    )


def test_summary_lists_missing_codes_on_request(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_summary=SUMMARY_SUITE)
    result = pytester.runpytest("--bitmart-coverage")
    result.stdout.fnmatch_lines(
        [
            "  not exercised, funding: 60000-60012, 60020-60022, 60030-60031, 60050-60051",
            "  not exercised, spot: 50000-50019, 50021-50025, 53000, 57001, 58001, 59001-59002",
            "  not exercised, contract: 40001-40034",
        ]
    )
    assert "not exercised, auth" not in result.stdout.str()


def test_summary_is_the_same_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_summary=SUMMARY_SUITE)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=17, failed=1, errors=1)
    result.stdout.fnmatch_lines(["15/99 documented error codes exercised by passing tests", "  auth      14/14"])


def test_no_summary_when_no_test_used_the_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "BitMart errors" not in result.stdout.str()


def test_global_failures_served_are_named_in_the_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest, requests

        @pytest.mark.bitmart_http_error(500)
        def test_x():
            assert requests.get("{WALLET}").status_code == 500
        """
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        ["0/99 documented error codes exercised by passing tests", "  global HTTP failures: 500"]
    )
    assert re.search(r"^99 not exercised", result.stdout.str(), re.MULTILINE)
    assert {failure.http_status for failure in http_failures()} == {404, 403, 401, 500}
