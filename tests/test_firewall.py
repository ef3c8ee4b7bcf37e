"""The firewall: no BitMart host is looked up or connected while it is installed, and no user patch is disturbed."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from pytest_bitmart import _firewall
from pytest_bitmart._hosts import HostMatcher
from pytest_bitmart._request import BitMartRequest

ORIGINAL_GETADDRINFO = socket.getaddrinfo


class RefusedError(ConnectionRefusedError):
    pass


class Recorder:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str]] = []

    def __call__(self, request: BitMartRequest, reason: str) -> BaseException:
        self.requests.append((request.method, request.url, reason))
        return RefusedError(f"{request.method} {request.url}")


@pytest.fixture
def refused() -> Iterator[Recorder]:
    recorder = Recorder()
    undo = _firewall.install(HostMatcher(["proxy.example"]), recorder)
    try:
        yield recorder
    finally:
        undo()


def _connect(address: tuple[str, int]) -> None:
    with socket.socket() as sock:
        sock.connect(address)


def _connect_ex(address: tuple[str, int]) -> None:
    with socket.socket() as sock:
        sock.connect_ex(address)


SOCKET_ROUTES: dict[str, Callable[[], object]] = {
    "getaddrinfo, trailing dot": lambda: socket.getaddrinfo("api-cloud.bitmart.com.", 443),
    "getaddrinfo, upper case, bytes": lambda: socket.getaddrinfo(b"API-CLOUD.BITMART.COM", "https"),
    "gethostbyname": lambda: socket.gethostbyname("www.bitmart.com"),
    "getaddrinfo, full-width and ideographic dot": lambda: socket.getaddrinfo(
        "\uff41\uff50\uff49-cloud.bitmart\u3002com", 443
    ),
    "gethostbyaddr": lambda: socket.gethostbyaddr("api-cloud.bitmart.com"),
    "gethostbyname_ex": lambda: socket.gethostbyname_ex("ws-manager-compress.bitmart.com"),
    "create_connection": lambda: socket.create_connection(("api-cloud.bitmart.info", 443), timeout=2),
    "socket.connect": lambda: _connect(("api-cloud.bitmart.com", 443)),
    "socket.connect_ex": lambda: _connect_ex(("api-cloud-v2.bitmart.news", 443)),
    "the bare domain": lambda: socket.getaddrinfo("bitmart.com", 80),
    "an ini host": lambda: socket.getaddrinfo("Proxy.Example.", 8080),
    "http.client": lambda: http.client.HTTPSConnection("api-cloud.bitmart.com.").request("GET", "/spot/v1/x"),
}


@pytest.mark.parametrize("route", SOCKET_ROUTES.values(), ids=SOCKET_ROUTES.keys())
def test_every_socket_route_to_a_bitmart_host_is_refused(refused: Recorder, route: Callable[[], object]) -> None:
    with pytest.raises(RefusedError):
        route()
    assert len(refused.requests) == 1


def test_http_client_is_refused_with_the_request_line(refused: Recorder) -> None:
    with pytest.raises(RefusedError):
        http.client.HTTPSConnection("api-cloud.bitmart.com", timeout=2).request("POST", "/spot/v2/submit_order")
    assert refused.requests == [
        ("POST", "https://api-cloud.bitmart.com:443/spot/v2/submit_order", _firewall.SOCKET_REASON)
    ]


def test_a_proxy_tunnel_or_absolute_url_to_bitmart_is_refused(refused: Recorder) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", 9, timeout=2)
    with pytest.raises(RefusedError):
        connection.set_tunnel("api-cloud.bitmart.com", 443)
    with pytest.raises(RefusedError):
        connection.set_tunnel("api-cloud.bitmart.com.:443")
    with pytest.raises(RefusedError):
        connection.putrequest("GET", "HTTP://api-cloud.bitmart.com/spot/v1/wallet")
    assert [request[:2] for request in refused.requests] == [
        ("CONNECT", "https://api-cloud.bitmart.com:443"),
        ("CONNECT", "https://api-cloud.bitmart.com.:443"),
        ("GET", "HTTP://api-cloud.bitmart.com/spot/v1/wallet"),
    ]
    assert [request[2] for request in refused.requests] == [
        _firewall.TUNNEL_REASON,
        _firewall.TUNNEL_REASON,
        _firewall.PROXY_REASON,
    ]


def test_other_hosts_and_lookalikes_are_left_alone(refused: Recorder) -> None:
    assert socket.getaddrinfo("localhost", 80)
    assert socket.gethostbyname("127.0.0.1") == "127.0.0.1"
    connection = http.client.HTTPConnection("127.0.0.1", 9)
    connection.set_tunnel("example.com", 443)
    for host in ("api-cloud.bitmart.com.evil", "bitmart.community", "notbitmart.com"):
        _firewall.check(host, 443, reason="unused")
    assert refused.requests == []


def test_a_wrong_argument_gets_the_socket_modules_own_error(refused: Recorder) -> None:
    with pytest.raises(TypeError, match="getaddrinfo"):
        socket.getaddrinfo(bytearray(b"api-cloud.bitmart.com"), 443)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        socket.gethostbyname(443)  # type: ignore[arg-type]
    assert refused.requests == []


def test_getaddrinfo_is_never_replaced_so_a_users_patch_and_its_undo_work(
    refused: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert socket.getaddrinfo is ORIGINAL_GETADDRINFO
    looked_up: list[object] = []

    def users_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        looked_up.append(host)
        return ORIGINAL_GETADDRINFO(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", users_getaddrinfo)
    # The user's wrapper runs, and the lookup under it is still refused.
    with pytest.raises(RefusedError):
        socket.create_connection(("api-cloud.bitmart.com", 443))
    assert looked_up == ["api-cloud.bitmart.com"]
    monkeypatch.undo()
    assert socket.getaddrinfo is ORIGINAL_GETADDRINFO


# Run in a fresh interpreter: in this one the plugin's own install is live for the whole run, so undoing
# a test's install never disarms the firewall here.
DISARM_SCRIPT = """
import http.client, socket
from pytest_bitmart import _firewall
from pytest_bitmart._hosts import HostMatcher

class Refused(ConnectionRefusedError):
    pass

seen = []
def recorder(name):
    def refuse(request, reason):
        seen.append((name, request.url))
        return Refused(request.url)
    return refuse

stdlib_set_tunnel = vars(http.client.HTTPConnection)["set_tunnel"]
stdlib_putrequest = vars(http.client.HTTPConnection)["putrequest"]

# Installs nest: the latest live one decides; undoing one twice is harmless.
undo_outer = _firewall.install(HostMatcher(), recorder("outer"))
undo_inner = _firewall.install(HostMatcher(["localhost"]), recorder("inner"))
for host in ("localhost", "api-cloud.bitmart.com"):
    try:
        socket.getaddrinfo(host, 443)
    except Refused:
        pass
undo_inner()
undo_inner()
assert socket.getaddrinfo("localhost", 443)  # not the outer install's business
try:
    socket.getaddrinfo("api-cloud.bitmart.com", 443)
except Refused:
    pass
assert seen == [
    ("inner", "https://localhost:443"),
    ("inner", "https://api-cloud.bitmart.com:443"),
    ("outer", "https://api-cloud.bitmart.com:443"),
], seen

# A patch made over ours is never overwritten, and ours under it goes quiet once disarmed.
ours = http.client.HTTPConnection.set_tunnel
def users_set_tunnel(self, *args, **kwargs):
    return ours(self, *args, **kwargs)
http.client.HTTPConnection.set_tunnel = users_set_tunnel
undo_outer()
assert http.client.HTTPConnection.set_tunnel is users_set_tunnel
http.client.HTTPConnection("127.0.0.1", 9).set_tunnel("api-cloud.bitmart.com", 443)
assert len(seen) == 3, seen

# Everything nobody patched over is back as it was.
assert vars(http.client.HTTPConnection)["putrequest"] is stdlib_putrequest
assert "connect" not in vars(socket.socket) and "connect_ex" not in vars(socket.socket)
print("ok")
"""


def test_installs_nest_and_a_patch_made_over_ours_is_never_overwritten() -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", DISARM_SCRIPT], capture_output=True, text=True, check=False
    )
    assert (result.stdout, result.stderr) == ("ok\n", "")


def test_a_refusal_returning_none_lets_the_request_through() -> None:
    seen: list[str] = []

    def let_through(request: BitMartRequest, _reason: str) -> None:
        seen.append(request.url)

    undo = _firewall.install(HostMatcher(), let_through)
    try:
        _firewall.check("api-cloud.bitmart.com", 443, reason="live")
    finally:
        undo()
    assert seen == ["https://api-cloud.bitmart.com:443"]


def test_aiohttp_and_httpx_are_patched_when_imported_after_the_install() -> None:
    script = """
import sys
from pytest_bitmart import _firewall
from pytest_bitmart._hosts import HostMatcher
undo = _firewall.install(HostMatcher(), lambda request, reason: ConnectionRefusedError(request.url))
assert "aiohttp" not in sys.modules and "httpx" not in sys.modules
import aiohttp, aiohttp.resolver, httpx
patched = [
    aiohttp.TCPConnector._create_connection, aiohttp.resolver.AsyncResolver.resolve,
    httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request,
]
print(sorted({function.__module__ for function in patched}))
assert aiohttp.connector.__loader__.__class__.__name__ == "SourceFileLoader"
undo()
print(sorted({function.__module__ for function in (
    aiohttp.TCPConnector._create_connection, httpx.HTTPTransport.handle_request)}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)  # noqa: S603
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "['pytest_bitmart._firewall']",
        "['aiohttp.connector', 'httpx._transports.default']",
    ]


def test_the_aiohttp_attribute_the_firewall_patches_exists_on_the_installed_release() -> None:
    import aiohttp.connector

    from pytest_bitmart import _internals

    reach = _internals.FIREWALL_AIOHTTP_CONNECTION
    assert reach in _internals.REACHES
    owner = getattr(aiohttp.connector, reach.owner)
    assert callable(getattr(owner, reach.attribute, None)), (
        f"aiohttp {aiohttp.__version__} has no {reach.module}.{reach.owner}.{reach.attribute}: {reach.why}"
    )


def test_a_users_getaddrinfo_patches_never_leak_past_their_own_undo(pytester: pytest.Pytester) -> None:
    """The two leak scenarios of 0.1.0: a test's own monkeypatch, and a session fixture's patch."""
    pytester.makeconftest(
        """
        import socket

        import pytest

        ORIGINAL = socket.getaddrinfo


        def sessions_getaddrinfo(*args, **kwargs):
            return ORIGINAL(*args, **kwargs)


        @pytest.fixture(scope="session")
        def patched_for_the_session():
            socket.getaddrinfo = sessions_getaddrinfo
            yield
            socket.getaddrinfo = ORIGINAL
        """
    )
    pytester.makepyfile(
        """
        import socket

        import pytest

        from conftest import ORIGINAL, sessions_getaddrinfo


        def users_getaddrinfo(*args, **kwargs):
            return ORIGINAL(*args, **kwargs)


        @pytest.mark.bitmart_error(50020)
        def test_patches_in_a_marked_test(monkeypatch, bitmart_mock):
            monkeypatch.setattr(socket, "getaddrinfo", users_getaddrinfo)
            with pytest.raises(OSError, match="was refused and not sent to BitMart"):
                socket.getaddrinfo("api-cloud.bitmart.com", 443)
            # The refusal is this test's own: it errors at teardown, as an armed test's refusals do.


        def test_a_later_unmarked_test_sees_the_original():
            assert socket.getaddrinfo is ORIGINAL


        @pytest.mark.bitmart_error(50020)
        def test_session_patch_first_used_by_a_marked_test(patched_for_the_session):
            assert socket.getaddrinfo is sessions_getaddrinfo


        def test_the_session_patch_outlives_the_marked_test(patched_for_the_session):
            assert socket.getaddrinfo is sessions_getaddrinfo
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_patches_in_a_marked_test*"])


def test_an_armed_test_refuses_clients_the_plugin_does_not_answer(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import http.client
        import socket
        import urllib.request

        import pytest

        ORIGINAL = socket.getaddrinfo

        @pytest.mark.bitmart_error(50020)
        def test_urllib():
            urllib.request.urlopen("https://api-cloud.bitmart.com/spot/v1/wallet", timeout=2)

        @pytest.mark.bitmart_error(50020)
        def test_http_client_swallowed():
            try:
                http.client.HTTPSConnection("api-cloud-v2.bitmart.com", timeout=2).request("GET", "/")
            except Exception:
                pass

        @pytest.mark.bitmart_error(50020)
        def test_other_hosts_still_resolve():
            assert socket.getaddrinfo("localhost", 80)

        def test_getaddrinfo_was_never_replaced():
            assert socket.getaddrinfo is ORIGINAL
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=3, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*::test_http_client_swallowed: 1 BitMart request(s) were refused and not sent:",
            "  GET https://api-cloud-v2.bitmart.com:443/ headers={}",
            f"    during test *::test_http_client_swallowed: {_firewall.SOCKET_REASON}",
        ]
    )
