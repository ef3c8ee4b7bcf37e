"""requests: BitMart URLs get an adapter of our own, which asks the router and answers through ``responses``.

``Session.get_adapter`` is wrapped once for the run so that only BitMart URLs reach ``_BitMartAdapter``;
every other URL gets the session's usual adapter, and so whatever the user patched on ``HTTPAdapter.send``
(their own ``@responses.activate``, a passthrough) keeps answering it. ``_BitMartAdapter.send`` asks the
router who answers: refused requests raise ``requests.ConnectionError``, live ones go to the usual
adapter, answered ones go to ``_Answerer``, whose ``send`` a private ``responses.RequestsMock`` replaces
(started on the first answer, so responses is imported only when one is needed). A nested user mock on
the base class can neither shadow nor reset ours.
"""

from __future__ import annotations

import contextvars
import importlib.util
import sys
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from . import _transport_faults
from ._request import BitMartRequest
from ._router import Router

if TYPE_CHECKING:
    from ._mock import BitMartMock

__all__ = ["ADAPTER"]

_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_ORIGINAL_SEND = requests.Session.send


# The mock that answers the request ``_Answerer.send`` is handling, chosen by the router just before, with
# that request as the router saw it: built once, not again in the answer callback.
_answering: contextvars.ContextVar[tuple[BitMartMock, requests.PreparedRequest, BitMartRequest]] = (
    contextvars.ContextVar("pytest_bitmart_requests_mock")
)

_RESPONSES_MISSING = (
    "the 'responses' package, which answers requests calls, is not installed; "
    "install pytest-bitmart with its dependencies (pip install pytest-bitmart)"
)


class _Answerer(requests.adapters.HTTPAdapter):
    """The adapter whose ``send`` the private responses mock replaces; unpatched, it never sends."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:  # noqa: ARG002
        # Reached only when the responses package is missing: refuse rather than touch the network.
        mock, _, seen = _answering.get()
        raise mock.refuse(seen, _RESPONSES_MISSING)


class _BitMartAdapter(requests.adapters.HTTPAdapter):
    """The adapter BitMart URLs are routed to: asks the router, then answers, refuses or sends (live)."""

    def __init__(self, route: _Route, usual: requests.adapters.BaseAdapter | None, max_retries: Any) -> None:
        super().__init__(max_retries=max_retries)
        self._route = route
        self._usual = usual
        self._answerer = _Answerer(max_retries=max_retries)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        __tracebackhide__ = True  # a refusal points at the client call
        route = self._route
        seen = _to_request(request)
        try:
            mock = route.router.claim(seen)
        except ConnectionRefusedError as refusal:
            raise requests.ConnectionError(refusal, request=request) from refusal
        if mock is None:  # live: the request goes out as it would without the plugin
            if self._usual is None:
                raise requests.exceptions.InvalidSchema(f"No connection adapters were found for {request.url!r}")
            return self._usual.send(request, *args, **kwargs)
        route.start_responses()
        token = _answering.set((mock, request, seen))
        try:
            # Faults are raised inside, as urllib3's errors: this applies the adapter's Retry and requests' mapping.
            return _transport_faults.requests_send(self, self._answerer.send, request, *args, **kwargs)
        finally:
            _answering.reset(token)


class _Route:
    """The run's routing for requests: the router, our adapters, and the private responses mock."""

    def __init__(self, router: Router) -> None:
        self.router = router
        # One of ours per adapter the session would have used, with its retry policy: a client retrying
        # 429 through urllib3's Retry (mounted on its adapter) must retry BitMart's answers as for real.
        self.adapters: weakref.WeakKeyDictionary[requests.adapters.BaseAdapter, _BitMartAdapter] = (
            weakref.WeakKeyDictionary()
        )
        self.default = _BitMartAdapter(self, None, requests.adapters.DEFAULT_RETRIES)
        self.lock = threading.Lock()
        self._stop_responses: Callable[[], None] | None = None

    def adapter_for(self, usual: requests.adapters.BaseAdapter) -> _BitMartAdapter:
        with self.lock:
            ours = self.adapters.get(usual)
            if ours is None:
                retries = getattr(usual, "max_retries", requests.adapters.DEFAULT_RETRIES)
                ours = self.adapters[usual] = _BitMartAdapter(self, usual, retries)
            return ours

    def start_responses(self) -> None:
        with self.lock:
            if self._stop_responses is None and importlib.util.find_spec("responses") is not None:
                self._stop_responses = _start_responses(self.router)

    def stop(self) -> None:
        if self._stop_responses is not None:
            self._stop_responses()
            self._stop_responses = None


class _RequestsAdapter:
    def install(self, router: Router) -> Callable[[], None]:
        """Route BitMart requests made with requests to ``router``; returns the undo."""
        original_get_adapter = requests.Session.get_adapter
        route = _Route(router)

        def get_adapter(self: requests.Session, url: str) -> requests.adapters.BaseAdapter:
            if not router.is_bitmart(urlsplit(url).hostname):
                return original_get_adapter(self, url)
            try:
                usual = original_get_adapter(self, url)
            except requests.exceptions.InvalidSchema:
                return route.default
            return route.adapter_for(usual)

        requests.Session.get_adapter = get_adapter  # type: ignore[method-assign]

        def undo() -> None:
            # Put back only our own: a user's patch made on top of ours stays (ours under it is harmless).
            if requests.Session.__dict__.get("get_adapter") is get_adapter:
                requests.Session.get_adapter = original_get_adapter  # type: ignore[method-assign]
            route.stop()

        return undo

    def shadowing(self) -> str | None:
        return _shadowing()

    def registered_elsewhere(self, fixture_values: Mapping[str, object], router: Router) -> str | None:  # noqa: ARG002
        return None


def _start_responses(router: Router) -> Callable[[], None]:
    import re

    import responses

    def answer(prepared: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        __tracebackhide__ = True  # an unmatched request's failure points at the client call
        mock, sent, seen = _answering.get()
        request = seen if prepared is sent else _to_request(prepared)
        conflict = _responses_conflict(router)
        if conflict is not None:
            raise mock.refuse(request, conflict)
        return _transport_faults.requests_answer(mock.respond(request), request)

    private = responses.RequestsMock(assert_all_requests_are_fired=False, target=f"{__name__}._Answerer.send")
    every_url = re.compile(".*")
    for method in _METHODS:
        private.add_callback(method, every_url, callback=answer, content_type=None)
    private.start()

    def stop() -> None:
        private.stop(allow_assert=False)
        private.reset()

    return stop


def _to_request(prepared: requests.PreparedRequest) -> BitMartRequest:
    body = prepared.body
    if isinstance(body, str):
        content = body.encode()
    elif isinstance(body, bytes):
        content = body
    else:
        content = b""
    return BitMartRequest(str(prepared.method).upper(), str(prepared.url), dict(prepared.headers), content)


def _shadowing() -> str | None:
    """Explain how another requests mocker keeps BitMart requests from reaching us, if one does."""
    send = requests.Session.send
    if send is not _ORIGINAL_SEND and getattr(send, "__module__", "").startswith("requests_mock"):
        return (
            "requests-mock (the requests_mock fixture) replaces requests.Session.send and answers every "
            "requests call before pytest-bitmart sees it, so BitMart requests would get requests-mock's "
            "NoMockAddress instead of the BitMart error. Register your other hosts with responses "
            "(@responses.activate) instead of requests-mock in this test; pytest-bitmart leaves them alone."
        )
    return None


def _responses_conflict(router: Router) -> str | None:
    """A BitMart URL the user registered on responses' global mock would never be served: say so."""
    responses_module = sys.modules.get("responses")
    if responses_module is not None:
        for registered in responses_module.mock.registered():
            host = urlsplit(registered.url if isinstance(registered.url, str) else "").hostname
            if router.is_bitmart(host):
                return (
                    f"responses has a response registered for the BitMart URL {registered.url}, but "
                    "pytest-bitmart answers BitMart hosts itself, so it would never be served. Arm it with "
                    "bitmart_mock.error(...) / bitmart_mock.ok(...) instead of responses.add(...)."
                )
    return None


ADAPTER = _RequestsAdapter()
