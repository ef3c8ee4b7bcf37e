"""httpx (sync and async): a private respx router at the ``Client._transport_for_url`` level.

``using="httpx"`` puts our router above httpx's transports, so pytest-httpx (which patches
``HTTPTransport``) and respx's default httpcore-level ``respx_mock`` stay below us and keep answering
the hosts they were given. Requests to other hosts pass through to whatever was installed before.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping

import httpx

from . import _transport_faults
from ._mock import BitMartMock
from ._rules import BitMartRequest

__all__ = ["install", "registered_elsewhere", "shadowing"]

# Our router while a test runs, so the shadowing check knows which routers stand before it.
_active: list[object] = []

_RESPX_MISSING = (
    "the 'respx' package, which answers httpx calls, is not installed; "
    "install pytest-bitmart with its dependencies (pip install pytest-bitmart)"
)


def install(mock: BitMartMock) -> Callable[[], None]:
    """Route this test's BitMart requests made with httpx to ``mock``; returns the undo."""
    if importlib.util.find_spec("respx") is None:
        return _block_without_respx(mock)
    import respx
    from respx.mocks import HTTPXMocker

    router = respx.MockRouter(using="httpx", assert_all_mocked=True, assert_all_called=False)

    def answer(request: httpx.Request) -> httpx.Response | httpx.Request | None:
        __tracebackhide__ = True  # an unmatched request's failure points at the client call
        if mock.is_bitmart(request.url.host):
            return _transport_faults.httpx_response(mock.respond(_to_request(request)), request)
        # Not BitMart: a router started after ours (the user's) gets its turn when we decline with None;
        # with none left, returning the request passes it through to the real transport.
        routers = HTTPXMocker.routers
        later = router in routers and routers.index(router) + 1 < len(routers)
        return None if later else request

    router.route().mock(side_effect=answer)
    router.start()
    _active.append(router)

    def undo() -> None:
        router.stop(quiet=True)
        _active.remove(router)

    return undo


def _block_without_respx(mock: BitMartMock) -> Callable[[], None]:
    """Without respx we cannot answer, but a BitMart request must still never reach the network."""
    original_sync = httpx.HTTPTransport.handle_request
    original_async = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if mock.is_bitmart(request.url.host):
            raise mock.refuse(_to_request(request), _RESPX_MISSING)
        return original_sync(self, request)

    async def handle_async_request(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        if mock.is_bitmart(request.url.host):
            raise mock.refuse(_to_request(request), _RESPX_MISSING)
        return await original_async(self, request)

    httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]

    def undo() -> None:
        httpx.HTTPTransport.handle_request = original_sync  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.handle_async_request = original_async  # type: ignore[method-assign]

    return undo


def _to_request(request: httpx.Request) -> BitMartRequest:
    # The body of a streamed upload is not in memory; BitMart clients send small JSON bodies.
    try:
        content = request.content
    except httpx.RequestNotRead:
        content = b""
    return BitMartRequest(request.method, str(request.url), dict(request.headers), content)


def registered_elsewhere(fixture_values: Mapping[str, object], mock: BitMartMock) -> str | None:
    """A pytest-httpx response for a BitMart URL never fires, since we answer first: name it, after the test."""
    # pytest-httpx lists its registrations only privately; without them there is nothing to check.
    for matcher, _ in getattr(fixture_values.get("httpx_mock"), "_callbacks", ()):
        url = getattr(matcher, "url", None)
        if isinstance(url, httpx.URL) and mock.is_bitmart(url.host):
            return (
                f"pytest-httpx's httpx_mock has a response registered for the BitMart URL {url}, but "
                "pytest-bitmart answers BitMart hosts before pytest-httpx, so it is never served. Arm it with "
                "bitmart_mock.error(...) / bitmart_mock.ok(...) instead of httpx_mock.add_response(...)."
            )
    return None


def shadowing() -> str | None:
    """Explain how a respx router answering before ours would hide BitMart requests from us, if one does."""
    if importlib.util.find_spec("respx") is None:
        return None
    from respx.mocks import HTTPXMocker

    for router in HTTPXMocker.routers:
        if router in _active:
            break
        if not getattr(router, "_assert_all_mocked", True):
            return (
                "a respx router with assert_all_mocked=False, started before pytest-bitmart's, answers every "
                "unmatched httpx request with an empty 200, so BitMart requests would never reach "
                "pytest-bitmart. Keep assert_all_mocked=True (the default) on your router, or start it "
                "after pytest-bitmart's (request the bitmart_mock fixture first)."
            )
    return None
