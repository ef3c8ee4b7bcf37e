"""The BitMart firewall: from configure to unconfigure, no BitMart host is looked up or connected.

The adapters answer BitMart requests on requests, httpx and aiohttp above their transports. Whatever gets
past them (another client, a host spelt another way, a proxy, a redirect) meets this module, installed once
for the run and consulted by each layer it watches:

- an audit hook (``sys.addaudithook``) refuses the ``socket.getaddrinfo``, ``socket.gethostbyname`` (and
  ``_ex``), ``socket.gethostbyaddr`` (``getfqdn``), ``socket.connect`` and ``socket.sendto`` events for a
  BitMart host. The events are raised inside the C functions, before any packet, for every Python caller:
  urllib, urllib3, ``http.client``, asyncio, anyio, a user's own wrapper of ``socket.getaddrinfo``. So
  ``socket.getaddrinfo`` itself is never replaced, and a user's patch of it, and its undo, work as they
  would without the plugin. An audit hook cannot be removed: it does nothing once the last install is undone.
- ``socket.socket.connect`` and ``connect_ex`` refuse a ``(BitMart host, port)`` address before the C code
  resolves it (the ``socket.connect`` event comes after that lookup).
- ``http.client.HTTPConnection.set_tunnel`` refuses a proxy tunnel to BitMart (the proxy, not BitMart, is
  what the socket layer sees), and ``putrequest`` refuses an absolute BitMart URL sent to a plain-http proxy.
  urllib's opener and urllib3 (whose overrides call these) go through them.
- aiohttp: ``TCPConnector._create_connection`` (every connection: direct, through a proxy, each hop of a
  redirect, the connector used on its own) and ``AsyncResolver.resolve`` (c-ares, which resolves in C and
  raises no audit event). httpx: ``HTTPTransport.handle_request`` and ``AsyncHTTPTransport.
  handle_async_request``, where a proxy's tunnel is opened by httpcore itself. Both are patched when the
  library is imported (an import hook), so a run that never imports them never loads them.

Each patch is made once, when the first install arms the firewall, and taken back when the last install is
undone, and only if it is still ours: a user's later patch on top of it is never overwritten, and our
wrapper under it does nothing once disarmed. IP literals cannot be recognised as BitMart's, and requests
from subprocesses or from non-Python code are out of reach.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._hosts import HostMatcher

if TYPE_CHECKING:
    import http.client

    from ._request import BitMartRequest

__all__ = ["OWN_ROUTE_HEADER", "Refuse", "check", "guard_after_run", "hook_audit", "install"]

Refuse = Callable[["BitMartRequest", str], "BaseException | None"]
"""Given a refused request and the reason, record it and return the exception to raise (None lets it pass)."""

# The header the aiohttp adapter puts on the requests it sends to its own loopback server, through that
# server as a proxy: those are answered on this machine, so the connector lets them through.
OWN_ROUTE_HEADER = "X-Pytest-Bitmart-Route"

SOCKET_REASON = (
    "it was made below the clients pytest-bitmart answers (urllib, urllib3 or http.client used directly, "
    "a raw socket, another library, or a host written in a form the client adapters do not recognise), "
    "and the firewall refused to look up or connect to the BitMart host"
)
TUNNEL_REASON = "it asked a proxy to open a tunnel (CONNECT) to BitMart, and the firewall refused it"
PROXY_REASON = "it sent a BitMart URL to a plain-http proxy, and the firewall refused it"
CLIENT_REASON = (
    "the client tried to connect to BitMart itself (a redirect, a proxy, a connector or transport used "
    "on its own, or a host form its adapter does not recognise), and the firewall refused it"
)

_MISSING = object()


@dataclass(frozen=True, eq=False)
class _Install:
    matcher: HostMatcher
    refuse: Refuse


# Live installs, innermost last (a pytester run inside a test installs its own on top of the outer run's).
_installs: list[_Install] = []
_lock = threading.RLock()
# (owner, attribute, what the owner's own __dict__ held before, our wrapper): undone in reverse order.
_patches: list[tuple[Any, str, Any, Any]] = []
_audit_hooked = False


def install(matcher: HostMatcher, refuse: Refuse) -> Callable[[], None]:
    """Refuse every lookup of and connection to a host ``matcher`` calls BitMart's until the undo is called.

    ``refuse`` is called for each refused request with the reason; the exception it returns is raised to
    the client (``None`` lets the request through, for a deliberate live test). Installs nest: the latest
    live one decides.
    """
    entry = _Install(matcher, refuse)
    with _lock:
        _installs.append(entry)
        if len(_installs) == 1:
            _arm()

    def undo() -> None:
        with _lock:
            if entry in _installs:
                _installs.remove(entry)
                if not _installs:
                    _disarm()

    return undo


def guard_after_run(matcher: HostMatcher) -> None:
    """Once the outermost run has ended, go on refusing BitMart hosts for what still runs in the process.

    An ``atexit`` handler or a thread left running would otherwise reach the exchange after pytest
    unconfigured the plugin. Nothing is reported any more, so the refusal's message says it all. A run
    nested in another (pytester) leaves the decision to the outer run's firewall.
    """
    with _lock:
        if _installs:
            return
    install(matcher, _refused_after_run)


def _refused_after_run(request: BitMartRequest, reason: str) -> BaseException:
    from ._router import RequestRefusedError

    return RequestRefusedError(
        f"pytest-bitmart: {request.method} {request.url} was not sent to BitMart: the pytest run had ended "
        f"(an atexit handler, or a thread still running); {reason}"
    )


def check(
    host: str | bytes | None,
    port: object = None,
    *,
    reason: str,
    method: str = "CONNECT",
    url: str | None = None,
) -> None:
    """Raise the current install's refusal if ``host`` is BitMart's; do nothing otherwise or when disarmed."""
    try:
        current = _installs[-1]
    except IndexError:
        return
    if not current.matcher.matches(host):
        return
    __tracebackhide__ = True
    from ._request import BitMartRequest  # loaded by the first refusal, not by every run

    error = current.refuse(BitMartRequest(method, url or _connect_url(host, port), {}), reason)
    if error is not None:
        raise error


def _connect_url(host: str | bytes | None, port: object) -> str:
    name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    if isinstance(port, bytes):
        port = port.decode("ascii", "replace")
    if port is None:
        return f"https://{name}"
    scheme = "http" if str(port) in ("80", "http") else "https"
    return f"{scheme}://{name}:{port}"


# The socket layer -------------------------------------------------------------------------------------


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _installs or not event.startswith("socket."):
        return  # the cheap exit, taken by every other event in the process
    if event == "socket.getaddrinfo":
        check(args[0], args[1], reason=SOCKET_REASON)
    elif event in ("socket.gethostbyname", "socket.gethostbyaddr"):  # the latter resolves a name too
        check(args[0], None, reason=SOCKET_REASON)
    elif event in ("socket.connect", "socket.sendto"):
        _check_address(args[1])


def _check_address(address: object) -> None:
    if isinstance(address, tuple) and len(address) >= 2 and isinstance(address[0], (str, bytes)):
        check(address[0], address[1], reason=SOCKET_REASON)


def _socket_connect(previous: Callable[..., Any]) -> Callable[..., Any]:
    def connect(self: socket.socket, address: Any, /) -> Any:
        _check_address(address)
        return previous(self, address)

    return connect


# http.client (urllib, urllib3) -----------------------------------------------------------------------


def _set_tunnel(previous: Callable[..., Any]) -> Callable[..., Any]:
    def set_tunnel(self: http.client.HTTPConnection, host: str, *args: Any, **kwargs: Any) -> Any:
        check(host, args[0] if args else kwargs.get("port"), reason=TUNNEL_REASON)
        return previous(self, host, *args, **kwargs)

    return set_tunnel


def _putrequest(previous: Callable[..., Any], https: type) -> Callable[..., Any]:
    def putrequest(self: http.client.HTTPConnection, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if url[:8].lower().startswith(("http://", "https://")):  # absolute form: sent to a proxy
            check(urlsplit(url).hostname, None, reason=PROXY_REASON, method=method, url=url)
        elif getattr(self, "_tunnel_host", None) is None:
            # A direct connection: refused here with the request's method and path, before connect().
            scheme = "https" if isinstance(self, https) else "http"
            full = f"{scheme}://{self.host}:{self.port}{url}"
            check(self.host, self.port, reason=SOCKET_REASON, method=method, url=full)
        return previous(self, method, url, *args, **kwargs)

    return putrequest


# aiohttp and httpx, patched on import ----------------------------------------------------------------


def _aiohttp_create_connection(previous: Callable[..., Any]) -> Callable[..., Any]:
    async def _create_connection(self: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        if req.proxy is None or OWN_ROUTE_HEADER not in req.headers:
            check(req.url.host, req.url.port, reason=CLIENT_REASON, method=req.method, url=str(req.url))
        return await previous(self, req, *args, **kwargs)

    return _create_connection


def _aiohttp_resolve(previous: Callable[..., Any]) -> Callable[..., Any]:
    async def resolve(self: Any, host: str, *args: Any, **kwargs: Any) -> Any:
        check(host, args[0] if args else kwargs.get("port"), reason=CLIENT_REASON)
        return await previous(self, host, *args, **kwargs)

    return resolve


def _httpx_handle(previous: Callable[..., Any]) -> Callable[..., Any]:
    def handle_request(self: Any, request: Any) -> Any:
        url = request.url
        check(url.host, url.port, reason=CLIENT_REASON, method=request.method, url=str(url))
        return previous(self, request)

    return handle_request


def _httpx_handle_async(previous: Callable[..., Any]) -> Callable[..., Any]:
    async def handle_async_request(self: Any, request: Any) -> Any:
        url = request.url
        check(url.host, url.port, reason=CLIENT_REASON, method=request.method, url=str(url))
        return await previous(self, request)

    return handle_async_request


def _patch_http_client(module: ModuleType) -> None:
    _patch(module.HTTPConnection, "set_tunnel", _set_tunnel)
    # The module's own HTTPSConnection, bound here: a later import of http.client brings other classes.
    _patch(module.HTTPConnection, "putrequest", lambda previous: _putrequest(previous, module.HTTPSConnection))


def _patch_aiohttp_connector(module: ModuleType) -> None:
    from ._internals import FIREWALL_AIOHTTP_CONNECTION  # loaded once aiohttp is

    reach = FIREWALL_AIOHTTP_CONNECTION
    _patch(getattr(module, reach.owner), reach.attribute, _aiohttp_create_connection)


def _patch_aiohttp_resolver(module: ModuleType) -> None:
    _patch(module.AsyncResolver, "resolve", _aiohttp_resolve)


def _patch_httpx(module: ModuleType) -> None:
    _patch(module.HTTPTransport, "handle_request", _httpx_handle)
    _patch(module.AsyncHTTPTransport, "handle_async_request", _httpx_handle_async)


# Module name -> what to patch once it has been executed. http.client too: a run that never imports it
# (none of its tests use requests or urllib) does not pay for loading it and ssl.
_ON_IMPORT: dict[str, Callable[[ModuleType], None]] = {
    "http.client": _patch_http_client,
    "aiohttp.connector": _patch_aiohttp_connector,
    "aiohttp.resolver": _patch_aiohttp_resolver,
    "httpx": _patch_httpx,
}


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: hands the modules of ``_ON_IMPORT`` a loader that patches them once executed."""

    def __init__(self) -> None:
        # Names being looked up by this thread: another finder of this kind (a second copy of this module
        # in a pytester run, or the client adapters' own) asks the meta path again, and must not loop.
        self._busy = threading.local()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        patch = _ON_IMPORT.get(fullname)
        busy: set[str] = self._busy.__dict__.setdefault("names", set())
        if patch is None or fullname in busy:
            return None
        busy.add(fullname)
        try:
            spec = _find_elsewhere(self, fullname, path, target)
        finally:
            busy.discard(fullname)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _PatchingLoader(spec.loader, patch)
        return spec


def _find_elsewhere(
    me: object, fullname: str, path: Sequence[str] | None, target: ModuleType | None
) -> importlib.machinery.ModuleSpec | None:
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if finder is not me and find_spec is not None:
            spec: importlib.machinery.ModuleSpec | None = find_spec(fullname, path, target)
            if spec is not None:
                return spec
    return None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, patch: Callable[[ModuleType], None]) -> None:
        self._loader = loader
        self._patch = patch

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        created: ModuleType | None = self._loader.create_module(spec)
        return created

    def exec_module(self, module: ModuleType) -> None:
        # The module keeps its real loader (importlib.resources and friends look at it).
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        module.__loader__ = self._loader
        self._loader.exec_module(module)
        with _lock:
            if _installs:
                self._patch(module)


_finder = _PatchOnImport()


# Arming and disarming ---------------------------------------------------------------------------------


def _patch(owner: Any, name: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    wrapper = wrap(getattr(owner, name))
    _patches.append((owner, name, owner.__dict__.get(name, _MISSING), wrapper))
    setattr(owner, name, wrapper)


def hook_audit() -> None:
    """Add the firewall's audit hook now if it is not there yet (it is otherwise added on the first install).

    Audit hooks run in the order they were added, and the first that raises stops the event: a hook that
    must only see what gets past the firewall (a test's network audit) calls this before adding its own.
    """
    global _audit_hooked  # noqa: PLW0603 - one hook per process, and it can never be removed
    with _lock:
        if not _audit_hooked:
            sys.addaudithook(_audit)
            _audit_hooked = True


def _arm() -> None:
    hook_audit()
    _patch(socket.socket, "connect", _socket_connect)
    _patch(socket.socket, "connect_ex", _socket_connect)
    for name, patch in _ON_IMPORT.items():
        module = sys.modules.get(name)
        if module is not None:
            patch(module)
    sys.meta_path.insert(0, _finder)


def _disarm() -> None:
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    while _patches:
        owner, name, before, wrapper = _patches.pop()
        if owner.__dict__.get(name) is not wrapper:
            continue  # patched again since, by someone else: theirs stays, ours under it does nothing now
        if before is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, before)
