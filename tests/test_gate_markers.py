"""The gate's markers and controller methods, in pytester runs: arming, clear messages, the summary."""

from __future__ import annotations

import pytest

from pytest_bitmart import error_codes

ACCOUNT_OPTIONS = "api_key, secret, memo, state, permissions, ip_allowed, rate_limits, ip_ban_after"

MISTAKES = [
    (
        "test_option_typo",
        "bitmart_account",
        'api_key="k", secret="s", memmo="m"',
        f"bitmart_account() got an unknown option 'memmo' (did you mean 'memo'?); it takes {ACCOUNT_OPTIONS}",
    ),
    (
        "test_no_secret",
        "bitmart_account",
        'api_key="k"',
        "bitmart_account() needs secret=...: the credentials the code under test signs with",
    ),
    (
        "test_permission_typo",
        "bitmart_account",
        'api_key="k", secret="s", permissions=("read", "trad")',
        "unknown permission 'trad' (did you mean 'trade'?); a key has read, trade, withdraw",
    ),
    (
        "test_permission_string",
        "bitmart_account",
        'api_key="k", secret="s", permissions="trade"',
        "permissions must be a tuple such as ('read', 'trade'), got 'trade'",
    ),
    (
        "test_state_typo",
        "bitmart_account",
        'api_key="k", secret="s", state="frozn"',
        "state must be one of active, frozen, expired, got 'frozn' (did you mean 'frozen'?)",
    ),
    (
        "test_key_not_a_string",
        "bitmart_account",
        'api_key=42, secret="s"',
        "api_key must be a non-empty string, got 42",
    ),
    (
        "test_ip_allowed_not_a_bool",
        "bitmart_account",
        'api_key="k", secret="s", ip_allowed="no"',
        "ip_allowed must be True or False, got 'no'",
    ),
    (
        "test_positional",
        "bitmart_account",
        '"k", "s"',
        "takes keyword options only, got 2 positional argument(s)",
    ),
    (
        "test_ban_after_string",
        "bitmart_rate_limits",
        'ip_ban_after="3"',
        "ip_ban_after must be a whole number of 429 answers (0 or more) or None, got '3'",
    ),
    (
        "test_rate_limits_typo",
        "bitmart_rate_limits",
        "ip_ban=3",
        "bitmart_rate_limits() got an unknown option 'ip_ban' (did you mean 'ip_ban_after'?); it takes ip_ban_after",
    ),
]


def test_each_bad_gate_marker_fails_at_setup_with_one_message(pytester: pytest.Pytester) -> None:
    tests = "\n".join(
        f"@pytest.mark.{marker}({arguments})\ndef {name}():\n    raise AssertionError('never runs')\n\n"
        for name, marker, arguments, _ in MISTAKES
    )
    pytester.makepyfile(test_mistakes="import pytest\n\n\n" + tests)
    result = pytester.runpytest()
    result.assert_outcomes(errors=len(MISTAKES))
    for name, marker, _, message in MISTAKES:
        result.stdout.fnmatch_lines(
            [
                f"*ERROR at setup of {name}*",
                f"pytest-bitmart: test_mistakes.py::{name}: @pytest.mark.{marker}: {message}",
            ]
        )
    output = result.stdout.str()
    assert "Traceback" not in output
    assert "_gate.py" not in output
    assert "never runs" not in output


def test_bad_controller_call_points_at_the_users_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_typo(bitmart_mock):
            bitmart_mock.account(api_key="k", secret="s", ip_alowed=False)  # the account line


        def test_clock(bitmart_mock):
            bitmart_mock.clock.advance("60")  # the clock line
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            '>       bitmart_mock.account(api_key="k", secret="s", ip_alowed=False)  # the account line',
            (
                "E       *InvalidRuleError: bitmart_mock.account() got an unknown option 'ip_alowed' "
                f"(did you mean 'ip_allowed'?); it takes {ACCOUNT_OPTIONS}"
            ),
            '>       bitmart_mock.clock.advance("60")  # the clock line',
            "E       *InvalidRuleError: clock.advance() takes a number of seconds of at least 0, got '60'",
        ]
    )
    output = result.stdout.str()
    assert "_gate.py" not in output
    assert "_mock.py" not in output


def test_the_account_marker_alone_arms_the_gate_and_its_answers_count_in_the_summary(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests


        @pytest.mark.bitmart_account(api_key="k", secret="s", memo="m")
        def test_unsigned_order_is_refused():
            response = requests.post("https://api-cloud.bitmart.com/spot/v2/submit_order", headers={"X-BM-KEY": "k"})
            assert response.status_code == 401
            assert response.json()["code"] == 30004
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*BitMart errors*",
            f"1/{len(error_codes())} documented error codes exercised by passing tests",
            f"  auth *1/{len(error_codes(family='auth'))}",
            "*",
            f"  error-page *1/{len(error_codes(source='error-page'))}",
        ]
    )


def test_a_request_the_gate_passes_with_no_rule_is_unmatched(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests


        @pytest.mark.bitmart_account(api_key="k", secret="s")
        def test_wallet():
            with pytest.raises(AssertionError, match="no rule answers GET"):
                requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", headers={"X-BM-KEY": "k"})
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*1 BitMart request(s) matched no rule and were not sent*"])


def test_the_markers_are_registered_with_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.bitmart_account(*, api_key, secret, memo='', state='active', *",
            "@pytest.mark.bitmart_rate_limits(*, ip_ban_after=None): count each BitMart endpoint's *",
        ]
    )


def test_secrets_never_appear_in_the_accounts_repr() -> None:
    from pytest_bitmart._gate import Account

    assert "hunter2" not in repr(Account(api_key="hunter2", secret="hunter2", memo="hunter2"))
    assert "hunter2" not in repr(Account(api_key="hunter2", secret="hunter2", memo="hunter2"))


def test_a_misspelt_gate_marker_fails_with_did_you_mean(pytester: pytest.Pytester) -> None:
    # Without --strict-markers, so the test is collected and its setup names the marker it meant.
    pytester.makeini("[pytest]\naddopts = -p no:randomly\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.bitmart_rate_limit(ip_ban_after=1)
        def test_typo():
            pass

        @pytest.mark.bitmart_rate_limits(ip_ban_after=1)
        def test_spelt_right():
            pass
        """
    )
    result = pytester.runpytest("-W", "ignore::pytest.PytestUnknownMarkWarning")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*pytest-bitmart: test_a_misspelt_gate_marker_fails_with_did_you_mean.py::test_typo: "
                "@pytest.mark.bitmart_rate_limit is not a pytest-bitmart marker, so this test would run without "
                "the answers it asks for; did you mean @pytest.mark.bitmart_rate_limits?"
            )
        ]
    )
