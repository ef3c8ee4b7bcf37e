"""The per-test install of 0.1.0, kept for ``_activation`` until the run-wide router installs the firewall.

It arms :mod:`._firewall` for one test's mock: the mock's hosts (and every BitMart domain) are refused
at the socket layer, with the mock recording each refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from . import _firewall
from ._hosts import HostMatcher, HostsError, parse_hosts
from ._mock import BitMartMock

__all__ = ["install"]


def install(mock: BitMartMock) -> Callable[[], None]:
    """Refuse to look up or connect to BitMart hosts for ``mock``'s test until the returned undo is called."""
    return _firewall.install(HostMatcher(_usable(mock.hosts)), mock.refuse)


def _usable(hosts: Iterable[str]) -> Iterator[str]:
    # The run-wide install refuses a bad bitmart_hosts entry when the run starts; this shim skips it.
    for host in hosts:
        yield from _parsed(host)


def _parsed(host: str) -> tuple[str, ...]:
    try:
        return parse_hosts([host])
    except HostsError:
        return ()
