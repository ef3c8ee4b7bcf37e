"""The one place that turns a catalog entry into what BitMart sends: status, headers and body bytes.

Every transport serves ``BitMartResponse.content`` as it is, so no client or mocking library ever
serializes a body for us (they disagree on JSON separators, and httpx changed its own between releases).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._catalog import ErrorCode, Family, HttpFailure
from ._faults import TRACE_SLOT, Fault
from ._options import is_int

__all__ = [
    "RATE_LIMIT",
    "BitMartResponse",
    "MessageArgsError",
    "encode",
    "fill_message",
    "render",
    "render_fault",
    "render_http_failure",
    "trace_for",
]

# Realistic rate-limit window: BitMart reports the requests *used* in the window under the misleading
# name "Remaining", the window's capacity under "Limit" and its length in seconds under "Reset".
RATE_LIMIT = 600
RATE_LIMIT_WINDOW_SECONDS = 60
_RATE_LIMITED_CODE = 30013

# The documented examples disagree on key order between families; clients that snapshot bodies care.
_KEY_ORDER: dict[Family, tuple[str, ...]] = {
    "auth": ("code", "message", "trace", "data"),
    "funding": ("code", "trace", "message", "data"),
    "spot": ("code", "trace", "message", "data"),
    # Contract errors carry no "data" key; a success needs one to be of any use, so it goes last.
    "contract": ("code", "message", "trace"),
    # Market-data errors: the one captured quotation body (ccxt's 70003) orders its keys as spot does.
    "spot-public": ("code", "trace", "message", "data"),
}
# ...and carries "data":null where spot and account errors carry an empty object (a success is spot's).
_NULL_DATA: frozenset[Family] = frozenset({"spot-public"})


class MessageArgsError(ValueError):
    """Raised when ``message_args`` do not fit the ``%s``/``%d`` placeholders of a message."""


@dataclass(slots=True)
class BitMartResponse:
    """A response about to be served: edit ``status``, ``headers`` or ``payload`` in a hook.

    ``payload`` is the JSON envelope (``None`` for a bare global HTTP failure, whose body is ``text``).
    ``fault`` is the catalog fault served, if any (a transport fault has no status: it is 0, and the client
    raises instead); ``delay`` is how many seconds the answer is held back.
    """

    status: int
    headers: dict[str, str]
    payload: dict[str, Any] | None = None
    text: str = ""
    code: int | None = field(default=None)
    fault: Fault | None = None
    delay: float = 0.0

    @property
    def content(self) -> bytes:
        """The body bytes exactly as served."""
        if self.payload is None:
            return self.text.encode()
        return encode(self.payload)


def encode(payload: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON with non-ASCII kept as is, as BitMart's servers write it."""
    return _ENCODER.encode(payload).encode()


# Built once: ``json.dumps`` with any option but the defaults builds a new encoder on every call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def trace_for(seed: str, index: int) -> str:
    """A UUID-shaped trace id that is the same on every rerun of the same test (``seed``) and call."""
    # What str(uuid.UUID(bytes=digest[:16], version=4)) gives, formatted directly (every request has one):
    # the version nibble set to 4, and the variant's two top bits to 10.
    hexed = hashlib.sha1(f"{seed}#{index}".encode(), usedforsecurity=False).hexdigest()
    variant = "89ab"[int(hexed[16], 16) & 3]
    return f"{hexed[:8]}-{hexed[8:12]}-4{hexed[13:16]}-{variant}{hexed[17:20]}-{hexed[20:32]}"


def fill_message(entry: ErrorCode, message_args: Sequence[object] | None) -> str:
    """The entry's message, verbatim unless ``message_args`` fill its placeholders in order."""
    if message_args is None:
        return entry.message
    placeholders = entry.placeholders
    if len(message_args) != len(placeholders):
        raise MessageArgsError(
            f"code {entry.code} ({entry.message!r}) has {len(placeholders)} placeholder(s) "
            f"but message_args has {len(message_args)} value(s)"
        )
    for kind, value in zip(placeholders, message_args, strict=True):
        if kind == "d" and not is_int(value):
            raise MessageArgsError(f"code {entry.code} ({entry.message!r}) needs an integer for %d, got {value!r}")
    return entry.message % tuple(message_args)


def render(
    entry: ErrorCode,
    *,
    trace: str,
    message: str | None = None,
    data: Any = None,
    used: int = 1,
    mode: str = "IP",
    headers: Mapping[str, str] | None = None,
) -> BitMartResponse:
    """Render ``entry`` (an error or a family's ``1000 OK``) as BitMart would send it.

    ``used`` is how many requests the rate-limit window has seen; a 30013 always reports more than the limit.
    """
    values: dict[str, Any] = {
        "code": entry.code,
        "message": entry.message if message is None else message,
        "trace": trace,
        "data": (None if entry.family in _NULL_DATA and not entry.is_success else {}) if data is None else data,
    }
    keys = _KEY_ORDER[entry.family]
    if entry.is_success and "data" not in keys:
        keys = (*keys, "data")
    payload = {key: values[key] for key in keys}
    used = RATE_LIMIT + 1 if entry.code == _RATE_LIMITED_CODE else min(max(used, 1), RATE_LIMIT)
    response_headers = {
        "Content-Type": "application/json",
        "X-BM-RateLimit-Remaining": str(used),
        "X-BM-RateLimit-Limit": str(RATE_LIMIT),
        "X-BM-RateLimit-Reset": str(RATE_LIMIT_WINDOW_SECONDS),
        "X-BM-RateLimit-Mode": mode,
    }
    _override(response_headers, headers)
    return BitMartResponse(entry.http_status, response_headers, payload, code=entry.code)


def render_http_failure(failure: HttpFailure, *, headers: Mapping[str, str] | None = None) -> BitMartResponse:
    """A global HTTP return code: the page documents a status and a description, no JSON body."""
    response_headers = {"Content-Type": "text/plain; charset=utf-8"}
    _override(response_headers, headers)
    return BitMartResponse(failure.http_status, response_headers, None, text=failure.description)


def _override(headers: dict[str, str], extra: Mapping[str, str] | None) -> None:
    """Add ``extra`` to ``headers``, replacing a default whatever its case ("content-type" too)."""
    if not extra:
        return
    for name, value in extra.items():
        for default in [key for key in headers if key.lower() == name.lower()]:
            del headers[default]
        headers[name] = value


# Faults -------------------------------------------------------------------------------------------------


def render_fault(fault: Fault, *, trace: str, used: int = 1, mode: str = "IP") -> BitMartResponse:
    """Render ``fault`` as served: its bytes, BitMart's rate-limit headers on what BitMart itself answered."""
    headers = dict(fault.headers)
    if not fault.is_generic:  # BitMart's gateway and application send them on every answer, errors included
        headers.update(
            {
                "X-BM-RateLimit-Remaining": str(min(max(used, 1), RATE_LIMIT)),
                "X-BM-RateLimit-Limit": str(RATE_LIMIT),
                "X-BM-RateLimit-Reset": str(RATE_LIMIT_WINDOW_SECONDS),
                "X-BM-RateLimit-Mode": mode,
            }
        )
    body = fault.body.replace(TRACE_SLOT, b'"trace":"' + trace.encode() + b'"')
    return BitMartResponse(fault.http_status or 0, headers, None, text=body.decode(), code=fault.code, fault=fault)
