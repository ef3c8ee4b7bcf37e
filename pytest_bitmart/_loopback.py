"""The loopback server that answers aiohttp's BitMart requests with what the test's mock says.

The aiohttp adapter sends each answered request, as plain ``http://``, through an HTTP proxy at
``127.0.0.1`` that is in fact this server; a private header names the pending request, and so the mock
that answers it. The server serves ``mock.respond()``'s status, headers and body bytes as they are, so
aiohttp parses a genuine HTTP response; an error raised there (an unmatched request, a transport fault)
is handed back to the client wrapper, which raises it as it is.

One server per event loop, driven by that loop's own reader callbacks: an answer costs no thread hop and
the GIL is never handed over, so serving it costs no more than aiohttp's own ``TestServer`` would (the
mock deciding the answer comes on top). A loop without
``add_reader`` (Windows' proactor loop) is served by one shared server on a daemon thread's selector loop
instead: slower, same bytes. The servers own their sockets and close them themselves, once their loop is
closed or the run ends, so nothing is left for the garbage collector to warn about.
"""

from __future__ import annotations

import asyncio
import http
import itertools
import os
import socket
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from yarl import URL

from . import _transport_faults
from ._firewall import OWN_ROUTE_HEADER
from ._request import BitMartRequest

if TYPE_CHECKING:
    from ._mock import BitMartMock

__all__ = ["FAILED_HEADER", "ROUTE_HEADER", "Pending", "close_all", "in_flight", "server_url"]

# Carries the request's id from the client wrapper to the server; never recorded. The firewall lets a
# proxied request through to the loopback server only when it carries this header.
ROUTE_HEADER = OWN_ROUTE_HEADER
# Present on an answer that is not BitMart's: the client wrapper raises the stored exception instead.
FAILED_HEADER = "X-Pytest-Bitmart-Failed"
# Headers the server writes itself, from the answer's real framing.
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection"})
_REASONS = {status.value: status.phrase for status in http.HTTPStatus}
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_BACKLOG = 256  # many concurrent requests connect at once


_request_ids = itertools.count()


@dataclass(slots=True)
class Pending:
    """A BitMart request in flight: which mock answers it, and what went wrong if it could not."""

    mock: BitMartMock
    scheme: str
    request_id: str = field(default_factory=lambda: f"{os.getpid()}-{next(_request_ids)}")
    error: BaseException | None = None


# The requests on their way to a server, by the id their route header carries.
in_flight: dict[str, Pending] = {}


# What goes back for one request ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Answer:
    data: bytes  # the status line, headers and body, as they go on the wire
    delay: float  # seconds to wait before sending: a late answer is really late
    close: bool  # close the connection once sent (a cut body, or the client asked)


def _answer(method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> _Answer:
    """What the mock says to one proxied request, or a failure marker the client wrapper turns into its error."""
    sent = dict(headers)
    # aiohttp sends a header name as it was given: the route header as this adapter spells it.
    waiting = in_flight.get(sent.pop(ROUTE_HEADER, ""))
    if waiting is None:
        return _Answer(_head(502, {FAILED_HEADER: "unknown"}, 0), 0.0, close=False)
    # The absolute URL aiohttp sent to its proxy, bytes as sent, with the scheme the client asked for.
    url = waiting.scheme + target[4:] if target.startswith("http:") else target
    request = BitMartRequest(method.upper(), url, sent, body)
    try:
        response = waiting.mock.respond(request)
        _transport_faults.raise_aiohttp_fault(response, request)  # a failed connection, if it is one
    except Exception as error:  # noqa: BLE001 - handed to the client, raised there as it is
        waiting.error = error
        return _Answer(_head(599, {FAILED_HEADER: type(error).__name__}, 0), 0.0, close=False)
    content = response.content  # rendered on each read: a hook may have edited the payload
    # A cut body really stops short of its Content-Length, then the connection closes.
    length = _transport_faults.declared_length(response, content)
    closes = length != len(content) or sent.get("Connection", "").lower() == "close"
    if request.method == "HEAD":
        content = b""
    return _Answer(_head(response.status, response.headers, length) + content, response.delay, close=closes)


def _head(status: int, headers: dict[str, str], length: int) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, '')}"]
    lines += [f"{name}: {value}" for name, value in headers.items() if name.lower() not in _FRAMING]
    lines += [f"Content-Length: {length}", "", ""]
    return "\r\n".join(lines).encode("latin-1")


# Reading requests from a byte buffer ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    end: int  # where the next request starts in the buffer


class _MalformedRequestError(ValueError):
    """Not HTTP that aiohttp would send: the connection is dropped."""


def _read_head(buffer: bytes) -> tuple[str, str, list[tuple[str, str]], int] | None:
    """The request line and headers at the start of ``buffer``, and where the body starts; None if incomplete."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = buffer[:end].decode("latin-1").split("\r\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
        headers = [(name.strip(), value.strip()) for name, value in (line.split(":", 1) for line in lines[1:])]
    except ValueError as error:
        raise _MalformedRequestError(lines[0]) from error
    return method, target, headers, end + 4


def _read_request(buffer: bytes) -> _Request | None:
    """The first whole request in ``buffer``; None until all of it has arrived."""
    head = _read_head(buffer)
    if head is None:
        return None
    method, target, headers, start = head
    fields = {name.lower(): value for name, value in headers}
    if fields.get("transfer-encoding", "").lower() == "chunked":
        read = _dechunk(buffer, start)
        if read is None:
            return None
        body, end = read
    else:
        try:
            end = start + int(fields.get("content-length") or 0)
        except ValueError as error:
            raise _MalformedRequestError(fields["content-length"]) from error
        if len(buffer) < end:
            return None
        body = buffer[start:end]
    return _Request(method, target, headers, body, end)


def _dechunk(buffer: bytes, position: int) -> tuple[bytes, int] | None:
    """A chunked body starting at ``position``, and where it ends; None until the last chunk has arrived."""
    chunks: list[bytes] = []
    while True:
        line_end = buffer.find(b"\r\n", position)
        if line_end < 0:
            return None
        try:
            size = int(buffer[position:line_end].split(b";")[0].strip() or b"0", 16)
        except ValueError as error:
            raise _MalformedRequestError(buffer[position:line_end]) from error
        position = line_end + 2
        if size == 0:
            break
        if len(buffer) < position + size + 2:
            return None
        chunks.append(buffer[position : position + size])
        position += size + 2
    while True:  # trailer fields, up to the empty line
        line_end = buffer.find(b"\r\n", position)
        if line_end < 0:
            return None
        if line_end == position:
            return b"".join(chunks), position + 2
        position = line_end + 2


def _expects_continue(buffer: bytes) -> bool:
    head = _read_head(buffer)
    return head is not None and any(
        name.lower() == "expect" and value.lower() == "100-continue" for name, value in head[2]
    )


# The server on an event loop ----------------------------------------------------------------------------


class _Connection:
    """One accepted connection: reads requests and answers them one at a time, in the loop's callbacks."""

    def __init__(self, server: _LoopServer, sock: socket.socket) -> None:
        self._server = server
        self._loop = server.loop
        self._sock = sock
        self._buffer = b""
        self._outgoing = b""
        self._busy = False  # an answer is waiting for its delay or still being written
        self._continued = False  # a "100 Continue" went out for the request being read
        self._writing = False  # waiting for the socket to take the rest of ``_outgoing``
        self._close_when_sent = False
        self._timer: asyncio.TimerHandle | None = None
        self._loop.add_reader(sock.fileno(), self._readable)

    def _readable(self) -> None:
        try:
            data = self._sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client closed it: its pool, its read timeout, a cancelled request
            self.close()
            return
        self._buffer += data
        self._serve()

    def _serve(self) -> None:
        if self._busy:
            return
        try:
            request = _read_request(self._buffer)
        except _MalformedRequestError:
            self.close()
            return
        if request is None:
            if not self._continued and _expects_continue(self._buffer):
                self._continued = True
                self._send(_CONTINUE)
            return
        self._buffer = self._buffer[request.end :]
        self._continued = False
        answer = _answer(request.method, request.target, request.headers, request.body)
        self._busy = True
        self._close_when_sent = answer.close
        if answer.delay:  # really late: aiohttp's own read timeout applies while it waits
            self._timer = self._loop.call_later(answer.delay, self._send_answer, answer.data)
        else:
            self._send_answer(answer.data)

    def _send_answer(self, data: bytes) -> None:
        self._timer = None
        self._send(data)

    def _send(self, data: bytes) -> None:
        self._outgoing += data
        if not self._writing:
            self._flush()

    def _flush(self) -> None:
        try:
            sent = self._sock.send(self._outgoing)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:  # the client gave up waiting and closed the connection
            self.close()
            return
        self._outgoing = self._outgoing[sent:]
        if self._outgoing:
            if not self._writing:
                self._writing = True
                self._loop.add_writer(self._sock.fileno(), self._flush)
            return
        if self._writing:
            self._writing = False
            self._loop.remove_writer(self._sock.fileno())
        # Busy with no timer left: what went out was the answer (a "100 Continue" goes only between answers).
        if self._busy and self._timer is None:
            self._answered()

    def _answered(self) -> None:
        if self._close_when_sent:
            self.close()
            return
        self._busy = False
        if self._buffer:  # the next request arrived while this one was answered
            self._serve()

    def close(self) -> None:
        if self._sock.fileno() < 0:
            return
        if self._timer is not None:
            self._timer.cancel()
        if not self._loop.is_closed():
            self._loop.remove_reader(self._sock.fileno())
            if self._writing:
                self._loop.remove_writer(self._sock.fileno())
        self._sock.close()
        self._server.connections.discard(self)


class _LoopServer:
    """Listens on 127.0.0.1 for one event loop, and answers in that loop's own callbacks."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.connections: set[_Connection] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            self._listener.bind(("127.0.0.1", 0))
            self._listener.listen(_BACKLOG)
            self._listener.setblocking(False)
            loop.add_reader(self._listener.fileno(), self._accept)  # NotImplementedError on a proactor loop
        except BaseException:
            self._listener.close()
            raise
        self.url = URL.build(scheme="http", host="127.0.0.1", port=self._listener.getsockname()[1])

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors, say: the client sees its connection refused
                return
            sock.setblocking(False)
            # The answer goes out in one write, but a kept-alive connection must not wait on Nagle either.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.connections.add(_Connection(self, sock))

    def close(self) -> None:
        """Close the listener and every connection; on a closed loop the sockets are simply closed."""
        if self._listener.fileno() >= 0:
            if not self.loop.is_closed():
                self.loop.remove_reader(self._listener.fileno())
            self._listener.close()
        for connection in list(self.connections):
            connection.close()


# Which server answers a loop -------------------------------------------------------------------------

_servers: dict[asyncio.AbstractEventLoop, _LoopServer] = {}
_servers_lock = threading.Lock()
_shared: _LoopServer | None = None  # the thread-driven one, for loops that cannot watch a socket


def server_url() -> URL:
    """The URL of the server answering the running loop, starting one on first use there."""
    loop = asyncio.get_running_loop()
    server = _servers.get(loop)
    if server is None:
        server = _start_for(loop)
    return server.url


def _start_for(loop: asyncio.AbstractEventLoop) -> _LoopServer:
    with _servers_lock:
        for closed in [other for other in _servers if other.is_closed()]:  # their sockets go with them
            server = _servers.pop(closed)
            if server is not _shared:
                server.close()
        try:
            server = _LoopServer(loop)
        except NotImplementedError:  # a loop that cannot watch a socket
            server = _shared_server()
        _servers[loop] = server
        return server


def _shared_server() -> _LoopServer:
    """One server on a daemon thread's own selector loop, shared by every loop that cannot host its own."""
    global _shared  # noqa: PLW0603 - one per process, started on first use
    if _shared is None:
        loop = asyncio.SelectorEventLoop()
        _shared = _LoopServer(loop)
        threading.Thread(target=_run_until_stopped, args=(loop,), name="pytest-bitmart-aiohttp", daemon=True).start()
    return _shared


def _run_until_stopped(loop: asyncio.AbstractEventLoop) -> None:
    try:
        loop.run_forever()
    finally:
        loop.close()


def close_all() -> None:
    """Close every server at the end of the run, each in its own loop's thread if that loop still runs."""
    global _shared  # noqa: PLW0603
    with _servers_lock:
        servers = set(_servers.values())
        _servers.clear()
        if _shared is not None:
            _shared.loop.call_soon_threadsafe(_shared.close)
            _shared.loop.call_soon_threadsafe(_shared.loop.stop)
            servers.discard(_shared)
            _shared = None
    for server in servers:
        try:
            if server.loop.is_running():
                server.loop.call_soon_threadsafe(server.close)
                continue
        except RuntimeError:  # closed in the meantime
            pass
        server.close()
