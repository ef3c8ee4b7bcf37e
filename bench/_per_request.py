"""In-process cost of one request: through the plugin, or the same bytes registered with the raw library.

The plugin side is set up the way a run does it: the adapters installed once, routing to a
``BitMartMock`` with one rule (``mock.error(50020)``) armed as the running test's. The baseline registers the
very status, headers and body the plugin serves with responses (requests), respx (httpx) or, for
aiohttp, a stdlib loopback server that aiohttp calls directly. The floor is the cheapest answer each client
can get in-process, with no mocking library at all: a transport adapter mounted on the ``requests.Session``
returning a prebuilt ``requests.Response``, an ``httpx.MockTransport`` returning the prebuilt bytes, and for
aiohttp an ``aiohttp.web`` app in ``aiohttp.test_utils.TestServer`` on the client's own event loop. Each block
times ``count`` requests on one client after one untimed request that also checks the answer.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import requests
import responses
import respx
from _suites import URL, aiohttp_transport
from _timing import per_call

from pytest_bitmart import BitMartMock, lookup, render
from pytest_bitmart._adapters import Installation
from pytest_bitmart._router import Owner, Router

CODE = 50020
_TRACE = "0f4c2b5e-8d1a-4c3e-9b7f-2a6d5e8c1b90"


@dataclass(frozen=True)
class Canned:
    """The answer both sides serve: BitMart's 50020 as the plugin renders it."""

    status: int
    headers: dict[str, str]
    body: bytes


def canned() -> Canned:
    response = render(lookup(CODE), trace=_TRACE)
    return Canned(response.status, response.headers, response.content)


def _check(status: int, body: bytes) -> None:
    if status != lookup(CODE).http_status or json.loads(body)["code"] != CODE:
        raise RuntimeError(f"unexpected answer {status} {body[:80]!r}")


@contextmanager
def plugin(rules: int = 1) -> Iterator[BitMartMock]:
    """An armed mock with ``rules`` rules: ``rules - 1`` that never match this URL, then ``error(50020)``."""
    mock = BitMartMock(seed="bench::test_request")
    for number in range(rules - 1):
        mock.error(CODE, path=f"/spot/v1/never-requested-{number}")
    mock.error(CODE)
    router = Router(mock.is_bitmart)
    installation = Installation(router)
    installation.start()
    owner = Owner("function", "bench::test_request", mock=mock)
    router.arm(owner)
    try:
        yield mock
    finally:
        router.disarm(owner)
        installation.stop()


# requests ---------------------------------------------------------------------------------------------


def _requests_block(count: int) -> float:
    with requests.Session() as session:
        first = session.get(URL, timeout=5)
        _check(first.status_code, first.content)
        return per_call(lambda: session.get(URL, timeout=5), count)


def requests_plugin(count: int, rules: int = 1) -> float:
    with plugin(rules):
        return _requests_block(count)


def requests_raw(count: int, answer: Canned) -> float:
    headers = {name: value for name, value in answer.headers.items() if name != "Content-Type"}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(
            responses.GET,
            URL,
            status=answer.status,
            headers=headers,
            body=answer.body,
            content_type=answer.headers["Content-Type"],
        )
        return _requests_block(count)


def _requests_floor_block(count: int, adapter: requests.adapters.BaseAdapter) -> float:
    with requests.Session() as session:
        session.mount("https://", adapter)
        first = session.get(URL, timeout=5)
        _check(first.status_code, first.content)
        return per_call(lambda: session.get(URL, timeout=5), count)


class _PrebuiltAdapter(requests.adapters.BaseAdapter):
    """Hands back one ``requests.Response`` built once: no parsing, no copying, only the session's own work."""

    def __init__(self, answer: Canned) -> None:
        super().__init__()
        self._response = requests.Response()
        self._response.status_code = answer.status
        self._response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        self._response._content = answer.body  # noqa: SLF001 - how requests itself stores a read body
        self._response.encoding = "utf-8"
        self._response.url = URL

    def send(self, request: requests.PreparedRequest, *_: object, **__: object) -> requests.Response:
        self._response.request = request
        return self._response

    def close(self) -> None:
        pass


def requests_floor(count: int, answer: Canned) -> float:
    return _requests_floor_block(count, _PrebuiltAdapter(answer))


# httpx ------------------------------------------------------------------------------------------------


def _httpx_block(count: int, transport: httpx.BaseTransport | None = None) -> float:
    with httpx.Client(transport=transport) as client:
        first = client.get(URL)
        _check(first.status_code, first.content)
        return per_call(lambda: client.get(URL), count)


def _httpx_async_block(count: int, transport: httpx.AsyncBaseTransport | None = None) -> float:
    async def block() -> float:
        async with httpx.AsyncClient(transport=transport) as client:
            first = await client.get(URL)
            _check(first.status_code, first.content)
            return await _async_per_call(lambda: client.get(URL), count)

    return asyncio.run(block())


async def _async_per_call(request: Callable[[], Any], count: int) -> float:
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(count):
        await request()
    return (loop.time() - start) / count


@contextmanager
def _respx(answer: Canned) -> Iterator[None]:
    with respx.mock(assert_all_called=False) as router:
        router.get(URL).mock(return_value=httpx.Response(answer.status, headers=answer.headers, content=answer.body))
        yield


def httpx_plugin(count: int) -> float:
    with plugin():
        return _httpx_block(count)


def httpx_raw(count: int, answer: Canned) -> float:
    with _respx(answer):
        return _httpx_block(count)


def httpx_async_plugin(count: int) -> float:
    with plugin():
        return _httpx_async_block(count)


def httpx_async_raw(count: int, answer: Canned) -> float:
    with _respx(answer):
        return _httpx_async_block(count)


def _mock_transport(answer: Canned) -> httpx.MockTransport:
    """httpx's own in-process transport; a new ``Response`` per request, as httpx needs one per request."""
    return httpx.MockTransport(lambda _: httpx.Response(answer.status, headers=answer.headers, content=answer.body))


def httpx_floor(count: int, answer: Canned) -> float:
    return _httpx_block(count, _mock_transport(answer))


def httpx_async_floor(count: int, answer: Canned) -> float:
    return _httpx_async_block(count, _mock_transport(answer))


# aiohttp ----------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Serves the canned answer, keep-alive, as the plugin's own loopback server does."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, a keep-alive client then waits
    # for the delayed ACK (about 40 ms on Linux) before it sees the body.
    disable_nagle_algorithm = True
    answer: Canned

    def do_GET(self) -> None:
        self.send_response_only(self.answer.status)
        for name, value in self.answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(self.answer.body)))
        self.end_headers()
        self.wfile.write(self.answer.body)

    def log_message(self, *args: object) -> None:
        pass


class LoopbackServer:
    """A stdlib server on 127.0.0.1 serving ``answer`` to every GET, in a daemon thread."""

    def __init__(self, answer: Canned) -> None:
        handler = type("Handler", (_Handler,), {"answer": answer})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/spot/v1/ticker"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


async def _aiohttp_timed(url: str, count: int) -> float:
    import aiohttp

    async def get(session: aiohttp.ClientSession) -> tuple[int, bytes]:
        async with session.get(url) as response:
            return response.status, await response.read()

    async with aiohttp.ClientSession() as session:
        _check(*await get(session))
        return await _async_per_call(lambda: get(session), count)


def _aiohttp_block(url: str, count: int) -> float:
    return asyncio.run(_aiohttp_timed(url, count))


def aiohttp_plugin(count: int) -> float:
    with plugin():
        return _aiohttp_block(URL, count)


def aiohttp_raw(count: int, server: LoopbackServer) -> float:
    return _aiohttp_block(server.url, count)


def aiohttp_floor(count: int, answer: Canned) -> float:
    """aiohttp's own test server on the client's event loop: no thread, no proxy, the same bytes."""
    from aiohttp import web
    from aiohttp.test_utils import TestServer

    async def ticker(_: web.Request) -> web.Response:
        return web.Response(status=answer.status, headers=answer.headers, body=answer.body)

    async def block() -> float:
        app = web.Application()
        app.router.add_get("/spot/v1/ticker", ticker)
        async with TestServer(app) as server:
            return await _aiohttp_timed(str(server.make_url("/spot/v1/ticker")), count)

    return asyncio.run(block())


# The pairs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """One client: a block through the plugin, the same block against the raw library, and the floor's."""

    name: str
    baseline: str
    plugin: Callable[[int], float]
    raw: Callable[[int], float]
    floor_name: str
    floor: Callable[[int], float]


def pairs(answer: Canned, server: LoopbackServer | None) -> list[Pair]:
    """The clients to compare, aiohttp only when the plugin serves it and a baseline server runs."""
    found = [
        Pair(
            "requests",
            "responses",
            requests_plugin,
            lambda count: requests_raw(count, answer),
            "prebuilt Response from an adapter",
            lambda count: requests_floor(count, answer),
        ),
        Pair(
            "httpx (sync)",
            "respx",
            httpx_plugin,
            lambda count: httpx_raw(count, answer),
            "MockTransport",
            lambda count: httpx_floor(count, answer),
        ),
        Pair(
            "httpx (async)",
            "respx",
            httpx_async_plugin,
            lambda count: httpx_async_raw(count, answer),
            "MockTransport",
            lambda count: httpx_async_floor(count, answer),
        ),
    ]
    if server is not None and aiohttp_transport():
        found.append(
            Pair(
                "aiohttp",
                "loopback server",
                aiohttp_plugin,
                lambda count: aiohttp_raw(count, server),
                "TestServer in the same loop",
                lambda count: aiohttp_floor(count, answer),
            )
        )
    return found


def engine_respond(count: int, rules: int) -> float:
    """Seconds per ``mock.respond()`` alone, no client around it: the rule engine and rendering."""
    from pytest_bitmart import BitMartRequest

    mock = BitMartMock(seed="bench::test_engine")
    for number in range(rules - 1):
        mock.error(CODE, path=f"/spot/v1/never-requested-{number}")
    mock.error(CODE)
    request = BitMartRequest("GET", URL, {"User-Agent": "bench"})
    return per_call(lambda: mock.respond(request), count)
