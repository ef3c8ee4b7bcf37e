"""With only some client or mocking libraries installed, the plugin answers what it can and never leaks.

A missing library is simulated the way Python itself reports one: ``sys.modules[name] = None`` in the
inner run's conftest makes ``import name`` fail and ``find_spec`` find nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

LOCAL_SERVER = (Path(__file__).parent / "local_server.py").read_text()
WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


def run_without(pytester: pytest.Pytester, missing: tuple[str, ...], tests: str) -> pytest.RunResult:
    hide = "".join(f"sys.modules[{name!r}] = None\n" for name in missing)
    pytester.makeconftest(f"{LOCAL_SERVER}\nimport sys\n{hide}")
    pytester.makepyfile(tests)
    # A subprocess: the hidden modules must not leak into the outer run's sys.modules.
    return pytester.runpytest_subprocess()


def test_without_httpx_requests_is_still_answered(pytester: pytest.Pytester) -> None:
    result = run_without(
        pytester,
        ("httpx", "respx"),
        f"""
        import pytest, requests, sys

        @pytest.mark.bitmart_error(50020)
        def test_requests():
            assert requests.get("{WALLET}").json()["code"] == 50020
            assert "pytest_bitmart._httpx" not in sys.modules
        """,
    )
    result.assert_outcomes(passed=1)


def test_without_requests_httpx_is_still_answered(pytester: pytest.Pytester) -> None:
    result = run_without(
        pytester,
        ("requests", "responses"),
        f"""
        import pytest, httpx, sys

        @pytest.mark.bitmart_error(50020)
        def test_httpx():
            assert httpx.get("{WALLET}").json()["code"] == 50020
            assert "pytest_bitmart._requests" not in sys.modules
        """,
    )
    result.assert_outcomes(passed=1)


def test_without_respx_httpx_calls_to_bitmart_are_refused_and_others_go_through(pytester: pytest.Pytester) -> None:
    result = run_without(
        pytester,
        ("respx",),
        f"""
        import httpx, pytest, requests

        @pytest.mark.bitmart_error(50020)
        def test_both(local_server):
            assert requests.get("{WALLET}").json()["code"] == 50020
            assert httpx.get(local_server.url + "/other").text == "from the local server"
            try:
                httpx.get("{WALLET}")
            except Exception:
                pass  # swallowed: the teardown still fails the test
        """,
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            f"  GET {WALLET} headers=*",
            (
                "  reason: the 'respx' package, which answers httpx calls, is not installed; "
                "install pytest-bitmart with its dependencies (pip install pytest-bitmart)"
            ),
        ]
    )


def test_without_responses_requests_calls_to_bitmart_are_refused_and_others_go_through(
    pytester: pytest.Pytester,
) -> None:
    result = run_without(
        pytester,
        ("responses",),
        f"""
        import httpx, pytest, requests

        @pytest.mark.bitmart_error(50020)
        def test_both(local_server):
            assert httpx.get("{WALLET}").json()["code"] == 50020
            assert requests.get(local_server.url + "/other").text == "from the local server"
            requests.get("{WALLET}")
        """,
    )
    result.assert_outcomes(failed=1)  # reported once: the test's own failure says it all
    result.stdout.fnmatch_lines(
        [
            (
                "*UnmatchedRequestError: pytest-bitmart: GET https://api-cloud.bitmart.com/spot/v1/wallet was not sent "
                "to BitMart: the 'responses' package, which answers requests calls, is not installed; *"
            ),
        ]
    )
