"""The loopback server aiohttp's BitMart requests are answered by: HTTP as aiohttp really sends it.

Each request goes through a real ``aiohttp.ClientSession`` to the server on the test's own event loop;
these tests cover what the plain GET/POST tests in ``test_aiohttp.py`` do not reach: chunked and
``Expect: 100-continue`` uploads, answers larger than a socket buffer, late answers, stray connections,
loops that cannot watch a socket, and the sockets of closed loops.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from pytest_bitmart import BitMartMock, lookup

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"
ORDER = "https://api-cloud.bitmart.com/spot/v2/submit_order"
# A server that stops answering shows as this test's failure, not as a run that never ends.
FAIL_AFTER = aiohttp.ClientTimeout(total=30)


# An answer too large to be read in one go: the connection is still the response's when it is looked at.
_LARGE = {"rows": [{"symbol": f"COIN{number}_USDT", "note": "x" * 200} for number in range(20_000)]}


async def _server_port(session: aiohttp.ClientSession, bitmart_mock: BitMartMock) -> int:
    """The port of the loopback server answering this loop: where aiohttp connected for a BitMart URL."""
    bitmart_mock.ok(_LARGE, times=1)
    async with session.get(WALLET) as response:
        assert response.connection is not None
        transport = response.connection.transport
        assert transport is not None
        port: int = transport.get_extra_info("peername")[1]
        await response.read()
    return port


_FDS = Path("/proc/self/fd")


def _open_sockets() -> int:
    return sum(_link(fd).startswith("socket:") for fd in _FDS.iterdir())


def _link(fd: Path) -> str:
    try:
        return str(fd.readlink())
    except FileNotFoundError:  # the descriptor the listing itself read the directory with
        return ""


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_a_chunked_upload_is_recorded_whole(bitmart_mock: BitMartMock) -> None:
    parts = [b'{"symbol":', b'"BTC_USDT",', b'"size":"1"}']

    async def body() -> AsyncIterator[bytes]:
        for part in parts:
            yield part

    async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session, session.post(ORDER, data=body()) as response:
        assert response.status == 400
        assert (await response.json())["code"] == 50020
    (call,) = bitmart_mock.calls
    assert call.request.header("Transfer-Encoding") == "chunked"
    assert call.request.content == b"".join(parts)


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_an_upload_that_expects_100_continue_is_let_through(bitmart_mock: BitMartMock) -> None:
    async with (
        aiohttp.ClientSession(timeout=FAIL_AFTER) as session,
        session.post(ORDER, data=b'{"size":"1"}', expect100=True) as response,
    ):
        assert response.status == 400
        assert (await response.json())["code"] == 50020
    (call,) = bitmart_mock.calls
    assert call.request.header("Expect") == "100-continue"
    assert call.request.content == b'{"size":"1"}'


@pytest.mark.asyncio
async def test_an_answer_larger_than_a_socket_buffer_arrives_whole(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok(_LARGE)
    async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session, session.get(WALLET) as response:
        body = await response.read()
    assert int(response.headers["Content-Length"]) == len(body) > 4_000_000  # socket buffers hold far less
    assert json.loads(body)["data"] == _LARGE


@pytest.mark.asyncio
async def test_a_late_answer_holds_up_no_other_request_on_the_loop(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(50020, path="/spot/v2/submit_order", delay=0.5)
    bitmart_mock.ok(path="/spot/v1/wallet")
    finished: list[str] = []

    async def get(name: str, method: str, url: str) -> None:
        async with session.request(method, url) as response:
            await response.read()
        finished.append(name)

    async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session:
        late = asyncio.ensure_future(get("late", "POST", ORDER))
        await asyncio.sleep(0.05)  # the late one is waiting on the server when the next one goes out
        await get("prompt", "GET", WALLET)
        await late
    assert finished == ["prompt", "late"]


@pytest.mark.asyncio
async def test_a_stray_connection_that_speaks_no_http_is_dropped_and_the_server_goes_on(
    bitmart_mock: BitMartMock,
) -> None:
    async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session:
        port = await _server_port(session, bitmart_mock)
        bitmart_mock.error(50020)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"hello there\r\n\r\n")
        assert await asyncio.wait_for(reader.read(), 10) == b""  # closed without an answer
        writer.close()
        await writer.wait_closed()
        async with session.get(WALLET) as response:
            assert (await response.json())["code"] == 50020


class _LoopWithoutReaders(asyncio.SelectorEventLoop):
    """Stands for a loop that cannot watch a socket for its users, as Windows' proactor loop."""

    def add_reader(self, *args: object, **kwargs: object) -> None:
        raise NotImplementedError


@pytest.mark.bitmart_error(50020)
def test_a_loop_that_cannot_watch_a_socket_is_answered_from_a_thread() -> None:
    async def code() -> int:
        async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session, session.get(WALLET) as response:
            result: int = (await response.json())["code"]
            return result

    loop = _LoopWithoutReaders()
    try:
        assert loop.run_until_complete(code()) == 50020
        assert loop.run_until_complete(code()) == lookup(50020).code
    finally:
        loop.close()
    assert "pytest-bitmart-aiohttp" in [thread.name for thread in threading.enumerate()]


@pytest.mark.skipif(not _FDS.is_dir(), reason="counts sockets in /proc/self/fd")
@pytest.mark.bitmart_error(50020)
def test_the_sockets_of_closed_loops_are_closed_once_another_loop_is_served() -> None:
    async def code() -> int:
        async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session, session.get(WALLET) as response:
            result: int = (await response.json())["code"]
            return result

    assert asyncio.run(code()) == 50020  # this loop's server stays open until another loop is served
    before = _open_sockets()
    for _ in range(20):
        assert asyncio.run(code()) == 50020
    # Each loop had its listener and one kept-alive connection: without the clean-up, 40 more sockets.
    assert _open_sockets() <= before


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_a_head_request_gets_the_status_and_headers_without_a_body(bitmart_mock: BitMartMock) -> None:
    async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session:
        async with session.head(WALLET) as response:
            assert response.status == 400
            assert await response.read() == b""
            declared = int(response.headers["Content-Length"])
        async with session.get(WALLET) as response:  # the kept-alive connection is still in step
            assert len(await response.read()) == declared
    assert [call.request.method for call in bitmart_mock.calls] == ["HEAD", "GET"]


@pytest.mark.asyncio
async def test_a_client_that_gives_up_on_a_late_answer_leaves_the_server_answering(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok(path="/spot/v2/submit_order", delay=30)
    bitmart_mock.error(50020, path="/spot/v1/wallet")
    async with aiohttp.ClientSession(timeout=FAIL_AFTER) as session:
        with pytest.raises(asyncio.TimeoutError):
            await session.post(ORDER, timeout=aiohttp.ClientTimeout(total=0.2))
        async with session.get(WALLET) as response:
            assert (await response.json())["code"] == 50020
