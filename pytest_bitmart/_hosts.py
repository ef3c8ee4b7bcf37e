"""Which hosts are BitMart's: one answer for the firewall, the adapters and the ``bitmart_hosts`` ini option.

Standard library only: the firewall consults it on every name lookup in the run.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["BITMART_DOMAINS", "HostMatcher", "HostsError", "normalise", "parse_hosts"]

# BitMart's own domain, and the two alternatives ccxt's ``hostname`` option names for its users in
# Hong Kong (``'hostname': 'bitmart.com',  # bitmart.info, bitmart.news for Hong Kong users``); ccxt
# builds every URL as ``api-cloud.{hostname}``, ``api-cloud-v2.{hostname}``, ``ws-manager-compress.{hostname}``
# and so on, so each domain and every name under it is BitMart's.
BITMART_DOMAINS = ("bitmart.com", "bitmart.info", "bitmart.news")

# A DNS name (letters, digits, hyphens, the underscores some records use) or an IPv4/IPv6 literal.
_HOST_CHARS = re.compile(r"[a-z0-9_.:-]+")

_INI = "the bitmart_hosts ini option"


class HostsError(ValueError):
    """A ``bitmart_hosts`` entry that can never match what clients send; the message says the fix."""


def normalise(host: str | bytes) -> str:
    """``host`` as clients resolve it: lower-case, without a port, brackets or trailing dots.

    ``"API-Cloud.BitMart.com.:443"`` becomes ``"api-cloud.bitmart.com"``; an IPv6 literal keeps its colons.
    A non-ASCII name is IDNA-encoded, as ``socket.getaddrinfo`` does before resolving it: full-width
    letters and ideographic full stops name the same host as their ASCII forms.
    """
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not host.isascii():
        with contextlib.suppress(UnicodeError):  # not resolvable as written: matched as it is
            host = host.encode("idna").decode("ascii")
    host = host.strip().lower()
    if host.startswith("["):  # "[::1]" or "[::1]:443"
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:  # "name:port"; more colons is a bare IPv6 literal
        host = host.split(":", 1)[0]
    return host.rstrip(".")


class HostMatcher:
    """Whether a host is BitMart's: every name under BitMart's domains, plus the configured hosts.

    ``extra_hosts`` are entries already checked by :func:`parse_hosts`: a host name, or ``*.domain``
    for every name under ``domain``.
    """

    __slots__ = ("_exact", "_suffixes")

    def __init__(self, extra_hosts: Iterable[str] = ()) -> None:
        exact: set[str] = set()
        suffixes = [f".{domain}" for domain in BITMART_DOMAINS]
        exact.update(BITMART_DOMAINS)
        for entry in extra_hosts:
            if entry.startswith("*."):
                suffixes.append(normalise(entry[1:]))
            else:
                exact.add(normalise(entry))
        self._exact = frozenset(exact)
        self._suffixes = tuple(suffixes)

    def matches(self, host: object) -> bool:
        """Whether requests to ``host`` (any case, trailing dot or port) are BitMart's.

        Anything but a non-empty ``str`` or ``bytes`` is not (the socket functions reject it themselves).
        """
        if not host or not isinstance(host, (str, bytes)):
            return False
        name = normalise(host)
        return name in self._exact or name.endswith(self._suffixes)

    def __repr__(self) -> str:
        listed = sorted(self._exact) + sorted(f"*{suffix}" for suffix in self._suffixes)
        return f"HostMatcher({listed!r})"


def parse_hosts(entries: Iterable[str]) -> tuple[str, ...]:
    """Check the ``bitmart_hosts`` ini entries; returns them normalised, or raises :class:`HostsError`.

    A URL with nothing but a scheme and a host is taken as its host; a port, a path or any other wildcard
    than a leading ``*.`` is refused, since matching is by host name, on every port.
    """
    hosts = []
    for raw in entries:
        entry = raw.strip()
        if entry:
            hosts.append(_parse_host(entry))
    return tuple(hosts)


def _parse_host(entry: str) -> str:
    host = entry
    if "://" in entry:
        parts = urlsplit(entry)
        if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
            host = parts.hostname or ""
            raise HostsError(
                f"pytest-bitmart: {_INI}: {entry!r} is a URL with more than a host: requests are matched by "
                f"host name alone, so every request to that host is BitMart's whatever its path. Write the "
                f"host alone{_suggest(host)}."
            )
        host = parts.netloc
    name = normalise(host)
    bare = host.strip().lower().rstrip(".")
    if (bare.startswith("[") and "]:" in bare) or (not bare.startswith("[") and bare.count(":") == 1):
        raise HostsError(
            f"pytest-bitmart: {_INI}: {entry!r} has a port: hosts are matched on every port (a client "
            f"resolves the name, not the name and port), so a port would only suggest a narrower match "
            f"than the one made. Write the host alone{_suggest(name)}."
        )
    wildcard = name.startswith("*.")
    labels = name[2:] if wildcard else name
    if name == "*" or (wildcard and "." not in labels):
        raise HostsError(
            f"pytest-bitmart: {_INI}: {entry!r} would treat every host under a top-level domain as BitMart's. "
            f"Name the domain ('*.proxy.example.com') or list each host on its own line."
        )
    if "*" in labels:
        raise HostsError(
            f"pytest-bitmart: {_INI}: {entry!r} has a wildcard in the middle of a name: only a leading "
            f"'*.' is understood (every name under a domain, as in '*.proxy.example.com'). List each host "
            f"on its own line instead."
        )
    if not labels or not _HOST_CHARS.fullmatch(labels):
        raise HostsError(
            f"pytest-bitmart: {_INI}: {entry!r} is not a host name: write one host per line, such as "
            f"'proxy.example.com' or '*.proxy.example.com'."
        )
    return name


def _suggest(host: str) -> str:
    return f": {host!r}" if host else ""
