"""Failures BitMart's clients really meet beyond the error table, as data: one frozen row per fault.

The error catalog holds what BitMart's application answers. These are what sits in front of it and
between: the gateway's own bodies, Cloudflare's pages, broken bodies and failed connections. Each row
says where it comes from: an observation of BitMart (date and source) or ``generic`` where no capture of
BitMart exists. Bodies observed from BitMart are kept byte for byte (a test compares them with the
committed notes they come from); the Cloudflare pages are our own minimal HTML with the features clients
and people recognise, not Cloudflare's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

__all__ = ["GENERIC", "TRACE_SLOT", "Fault", "FaultKind", "UnknownFaultError", "fault", "faults"]

FaultKind = Literal["response", "cut", "transport"]

GENERIC = "generic"
# The probe that captured the gateway bodies shortened their trace to "...": the slot a real trace fills.
TRACE_SLOT = b'"trace":"..."'

_JSON = "application/json"
# The header BitMart sent with the 53007 body in ccxt #19941.
_TEXT_PLAIN_UTF8 = "text/plain;charset=UTF-8"
_HTML = "text/html; charset=UTF-8"


class UnknownFaultError(LookupError):
    """Raised for a fault name the catalog does not have."""


UnknownFaultError.__module__ = "pytest_bitmart"  # failures name the class users import


@dataclass(frozen=True, slots=True)
class Fault:
    """One failure a BitMart client can meet: what is served (or raised) and where the shape comes from.

    ``kind`` is ``"response"`` for a complete answer (``status``, ``headers``, ``body``), ``"cut"`` for an
    answer whose body stops before its declared ``Content-Length`` (``declared_length``), and
    ``"transport"`` for a connection that fails: the client raises its own error and gets no answer.
    """

    name: str
    description: str
    http_status: int | None
    provenance: str
    kind: FaultKind = "response"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    declared_length: int | None = None
    code: int | None = None
    """The BitMart code the body carries, if it carries one."""

    @property
    def is_generic(self) -> bool:
        """Whether no capture of BitMart exists for this shape (it is what such a failure looks like anywhere)."""
        return self.provenance == GENERIC


def _gateway(name: str, description: str, status: int, body: bytes, *, code: int, provenance: str) -> Fault:
    return Fault(name, description, status, provenance, headers=(("Content-Type", _JSON),), body=body, code=code)


_PROBE = (
    "live probe of api-cloud-v2.bitmart.com, 2026-09-23 (nemanull/arbitrage-observatory "
    "docs/profiles/bitmart/rest.md @11b37323, section 6)"
)

# (Cloudflare error code, HTTP status, title, one-sentence explanation): our own words for each page.
_CLOUDFLARE_PAGES = (
    (1020, 403, "Access denied", "A firewall rule of this website blocked your request."),
    (1010, 403, "Access denied", "This website bans requests whose browser signature looks automated."),
    (502, 502, "Bad gateway", "Cloudflare reached the origin server, but it sent back an invalid answer."),
    (503, 503, "Service unavailable", "The origin server cannot take requests at the moment."),
    (504, 504, "Gateway timeout", "Cloudflare reached the origin server, but it did not answer in time."),
    (
        520,
        520,
        "Web server returned an unknown error",
        "The origin server answered in a way Cloudflare did not expect.",
    ),
    (521, 521, "Web server is down", "The origin server refused Cloudflare's connection."),
    (522, 522, "Connection timed out", "Cloudflare could not open a connection to the origin server in time."),
    (524, 524, "A timeout occurred", "The origin server accepted the connection but did not answer in time."),
)
_CLOUDFLARE_DESCRIPTIONS = {
    1020: "Cloudflare WAF block: a 403 HTML page, error 1020",
    1010: "Cloudflare browser-signature ban (default user agents such as Python-urllib): a 403 HTML page, error 1010",
}


def _cloudflare(error: int, status: int, title: str, explanation: str) -> Fault:
    # A fixed ray per page, so the bytes served are the bytes the docs show; the colo is the probe's (YVR).
    ray = hashlib.sha1(f"cloudflare-{error}".encode(), usedforsecurity=False).hexdigest()[:16] + "-YVR"
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        f'<head><meta charset="UTF-8"><title>{title} | Cloudflare</title></head>\n'
        "<body>\n"
        f'<h1>Error {error}</h1><h2 class="cf-error-title">{title}</h2>\n'
        f"<p>{explanation}</p>\n"
        f'<p class="cf-footer">Cloudflare Ray ID: <strong>{ray.partition("-")[0]}</strong></p>\n'
        "</body>\n"
        "</html>\n"
    )
    description = _CLOUDFLARE_DESCRIPTIONS.get(error, f"Cloudflare's {status} HTML page ({title.lower()})")
    headers = (("Content-Type", _HTML), ("Server", "cloudflare"), ("CF-RAY", ray))
    return Fault(f"cloudflare-{error}", description, status, GENERIC, headers=headers, body=page.encode())


# A success envelope cut after its "data" key: the Content-Length announces the whole of it.
_WHOLE_OK = b'{"code":1000,"trace":"5b1c7a6e-3f0d-4c57-9a43-2f8e6d1b0c94","message":"OK","data":{}}'
_CUT_OK = _WHOLE_OK[: _WHOLE_OK.index(b'"data"')]

_FAULTS: tuple[Fault, ...] = (
    _gateway(
        "gateway-not-found",
        "BitMart's gateway on an unknown path: 404 with a 'msg' key instead of 'message'",
        404,
        b'{"trace":"...","msg":"Not found","code":30000}',
        code=30000,
        provenance=_PROBE,
    ),
    _gateway(
        "gateway-futures-v1-deprecated",
        "BitMart's gateway on a retired Futures V1 path: HTTP 200, code 30030 under 'msg', undocumented text",
        200,
        b'{"trace":"...","msg":"Futures V1 API has been deprecated. Please use the V2 API","code":30030}',
        code=30030,
        provenance=_PROBE,
    ),
    Fault(
        "text-plain-json",
        "A documented error's JSON (53007) sent as Content-Type text/plain;charset=UTF-8, with HTTP 403",
        403,
        "POST /spot/v2/submit_order on api-cloud.bitmart.com, 2023-11-13 (ccxt issue #19941, body from ccxt PR #19942)",
        headers=(("Content-Type", _TEXT_PLAIN_UTF8),),
        body=b'{"message":"Please complete your personal verification(Advanced).","code":53007,"trace":"6591fc7b508845359d5fa442e3b3a4fb.52.16998965321206647","data":{}}',
        code=53007,
    ),
    Fault(
        "data-null-envelope",
        'A spot quotation error whose envelope carries "data":null (code 70003, net error), with HTTP 200',
        200,
        "ccxt 4.5.70 bitmart.py line 403, copied from a real answer (spot public errors are documented as HTTP 200)",
        headers=(("Content-Type", _JSON),),
        body=b'{"code":70003,"trace":"81a9d57b63be4819b65d3065e6a4682b.105.17105295323593915","message":"net error, please try later","data":null}',
        code=70003,
    ),
    *(_cloudflare(*page) for page in _CLOUDFLARE_PAGES),
    Fault(
        "cut-body",
        "A 200 JSON body that stops short of its declared Content-Length: the connection closes mid-body",
        200,
        GENERIC,
        kind="cut",
        headers=(("Content-Type", _JSON),),
        body=_CUT_OK,
        declared_length=len(_WHOLE_OK),
    ),
    Fault(
        "invalid-json",
        "A 200 answer declared as JSON whose body is not JSON (single-quoted keys)",
        200,
        GENERIC,
        headers=(("Content-Type", _JSON),),
        body=b"{'code': 1000, 'message': 'OK', 'data': {}}",
    ),
    Fault("empty-200", "A 200 answer with an empty body", 200, GENERIC, headers=(("Content-Type", _JSON),)),
    Fault("empty-502", "A 502 answer with an empty body", 502, GENERIC),
    Fault(
        "connect-timeout",
        "The TCP connection is not established before the connect timeout",
        None,
        GENERIC,
        "transport",
    ),
    Fault(
        "read-timeout",
        "The connection is open but no answer arrives before the read timeout",
        None,
        GENERIC,
        "transport",
    ),
    Fault("connection-refused", "The host refuses the TCP connection (ECONNREFUSED)", None, GENERIC, "transport"),
    Fault(
        "connection-reset",
        "The peer resets the connection after the request is sent, before any answer",
        None,
        GENERIC,
        "transport",
    ),
    Fault("dns-failure", "The host name does not resolve", None, GENERIC, "transport"),
)

_BY_NAME = {entry.name: entry for entry in _FAULTS}


def faults() -> tuple[Fault, ...]:
    """Return every fault in the catalog: gateway bodies, envelope variants, Cloudflare pages, body and transport faults."""
    return _FAULTS


def fault(name: str) -> Fault:
    """Return the fault called ``name``; raises :class:`UnknownFaultError`, suggesting the nearest names."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise UnknownFaultError(unknown_fault_message(name)) from None


def unknown_fault_message(name: object) -> str:
    """The one-line explanation for a name that is not a fault, with the nearest names."""
    import difflib  # noqa: PLC0415 - only a mistake pays for it

    close = difflib.get_close_matches(name, list(_BY_NAME), n=1) if isinstance(name, str) else []
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown BitMart fault {name!r}{hint} (pytest_bitmart.faults() lists them)"
