"""One small synchronous face over the four HTTP clients the plugin answers, for in-process behaviour tests.

Each client really sends through its library: requests, httpx, httpx's ``AsyncClient`` and aiohttp's
``ClientSession`` (the async ones inside a fresh event loop per call, with ``asyncio.run``). Every call
opens its own session and closes it before returning, so nothing is left for the garbage collector
under ``filterwarnings = error``. A test then reads the same :class:`Answer` whatever the library.
"""

from __future__ import annotations

import asyncio
import functools
import json as jsonlib
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
import requests

TIMEOUT = 10.0


@functools.cache
def _tls() -> ssl.SSLContext:
    # Building httpx's default context reads the CA bundle each time (tens of milliseconds): build it once.
    return httpx.create_ssl_context()


class Headers(Mapping[str, str]):
    """Response headers, looked up case-insensitively as HTTP means them; iteration keeps the sent names."""

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = {name.lower(): (name, value) for name, value in items.items()}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Answer:
    """What a request got back: the status, the headers and the body's bytes, as the client received them."""

    status: int
    headers: Headers
    body: bytes

    def json(self) -> Any:
        return jsonlib.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass(frozen=True)
class _Request:
    method: str
    url: str
    headers: dict[str, str]
    json: Any
    params: dict[str, str] | None
    content: bytes | None


@dataclass(frozen=True)
class Client:
    """One HTTP library behind ``request``, and the base classes of what it raises when no answer comes.

    ``transport_error``: any failed exchange (refused, reset, timed out, cut short); ``connection_error``:
    a connection that could not be made.
    """

    name: str
    transport_error: type[Exception]
    connection_error: type[Exception]

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> Answer:
        """Send one request through this client's library and read the whole answer."""
        send = _SENDERS[self.name]
        return send(_Request(method, url, dict(headers or {}), json, dict(params) if params else None, content))

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Answer:
        return self.request("GET", url, headers=headers)

    def post(self, url: str, *, headers: Mapping[str, str] | None = None, json: Any = None) -> Answer:
        return self.request("POST", url, headers=headers, json=json)


def _with_requests(sent: _Request) -> Answer:
    with requests.Session() as session:
        response = session.request(
            sent.method,
            sent.url,
            headers=sent.headers,
            json=sent.json,
            params=sent.params,
            data=sent.content,
            timeout=TIMEOUT,
        )
        return Answer(response.status_code, Headers(response.headers), response.content)


def _with_httpx(sent: _Request) -> Answer:
    with httpx.Client(timeout=TIMEOUT, verify=_tls()) as client:
        response = client.request(
            sent.method, sent.url, headers=sent.headers, json=sent.json, params=sent.params, content=sent.content
        )
        return Answer(response.status_code, Headers(response.headers), response.content)


def _with_httpx_async(sent: _Request) -> Answer:
    async def send() -> Answer:
        async with httpx.AsyncClient(timeout=TIMEOUT, verify=_tls()) as client:
            response = await client.request(
                sent.method, sent.url, headers=sent.headers, json=sent.json, params=sent.params, content=sent.content
            )
            return Answer(response.status_code, Headers(response.headers), response.content)

    return asyncio.run(send())


def _with_aiohttp(sent: _Request) -> Answer:
    async def send() -> Answer:
        timeout = aiohttp.ClientTimeout(total=TIMEOUT)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.request(
                sent.method, sent.url, headers=sent.headers, json=sent.json, params=sent.params, data=sent.content
            ) as response,
        ):
            return Answer(response.status, Headers(response.headers), await response.read())

    return asyncio.run(send())


_SENDERS = {
    "requests": _with_requests,
    "httpx": _with_httpx,
    "httpx_async": _with_httpx_async,
    "aiohttp": _with_aiohttp,
}

# A transport fault surfaces as the library's own error for a failed exchange, as a real outage would.
CLIENTS = (
    Client("requests", requests.RequestException, requests.ConnectionError),
    Client("httpx", httpx.TransportError, httpx.ConnectError),
    Client("httpx_async", httpx.TransportError, httpx.ConnectError),
    Client("aiohttp", aiohttp.ClientError, aiohttp.ClientConnectionError),
)


def caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is anywhere in the chain of causes and contexts the client wrapped around ``error``."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
