"""Transport and body faults raise what each client raises for the real failure, provoked on local sockets.

Each real failure is made for real: a port nobody listens on, a listener whose accept queue is full (the
connection never completes), a server that reads the request and never answers, one that resets the
connection, one that sends a body shorter than its Content-Length, a name that does not resolve. The
same fault served by pytest-bitmart must give the same exception type, and the same message once host
and port are set aside.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import aiohttp
import httpx
import pytest
import requests

from pytest_bitmart import BitMartMock, fault

TIMEOUT = 0.2  # the real failures wait this long, once each; the faults do not wait at all
# A BitMart URL on a port, so that the messages name a port as the real ones do.
BITMART = "http://api-cloud.bitmart.com:8443/x"

Client = Callable[[str], object]


def with_requests(url: str) -> object:
    return requests.get(url, timeout=(TIMEOUT, TIMEOUT)).content


def with_httpx(url: str) -> object:
    return httpx.get(url, timeout=TIMEOUT).content


def with_httpx_async(url: str) -> object:
    async def get() -> bytes:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            return (await client.get(url)).content

    return asyncio.run(get())


def with_aiohttp(url: str) -> object:
    async def get() -> bytes:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=TIMEOUT, sock_read=TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
            return await response.read()

    return asyncio.run(get())


CLIENTS = {"requests": with_requests, "httpx": with_httpx, "httpx-async": with_httpx_async, "aiohttp": with_aiohttp}


def raised(client: Client, url: str) -> BaseException:
    with pytest.raises(Exception) as info:  # noqa: PT011 - which exception is the point of the comparison
        client(url)
    return info.value


def normalized(error: BaseException) -> str:
    """The message with hosts, ports and object addresses set aside."""
    text = re.sub(r"127\.0\.0\.1|api-cloud\.bitmart\.com|104\.18\.16\.176", "HOST", str(error))
    text = re.sub(r"(?<=HOST:)\d+|(?<=port=)\d+|(?<='HOST', )\d+", "PORT", text)
    return re.sub(r" at 0x[0-9a-f]+", "", text)


# Local sockets that fail for real -----------------------------------------------------------------------


@contextlib.contextmanager
def _serve(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)  # accept() wakes up to see the stop, which closing the socket would not do
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(None)
            connection.recv(65536)
            handle(connection)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    finally:
        # Closed here, not left to the garbage collector: an unclosed socket's ResourceWarning would
        # surface in whichever later test happens to be running.
        stop.set()
        thread.join()
        listener.close()


def _never_answers(connection: socket.socket) -> None:
    threading.Timer(TIMEOUT * 5, connection.close).start()


def _resets(connection: socket.socket) -> None:
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def _sends_the_cut_body(connection: socket.socket) -> None:
    cut = fault("cut-body")
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {cut.declared_length}\r\n\r\n"
    connection.sendall(head.encode() + cut.body)
    connection.close()


@pytest.fixture
def refusing_url() -> str:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/x"


@pytest.fixture
def unconnectable_url() -> Iterator[str]:
    """A listener whose accept queue is full: the kernel drops new SYNs, so connecting times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)  # let the handshakes that fit in the queue complete
    yield f"http://127.0.0.1:{port}/x"
    for filler in fillers:
        filler.close()
    listener.close()


REAL_FAILURES: dict[str, Callable[[socket.socket], None]] = {
    "read-timeout": _never_answers,
    "connection-reset": _resets,
    "cut-body": _sends_the_cut_body,
}


@pytest.mark.parametrize("client_name", CLIENTS)
@pytest.mark.parametrize("name", ["read-timeout", "connection-reset", "cut-body"])
def test_server_side_failures_match_the_real_ones(name: str, client_name: str, bitmart_mock: BitMartMock) -> None:
    client = CLIENTS[client_name]
    with _serve(REAL_FAILURES[name]) as real_url:
        real = raised(client, real_url)
    bitmart_mock.fault(name)
    served = raised(client, BITMART)
    assert type(served) is type(real)
    assert normalized(served) == normalized(real)


@pytest.mark.parametrize("client_name", CLIENTS)
def test_connection_refused_matches_the_real_one(
    client_name: str, refusing_url: str, bitmart_mock: BitMartMock
) -> None:
    client = CLIENTS[client_name]
    real = raised(client, refusing_url)
    bitmart_mock.fault("connection-refused")
    served = raised(client, BITMART)
    assert type(served) is type(real)
    assert normalized(served) == normalized(real)


@pytest.mark.parametrize("client_name", CLIENTS)
def test_connect_timeout_matches_the_real_one(
    client_name: str, unconnectable_url: str, bitmart_mock: BitMartMock
) -> None:
    client = CLIENTS[client_name]
    real = raised(client, unconnectable_url)
    bitmart_mock.fault("connect-timeout")
    served = raised(client, BITMART)
    assert type(served) is type(real)
    assert normalized(served) == normalized(real)


@pytest.mark.parametrize("client_name", CLIENTS)
def test_dns_failure_has_the_real_type(client_name: str, bitmart_mock: BitMartMock) -> None:
    """The resolver's wording depends on the machine (glibc, aiodns), so only the type is compared."""
    client = CLIENTS[client_name]
    real = raised(client, "http://name-that-does-not-exist.invalid:8443/x")
    bitmart_mock.fault("dns-failure")
    served = raised(client, BITMART)
    assert type(served) is type(real)


def test_the_library_internals_the_faults_rely_on_are_there() -> None:
    """Fails naming the library when an upgrade removes what _transport_faults builds its errors from."""
    from aiohttp.client_reqrep import ConnectionKey
    from urllib3 import HTTPSConnectionPool
    from urllib3.connection import HTTPSConnection
    from urllib3.util.retry import Retry

    assert {"host", "port", "is_ssl", "ssl"} <= set(ConnectionKey._fields), f"aiohttp {aiohttp.__version__}"
    assert str(HTTPSConnectionPool("api-cloud.bitmart.com", 443)).startswith("HTTPSConnectionPool(host=")
    assert repr(HTTPSConnection("api-cloud.bitmart.com", 443)).startswith("<HTTPSConnection(host=")
    assert callable(Retry.increment)
    assert callable(Retry.sleep)
