"""Each client's own exceptions for a fault, built as that client builds them for the real failure.

The one place that knows how requests (with urllib3 under it), httpx and aiohttp report a connection that
times out, is refused, is reset, does not resolve, or a body cut short; and how a ``delay=`` turns into the
client's own read timeout. ``tests/test_faults_real.py`` provokes each real failure against a local socket
and checks that these are the same types with the same messages. Nothing here waits for a timeout: a
transport fault is raised at once, as if the timeout had already passed.

Library internals used, each for a reason:
- urllib3: ``HTTPSConnectionPool`` and ``HTTPSConnection`` objects are built (never connected) because
  urllib3's errors name them in their messages; ``Retry.increment`` decides, as in a real ``urlopen``,
  whether a failure is retried.
- aiohttp: ``client_reqrep.ConnectionKey`` is what ``ClientConnectorError`` reads its host, port and ssl
  from; ``ConnectionTimeoutError`` / ``SocketTimeoutError`` exist from aiohttp 3.10 on, ``ServerTimeoutError``
  before.
"""

from __future__ import annotations

import contextvars
import errno
import functools
import http
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._request import BitMartRequest

if TYPE_CHECKING:
    import httpx
    import requests

    from ._render import BitMartResponse

__all__ = [
    "declared_length",
    "httpx_response",
    "raise_aiohttp_fault",
    "requests_answer",
    "requests_send",
]

_RESET = ConnectionResetError(errno.ECONNRESET, os.strerror(errno.ECONNRESET))
_REFUSED_TEXT = f"[Errno {errno.ECONNREFUSED}] {os.strerror(errno.ECONNREFUSED)}"
# What getaddrinfo says for a name that does not exist (EAI_NONAME), as glibc words it.
_NO_NAME = socket.gaierror(socket.EAI_NONAME, "Name or service not known")

# The timeout requests handed to the adapter's send(), for the answer callback that runs inside it.
_REQUESTS_TIMEOUT: contextvars.ContextVar[Any] = contextvars.ContextVar("pytest_bitmart_requests_timeout")


def _transport(response: BitMartResponse) -> str | None:
    fault = response.fault
    return fault.name if fault is not None and fault.kind == "transport" else None


def declared_length(response: BitMartResponse, content: bytes) -> int:
    """The Content-Length to announce: longer than the body for a cut body, the body's (``content``) otherwise."""
    fault = response.fault
    if fault is not None and fault.declared_length is not None:
        return fault.declared_length
    return len(content)


def _read_timeout(delay: float, timeout: float | None) -> bool:
    """Whether a client that waits ``timeout`` seconds for an answer gives up before a ``delay`` passes."""
    return timeout is not None and delay > timeout


# requests (urllib3) ----------------------------------------------------------------------------------


def requests_send(
    adapter: requests.adapters.HTTPAdapter,
    send: Callable[..., requests.Response],
    request: requests.PreparedRequest,
    *args: Any,
    **kwargs: Any,
) -> requests.Response:
    """``send(...)`` under the retry policy of ``adapter``, its failures mapped to exceptions as requests maps them.

    The answer callback raises urllib3's own errors for a fault; here they meet ``Retry.increment`` exactly as
    inside ``urlopen`` (a ``Retry(connect=2)`` really retries a refused connection), then requests' mapping.
    """
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import ConnectTimeout, ReadTimeout
    from urllib3.exceptions import ConnectTimeoutError as Urllib3ConnectTimeout
    from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError

    retries = adapter.max_retries
    # HTTPAdapter.send(request, stream, timeout, ...): Session passes keywords, other callers may not.
    token = _REQUESTS_TIMEOUT.set(kwargs.get("timeout", args[1] if len(args) > 1 else None))
    try:
        while True:
            try:
                return _with_reason(send(request, *args, **kwargs))
            except (Urllib3ConnectTimeout, ReadTimeoutError, ProtocolError) as error:  # noqa: PERF203
                try:
                    # urlopen names the path, not the URL, in MaxRetryError
                    retries = retries.increment(request.method, request.path_url, error=error, _pool=_pool(request))
                except MaxRetryError as exhausted:
                    reason = exhausted.reason
                    if isinstance(reason, Urllib3ConnectTimeout) and not isinstance(reason, NewConnectionError):
                        raise ConnectTimeout(exhausted, request=request) from None
                    raise RequestsConnectionError(exhausted, request=request) from None
                except ReadTimeoutError as not_retried:
                    raise ReadTimeout(not_retried, request=request) from None
                except ProtocolError as not_retried:
                    raise RequestsConnectionError(not_retried, request=request) from None
                retries.sleep()
    finally:
        _REQUESTS_TIMEOUT.reset(token)


def _with_reason(response: requests.Response) -> requests.Response:
    # responses leaves the reason None for a status Python does not name (Cloudflare's 520-524); over a real
    # connection urllib3 always has a string, the status line's phrase. Clients build messages from it.
    if response.reason is None:
        try:
            response.reason = http.HTTPStatus(response.status_code).phrase
        except ValueError:
            response.reason = ""
    return response


def requests_answer(response: BitMartResponse, request: BitMartRequest) -> tuple[int, dict[str, str], bytes]:
    """What the ``responses`` callback returns; raises urllib3's error for a transport fault or a read timeout."""
    timeout = _REQUESTS_TIMEOUT.get(None)
    read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
    connect_timeout = timeout[0] if isinstance(timeout, tuple) else timeout
    name = _transport(response)
    if response.delay:
        if _read_timeout(response.delay, read_timeout):
            time.sleep(read_timeout)
            name = name or "read-timeout"
        else:
            time.sleep(response.delay)
    if name is not None:
        raise _urllib3_error(name, request, connect_timeout=connect_timeout, read_timeout=read_timeout)
    headers = dict(response.headers)
    if response.fault is not None and response.fault.declared_length is not None:
        headers["Content-Length"] = str(response.fault.declared_length)  # urllib3 then reads an IncompleteRead
    return response.status, headers, response.content


def _pool(request: requests.PreparedRequest | BitMartRequest) -> Any:
    from urllib3 import HTTPConnectionPool, HTTPSConnectionPool

    parts = urlsplit(str(request.url))
    pool_class = HTTPSConnectionPool if parts.scheme == "https" else HTTPConnectionPool
    return pool_class(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))


def _urllib3_error(name: str, request: BitMartRequest, *, connect_timeout: Any, read_timeout: Any) -> Exception:
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.exceptions import (
        ConnectTimeoutError,
        NameResolutionError,
        NewConnectionError,
        ProtocolError,
        ReadTimeoutError,
    )

    parts = urlsplit(request.url)
    host = parts.hostname or ""
    connection = (HTTPSConnection if parts.scheme == "https" else HTTPConnection)(host, parts.port)
    if name == "connect-timeout":
        return ConnectTimeoutError(connection, f"Connection to {host} timed out. (connect timeout={connect_timeout})")
    if name == "connection-refused":
        return NewConnectionError(connection, f"Failed to establish a new connection: {_REFUSED_TEXT}")
    if name == "dns-failure":
        return NameResolutionError(host, connection, _NO_NAME)
    if name == "read-timeout":
        return ReadTimeoutError(_pool(request), request.url, f"Read timed out. (read timeout={read_timeout})")
    return ProtocolError("Connection aborted.", _RESET)  # connection-reset


# httpx -------------------------------------------------------------------------------------------------


def httpx_response(response: BitMartResponse, request: httpx.Request) -> httpx.Response:
    """The httpx response for ``response``; raises httpx's own error for a transport fault."""
    import httpx

    name = _transport(response)
    if name is not None:
        raise _httpx_error(name, request)
    content = response.content  # rendered on each read: read once
    expected = declared_length(response, content)
    if expected == len(content) and not response.delay:
        return httpx.Response(response.status, headers=response.headers, content=content)
    headers = dict(response.headers)
    headers["Content-Length"] = str(expected)
    timeouts = request.extensions.get("timeout", {})
    stream = _httpx_stream_class()(content, request, response.delay, timeouts.get("read"), expected=expected)
    return httpx.Response(response.status, headers=headers, stream=stream)


def _httpx_error(name: str, request: httpx.Request, *, asynchronous: bool | None = None) -> Exception:
    """The error httpx raises; its async transport (anyio) words some of them differently, or not at all."""
    import httpx

    if asynchronous is None:
        asynchronous = _in_async_client()
    errors: dict[str, tuple[type[httpx.TransportError], str, str]] = {
        "connect-timeout": (httpx.ConnectTimeout, "timed out", ""),
        "read-timeout": (httpx.ReadTimeout, "timed out", ""),
        "connection-refused": (httpx.ConnectError, _REFUSED_TEXT, "All connection attempts failed"),
        "connection-reset": (httpx.ReadError, str(_RESET), ""),
        "dns-failure": (httpx.ConnectError, str(_NO_NAME), str(_NO_NAME)),
    }
    error_type, sync_message, async_message = errors[name]
    return error_type(async_message if asynchronous else sync_message, request=request)


def _in_async_client() -> bool:
    """Whether the request comes from an async client: respx answers both kinds on the caller's thread."""
    try:
        import asyncio  # loaded by then in an async client

        asyncio.get_running_loop()
    except RuntimeError:
        trio = sys.modules.get("trio")
        if trio is None:
            return False
        try:
            trio.lowlevel.current_task()
        except RuntimeError:
            return False
    return True


class _DelayedBody:
    """A body that arrives after ``delay`` (or not before the read timeout), and may stop short: sync and async."""

    def __init__(
        self, content: bytes, request: httpx.Request, delay: float, read_timeout: float | None, *, expected: int
    ) -> None:
        self._content = content
        self._request = request
        self._delay = delay
        self._read_timeout = read_timeout
        self._expected = expected

    def __iter__(self) -> Iterator[bytes]:
        if self._delay:
            time.sleep(min(self._delay, self._read_timeout or self._delay))
        yield from self._finish()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._delay:
            import anyio  # httpx's own dependency: asyncio.sleep under asyncio, trio's under trio

            await anyio.sleep(min(self._delay, self._read_timeout or self._delay))
        for chunk in self._finish():
            yield chunk

    def _finish(self) -> Iterator[bytes]:
        import httpx

        if _read_timeout(self._delay, self._read_timeout):
            raise _httpx_error("read-timeout", self._request)
        if self._content:
            yield self._content
        if len(self._content) < self._expected:
            # What h11 reports, through httpcore, when the peer closes before the declared length.
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body "
                f"(received {len(self._content)} bytes, expected {self._expected})",
                request=self._request,
            )

    def close(self) -> None:
        """Nothing to release: the body is in memory."""

    async def aclose(self) -> None:
        """Nothing to release: the body is in memory."""


@functools.cache
def _httpx_stream_class() -> type[Any]:
    """Built on first use: httpx checks a response stream's base classes, and httpx loads only when used."""
    import httpx

    return type("_HttpxStream", (_DelayedBody, httpx.SyncByteStream, httpx.AsyncByteStream), {})


# aiohttp (the loopback server) ------------------------------------------------------------------------


def raise_aiohttp_fault(response: BitMartResponse, request: BitMartRequest) -> None:
    """Raise aiohttp's own error for a transport fault (handed to the client in place of an answer)."""
    error = _aiohttp_error(response, request)
    if error is not None:
        raise error


def _aiohttp_error(response: BitMartResponse, request: BitMartRequest) -> Exception | None:
    """The aiohttp error for a transport fault, raised in the client in place of an answer; else None.

    A cut body and a delay need no exception: the loopback server really sends a short body and closes,
    or really answers late, and aiohttp raises ``ClientPayloadError`` or its read timeout by itself.
    """
    name = _transport(response)
    if name is None:
        return None
    import aiohttp

    url = urlsplit(request.url)
    timeout_error = getattr(aiohttp, "ConnectionTimeoutError", aiohttp.ServerTimeoutError)
    socket_timeout_error = getattr(aiohttp, "SocketTimeoutError", aiohttp.ServerTimeoutError)
    if name == "connect-timeout":
        return timeout_error(f"Connection timeout to host {request.url}")
    if name == "read-timeout":
        return socket_timeout_error("Timeout on reading data from socket")
    if name == "connection-reset":
        return aiohttp.ClientOSError(_RESET.errno, _RESET.strerror)
    key = _connection_key(url.hostname or "", url.port or (443 if url.scheme == "https" else 80), url.scheme)
    if name == "dns-failure":
        dns_error = getattr(aiohttp, "ClientConnectorDNSError", aiohttp.ClientConnectorError)
        return dns_error(key, OSError(None, "Domain name not found"))
    address = _example_address(url.hostname or "")
    refused = ConnectionRefusedError(errno.ECONNREFUSED, f"Connect call failed ('{address}', {key.port})")
    return aiohttp.ClientConnectorError(key, refused)


def _connection_key(host: str, port: int, scheme: str) -> Any:
    from aiohttp.client_reqrep import ConnectionKey

    values: dict[str, Any] = {"host": host, "port": port, "is_ssl": scheme == "https", "ssl": True}
    # Built from the field names: aiohttp 3.11 added server_hostname, and more may follow.
    fields: dict[str, Any] = {name: values.get(name) for name in ConnectionKey._fields}
    return ConnectionKey(**fields)


def _example_address(host: str) -> str:
    # BitMart's hosts resolve through Cloudflare (104.18.16.176 in the 2026-09-23 probe); no lookup is made.
    return "104.18.16.176" if host.endswith("bitmart.com") else "127.0.0.1"
