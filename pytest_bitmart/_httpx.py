"""httpx (sync and async): a private respx router at the ``Client._transport_for_url`` level, for the run.

``using="httpx"`` puts our router above httpx's transports, so pytest-httpx (which patches
``HTTPTransport``) and respx's default httpcore-level ``respx_mock`` stay below us and keep answering
the hosts they were given. The router is started once, when httpx is first imported, so it comes before
any router a test starts and ``_transport_for_url`` stays the same function for the whole run; BitMart
requests ask the run's router who answers (refused ones raise ``httpx.ConnectError``, live ones pass
through), and requests to other hosts pass through to whatever was installed before.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import httpx

from . import _internals, _transport_faults
from ._request import BitMartRequest
from ._router import Router

if TYPE_CHECKING:
    from ._mock import BitMartMock

__all__ = ["ADAPTER"]

# Our router while a test runs, so the shadowing check knows which routers stand before it.
_active: list[object] = []

_RESPX_MISSING = (
    "the 'respx' package, which answers httpx calls, is not installed; "
    "install pytest-bitmart with its dependencies (pip install pytest-bitmart)"
)


def _claim(router: Router, request: httpx.Request) -> BitMartMock | None:
    """The mock answering ``request``, None to send it (live); a refusal raises ``httpx.ConnectError``."""
    __tracebackhide__ = True
    try:
        return router.claim(_to_request(request))
    except ConnectionRefusedError as refusal:
        raise httpx.ConnectError(str(refusal), request=request) from refusal


def _answer(mock: BitMartMock, request: httpx.Request) -> httpx.Response:
    __tracebackhide__ = True  # an unmatched request's failure points at the client call
    # A transport fault raises httpx's own error here; a delay or a cut body streams as for real.
    return _transport_faults.httpx_response(mock.respond(_to_request(request)), request)


def _install(router: Router) -> Callable[[], None]:
    """Route BitMart requests made with httpx to ``router`` for the run; returns the undo."""
    if importlib.util.find_spec("respx") is None:
        return _block_without_respx(router)
    import respx

    respx_router = respx.MockRouter(using="httpx", assert_all_mocked=True, assert_all_called=False)

    def answer(request: httpx.Request) -> httpx.Response | httpx.Request | None:
        __tracebackhide__ = True
        if _active[-1] is not respx_router:
            return None  # a run nested in this one (pytester) installed its own router: it decides
        if router.is_bitmart(request.url.host):
            mock = _claim(router, request)
            return request if mock is None else _answer(mock, request)
        # Not BitMart: a router started after ours (the user's) gets its turn when we decline with None;
        # with none left, returning the request passes it through to the real transport.
        routers = _internals.respx_routers()
        later = respx_router in routers and routers.index(respx_router) + 1 < len(routers)
        return None if later else request

    respx_router.route().mock(side_effect=answer)
    respx_router.start()
    _active.append(respx_router)

    def undo() -> None:
        respx_router.stop(quiet=True)
        _active.remove(respx_router)

    return undo


def _block_without_respx(router: Router) -> Callable[[], None]:
    """Without respx we cannot answer, but a BitMart request must still never reach the network."""
    original_sync = httpx.HTTPTransport.handle_request
    original_async = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if router.is_bitmart(request.url.host):
            mock = _claim(router, request)
            if mock is not None:
                raise mock.refuse(_to_request(request), _RESPX_MISSING)
        return original_sync(self, request)

    async def handle_async_request(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        if router.is_bitmart(request.url.host):
            mock = _claim(router, request)
            if mock is not None:
                raise mock.refuse(_to_request(request), _RESPX_MISSING)
        return await original_async(self, request)

    httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]

    def undo() -> None:
        if vars(httpx.HTTPTransport).get("handle_request") is handle_request:
            httpx.HTTPTransport.handle_request = original_sync  # type: ignore[method-assign]
        if vars(httpx.AsyncHTTPTransport).get("handle_async_request") is handle_async_request:
            httpx.AsyncHTTPTransport.handle_async_request = original_async  # type: ignore[method-assign]

    return undo


def _to_request(request: httpx.Request) -> BitMartRequest:
    # The body of a streamed upload is not in memory; BitMart clients send small JSON bodies.
    try:
        content = request.content
    except httpx.RequestNotRead:
        content = b""
    return BitMartRequest(request.method, str(request.url), dict(request.headers), content)


def _registered_elsewhere(fixture_values: Mapping[str, object], router: Router) -> str | None:
    """A pytest-httpx response for a BitMart URL never fires, since we answer first: name it, after the test."""
    httpx_mock = fixture_values.get("httpx_mock")
    if httpx_mock is None:
        return None
    for matcher, _ in _internals.pytest_httpx_registrations(httpx_mock):
        url = getattr(matcher, "url", None)  # a matcher made without a URL has None here
        if isinstance(url, httpx.URL) and router.is_bitmart(url.host):
            return (
                f"pytest-httpx's httpx_mock has a response registered for the BitMart URL {url}, but "
                "pytest-bitmart answers BitMart hosts before pytest-httpx, so it is never served. Arm it with "
                "bitmart_mock.error(...) / bitmart_mock.ok(...) instead of httpx_mock.add_response(...)."
            )
    return None


def _shadowing() -> str | None:
    """Explain how a respx router answering before ours would hide BitMart requests from us, if one does."""
    if not _active:
        return None
    for router in _internals.respx_routers():
        if router is _active[-1]:
            break
        if router not in _active and _internals.respx_router_is_lenient(router):
            return (
                "a respx router with assert_all_mocked=False, started before pytest-bitmart's, answers every "
                "unmatched httpx request with an empty 200, so BitMart requests would never reach "
                "pytest-bitmart. Keep assert_all_mocked=True (the default) on your router, or start it "
                "after pytest-bitmart's (request the bitmart_mock fixture first)."
            )
    return None


class _HttpxAdapter:
    def install(self, router: Router) -> Callable[[], None]:
        return _install(router)

    def shadowing(self) -> str | None:
        return _shadowing()

    def registered_elsewhere(self, fixture_values: Mapping[str, object], router: Router) -> str | None:
        return _registered_elsewhere(fixture_values, router)


ADAPTER = _HttpxAdapter()
