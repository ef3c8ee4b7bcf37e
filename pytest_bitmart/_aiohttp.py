"""aiohttp: BitMart requests are sent, for real, to a loopback server that answers what the mock says.

aiohttp offers no transport to swap, and building a ``ClientResponse`` by hand means calling its private
constructor, which changes between releases (aioresponses breaks on aiohttp 3.14 that way). So the
response is made by aiohttp itself: ``ClientSession._request`` is wrapped once for the run; the router is
asked who answers a BitMart URL in the caller's thread (a refusal raises ``ClientConnectorError``, a live
request goes to the previous ``_request``), and an answered one is sent as plain ``http://`` through an
HTTP proxy at ``127.0.0.1`` that is in fact a small server on the caller's own event loop (``_loopback``).
Other URLs go to the previous ``_request`` untouched. Being an explicit proxy, it is immune to
HTTP(S)_PROXY and trust_env; the ssl and proxy options of a BitMart call are ignored. Caveats:
``response.url`` and ``request_info`` are set back to the https URL, but trace hooks and the connection
pool see the plain request to 127.0.0.1; and an aioresponses mock started in the same test answers
ClientSession calls before the server can (the test then fails naming it, unless it passes unmatched URLs
through).
"""

from __future__ import annotations

import contextvars
import errno
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from . import _internals

# Imported by name, not as ``from . import _loopback``: that reads the package's attribute, which still holds
# an earlier pytester run's module (and its yarl) after that run's modules were dropped.
from ._loopback import FAILED_HEADER, ROUTE_HEADER, Pending, close_all, in_flight, server_url
from ._request import BitMartRequest
from ._router import Router

if TYPE_CHECKING:
    from ._mock import BitMartMock

__all__ = ["ADAPTER"]

# Connection settings meant for the real host; the loopback request is plain http through our proxy.
_REAL_HOST_OPTIONS = (
    "ssl",
    "verify_ssl",
    "ssl_context",
    "fingerprint",
    "server_hostname",
    "proxy",
    "proxy_auth",
    "proxy_headers",
)
_WRAPPER_MARK = "_pytest_bitmart_previous"

# The rerouted URL handed to aiohttp while a wrapper runs: the guarded ``_build_url`` lets it past a
# session's base_url (aiohttp before 3.11 asserts that URLs given with a base_url are relative), and an
# outer install's wrapper lets it through untouched.
_OWN_URL: contextvars.ContextVar[URL | None] = contextvars.ContextVar("pytest_bitmart_own_url", default=None)


def _install(router: Router) -> Callable[[], None]:
    """Route BitMart requests made with aiohttp to ``router`` for the run; returns the undo."""
    session_class = aiohttp.ClientSession
    previous = _internals.aiohttp_request(session_class)  # the one entry all session calls share
    build_url_undo = _allow_own_url()

    async def _request(self: aiohttp.ClientSession, method: str, str_or_url: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # its locals hold the request's headers, API key included
        # A URL another install already rerouted (a pytester run inside a test) is on its way: let it pass.
        url = None if str_or_url is _OWN_URL.get() else _absolute(self, str_or_url)
        if url is None or not router.is_bitmart(url.host):
            return await previous(self, method, str_or_url, **kwargs)
        mock = _claim(router, method, url, kwargs)
        if mock is None:  # live: sent as it would be without the plugin
            return await previous(self, method, str_or_url, **kwargs)
        return await _send_to_mock(previous, self, method, url, kwargs=kwargs, mock=mock)

    setattr(_request, _WRAPPER_MARK, previous)
    _internals.set_aiohttp_request(session_class, _request)

    def undo() -> None:
        # Put back only our own: a user's patch made on top of ours stays (ours under it is harmless).
        if vars(session_class).get("_request") is _request:
            _internals.set_aiohttp_request(session_class, previous)
        build_url_undo()
        close_all()

    return undo


def _claim(router: Router, method: str, url: URL, kwargs: Mapping[str, Any]) -> BitMartMock | None:
    """Ask the router in the caller's thread; a refusal is raised as aiohttp's failed connection."""
    __tracebackhide__ = True
    headers = {str(name): str(value) for name, value in CIMultiDict(kwargs.get("headers") or ()).items()}
    try:
        return router.claim(BitMartRequest(method.upper(), str(url), headers))
    except ConnectionRefusedError as refusal:
        # What aiohttp's connector raises when a connection is refused; its message carries ours.
        key = SimpleNamespace(host=url.host, port=url.port, ssl=url.scheme == "https")
        raise aiohttp.ClientConnectorError(
            key,  # type: ignore[arg-type] # only host, port and ssl are read from it
            OSError(errno.ECONNREFUSED, str(refusal)),
        ) from refusal


async def _send_to_mock(
    send: Callable[..., Any],
    session: aiohttp.ClientSession,
    method: str,
    url: URL,
    *,
    kwargs: dict[str, Any],
    mock: BitMartMock,
) -> Any:
    __tracebackhide__ = True  # its locals hold the request's headers, API key included
    options = {name: value for name, value in kwargs.items() if name not in _REAL_HOST_OPTIONS}
    # Applied below, once the response shows the BitMart URL again, so a ClientResponseError names it.
    raise_for_status = options.pop("raise_for_status", None)
    pending = Pending(mock, url.scheme)
    headers: CIMultiDict[str] = CIMultiDict(options.pop("headers", None) or ())
    headers[ROUTE_HEADER] = pending.request_id
    own_url = url.with_scheme("http")
    proxy = server_url()
    in_flight[pending.request_id] = pending
    token = _OWN_URL.set(own_url)
    try:
        response = await send(session, method, own_url, headers=headers, proxy=proxy, raise_for_status=False, **options)
    finally:
        _OWN_URL.reset(token)
        del in_flight[pending.request_id]
    if FAILED_HEADER in response.headers:
        response.release()
        from ._mock import UnmatchedRequestError

        error = pending.error or UnmatchedRequestError(f"pytest-bitmart: {method} {url} got no answer")
        raise error.with_traceback(None)
    _show_bitmart_url(response, url)
    if raise_for_status is None:
        raise_for_status = _internals.session_raise_for_status(session)
    if callable(raise_for_status):
        await raise_for_status(response)
    elif raise_for_status:
        response.raise_for_status()
    return response


def _absolute(session: aiohttp.ClientSession, str_or_url: Any) -> URL | None:
    """The URL aiohttp will request, joined to the session's base_url; None if aiohttp would refuse it."""
    try:
        url = URL(str_or_url)
    except (TypeError, ValueError):
        return None
    if url.absolute:
        return url
    base = _internals.session_base_url(session)
    return base.join(url) if isinstance(base, URL) else None


def _allow_own_url() -> Callable[[], None]:
    """Let our absolute loopback URL past ``_build_url`` on a session with a base_url; returns the undo."""
    session_class = aiohttp.ClientSession
    original = _internals.aiohttp_build_url(session_class)

    def _build_url(self: aiohttp.ClientSession, str_or_url: Any) -> URL:
        own = _OWN_URL.get()
        if own is not None and str_or_url is own:
            return own
        result: URL = original(self, str_or_url)
        return result

    _internals.set_aiohttp_build_url(session_class, _build_url)

    def undo() -> None:
        if vars(session_class).get("_build_url") is _build_url:
            _internals.set_aiohttp_build_url(session_class, original)

    return undo


def _show_bitmart_url(response: aiohttp.ClientResponse, url: URL) -> None:
    """Point ``response.url`` and ``request_info`` back at the https BitMart URL."""
    real = response.url.with_scheme(url.scheme)
    info = _internals.response_request_info(response)
    headers = CIMultiDict(info.headers)
    headers.popall(ROUTE_HEADER, None)
    request_info = aiohttp.RequestInfo(real, info.method, CIMultiDictProxy(headers), real)
    _internals.point_response_at(response, real, request_info)


# Shadowing -------------------------------------------------------------------------------------------


def _shadowing() -> str | None:
    """Explain how a mock on ``ClientSession._request`` (aioresponses) would answer BitMart calls first."""
    from unittest import mock as unittest_mock

    function: Any = _internals.aiohttp_request(aiohttp.ClientSession)
    while function is not None:
        patched = function if isinstance(function, unittest_mock.NonCallableMock) else getattr(function, "mock", None)
        if isinstance(patched, unittest_mock.NonCallableMock):
            # Checked before following our mark: an autospec of our wrapper copies the mark as a child mock.
            return _describe_mock(patched)
        function = getattr(function, _WRAPPER_MARK, None)
    return None


def _describe_mock(patched: Any) -> str | None:
    owner = getattr(patched.side_effect, "__self__", None)
    if type(owner).__module__.partition(".")[0] == "aioresponses":
        if getattr(owner, "passthrough_unmatched", False):
            return None  # BitMart URLs it was not given pass through to pytest-bitmart
        return (
            "aioresponses replaces aiohttp.ClientSession._request and answers every aiohttp call itself, so "
            "BitMart requests would get its ClientConnectionError instead of the BitMart error. Start it with "
            "aioresponses(passthrough_unmatched=True) so that the BitMart URLs it was not given reach "
            "pytest-bitmart, or drop it from this test."
        )
    return (
        "aiohttp.ClientSession._request is replaced by a unittest.mock patch, which answers BitMart requests "
        "before pytest-bitmart sees them. Patch a narrower target (your own client object), or let the patch "
        "call through to the real method for BitMart URLs."
    )


class _AiohttpAdapter:
    def install(self, router: Router) -> Callable[[], None]:
        return _install(router)

    def shadowing(self) -> str | None:
        return _shadowing()

    def registered_elsewhere(self, fixture_values: Mapping[str, object], router: Router) -> str | None:  # noqa: ARG002
        return None


ADAPTER = _AiohttpAdapter()
