"""A network audit for pytester runs: records, and blocks, every BitMart lookup or connection below the plugin.

Whatever gets past pytest-bitmart reaches this audit: it raises ``ConnectionRefusedError`` (so nothing
leaves the machine even when the plugin is wrong) and reports it at the end of the run, so a test can pin
"zero BitMart lookups or connects" across a whole run, armed tests, unmarked tests and every phase.

It watches the same audit events the firewall does (``socket.getaddrinfo``, ``socket.gethostbyname`` for
``gethostbyname_ex`` too, ``socket.gethostbyaddr``, ``socket.connect``, ``socket.sendto``), through an audit hook added after the
firewall's (audit hooks run in order; the first that raises stops the event, so it only sees what the
firewall let through), and c-ares, which resolves in C: ``aiodns.DNSResolver`` and
``pycares.Channel`` lookups, wrapped when the run starts (aiohttp's ``AsyncResolver`` uses them).

Use it in a pytester run::

    AUDIT = (Path(__file__).parent / "audit.py").read_text()

    def test_x(pytester):
        pytester.makepyfile(audit=AUDIT)
        pytester.syspathinsert()
        result = pytester.runpytest("-p", "audit")
        result.stdout.fnmatch_lines(["network audit: 0 BitMart lookups or connects"])

Each one found is listed below that line as ``network audit: <what> <host>``. Its text can also be the
run's ``conftest.py`` (``pytester.makeconftest(AUDIT)``, or appended to one). Under pytest-xdist
(``-n 2``) each worker audits itself and the controller's line sums them up. The audit hook is added once
per process (hooks cannot be removed) and records only while a run that loaded this module is going on.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from pytest_bitmart import _firewall
from pytest_bitmart._hosts import HostMatcher, parse_hosts

# One list per process, on the sys module so that a pytester run importing this file again finds it.
_STATE = "_pytest_bitmart_network_audit"


class _Audit:
    def __init__(self) -> None:
        self.recording = False
        self.matcher = HostMatcher()
        self.found: list[str] = []
        self.lock = threading.Lock()

    def note(self, what: str, host: object) -> None:
        if self.recording and self.matcher.matches(host if isinstance(host, (str, bytes)) else None):
            with self.lock:
                self.found.append(f"{what} {host!r}")
            raise ConnectionRefusedError(f"network audit: blocked {what} {host!r}")

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.recording or not event.startswith("socket."):
            return
        if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
            self.note(event.removeprefix("socket."), args[0])
        elif event in ("socket.connect", "socket.sendto") and isinstance(args[1], tuple) and args[1]:
            self.note(event.removeprefix("socket."), args[1][0])


def _audit() -> _Audit:
    audit: _Audit | None = getattr(sys, _STATE, None)
    if audit is None:
        audit = _Audit()
        _firewall.hook_audit()  # the firewall's hook first: this one sees only what gets past it
        sys.addaudithook(audit.hook)
        setattr(sys, _STATE, audit)
    return audit


def _wrap(owner: Any, name: str, audit: _Audit, undo: list[Callable[[], None]]) -> None:
    previous = owner.__dict__[name]

    def lookup(self: Any, host: Any, *args: Any, **kwargs: Any) -> Any:
        audit.note(f"c-ares {name}", host)
        return previous(self, host, *args, **kwargs)

    setattr(owner, name, lookup)
    undo.append(lambda: setattr(owner, name, previous))


_UNDO = pytest.StashKey[list[Callable[[], None]]]()


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    audit = _audit()
    with audit.lock:
        audit.found.clear()
    audit.matcher = HostMatcher(parse_hosts(config.getini("bitmart_hosts")))
    undo: list[Callable[[], None]] = []
    try:
        import aiodns
        import pycares
    except ImportError:
        pass
    else:
        for name in ("getaddrinfo", "gethostbyname", "query"):
            _wrap(aiodns.DNSResolver, name, audit, undo)
        for name in ("getaddrinfo", "query"):
            _wrap(pycares.Channel, name, audit, undo)
    config.stash[_UNDO] = undo
    audit.recording = True


_OUTPUT = "pytest_bitmart_network_audit"


def pytest_sessionfinish(session: pytest.Session) -> None:
    # An xdist worker hands what it found to the controller, which reports for the whole run.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        audit = _audit()
        with audit.lock:
            workeroutput[_OUTPUT] = list(audit.found)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    audit = _audit()
    with audit.lock:
        audit.found.extend(getattr(node, "workeroutput", {}).get(_OUTPUT, []))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    audit = _audit()
    with audit.lock:
        found = list(audit.found)
    terminalreporter.write_line(f"network audit: {len(found)} BitMart lookups or connects")
    for line in found:
        terminalreporter.write_line(f"network audit: {line}")


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    _audit().recording = False
    for undo in reversed(config.stash.get(_UNDO, [])):
        undo()
