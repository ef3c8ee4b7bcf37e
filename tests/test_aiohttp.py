"""aiohttp: the marker, ``bitmart_mock`` and the every-code fixture answer a real ``aiohttp.ClientSession``.

Direct tests run under pytest-asyncio; plugin behaviour (teardown failures, anyio, shadowing, several
event loops in one run) is checked in inner pytester runs.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from pytest_bitmart import BitMartMock, error_codes, http_failure, lookup, render

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"
TICKER = "https://api-cloud.bitmart.com/spot/quotation/v3/ticker"
CONTRACT = "https://api-cloud-v2.bitmart.com/contract/private/assets-detail"


async def fetch(session: aiohttp.ClientSession, method: str, url: str, **kwargs: object) -> tuple[int, bytes]:
    async with session.request(method, url, **kwargs) as response:  # type: ignore[arg-type]
        return response.status, await response.read()


# The marker -------------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_marker_serves_the_documented_status_body_bytes_and_headers(bitmart_mock: BitMartMock) -> None:
    entry = lookup(50020)
    async with aiohttp.ClientSession() as session, session.get(WALLET) as response:
        body = await response.read()
        assert response.status == entry.http_status == 400
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["X-BM-RateLimit-Remaining"] == "1"
        assert response.headers["X-BM-RateLimit-Limit"] == "600"
        assert response.headers["X-BM-RateLimit-Mode"] == "IP"
        assert str(response.url) == WALLET
    trace = json.loads(body)["trace"]
    assert body == render(entry, trace=trace, used=1, mode="IP").content
    assert json.loads(body)["message"] == entry.message
    # Spot key order, compact separators: the bytes BitMart sends, not a re-serialization.
    assert body.startswith(b'{"code":50020,"trace":"')


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_a_signed_post_is_recorded_with_the_real_url_headers_and_body(bitmart_mock: BitMartMock) -> None:
    async with aiohttp.ClientSession() as session:
        status, _ = await fetch(
            session, "POST", WALLET, params={"currency": "USDT"}, json={"size": "1"}, headers={"X-BM-KEY": "key"}
        )
    assert status == 400
    (call,) = bitmart_mock.calls
    assert call.request.method == "POST"
    assert call.request.url == WALLET + "?currency=USDT"
    assert call.request.header("x-bm-key") == "key"
    assert call.request.header("host") == "api-cloud.bitmart.com"
    assert json.loads(call.request.content) == {"size": "1"}
    # The private routing header never reaches the recorded request.
    assert not [name for name in call.request.headers if name.lower().startswith("x-pytest")]
    # The headers mode follows the key, as BitMart's does.
    assert call.response is not None
    assert call.response.headers["X-BM-RateLimit-Mode"] == "UID"


@pytest.mark.asyncio
@pytest.mark.bitmart_http_error(404)
async def test_a_global_http_failure_is_a_bare_status_and_its_description() -> None:
    async with aiohttp.ClientSession() as session, session.get(WALLET) as response:
        assert response.status == 404
        assert await response.read() == http_failure(404).description.encode()
        assert response.headers["Content-Type"].startswith("text/plain")


@pytest.mark.asyncio
@pytest.mark.bitmart_error(30013, host="api-cloud-v2.bitmart.com")
async def test_base_url_and_relative_urls_reach_the_mock(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok({"spot": True})
    contract = aiohttp.ClientSession(base_url="https://api-cloud-v2.bitmart.com")
    async with contract as session, session.get("/contract/private/assets-detail") as response:
        assert response.status == lookup(30013).http_status == 429
        assert response.url.host == "api-cloud-v2.bitmart.com"
        assert response.url.scheme == "https"
    async with aiohttp.ClientSession(base_url="https://api-cloud.bitmart.com") as session:
        status, body = await fetch(session, "GET", "/spot/v1/wallet")
    assert (status, json.loads(body)["data"]) == (200, {"spot": True})
    assert [call.request.url for call in bitmart_mock.calls] == [CONTRACT, WALLET]


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_raise_for_status_names_the_bitmart_url() -> None:
    async with aiohttp.ClientSession(raise_for_status=True) as session:
        with pytest.raises(aiohttp.ClientResponseError) as caught:
            await session.get(WALLET)
    assert caught.value.status == 400
    assert str(caught.value.request_info.url) == WALLET


# bitmart_mock: sequences, paths, concurrency ---------------------------------------------------------


@pytest.mark.asyncio
async def test_times_then_ok_gives_the_sequence_in_order(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(30013, times=2)
    bitmart_mock.ok({"balance": "1"})
    async with aiohttp.ClientSession() as session:
        answers = [await fetch(session, "GET", WALLET) for _ in range(4)]
    assert [status for status, _ in answers] == [429, 429, 200, 200]
    assert [json.loads(body)["code"] for _, body in answers] == [30013, 30013, 1000, 1000]
    assert json.loads(answers[2][1])["data"] == {"balance": "1"}
    # 30013 always reports a used count above the limit; the OK answers count the requests seen.
    assert [call.response.headers["X-BM-RateLimit-Remaining"] for call in bitmart_mock.calls if call.response] == [
        "601",
        "601",
        "3",
        "4",
    ]


@pytest.mark.asyncio
async def test_path_targeting_answers_only_that_endpoint(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(50020, path="/spot/v1/wallet")
    bitmart_mock.ok()
    async with aiohttp.ClientSession() as session:
        wallet, _ = await fetch(session, "GET", WALLET)
        ticker, body = await fetch(session, "GET", TICKER, params={"symbol": "BTC_USDT"})
    assert (wallet, ticker, json.loads(body)["code"]) == (400, 200, 1000)
    bitmart_mock.assert_call_count(1, code=50020, path="/spot/v1/wallet")
    bitmart_mock.assert_call_count(1, code=1000, path="/spot/quotation/v3/ticker")


@pytest.mark.asyncio
async def test_two_hundred_concurrent_requests_each_get_their_rule(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(50020, path="/spot/v1/wallet", times=100)
    bitmart_mock.error(30013, path="/spot/quotation/v3/ticker", times=100)
    bitmart_mock.ok()
    urls = [WALLET, TICKER] * 100
    async with aiohttp.ClientSession() as session:
        answers = await asyncio.gather(*(fetch(session, "GET", url) for url in urls))
        # Both limited rules are used up exactly, so the next request falls to the OK rule.
        after, _ = await fetch(session, "GET", WALLET)
    for url, (status, body) in zip(urls, answers, strict=True):
        expected = 50020 if url == WALLET else 30013
        assert (status, json.loads(body)["code"]) == (lookup(expected).http_status, expected)
    assert after == 200
    assert [rule.served for rule in bitmart_mock.rules] == [100, 100, 1]
    bitmart_mock.assert_call_count(100, code=50020, path="/spot/v1/wallet")
    bitmart_mock.assert_call_count(100, code=30013, path="/spot/quotation/v3/ticker")
    traces = {json.loads(body)["trace"] for _, body in answers}
    assert len(traces) == 200


# Other hosts ---------------------------------------------------------------------------------------------


@pytest_asyncio.fixture
async def local_app() -> AsyncIterator[str]:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text=f"local {request.path}")

    app = web.Application()
    app.router.add_get("/{tail:.*}", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_other_hosts_are_served_by_their_own_server(local_app: str, bitmart_mock: BitMartMock) -> None:
    async with aiohttp.ClientSession() as session:
        status, body = await fetch(session, "GET", f"{local_app}/spot/v1/wallet")
        bitmart, _ = await fetch(session, "GET", WALLET)
    assert (status, body) == (200, b"local /spot/v1/wallet")
    assert bitmart == 400
    assert [call.request.url for call in bitmart_mock.calls] == [WALLET]


# ccxt's async client ------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_ccxt_async_bitmart_raises_insufficient_funds(bitmart_mock: BitMartMock) -> None:
    ccxt = pytest.importorskip("ccxt.async_support")
    errors = pytest.importorskip("ccxt.base.errors")
    exchange = ccxt.bitmart({"apiKey": "key", "secret": "secret", "uid": "memo"})
    # Markets preloaded, so the only request is the private wallet call.
    exchange.set_markets(
        [
            {
                "id": "BTC_USDT",
                "symbol": "BTC/USDT",
                "base": "BTC",
                "quote": "USDT",
                "baseId": "BTC",
                "quoteId": "USDT",
                "type": "spot",
                "spot": True,
                "active": True,
            }
        ]
    )
    try:
        with pytest.raises(errors.InsufficientFunds, match=re.escape(lookup(50020).message)):
            await exchange.fetch_balance()
    finally:
        await exchange.close()
    (call,) = bitmart_mock.calls
    assert call.request.path == "/spot/v1/wallet"
    assert call.request.header("X-BM-KEY") == "key"
    assert call.code == 50020


# Plugin behaviour, in inner runs --------------------------------------------------------------------------


def test_an_unmatched_request_raises_in_the_client_and_fails_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_unmatched=f"""
        import aiohttp
        import pytest
        from pytest_bitmart import UnmatchedRequestError

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020, path="/spot/v1/other")
        async def test_raises():
            async with aiohttp.ClientSession() as session:
                with pytest.raises(UnmatchedRequestError, match="no rule answers GET {WALLET}"):
                    await session.get("{WALLET}")

        @pytest.mark.asyncio
        async def test_swallowed(bitmart_mock):
            async with aiohttp.ClientSession() as session:
                try:
                    await session.get("{WALLET}", headers={{"X-BM-KEY": "secret-key"}})
                except Exception:
                    pass  # retry code that swallows everything must not hide the failure
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*pytest-bitmart: test_unmatched.py::test_raises: 1 BitMart request(s) matched no rule and were not sent:",
            f"  GET {WALLET} headers=*",
            "*pytest-bitmart: test_unmatched.py::test_swallowed: 1 BitMart request(s) matched no rule*",
            f"  GET {WALLET} headers=*'X-BM-KEY': '***'*",
        ]
    )
    assert "secret-key" not in result.stdout.str()


def test_pytest_asyncio_and_anyio_tests_share_one_run_on_several_loops(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_loops=f"""
        import json

        import aiohttp
        import anyio
        import pytest

        async def code_of(url):
            async with aiohttp.ClientSession() as session, session.get(url) as response:
                return response.status, json.loads(await response.read())["code"]

        @pytest.fixture
        def anyio_backend():
            return "asyncio"

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_asyncio_first():
            assert await code_of("{WALLET}") == (400, 50020)

        @pytest.mark.anyio
        @pytest.mark.bitmart_error(30013)
        async def test_anyio(bitmart_mock):
            results = []
            async def one():
                results.append(await code_of("{WALLET}"))
            async with anyio.create_task_group() as group:
                for _ in range(5):
                    group.start_soon(one)
            assert results == [(429, 30013)] * 5
            bitmart_mock.assert_call_count(5, code=30013)

        @pytest.mark.asyncio
        async def test_asyncio_again(bitmart_mock):
            bitmart_mock.ok({{"again": 1}}, times=1)
            bitmart_mock.error(50020)
            assert await code_of("{WALLET}") == (200, 1000)
            assert await code_of("{WALLET}") == (400, 50020)
        """
    )
    result = pytester.runpytest("-p", "anyio", "-v")
    result.assert_outcomes(passed=3)


def test_the_every_code_fixture_answers_aiohttp_with_each_code(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_every=f"""
        import json

        import aiohttp
        import pytest

        @pytest.mark.asyncio
        async def test_answers(bitmart_error):
            async with aiohttp.ClientSession() as session, session.get("{WALLET}") as response:
                payload = json.loads(await response.read())
            assert response.status == bitmart_error.http_status
            assert payload["code"] == bitmart_error.code
            assert payload["message"] == bitmart_error.message
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=len(error_codes()))


def test_a_run_inside_a_test_answers_from_its_own_mock(pytester: pytest.Pytester, bitmart_mock: BitMartMock) -> None:
    """An outer test's mock (armed to answer anything) must not answer the inner run's requests."""
    bitmart_mock.ok()
    pytester.makepyfile(
        test_inner=f"""
        import aiohttp
        import pytest

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_inner():
            async with aiohttp.ClientSession() as session, session.get("{WALLET}") as response:
                assert response.status == 400
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
    assert bitmart_mock.calls == ()


def test_a_mock_patch_on_client_session_request_is_reported(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_shadowed="""
        from unittest import mock

        import aiohttp
        import pytest

        @pytest.fixture
        def patched_aiohttp():
            with mock.patch("aiohttp.ClientSession._request", autospec=True) as patched:
                yield patched

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_after_us(patched_aiohttp):
            pass

        @pytest.mark.asyncio
        async def test_before_us(patched_aiohttp, bitmart_mock):
            pass

        @pytest.mark.asyncio
        async def test_not_armed(patched_aiohttp):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*pytest-bitmart: test_shadowed.py::test_after_us: aiohttp.ClientSession._request is replaced by a unittest.mock patch*",
            "*pytest-bitmart: test_shadowed.py::test_before_us: aiohttp.ClientSession._request is replaced by a unittest.mock patch*",
        ]
    )


def test_aioresponses_is_named_with_its_fix(pytester: pytest.Pytester) -> None:
    pytest.importorskip("aioresponses")
    pytester.makepyfile(
        test_aioresponses=f"""
        import aiohttp
        import pytest
        from aioresponses import aioresponses

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_strict():
            with aioresponses():
                pass

        @pytest.fixture
        def strict_aioresponses():
            with aioresponses() as mocked:
                yield mocked

        @pytest.fixture
        def lenient_aioresponses():
            with aioresponses(passthrough_unmatched=True) as mocked:
                yield mocked

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_shadowed(strict_aioresponses):
            pass

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_passthrough(lenient_aioresponses):
            async with aiohttp.ClientSession() as session, session.get("{WALLET}") as response:
                assert response.status == 400
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*pytest-bitmart: test_aioresponses.py::test_shadowed: aioresponses replaces aiohttp.ClientSession._request*aioresponses(passthrough_unmatched=True)*",
        ]
    )


def test_a_refused_request_is_aiohttps_connection_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_refused=f"""
        import aiohttp
        import pytest
        from pytest_bitmart import RequestRefusedError

        @pytest.mark.asyncio
        async def test_unmarked():
            async with aiohttp.ClientSession() as session:
                with pytest.raises(aiohttp.ClientConnectorError) as raised:
                    await session.get("{WALLET}")
            assert isinstance(raised.value.__cause__, RequestRefusedError)
            assert raised.value.host == "api-cloud.bitmart.com"
            assert "no rules are armed for this test" in str(raised.value)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)  # caught here, and still reported once at teardown
    result.stdout.fnmatch_lines(["*test_refused.py::test_unmarked: 1 BitMart request(s) were refused and not sent:"])


@pytest.mark.parametrize("marker", ["@pytest.mark.bitmart_error(50020, path='/other')", ""])
def test_long_tracebacks_with_locals_never_show_the_api_key(pytester: pytest.Pytester, marker: str) -> None:
    """The plugin's frames that hold the request's headers are hidden from ``--tb=long -l``."""
    pytester.makepyfile(
        test_secret=f"""
        import aiohttp
        import pytest

        def signed():  # returns before the request: its frame is not in the traceback
            return {{"X-BM-KEY": "k" + "3y-value", "X-BM-SIGN": "s" + "1gn-value"}}

        @pytest.mark.asyncio
        {marker}
        async def test_failing_request():
            async with aiohttp.ClientSession() as session:
                await session.get("{WALLET}", headers=signed())
        """
    )
    result = pytester.runpytest("--tb=long", "-l")
    result.assert_outcomes(failed=1)
    output = result.stdout.str() + result.stderr.str()
    assert "k3y-value" not in output
    assert "s1gn-value" not in output


def test_the_loopback_server_stays_quiet_when_a_client_hangs_up(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_hang_up=f"""
        import asyncio

        import aiohttp
        import pytest

        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020)
        async def test_cancelled_mid_request(bitmart_mock):
            async with aiohttp.ClientSession() as session:
                # The server is started and answers; the body is read so the connection goes back to the
                # pool before the session closes (else aiohttp warns of it, depending on timing).
                async with session.get("{WALLET}") as first:
                    await first.read()
                task = asyncio.ensure_future(session.get("{WALLET}"))
                await asyncio.sleep(0)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert "Traceback" not in result.stderr.str()
    assert "Exception occurred during processing" not in result.stdout.str() + result.stderr.str()


NESTED_INNER = """
import asyncio

import aiohttp
import pytest


@pytest.mark.bitmart_error(50020)
def test_inner():
    async def code():
        async with aiohttp.ClientSession() as session:
            async with session.get("https://api-cloud.bitmart.com/spot/v1/wallet") as response:
                return (await response.json())["code"]

    assert asyncio.run(code()) == 50020
"""


def test_a_second_in_process_run_that_imports_aiohttp_again_is_answered(pytester: pytest.Pytester) -> None:
    # pytester drops the modules an in-process run imported: the second run imports a fresh aiohttp, and
    # its adapter must patch that one, not the first run's. A process of its own, where aiohttp is not
    # imported before the inner runs.
    pytester.makepyfile(
        test_outer=f"""
        import sys

        pytest_plugins = ["pytester"]


        def test_twice(pytester):
            assert "aiohttp" not in sys.modules
            pytester.makepyfile({NESTED_INNER!r})
            for _ in range(2):
                pytester.runpytest("-p", "no:xdist").assert_outcomes(passed=1)
                assert "aiohttp" not in sys.modules  # dropped: the next run imports it again
        """
    )
    pytester.runpytest_subprocess("-p", "no:xdist").assert_outcomes(passed=1)
