"""Answers for fixtures of any scope: ``bitmart_answers(request)`` in a session-, module- or class-scoped fixture.

Runs of a whole session go through pytest itself (pytester) with the real clients, under the network
audit: a fixture of wider scope loads ccxt's markets once, and every test's own error still reaches
``create_order``. What a module-scoped fixture's answers give each client is tested in-process here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from clients import Client

import pytest_bitmart
from pytest_bitmart import BitMartMock

AUDIT = (Path(__file__).parent / "audit.py").read_text()

ORDER = "/spot/v2/submit_order"
MARKET_PATHS = ["/account/v1/currencies", "/contract/public/details", "/spot/v1/symbols/details"]
HANDFUL = [30013, 50020, 50008, 60005, 40011]
API = "https://api-cloud.bitmart.com"

SYNC_CONFTEST = f"""
import ccxt
import pytest

import pytest_bitmart


@pytest.fixture(scope="session")
def exchange(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.markets("BTC/USDT")  # market loading gets the documented answers
        client = ccxt.bitmart({{"apiKey": "k", "secret": "s", "uid": "m", "enableRateLimit": False}})
        client.load_markets()
        yield client
        # Loaded once for the whole run (once per xdist worker), never by a test.
        assert sorted(call.request.path for call in answers.calls) == {MARKET_PATHS!r}
"""

EVERY_CODE_TESTS = """
import ccxt
import pytest

{marker}
def test_every_code_reaches_create_order({signature}):
    with pytest.raises(ccxt.BaseError) as raised:
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    assert str(bitmart_error.code) in str(raised.value)
    # The test's error answered create_order, the only request the test made.
    assert [(call.request.path, call.code) for call in bitmart_mock.calls] == [
        ("{order}", bitmart_error.code)
    ]
"""

ORDERS = ["exchange, bitmart_mock, bitmart_error", "bitmart_error, bitmart_mock, exchange"]


def _every_code(signature: str, codes: list[int] | None) -> str:
    marker = "" if codes is None else f"@pytest.mark.bitmart_codes(include={codes!r})"
    return EVERY_CODE_TESTS.format(marker=marker, signature=signature, order=ORDER)


@pytest.mark.parametrize("signature", ORDERS)
@pytest.mark.parametrize("xdist", [(), ("-n", "2")], ids=["one-process", "xdist"])
def test_session_fixture_loads_markets_once_and_every_code_reaches_create_order(
    pytester: pytest.Pytester, signature: str, xdist: tuple[str, ...]
) -> None:
    pytester.makeconftest(SYNC_CONFTEST)
    pytester.makepyfile(test_orders=_every_code(signature, HANDFUL))
    result = audited(pytester, *xdist)
    result.assert_outcomes(passed=len(HANDFUL))


def test_every_documented_code_reaches_create_order_after_one_market_load(pytester: pytest.Pytester) -> None:
    from pytest_bitmart import error_codes

    pytester.makeconftest(SYNC_CONFTEST)
    pytester.makepyfile(test_orders=_every_code(ORDERS[0], None))
    audited(pytester).assert_outcomes(passed=len(error_codes()))


ASYNC_CONFTEST = f"""
import ccxt.async_support as ccxt_async
import pytest_asyncio

import pytest_bitmart


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def exchange(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.markets("BTC/USDT")  # market loading gets the documented answers
        client = ccxt_async.bitmart(
            {{"apiKey": "k", "secret": "s", "uid": "m", "enableRateLimit": False, "timeout_on_exit": 0}}
        )
        await client.load_markets()
        yield client
        await client.close()
        assert sorted(call.request.path for call in answers.calls) == {MARKET_PATHS!r}
"""

ASYNC_TESTS = """
import ccxt.async_support as ccxt_async
import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.mark.bitmart_codes(include={codes!r})
async def test_every_code_reaches_create_order({signature}):
    with pytest.raises(ccxt_async.BaseError) as raised:
        await exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    assert str(bitmart_error.code) in str(raised.value)
    assert [(call.request.path, call.code) for call in bitmart_mock.calls] == [
        ("{order}", bitmart_error.code)
    ]
"""


@pytest.mark.parametrize("signature", ORDERS)
def test_async_session_fixture_loads_markets_once(pytester: pytest.Pytester, signature: str) -> None:
    pytester.makeconftest(ASYNC_CONFTEST)
    pytester.makepyfile(test_orders=ASYNC_TESTS.format(codes=HANDFUL, signature=signature, order=ORDER))
    # In a process of its own, as a user's run is: a second in-process run with aiohttp in one process does
    # not route its aiohttp requests.
    audited(pytester, subprocess=True).assert_outcomes(passed=len(HANDFUL))


# Module- and class-scoped fixtures: their own requests, their fallbacks, and where the fallbacks end.
SCOPED_CONFTEST = """
import pytest
import requests

import pytest_bitmart

API = "https://api-cloud.bitmart.com"


@pytest.fixture(scope="{scope}")
def warm(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.ok({{"server_time": 1}}, path="/system/time")
        answers.fallback.ok({{"tickers": []}}, path="/spot/v1/ticker")
        assert requests.get(API + "/system/time").json()["data"] == {{"server_time": 1}}
        yield answers
        assert requests.get(API + "/system/time").json()["code"] == 1000
    assert [call.request.path for call in answers.calls] == ["/system/time", "/system/time"]
"""

SCOPED_TESTS = """
import pytest
import requests

TICKER = "https://api-cloud.bitmart.com/spot/v1/ticker"


class TestInScope:
    def test_fallback_answers_a_test_without_rules(self, warm):
        assert requests.get(TICKER).json()["data"] == {"tickers": []}

    @pytest.mark.bitmart_error(30013)
    def test_the_tests_rules_come_first(self, warm, bitmart_mock):
        assert requests.get(TICKER).json()["code"] == 30013
        bitmart_mock.assert_call_count(1, code=30013, path="/spot/v1/ticker")

    def test_fallback_after_the_tests_rules(self, bitmart_mock, warm):
        bitmart_mock.error(50020, path="/spot/v1/wallet")
        assert requests.get(TICKER).json()["code"] == 1000
        assert [call.code for call in bitmart_mock.calls] == [1000]
        assert warm.fallback.calls[-1].request.path == "/spot/v1/ticker"

"""


OUTSIDE = """
import pytest
import requests


def test_outside_the_scope_is_refused():
    with pytest.raises(requests.ConnectionError):
        requests.get("https://api-cloud.bitmart.com/spot/v1/ticker")
"""


@pytest.mark.parametrize("scope", ["module", "class"])
def test_module_and_class_scoped_fixtures(pytester: pytest.Pytester, scope: str) -> None:
    pytester.makeconftest(SCOPED_CONFTEST.format(scope=scope))
    pytester.makepyfile(test_in_scope=SCOPED_TESTS, test_zz_outside=OUTSIDE)
    result = audited(pytester)
    # Past the fixture's scope its fallbacks answer nothing: the request is refused and fails its test.
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*test_zz_outside.py::test_outside_the_scope_is_refused: 1 BitMart request(s) were refused*",
            "*during test *: no rules are armed for this test.*",
        ]
    )


def audited(pytester: pytest.Pytester, *args: str, subprocess: bool = False) -> pytest.RunResult:
    """Run with the network audit below the plugin: nothing reached a socket, whatever else happened."""
    pytester.makepyfile(audit=AUDIT)
    pytester.syspathinsert()
    # Under xdist the workers import the audit too: they need a subprocess, with the test directory on the path.
    run = pytester.runpytest_subprocess if subprocess or "-n" in args else pytester.runpytest
    result = run("-p", "audit", *args)
    result.stdout.fnmatch_lines(["network audit: 0 BitMart lookups or connects"])
    return result


SDK_CONFTEST = """
import pytest
from bitmart.api_spot import APISpot

import pytest_bitmart

WALLET = {"wallet": [{"id": "BTC", "available": "10.000000", "name": "Bitcoin", "frozen": "10.000000"}]}


@pytest.fixture(scope="session")
def spot(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.ok(WALLET, path="/spot/v1/wallet", times=1)
        client = APISpot(api_key="my-api-key", secret_key="my-secret", memo="my-memo")
        body, _ = client.get_wallet()  # the keys work: logged in once for the run
        assert body["data"] == WALLET
        yield client
    assert [call.request.header("X-BM-KEY") for call in answers.calls] == ["my-api-key"]
"""

SDK_TESTS = """
import json

import pytest
from bitmart.lib.cloud_exceptions import APIException


@pytest.mark.bitmart_codes(include={codes!r})
def test_every_code(spot, bitmart_error, bitmart_mock):
    with pytest.raises(APIException) as raised:
        spot.get_wallet()
    assert json.loads(raised.value.response)["code"] == bitmart_error.code
    assert [call.request.path for call in bitmart_mock.calls] == ["/spot/v1/wallet"]
"""


def test_official_sdk_client_logged_in_once_per_session(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(SDK_CONFTEST)
    pytester.makepyfile(test_sdk=SDK_TESTS.format(codes=HANDFUL))
    audited(pytester).assert_outcomes(passed=len(HANDFUL))


UNMATCHED_CONFTEST = """
import pytest
import requests

import pytest_bitmart

API = "https://api-cloud.bitmart.com"


@pytest.fixture(scope="session")
def warm(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.ok(path="/system/time")
        try:
            requests.get(API + "/spot/v1/wallet")
        except AssertionError:
            pass  # a client that swallows what it gets: the run still fails
        yield
"""


def test_unmatched_request_of_a_session_fixture_fails_the_nearest_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(UNMATCHED_CONFTEST)
    pytester.makepyfile(
        """
        def test_first(warm):
            pass


        def test_second(warm):
            pass
        """
    )
    result = audited(pytester)
    # The fixture's setup fails the test it was set up for: that test does not run; the next one does.
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_first*",
            (
                "pytest-bitmart: test_unmatched_request_of_a_session_fixture_fails_the_nearest_test.py::test_first: "
                "1 BitMart request(s) made by session-scoped fixture 'warm' (conftest.py) matched no rule and were "
                "not sent:"
            ),
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers=*",
            "Rules armed for session-scoped fixture 'warm' (conftest.py):",
            "  1. answers.ok(path='/system/time'): answered 0 (unlimited)",
            (
                "Arm a rule that answers them in that fixture's answers (answers.ok(...) or answers.error(...) inside "
                "`with pytest_bitmart.bitmart_answers(request) as answers:`), or narrow an existing rule."
            ),
        ]
    )


def test_a_wider_fixture_without_answers_is_refused_naming_bitmart_answers(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        import requests


        @pytest.fixture(scope="module")
        def warm():
            try:
                requests.get("https://api-cloud.bitmart.com/system/time")
            except requests.ConnectionError:
                pass
        """
    )
    pytester.makepyfile("def test_it(warm): pass")
    result = audited(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "    during setup of module-scoped fixture 'warm' (conftest.py): requests made while a module-scoped "
                "fixture is set up or torn down need answers of their own: a test's rules answer only the test and "
                "its function-scoped fixtures. Arm them in that fixture with `with "
                "pytest_bitmart.bitmart_answers(request) as answers:`, or make the request from a function-scoped "
                "fixture or the test"
            ),
        ]
    )


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (
            "@pytest.fixture\ndef warm(request):\n    with pytest_bitmart.bitmart_answers(request):\n        yield",
            (
                "bitmart_answers() arms answers for a session-, package-, module- or class-scoped fixture, and the "
                "request passed to it is fixture 'warm', which is function-scoped's. Use the bitmart_mock fixture "
                "there: its rules answer the test and its function-scoped fixtures."
            ),
        ),
        (
            (
                '@pytest.fixture(scope="session")\ndef warm(request):\n'
                "    with pytest_bitmart.bitmart_answers(request.config):\n        yield"
            ),
            (
                "bitmart_answers() got <_pytest.config.Config object at *>, not a fixture's request: pass the "
                "fixture's own `request` argument from the body of a session-, package-, module- or class-scoped "
                "fixture:"
            ),
        ),
        (
            (
                '@pytest.fixture(scope="session")\ndef warm(request):\n'
                "    with pytest_bitmart.bitmart_answers(request), pytest_bitmart.bitmart_answers(request):\n"
                "        yield"
            ),
            "session-scoped fixture 'warm' (conftest.py) already armed bitmart_answers(): enter it once.",
        ),
    ],
    ids=["function-scoped", "not-a-request", "twice"],
)
def test_bad_request_argument_is_one_clear_paragraph(pytester: pytest.Pytester, source: str, problem: str) -> None:
    pytester.makeconftest(f"import pytest\n\nimport pytest_bitmart\n\n\n{source}\n")
    pytester.makepyfile("def test_it(warm): pass")
    result = audited(pytester)
    result.assert_outcomes(errors=1)
    test = "test_bad_request_argument_is_one_clear_paragraph.py::test_it: "
    result.stdout.fnmatch_lines([f"pytest-bitmart: {'' if 'Config' in problem else test}{problem}"])
    result.stdout.no_fnmatch_line("*Traceback*")


def test_bitmart_answers_in_a_test_points_to_bitmart_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest_bitmart


        def test_it(request):
            with pytest_bitmart.bitmart_answers(request):
                pass
        """
    )
    result = audited(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the request passed to it is the test's. Use the bitmart_mock fixture there*"])


def test_fallbacks_innermost_first_and_only_the_tests_own_codes_are_covered(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        import pytest_bitmart


        @pytest.fixture(scope="session")
        def outer(request):
            with pytest_bitmart.bitmart_answers(request) as answers:
                answers.fallback.error(50020, path="/spot/v1/wallet")
                answers.fallback.error(30013)
                yield


        @pytest.fixture(scope="module")
        def inner(request, outer):
            with pytest_bitmart.bitmart_answers(request) as answers:
                answers.fallback.error(50008, path="/spot/v1/wallet")
                yield
        """
    )
    pytester.makepyfile(
        """
        import pytest
        import requests

        API = "https://api-cloud.bitmart.com"


        def test_inner_fallback_first(inner):
            assert requests.get(API + "/spot/v1/wallet").json()["code"] == 50008
            assert requests.get(API + "/spot/v1/ticker").json()["code"] == 30013


        @pytest.mark.bitmart_error(60005, path="/spot/v1/wallet")
        def test_own_rule_first(inner, bitmart_mock):
            assert requests.get(API + "/spot/v1/wallet").json()["code"] == 60005
            assert [call.code for call in bitmart_mock.calls] == [60005]
        """
    )
    result = audited(pytester)
    result.assert_outcomes(passed=2)
    # 50008 and 30013 answered a test's requests, but no rule of a test's own was meant for them.
    result.stdout.fnmatch_lines(["1/221 documented error codes exercised by passing tests"])


@pytest.fixture(scope="module")
def poller(request: pytest.FixtureRequest) -> Iterator[tuple[threading.Event, threading.Event, list[int]]]:
    codes: list[int] = []

    def poll(go: threading.Event, done: threading.Event) -> None:
        go.wait(30)
        codes.append(requests.get(f"{API}/spot/v1/ticker", timeout=10).json()["code"])
        done.set()

    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.error(30013, path="/spot/v1/ticker")
        go, done = threading.Event(), threading.Event()
        threading.Thread(target=poll, args=(go, done), daemon=True).start()
        yield go, done, codes


@pytest.mark.bitmart_error(50020)
def test_a_thread_the_fixture_started_gets_its_answers(
    poller: tuple[threading.Event, threading.Event, list[int]],
) -> None:
    go, done, codes = poller
    go.set()
    assert done.wait(30)
    assert codes == [30013]  # the fixture's answer, not the test's


def test_an_unmatched_request_lists_the_fallbacks_too(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        import pytest_bitmart


        @pytest.fixture(scope="session")
        def outer(request):
            with pytest_bitmart.bitmart_answers(request) as answers:
                answers.fallback.ok(path="/spot/v1/ticker")
                yield
        """
    )
    pytester.makepyfile(
        """
        import pytest
        import requests

        from pytest_bitmart import UnmatchedRequestError


        @pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
        def test_it(outer):
            with pytest.raises(UnmatchedRequestError) as raised:
                requests.get("https://api-cloud.bitmart.com/account/v1/wallet")
            assert str(raised.value).splitlines()[1:] == [
                "Rules armed for this test:",
                "  1. bitmart_error(50020, path='/spot/v1/wallet'): answered 0 (unlimited)",
                "Rules armed for the tests in scope of session-scoped fixture 'outer' (conftest.py):",
                "  1. answers.fallback.ok(path='/spot/v1/ticker'): answered 0 (unlimited)",
            ]
        """
    )
    result = audited(pytester)
    result.assert_outcomes(passed=1, errors=1)  # the unmatched request also fails the test at teardown


# Start-up reads go to the test's rules, then the scope's fallbacks, then the documented answers.
@pytest.fixture(scope="module")
def outer(request: pytest.FixtureRequest) -> Iterator[None]:
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.markets("ETH/USDT")
        answers.fallback.ok({"server_time": 1}, path="/system/time")
        yield


def spot_symbols(client: Client) -> list[str]:
    data = client.get(f"{API}/spot/v1/symbols/details").json()["data"]
    return [market["symbol"] for market in data["symbols"]]


@pytest.mark.bitmart_error(30013)
def test_the_scopes_fallback_comes_before_the_documented_answer(outer: None, client: Client) -> None:
    # The test's rule without a path is not meant for start-up reads; the fallback names the path.
    assert client.get(f"{API}/system/time").json()["data"] == {"server_time": 1}
    assert spot_symbols(client) == ["ETH_USDT"]  # the scope's markets
    assert client.get(f"{API}/spot/v1/ticker").json()["code"] == 30013


@pytest.mark.bitmart_error(30013)
def test_the_tests_own_markets_come_first(outer: None, bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.markets("BTC/USDT")
    assert spot_symbols(client) == ["BTC_USDT"]


def test_a_test_without_rules_gets_the_scopes_markets(outer: None, client: Client) -> None:
    assert spot_symbols(client) == ["ETH_USDT"]
