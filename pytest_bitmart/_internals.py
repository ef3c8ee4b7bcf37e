"""Every reach into a third-party library's private attributes, in one place, each with why it is needed.

No silent defaults: an attribute an upgrade removed raises ``AttributeError`` where it is used, and
``tests/test_internals.py`` checks each entry of ``REACHES`` against the installed versions, naming the
library and version that no longer has it. Nothing here imports a library at module level.
"""

from __future__ import annotations

from dataclasses import dataclass

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
