"""Every reach into a third-party library's private attributes, in one place, each with why it is needed.

No silent defaults: an attribute an upgrade removed raises ``AttributeError`` where it is used, and
``tests/test_internals.py`` checks each entry of ``REACHES`` against the installed versions, naming the
library and version that no longer has it. Nothing here imports a library at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["REACHES", "Reach"]


@dataclass(frozen=True, slots=True)
class Reach:
    """One private attribute we touch: ``module.owner.attribute`` (``on`` names an instance we build)."""

    distribution: str
    module: str
    owner: str
    attribute: str
    why: str
    on: str = "class"


# Client adapters (routing) ------------------------------------------------------------------------------

REACHES: list[Reach] = [
    Reach(
        "aiohttp",
        "aiohttp",
        "ClientSession",
        "_request",
        "the one method every ClientSession call goes through; wrapped once per run to route BitMart URLs",
    ),
    Reach(
        "aiohttp",
        "aiohttp",
        "ClientSession",
        "_build_url",
        "joins a URL to the session's base_url and asserts it is relative; our absolute loopback URL must pass",
    ),
    Reach(
        "aiohttp",
        "aiohttp",
        "ClientSession",
        "_base_url",
        "the session's base_url, to tell whether a relative URL is a BitMart one",
        on="session",
    ),
    Reach(
        "aiohttp",
        "aiohttp",
        "ClientSession",
        "_raise_for_status",
        "the session's raise_for_status, applied once the response names the BitMart URL again",
        on="session",
    ),
    Reach(
        "aiohttp",
        "aiohttp",
        "ClientResponse",
        "_url",
        "response.url is read-only: set back to the https BitMart URL after the loopback round trip",
        on="response",
    ),
    Reach("aiohttp", "aiohttp", "ClientResponse", "_real_url", "same as _url, for response.real_url", on="response"),
    Reach(
        "aiohttp",
        "aiohttp",
        "ClientResponse",
        "_cache",
        "aiohttp caches url-derived properties here; emptied so they are computed from the BitMart URL",
        on="response",
    ),
    Reach(
        "aiohttp",
        "aiohttp",
        "ClientResponse",
        "_request_info",
        "request_info is read-only: rebuilt with the BitMart URL and without our routing header",
        on="response",
    ),
    Reach(
        "respx",
        "respx.mocks",
        "",
        "HTTPXMocker",
        "the respx mocker at httpx's Client level: its list of routers says whether a user's lenient "
        "router answers before ours",
    ),
    Reach(
        "respx",
        "respx",
        "MockRouter",
        "_assert_all_mocked",
        "whether a user's router answers unmatched requests itself (an empty 200) instead of passing them on",
        on="router",
    ),
    Reach(
        "pytest-httpx",
        "pytest_httpx",
        "HTTPXMock",
        "_callbacks",
        "pytest-httpx lists registered responses only privately; one for a BitMart URL is never served",
        on="httpx_mock",
    ),
]


def aiohttp_request(session_class: Any) -> Callable[..., Any]:
    """``ClientSession._request``: see ``REACHES``."""
    function: Callable[..., Any] = session_class._request
    return function


def set_aiohttp_request(session_class: Any, function: Callable[..., Any]) -> None:
    """Replace ``ClientSession._request``."""
    session_class._request = function


def aiohttp_build_url(session_class: Any) -> Callable[..., Any]:
    """``ClientSession._build_url``: see ``REACHES``."""
    function: Callable[..., Any] = session_class._build_url
    return function


def set_aiohttp_build_url(session_class: Any, function: Callable[..., Any]) -> None:
    """Replace ``ClientSession._build_url``."""
    session_class._build_url = function


def session_base_url(session: Any) -> Any:
    """The session's ``base_url`` (None when it has none)."""
    return session._base_url


def session_raise_for_status(session: Any) -> Any:
    """The session's own ``raise_for_status`` setting."""
    return session._raise_for_status


def point_response_at(response: Any, url: Any, request_info: Any) -> None:
    """Make an aiohttp response name ``url`` and ``request_info`` instead of the loopback request."""
    response._url = url
    response._real_url = url
    cache = response._cache
    for name in ("url", "real_url", "url_obj", "host", "request_info"):
        cache.pop(name, None)
    response._request_info = request_info


def response_request_info(response: Any) -> Any:
    """The response's request info as aiohttp built it (for the loopback URL)."""
    return response._request_info


def respx_routers() -> list[Any]:
    """The routers respx's httpx-level mocker consults, in order."""
    from respx.mocks import HTTPXMocker

    routers: list[Any] = HTTPXMocker.routers
    return routers


def respx_router_is_lenient(router: Any) -> bool:
    """Whether a respx router answers unmatched requests with an empty 200 (``assert_all_mocked=False``)."""
    return not router._assert_all_mocked


def pytest_httpx_registrations(httpx_mock: Any) -> list[tuple[Any, Any]]:
    """pytest-httpx's registered (matcher, callback) pairs."""
    callbacks: list[tuple[Any, Any]] = httpx_mock._callbacks
    return callbacks


# The firewall (pytest_bitmart._firewall) ------------------------------------------------------------------

FIREWALL_AIOHTTP_CONNECTION = Reach(
    "aiohttp",
    "aiohttp.connector",
    "TCPConnector",
    "_create_connection",
    "every TCP connection aiohttp opens goes through it (direct, through a proxy, each redirect hop, the "
    "connector used on its own), before the resolver: the firewall refuses BitMart hosts there, which "
    "c-ares (aiodns installed) would otherwise resolve unseen by any socket-level guard",
)
REACHES.append(FIREWALL_AIOHTTP_CONNECTION)

# End of the firewall's block ---------------------------------------------------------------------------------
