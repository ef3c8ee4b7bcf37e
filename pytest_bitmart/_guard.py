"""The last line of defence: no connection to a BitMart host at all while a test is armed.

requests, httpx and aiohttp are answered before they ever resolve a BitMart host name. Anything else
(urllib, urllib3 or http.client used directly, a client library pytest-bitmart does not patch) would
reach the real exchange, so resolving a BitMart host is refused for the length of the test.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from ._mock import BitMartMock
from ._rules import BitMartRequest

__all__ = ["install"]

_REASON = (
    "it was made through a client pytest-bitmart does not answer (urllib, urllib3 or http.client used "
    "directly, or another library), which tried to connect to BitMart itself; pytest-bitmart answers "
    "requests, httpx and aiohttp"
)


def install(mock: BitMartMock) -> Callable[[], None]:
    """Refuse to resolve BitMart host names until the returned undo is called."""
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and mock.is_bitmart(name):
            __tracebackhide__ = True
            scheme = "https" if str(port) in ("443", "https") else "http"
            raise mock.refuse(BitMartRequest("CONNECT", f"{scheme}://{name}:{port}", {}), _REASON)
        return original(host, port, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo

    def undo() -> None:
        socket.getaddrinfo = original

    return undo
