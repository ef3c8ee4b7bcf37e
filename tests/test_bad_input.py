"""A mistake in a marker or a fixture call fails with one clear message naming the test and the fix."""

from __future__ import annotations

import pytest

# One test per mistake: (test name, marker arguments, the message it must print after the nodeid).
MISTAKES = [
    ("test_unknown_code", "50200", "unknown BitMart code 50200; did you mean 50020, 50000 or 52000?"),
    ("test_code_as_string", '"50020"', "the BitMart code must be an int, got '50020'; write 50020 without quotes"),
    (
        "test_unknown_option",
        "50020, tims=2",
        (
            "bitmart_error() got an unknown option 'tims' (did you mean 'times'?); it takes method, path, host, times, "
            "message_args, trace, headers, variant, http_status, delay"
        ),
    ),
    (
        "test_times_zero",
        "50020, times=0",
        "times must be a whole number of at least 1 (or None for every request), got 0",
    ),
    (
        "test_times_not_int",
        '50020, times="2"',
        "times must be a whole number of at least 1 (or None for every request), got '2'",
    ),
    (
        "test_bad_regex",
        '50020, path="/spot/("',
        (
            "path '/spot/(' is neither a URL path nor a valid regular expression (*); pass the exact path, such as "
            "'/spot/v1/wallet', or a pattern with re.compile(...)"
        ),
    ),
    (
        "test_regex_looking_path",
        '50020, path="/spot/v1/.*"',
        (
            "path '/spot/v1/.*' looks like a regular expression but a string path matches exactly; "
            "pass re.compile('/spot/v1/.*') to match a pattern"
        ),
    ),
    (
        "test_path_with_query",
        '50020, path="/spot/v1/wallet?currency=BTC"',
        (
            "path '/spot/v1/wallet?currency=BTC' has a query string, but rules match the URL path only "
            "(the query is ignored); write path='/spot/v1/wallet'"
        ),
    ),
    (
        "test_message_args_count",
        '50021, message_args=("a", "b")',
        (
            "code 50021 ('Invalid %s') has 1 placeholder(s) but message_args has 2 value(s); "
            "pass one value per placeholder, e.g. message_args=(...)"
        ),
    ),
    (
        "test_message_args_not_int",
        '50016, message_args=("ten",)',
        "code 50016 ('Maximum limit is %d') needs an integer for %d, got 'ten'*",
    ),
    (
        "test_two_codes",
        "50020, 50021",
        (
            "takes exactly one code as its first argument, got 2 (write @pytest.mark.bitmart_error(50020, ...); "
            "one marker per code)"
        ),
    ),
]


def test_each_bad_marker_fails_at_setup_with_one_message(pytester: pytest.Pytester) -> None:
    tests = "\n".join(
        f"@pytest.mark.bitmart_error({arguments})\ndef {name}():\n    raise AssertionError('never runs')\n\n"
        for name, arguments, _ in MISTAKES
    )
    pytester.makepyfile(test_mistakes="import pytest\n\n\n" + tests)
    result = pytester.runpytest()
    result.assert_outcomes(errors=len(MISTAKES))
    for name, _, message in MISTAKES:
        result.stdout.fnmatch_lines(
            [
                f"*ERROR at setup of {name}*",
                f"pytest-bitmart: test_mistakes.py::{name}: @pytest.mark.bitmart_error: {message}",
            ]
        )
    output = result.stdout.str()
    assert "Traceback" not in output
    assert "_rules.py" not in output
    assert "never runs" not in output


def test_bad_fixture_call_points_at_the_users_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_unknown(bitmart_mock):
            bitmart_mock.error(50200)  # the user's line


        def test_string_code(bitmart_mock):
            bitmart_mock.error("50020", times=2)  # the string line


        def test_ok_family(bitmart_mock):
            bitmart_mock.ok(family="spott")  # the family line


        def test_times(bitmart_mock):
            bitmart_mock.http_error(500, times=-1)  # the times line
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(
        [
            ">       bitmart_mock.error(50200)  # the user's line",
            "E       *InvalidRuleError: unknown BitMart code 50200; did you mean 50020, 50000 or 52000?",
            '>       bitmart_mock.error("50020", times=2)  # the string line',
            "E       *InvalidRuleError: the BitMart code must be an int, got '50020'; write 50020 without quotes",
            '>       bitmart_mock.ok(family="spott")  # the family line',
            "E       *InvalidRuleError: unknown family 'spott' (did you mean 'spot'?)",
            ">       bitmart_mock.http_error(500, times=-1)  # the times line",
            "E       *InvalidRuleError: times must be a whole number of at least 1 (or None for every request), got -1",
        ]
    )
    output = result.stdout.str()
    assert "_rules.py" not in output
    assert "_mock.py" not in output


def test_unknown_fixture_option_is_a_plain_type_error_at_the_users_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_typo(bitmart_mock):
            bitmart_mock.error(50020, tims=2)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       bitmart_mock.error(50020, tims=2)",
            "E       TypeError: *error() got an unexpected keyword argument 'tims'*",
        ]
    )
