"""Every private attribute we touch still exists on the installed versions: an upgrade that drops one fails here.

Class attributes are looked up on the class; attributes set per instance on a real instance built
the way a user's code builds it (a session, a response from a real request, a router, a fixture object).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pytest_bitmart._internals import REACHES, Reach


@pytest.fixture(scope="module")
def plain_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def _aiohttp_session(_: str) -> object:
    import aiohttp

    async def build() -> object:
        async with aiohttp.ClientSession() as session:
            return session

    return asyncio.run(build())


def _aiohttp_response(url: str) -> object:
    import aiohttp

    async def fetch() -> object:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            await response.read()
            return response

    return asyncio.run(fetch())


def _respx_router(_: str) -> object:
    import respx

    return respx.MockRouter()


def _httpx_mock(_: str) -> object:
    import pytest_httpx
    from pytest_httpx._options import _HTTPXMockOptions

    return pytest_httpx.HTTPXMock(_HTTPXMockOptions())


INSTANCES: dict[str, Callable[[str], object]] = {
    "session": _aiohttp_session,
    "response": _aiohttp_response,
    "router": _respx_router,
    "httpx_mock": _httpx_mock,
}


def _name(reach: Reach) -> str:
    return f"{reach.module}.{reach.owner + '.' if reach.owner else ''}{reach.attribute}"


@pytest.mark.parametrize("reach", REACHES, ids=_name)
def test_private_attribute_exists(reach: Reach, plain_server: str) -> None:
    version = importlib.metadata.version(reach.distribution)
    module = importlib.import_module(reach.module)
    target: object = module
    if reach.owner:
        target = getattr(module, reach.owner)
    if reach.on != "class":
        target = INSTANCES[reach.on](plain_server)
    assert hasattr(target, reach.attribute), (
        f"{reach.distribution} {version} no longer has {_name(reach)}, which pytest-bitmart relies on: "
        f"{reach.why}. Update pytest_bitmart/_internals.py for this version."
    )


def test_every_instance_kind_is_known() -> None:
    assert {reach.on for reach in REACHES} <= {"class", *INSTANCES}
