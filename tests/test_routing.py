"""Routing: a test's rules answer its own requests, whatever the fixture order; everything else is refused.

Fixture order is tested in-process through each client. The rest goes through pytest itself (pytester)
with real clients: a refused request never reaches a socket (the firewall's own tests prove that below
the plugin), and here it is seen refused, reported once, and named with the phase it was made in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from clients import Client

from pytest_bitmart import ErrorCode

AUDIT = (Path(__file__).parent / "audit.py").read_text()
NO_TRAFFIC = "network audit: 0 BitMart lookups or connects"
WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"
LIVE = "To send it on purpose, mark the test @pytest.mark.bitmart_live, or run with --bitmart-live (ini: bitmart_live = true)."


@pytest.fixture
def early_client(client: Client) -> Iterator[list[int]]:
    # A client whose setup already talks to BitMart, and whose teardown does too.
    codes = [client.get(WALLET).json()["code"]]
    yield codes
    codes.append(client.get(WALLET).json()["code"])
    assert codes == [50020, 50020, 50020]


# The marker's rules are armed when setup starts: a client fixture listed first is answered too.
@pytest.mark.bitmart_error(50020)
def test_fixture_order_does_not_matter_for_the_marker(early_client: list[int], client: Client) -> None:
    early_client.append(client.get(WALLET).json()["code"])


@pytest.mark.bitmart_codes(include=[50020])
def test_fixture_order_does_not_matter_with_the_code_first(
    bitmart_error: ErrorCode, early_client: list[int], client: Client
) -> None:
    early_client.append(client.get(WALLET).json()["code"])
    assert bitmart_error.code == 50020


@pytest.mark.bitmart_codes(include=[50020])
def test_fixture_order_does_not_matter_with_the_client_first(
    early_client: list[int], bitmart_error: ErrorCode, client: Client
) -> None:
    early_client.append(client.get(WALLET).json()["code"])
    assert bitmart_error.code == 50020


def test_unmarked_test_is_refused_and_fails_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests

        def test_unmarked():
            requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", headers={"X-BM-KEY": "k3y"})
        """
    )
    result = audited(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E *requests.exceptions.ConnectionError: pytest-bitmart: GET https://api-cloud.bitmart.com/spot/v1/"
            "wallet was refused and not sent to BitMart, during test test_unmarked_test_is_refused_and_fails_once.py"
            "::test_unmarked: no rules are armed for this test. Arm one (@pytest.mark.bitmart_error(...), "
            "@pytest.mark.bitmart_http_error(...), @pytest.mark.bitmart_fault(...) or the bitmart_mock fixture's "
            ".error(...) / .ok(...) / .fault(...)). " + LIVE,
        ]
    )
    assert "'k3y'" not in result.stdout.str()  # the source line shows it; our output never does


def test_unmarked_test_that_swallows_the_refusal_fails_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_swallowed():
            try:
                httpx.get("https://api-cloud.bitmart.com/spot/v1/wallet", headers={"X-BM-SIGN": "s1gn"})
            except httpx.ConnectError:
                pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*pytest-bitmart: test_unmarked_test_that_swallows_the_refusal_fails_at_teardown.py::test_swallowed: "
                "1 BitMart request(s) were refused and not sent:"
            ),
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers={*'x-bm-sign': '***'*}",
            "    during test *::test_swallowed: no rules are armed for this test.*",
            LIVE,
        ]
    )
    assert "'s1gn'" not in result.stdout.str()


def test_unmatched_request_that_fails_the_test_is_reported_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests

        @pytest.mark.bitmart_error(50020, path="/spot/v1/other")
        def test_unmatched():
            requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    assert "ERROR" not in result.stdout.str()


SCOPED = """
import pytest
import requests

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


def _try():
    try:
        requests.get(WALLET)
    except requests.ConnectionError as error:
        return type(error.__cause__).__name__
    return "sent"


@pytest.fixture(scope="{scope}")
def exchange():
    assert _try() == "RequestRefusedError"
    yield
    assert _try() == "RequestRefusedError"
"""


@pytest.mark.parametrize("scope", ["session", "package", "module", "class"])
def test_wider_scope_fixture_requests_are_refused_with_their_phase(pytester: pytest.Pytester, scope: str) -> None:
    """Never a neighbouring test's answer: the fixture's own setup and teardown are refused and named."""
    pytester.makeconftest(SCOPED.replace("{scope}", scope))
    pytester.makepyfile(
        test_scoped="""
        import pytest

        class TestScoped:
            @pytest.mark.bitmart_error(50020)
            def test_uses_it(self, exchange):
                pass
        """
    )
    result = audited(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*test_scoped.py::TestScoped::test_uses_it: 2 BitMart request(s) were refused and not sent:",
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers=*",
            (
                f"    during setup of {scope}-scoped fixture 'exchange' (conftest.py): requests made while a "
                f"{scope}-scoped fixture is set up or torn down need answers of their own*"
            ),
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers=*",
            f"    during teardown of {scope}-scoped fixture 'exchange' (conftest.py): *",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_thread_still_polling_after_its_test_fails_the_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_thread="""
        import threading

        import pytest
        import requests

        go = threading.Event()
        done = threading.Event()
        outcome = []


        def poll():
            go.wait(30)
            try:
                requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
            except requests.ConnectionError as error:
                outcome.append(type(error.__cause__).__name__)
            done.set()


        @pytest.mark.bitmart_error(50020)
        def test_starts_a_poller():
            threading.Thread(target=poll, daemon=True).start()


        @pytest.mark.bitmart_error(50020)
        def test_later():
            go.set()
            assert done.wait(30)
            assert outcome == ["RequestRefusedError"]
        """
    )
    result = audited(pytester)
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*pytest-bitmart: BitMart requests outside any test*",
            "1 BitMart request(s) made outside any test were refused and not sent:",
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers=*",
            (
                "    after test test_thread.py::test_starts_a_poller ended (a background thread): a thread the test "
                "started was still making BitMart requests after the test ended; join it (or stop it) in the test "
                "or its fixture's teardown"
            ),
            LIVE,
        ]
    )


def test_request_during_collection_fails_the_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_collected="""
        import requests

        try:
            requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", headers={"X-BM-KEY": "k3y"})
        except requests.ConnectionError:
            pass


        def test_nothing():
            pass
        """
    )
    result = audited(pytester)
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers={*'X-BM-KEY': '***'*}",
            "    during collection: no test is running, so no rules are armed for it.*",
        ]
    )
    assert "'k3y'" not in result.stdout.str()  # the source line shows it; our output never does


@pytest.mark.parametrize("strict", [True, False])
def test_misspelt_marker_fails_with_did_you_mean(pytester: pytest.Pytester, strict: bool) -> None:
    addopts = "-p no:randomly" + (" --strict-markers" if strict else "")
    pytester.makeini(f"[pytest]\naddopts = {addopts}\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        test_typo="""
        import pytest
        import requests

        @pytest.mark.bitmart_eror(50020)
        def test_typo():
            pass
        """
    )
    result = pytester.runpytest("-W", "ignore::pytest.PytestUnknownMarkWarning")
    if strict:
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(
            ["pytest-bitmart: @pytest.mark.bitmart_eror is not a pytest-bitmart marker; did you mean *bitmart_error?"]
        )
    else:
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(
            [
                (
                    "pytest-bitmart: test_typo.py::test_typo: @pytest.mark.bitmart_eror is not a pytest-bitmart "
                    "marker, so this test would run without the answers it asks for; did you mean "
                    "@pytest.mark.bitmart_error?"
                )
            ]
        )


LIVE_CONFTEST = """
import pytest

pytest_plugins = ["local_server"]
"""


@pytest.mark.parametrize("how", ["marker", "option", "ini"])
def test_live_opt_out_sends_what_nothing_answers(pytester: pytest.Pytester, how: str) -> None:
    """With the opt-out, the request really leaves (here to a local server standing in for BitMart)."""
    ini = (
        "[pytest]\naddopts = -p no:randomly --strict-markers\nasyncio_default_fixture_loop_scope = function\n"
        "bitmart_hosts = localhost\n"
    )
    pytester.makeini(ini + ("bitmart_live = true\n" if how == "ini" else ""))
    pytester.makepyfile(local_server=_local_server_source())
    pytester.makeconftest(LIVE_CONFTEST)
    mark = "@pytest.mark.bitmart_live" if how == "marker" else ""
    pytester.makepyfile(
        test_live=f"""
        import pytest
        import requests

        {mark}
        def test_live(local_server):
            url = local_server.url.replace("127.0.0.1", "localhost") + "/spot/v1/wallet"
            assert requests.get(url).text == "from the local server"


        def test_not_live(local_server):
            url = local_server.url.replace("127.0.0.1", "localhost") + "/spot/v1/wallet"
            with pytest.raises(requests.ConnectionError):
                requests.get(url)
        """
    )
    result = pytester.runpytest(*(["--bitmart-live"] if how == "option" else []))
    if how == "marker":
        # The other test is refused, as it should be: it sees the error, and fails at teardown with it.
        result.assert_outcomes(passed=2, errors=1)
    else:
        result.assert_outcomes(passed=1, failed=1)  # the whole run is live: nothing is refused


def audited(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run with the network audit below the plugin: a test then also pins that nothing reached a socket."""
    pytester.makepyfile(audit=AUDIT)
    pytester.syspathinsert()
    result = pytester.runpytest("-p", "audit", *args)
    result.stdout.fnmatch_lines([NO_TRAFFIC])
    return result


def _local_server_source() -> str:
    from pathlib import Path

    return (Path(__file__).parent / "local_server.py").read_text()


MIXED = """
import pytest
import requests

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


@pytest.fixture
def client():
    return requests.Session()


@pytest.mark.bitmart_error(50020)
def test_error_first(bitmart_error, client):
    assert client.get(WALLET).json()["code"] == 50020


@pytest.mark.bitmart_error(50020)
def test_client_first(client, bitmart_error):
    assert client.get(WALLET).json()["code"] == 50020


def test_unmarked_is_refused(client):
    with pytest.raises(requests.ConnectionError):
        client.get(WALLET)


@pytest.mark.parametrize("number", range(4))
def test_fixture_only(bitmart_mock, number):
    bitmart_mock.error(30013)
    assert requests.get(WALLET).json()["code"] == 30013
"""


def test_under_xdist_each_worker_routes_its_own_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mixed_a=MIXED, test_mixed_b=MIXED)
    result = pytester.runpytest_subprocess("-n", "2")
    # Per module: the unmarked test sees its refusal, and is failed by it at teardown.
    result.assert_outcomes(passed=14, errors=2)
    result.stdout.fnmatch_lines(["*test_unmarked_is_refused: 1 BitMart request(s) were refused and not sent:*"])


def test_outside_refusal_on_an_xdist_worker_fails_the_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_collected="""
        import requests

        try:
            requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
        except requests.ConnectionError:
            pass


        def test_nothing():
            pass
        """
    )
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["    during collection: no test is running, so no rules are armed for it.*"])


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_order_with_scoped_fixtures_and_both_argument_orders(pytester: pytest.Pytester, seed: int) -> None:
    pytester.makeconftest(SCOPED.replace("{scope}", "module"))
    pytester.makepyfile(
        test_a=MIXED + "\n\ndef test_scoped(exchange):\n    pass\n",
        test_b=MIXED,
    )
    result = pytester.runpytest_subprocess("-p", "randomly", f"--randomly-seed={seed}", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines([f"Using --randomly-seed={seed}"])
    # The module fixture's refusals fail the test that set it up, or tore it down, whichever ran there.
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 15
    assert outcomes["errors"] in (3, 4)


def test_thread_a_session_fixture_started_is_refused_with_the_fixture_named(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import threading

        import pytest
        import requests

        go = threading.Event()
        done = threading.Event()
        outcome = []


        def poll():
            go.wait(30)
            try:
                requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
            except requests.ConnectionError as error:
                outcome.append(type(error.__cause__).__name__)
            done.set()


        @pytest.fixture(scope="session")
        def poller():
            threading.Thread(target=poll, daemon=True).start()
            return go, done, outcome
        """
    )
    pytester.makepyfile(
        test_poller="""
        import pytest


        @pytest.mark.bitmart_error(50020)
        def test_uses_the_poller(poller):
            go, done, outcome = poller
            go.set()
            assert done.wait(30)
            assert outcome == ["RequestRefusedError"]
        """
    )
    result = audited(pytester)
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            (
                "    in a thread started by session-scoped fixture 'poller' (conftest.py): requests made by a thread "
                "a wider-scoped fixture started need answers of their own*"
            ),
        ]
    )


@pytest.mark.parametrize("live", [False, True])
def test_an_atexit_request_after_the_run_is_refused_unless_the_run_is_live(
    pytester: pytest.Pytester, live: bool
) -> None:
    """The firewall outlives the run: an atexit handler's BitMart lookup is refused, with the reason why."""
    outcome = pytester.path / "outcome.txt"
    pytester.makeconftest(
        f"""
        import atexit
        import socket


        def lookup():
            try:
                socket.getaddrinfo("api-cloud.bitmart.com", 443)
            except OSError as error:
                result = f"{{type(error).__name__}}: {{error}}"
            else:
                result = "resolved"
            with open({str(outcome)!r}, "w", encoding="utf-8") as file:
                file.write(result)


        # Registered first, so it runs after the audit hook, hence after everything the run installed.
        atexit.register(lookup)
        """
    )
    pytester.makepyfile("def test_nothing():\n    pass\n")
    options = ["--bitmart-live"] if live else []
    pytester.runpytest_subprocess(*options).assert_outcomes(passed=1)
    text = outcome.read_text(encoding="utf-8")
    if live:
        assert "the pytest run had ended" not in text  # resolved, or this machine's own DNS error
    else:
        assert text.startswith("RequestRefusedError: pytest-bitmart: CONNECT ")
        assert "was not sent to BitMart: the pytest run had ended (an atexit handler, or a thread still" in text
