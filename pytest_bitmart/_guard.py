"""The per-test install of 0.1.0, kept for ``_activation`` until the run-wide router installs the firewall.

It arms :mod:`._firewall` for one test's mock: the mock's hosts (and every BitMart domain) are refused
at the socket layer, with the mock recording each refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from . import _firewall
from ._hosts import HostMatcher
from ._mock import BitMartMock

__all__ = ["install"]


def install(mock: BitMartMock) -> Callable[[], None]:
    """Refuse to look up or connect to BitMart hosts for ``mock``'s test until the returned undo is called."""
    return _firewall.install(HostMatcher(mock.hosts), mock.refuse)
