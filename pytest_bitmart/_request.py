"""A request as a client sent it to a BitMart host, with its secrets masked wherever it is shown.

Kept apart from the rules: the client adapters build these for every request, and loading them must not
load the catalog (a run where another plugin imports requests installs the adapter without arming a rule).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

__all__ = ["MASK", "BitMartRequest", "mask_headers"]

# Credentials a signed request carries; never printed in a failure, a repr or an assertion diff.
# X-BM-TIMESTAMP is not one: it is public (it is sent in clear and expires within a minute) and helps debugging.
_SECRET_HEADERS = frozenset({"x-bm-key", "x-bm-sign"})
MASK = "***"


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with the API key and signature replaced by ``***``."""
    return {key: MASK if key.lower() in _SECRET_HEADERS else value for key, value in headers.items()}


class _Secret(str):
    """A header value that equals, hashes and encodes as the raw text but shows as ``***`` in any repr.

    pytest prints reprs (``-l`` locals, ``-vv`` diffs item by item, failure reports), so a repr that masks
    is what keeps a key out of its output, while a test can still compute a signature from the value.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)


class _Headers(Mapping[str, str]):
    """Request headers whose repr masks the secrets, their values included one by one."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = {key: _header_value(key, value) for key, value in items.items()}

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return repr(mask_headers(self._items))

    def find(self, name: str) -> str | None:
        """The value of header ``name``, looked up case-insensitively (on the plain dict: every request asks)."""
        wanted = name.lower()
        for key, value in self._items.items():
            if key.lower() == wanted:
                return value
        return None


def _header_value(name: str, value: str | bytes) -> str:
    # requests lets a header value be bytes; HTTP sends it as Latin-1, so that is the text it stands for.
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    return _Secret(text) if name.lower() in _SECRET_HEADERS else text


@dataclass(frozen=True, slots=True)
class BitMartRequest:
    """A request a client sent to a BitMart host, as the plugin saw it.

    ``headers`` holds the raw values (a test may check a signature with them); its repr, and so the
    request's, shows ``X-BM-KEY`` and ``X-BM-SIGN`` as ``***``.
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    host: str = field(init=False)
    """The host name, lower-case, without port."""
    path: str = field(init=False)
    """The URL path, without the query string."""

    def __post_init__(self) -> None:
        # Parsed once here: every armed rule compares against them.
        parts = urlsplit(self.url)
        object.__setattr__(self, "host", (parts.hostname or "").lower())
        object.__setattr__(self, "path", parts.path or "/")
        object.__setattr__(self, "headers", _Headers(self.headers))

    def header(self, name: str) -> str | None:
        """The value of header ``name``, looked up case-insensitively."""
        return cast("_Headers", self.headers).find(name)  # wrapped in __post_init__

    def json(self) -> Any:
        """The body parsed as JSON; raises ``ValueError`` when it is empty or not JSON."""
        if not self.content:
            raise ValueError(f"{self.method} {self.url} has no body")
        return json.loads(self.content)

    def __repr__(self) -> str:
        return (
            f"BitMartRequest(method={self.method!r}, url={self.url!r}, headers={self.headers!r}, "
            f"content={self.content!r})"
        )
