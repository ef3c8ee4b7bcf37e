"""requests: BitMart URLs get an adapter of our own, answered through a private ``responses`` mock.

``Session.get_adapter`` is wrapped so that only BitMart URLs reach ``_BitMartAdapter``; every other URL
gets the session's usual adapter, and so whatever the user patched on ``HTTPAdapter.send`` (their own
``@responses.activate``, a passthrough) keeps answering it. Our ``responses.RequestsMock`` targets the
subclass's ``send``, so a nested user mock on the base class can neither shadow nor reset ours.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests

from . import _transport_faults
from ._mock import BitMartMock
from ._rules import BitMartRequest

__all__ = ["install", "shadowing"]

_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_ORIGINAL_SEND = requests.Session.send


class _BitMartAdapter(requests.adapters.HTTPAdapter):
    """The adapter BitMart URLs are routed to; its ``send`` is what the private mock replaces."""

    def __init__(self, mock: BitMartMock, max_retries: Any = requests.adapters.DEFAULT_RETRIES) -> None:
        super().__init__(max_retries=max_retries)
        self.mock = mock

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        # Faults are raised below, as urllib3's errors: this applies the adapter's Retry and requests' mapping.
        return _transport_faults.requests_send(self, self.answer, request, *args, **kwargs)

    def answer(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:  # noqa: ARG002
        # Replaced by the private responses mock; reached only when the responses package is missing:
        # refuse rather than touch the network.
        raise self.mock.refuse(
            _to_request(request),
            "the 'responses' package, which answers requests calls, is not installed; "
            "install pytest-bitmart with its dependencies (pip install pytest-bitmart)",
        )


def install(mock: BitMartMock) -> Callable[[], None]:
    """Route this test's BitMart requests made with requests to ``mock``; returns the undo."""
    original_get_adapter = requests.Session.get_adapter
    # One of ours per adapter the session would have used, with its retry policy: a client retrying 429
    # through urllib3's Retry (mounted on its adapter) must retry BitMart's answers as it would for real.
    adapters: weakref.WeakKeyDictionary[requests.adapters.BaseAdapter, _BitMartAdapter] = weakref.WeakKeyDictionary()
    default = _BitMartAdapter(mock)
    lock = threading.Lock()

    def get_adapter(self: requests.Session, url: str) -> requests.adapters.BaseAdapter:
        if not mock.is_bitmart(urlsplit(url).hostname):
            return original_get_adapter(self, url)
        try:
            usual = original_get_adapter(self, url)
        except requests.exceptions.InvalidSchema:
            return default
        with lock:
            ours = adapters.get(usual)
            if ours is None:
                retries = getattr(usual, "max_retries", requests.adapters.DEFAULT_RETRIES)
                ours = adapters[usual] = _BitMartAdapter(mock, max_retries=retries)
        return ours

    stop_responses = _start_responses(mock) if importlib.util.find_spec("responses") else None
    requests.Session.get_adapter = get_adapter  # type: ignore[method-assign]

    def undo() -> None:
        requests.Session.get_adapter = original_get_adapter  # type: ignore[method-assign]
        if stop_responses is not None:
            stop_responses()

    return undo


def _start_responses(mock: BitMartMock) -> Callable[[], None]:
    import re

    import responses

    def answer(prepared: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        __tracebackhide__ = True  # an unmatched request's failure points at the client call
        request = _to_request(prepared)
        conflict = _responses_conflict(mock)
        if conflict is not None:
            raise mock.refuse(request, conflict)
        return _transport_faults.requests_answer(mock.respond(request), request)

    private = responses.RequestsMock(assert_all_requests_are_fired=False, target=f"{__name__}._BitMartAdapter.answer")
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


def shadowing() -> str | None:
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


def _responses_conflict(mock: BitMartMock) -> str | None:
    """A BitMart URL the user registered on responses' global mock would never be served: say so."""
    responses_module = sys.modules.get("responses")
    if responses_module is not None:
        for registered in responses_module.mock.registered():
            host = urlsplit(registered.url if isinstance(registered.url, str) else "").hostname
            if mock.is_bitmart(host):
                return (
                    f"responses has a response registered for the BitMart URL {registered.url}, but "
                    "pytest-bitmart answers BitMart hosts itself, so it would never be served. Arm it with "
                    "bitmart_mock.error(...) / bitmart_mock.ok(...) instead of responses.add(...)."
                )
    return None
