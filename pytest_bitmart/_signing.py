"""BitMart's request signature, recomputed from the bytes a client actually sent.

``X-BM-SIGN`` is the hex HMAC-SHA256, keyed with the secret, of ``timestamp#memo#payload``. BitMart's
authentication page defines the payload as the request body for POST and PUT and the query string for
GET and DELETE. The official Python SDK and BitMart's own agent references sign GET requests with an
empty payload instead, and BitMart accepts them, so both are accepted for GET and DELETE.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

__all__ = ["payloads", "presign", "signature", "verify"]


def presign(timestamp: str, memo: str, payload: str) -> str:
    """The string BitMart signs: ``timestamp#memo#payload``."""
    return f"{timestamp}#{memo}#{payload}"


def signature(secret: str, timestamp: str, memo: str, payload: str) -> str:
    """The ``X-BM-SIGN`` value for ``payload``: lower-case hex HMAC-SHA256 of the pre-sign string."""
    message = presign(timestamp, memo, payload).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def payloads(method: str, url: str, content: bytes) -> tuple[str, ...]:
    """The payloads a correctly signed request may have signed, as the bytes were sent.

    Nothing is re-serialized: a body signed compact and sent spaced (or a query string signed in
    another order than sent) matches none of them, as at BitMart.
    """
    if method.upper() in {"GET", "DELETE"}:
        query = urlsplit(url).query
        return (query, "") if query else ("",)
    return (content.decode("utf-8", errors="replace"),)


def verify(sign: str, *, secret: str, timestamp: str, memo: str, candidates: tuple[str, ...]) -> bool:
    """Whether ``sign`` is the signature of one of ``candidates``, compared in constant time."""
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters, and a header may carry any.
    given = sign.encode("utf-8", errors="replace")
    return any(
        hmac.compare_digest(given, signature(secret, timestamp, memo, payload).encode()) for payload in candidates
    )
