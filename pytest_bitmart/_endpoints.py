"""BitMart's endpoint table: auth type, rate limit and family of each documented endpoint.

The table is data (``data/endpoints.tsv``), read on first use. Each row names the public capture of
BitMart's documentation it comes from (repository, path, commit); a test keeps the file equal to the
committed copies of those captures, so no number here is typed by hand.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Literal

__all__ = ["Auth", "Endpoint", "endpoints", "find"]

Auth = Literal["NONE", "KEYED", "SIGNED"]
Target = Literal["IP", "KEY", "UID"]

_AUTHS: tuple[Auth, ...] = ("NONE", "KEYED", "SIGNED")
_TARGETS: tuple[Target, ...] = ("IP", "KEY", "UID")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One documented BitMart endpoint and the limits BitMart's gate applies to it.

    ``limit`` requests per ``window`` seconds, counted per ``target`` (``IP``, ``KEY`` or ``UID``);
    all three are ``None`` where the source documents no limit.
    """

    method: str
    path: str
    auth: Auth
    limit: int | None
    window: int | None
    target: Target | None
    family: str
    repo: str
    source: str
    commit: str

    @property
    def permission(self) -> str:
        """The API-key permission BitMart requires: ``read``, ``trade`` or ``withdraw``."""
        if "withdraw" in self.path and self.method == "POST":
            return "withdraw"
        # Signed POSTs change state (orders, transfers, leverage), except the v4 queries.
        if self.auth == "SIGNED" and "/query/" not in self.path:
            return "trade"
        return "read"


def _row(fields: list[str]) -> Endpoint:
    method, path, auth, limit, window, target, family, repo, source, commit = fields
    if auth not in _AUTHS or (target and target not in _TARGETS):
        msg = f"endpoints.tsv: bad row {fields!r}"
        raise ValueError(msg)
    return Endpoint(
        method,
        path,
        auth,
        int(limit) if limit else None,
        int(window) if window else None,
        target or None,
        family,
        repo,
        source,
        commit,
    )


@functools.cache
def endpoints() -> tuple[Endpoint, ...]:
    """Every endpoint of the table, in the order of its sources."""
    text = resources.files("pytest_bitmart").joinpath("data/endpoints.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()[1:]  # the header names the columns
    return tuple(_row(line.split("\t")) for line in lines if line)


@functools.cache
def _by_route() -> dict[tuple[str, str], Endpoint]:
    return {(endpoint.method, endpoint.path): endpoint for endpoint in endpoints()}


def find(method: str, path: str) -> Endpoint | None:
    """The endpoint answering ``method`` ``path``, or ``None`` for one the table does not list."""
    return _by_route().get((method.upper(), path.rstrip("/") or "/"))
