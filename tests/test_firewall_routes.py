"""Every route to BitMart that leaked on 0.1.0, through the real clients: refused, and the network audit sees none.

The inner runs install the firewall at configure with a recording callback of their own (what the run-wide
router does for the plugin), load the network audit (``tests/audit.py``), and put a recording proxy in
``HTTP_PROXY``/``HTTPS_PROXY`` where a route goes through one.
"""

from __future__ import annotations

from pathlib import Path

# Imported by this run, so that the inner runs share these modules (patched once) rather than each
# importing fresh copies.
import aiohttp
import aiohttp.resolver  # noqa: F401
import httpx  # noqa: F401
import pytest
import requests  # noqa: F401
import urllib3  # noqa: F401

HERE = Path(__file__).parent
AUDIT = (HERE / "audit.py").read_text()
LOCAL_SERVER = (HERE / "local_server.py").read_text()

CONFTEST = (
    LOCAL_SERVER
    + '''

import os
import socketserver

from pytest_bitmart import _firewall
from pytest_bitmart._hosts import HostMatcher, parse_hosts

REFUSED = []


def refuse(request, reason):
    REFUSED.append(f"{request.method} {request.url}")
    return ConnectionRefusedError(f"refused by the firewall: {request.method} {request.url}")


# trylast: on top of the plugin's own install, so that what reaches the firewall comes here.
@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    hosts = parse_hosts(config.getini("bitmart_hosts"))
    config.stash[UNDO] = _firewall.install(HostMatcher(hosts), refuse)


def pytest_unconfigure(config):
    config.stash[UNDO]()


UNDO = pytest.StashKey()


class ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.server.lines.append(self.rfile.readline().decode().strip())
        self.wfile.write(b"HTTP/1.1 403 Forbidden\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")


class RedirectHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.rfile.readline()
        self.wfile.write(
            b"HTTP/1.1 302 Found\\r\\nLocation: https://api-cloud.bitmart.com./spot/v1/wallet\\r\\n"
            b"Content-Length: 0\\r\\nConnection: close\\r\\n\\r\\n"
        )


def serve(handler):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.lines = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def proxy(monkeypatch):
    server = serve(ProxyHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, url)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield server.lines
    server.shutdown()
    server.server_close()


@pytest.fixture
def redirect_url():
    server = serve(RedirectHandler)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# The firewall's refusal (this conftest's callback), or the plugin's own for a request its client
# adapters refused before it reached the firewall.
REFUSALS = ("refused by the firewall", "was refused and not sent to BitMart", "was not sent to BitMart")


def refused(error):
    """Whether a refusal is the error or its cause, however the client wrapped it."""
    seen = error
    while seen is not None:
        if any(refusal in str(seen) or refusal in repr(seen) for refusal in REFUSALS):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
'''
)

# aiohttp picks c-ares when aiodns is installed, the thread pool's getaddrinfo otherwise.
WITHOUT_AIODNS = """

@pytest.fixture(autouse=True)
def without_aiodns(monkeypatch):
    import aiohttp.connector
    import aiohttp.resolver

    monkeypatch.setattr(aiohttp.resolver, "DefaultResolver", aiohttp.resolver.ThreadedResolver)
    monkeypatch.setattr(aiohttp.connector, "DefaultResolver", aiohttp.resolver.ThreadedResolver)
"""

ROUTES = """
import asyncio
import http.client
import os
import socket
import threading
import urllib.request

import aiohttp
import httpx
import pytest
import requests
import urllib3

import conftest

BITMART = "https://api-cloud.bitmart.com./spot/v1/wallet"


def expect_refusal(call):
    with pytest.raises(Exception) as raised:
        call()
    assert conftest.refused(raised.value), repr(raised.value)


def run(coroutine):
    return asyncio.run(coroutine)


try:
    urllib.request.urlopen(BITMART, timeout=2)
except Exception as error:
    AT_COLLECTION = error


def test_a_request_while_collecting_was_refused():
    assert conftest.refused(AT_COLLECTION)


@pytest.fixture(scope="module")
def module_scoped():
    expect_refusal(lambda: socket.getaddrinfo("api-cloud.bitmart.com", 443))
    yield
    expect_refusal(lambda: socket.getaddrinfo("api-cloud.bitmart.com", 443))


def test_module_scoped_fixture(module_scoped):
    pass


LEFT_RUNNING = {"go": threading.Event(), "errors": []}


def test_starts_a_thread_that_outlives_it():
    def poll():
        LEFT_RUNNING["go"].wait(5)
        try:
            socket.getaddrinfo("api-cloud.bitmart.com", 443)
        except Exception as error:
            LEFT_RUNNING["errors"].append(error)

    LEFT_RUNNING["thread"] = threading.Thread(target=poll)
    LEFT_RUNNING["thread"].start()


def test_the_thread_was_refused_after_its_test_ended():
    LEFT_RUNNING["go"].set()
    LEFT_RUNNING["thread"].join(5)
    assert [conftest.refused(error) for error in LEFT_RUNNING["errors"]] == [True]


def test_sockets():
    expect_refusal(lambda: socket.getaddrinfo("api-cloud.bitmart.com", 443))
    expect_refusal(lambda: socket.gethostbyname("api-cloud.bitmart.com"))
    expect_refusal(lambda: socket.gethostbyname_ex("api-cloud.bitmart.com"))
    expect_refusal(lambda: socket.create_connection(("api-cloud.bitmart.com", 443), timeout=2))

    def connect():
        with socket.socket() as sock:
            sock.connect(("api-cloud.bitmart.com", 443))

    expect_refusal(connect)


@pytest.mark.parametrize("host", ["www.bitmart.com", "ws-manager-compress.bitmart.com", "api-cloud.bitmart.info"])
def test_other_bitmart_hosts(host):
    expect_refusal(lambda: requests.get(f"https://{host}/", timeout=2))
    expect_refusal(lambda: httpx.get(f"https://{host}/"))
    expect_refusal(lambda: urllib.request.urlopen(f"https://{host}/", timeout=2))


def test_trailing_dot_on_every_client():
    expect_refusal(lambda: requests.get(BITMART, timeout=2))
    expect_refusal(lambda: httpx.get(BITMART))
    expect_refusal(lambda: urllib.request.urlopen(BITMART, timeout=2))
    expect_refusal(lambda: urllib3.PoolManager().request("GET", BITMART, retries=False))
    expect_refusal(lambda: http.client.HTTPSConnection("api-cloud.bitmart.com.", timeout=2).request("GET", "/"))

    async def httpx_async():
        async with httpx.AsyncClient() as client:
            await client.get(BITMART)

    async def aiohttp_get():
        async with aiohttp.ClientSession() as session:
            await session.get(BITMART)

    expect_refusal(lambda: run(httpx_async()))
    expect_refusal(lambda: run(aiohttp_get()))


def test_aiohttp_redirect_and_bare_connector(redirect_url):
    async def redirected():
        async with aiohttp.ClientSession() as session:
            await session.get(redirect_url)

    async def bare_connector():
        connector = aiohttp.TCPConnector()
        try:
            request = aiohttp.ClientRequest("GET", aiohttp.client.URL("https://api-cloud.bitmart.com/"), loop=asyncio.get_running_loop())
            await connector.connect(request, [], aiohttp.ClientTimeout(total=2))
        finally:
            await connector.close()

    async def resolver():
        await aiohttp.resolver.DefaultResolver().resolve("api-cloud.bitmart.com", 443)

    expect_refusal(lambda: run(redirected()))
    expect_refusal(lambda: run(bare_connector()))
    expect_refusal(lambda: run(resolver()))


def test_through_a_proxy(proxy):
    class Session(requests.Session):
        def get_adapter(self, url):
            return requests.adapters.HTTPAdapter()

    proxy_url = os.environ["HTTPS_PROXY"]
    # urlopen() keeps the opener of its first call: a new one reads the proxy settings now.
    opener = urllib.request.build_opener()
    # The clients do use the proxy: another host's tunnel and plain request reach it.
    with pytest.raises(Exception):
        opener.open("https://other.example/", timeout=2)
    with pytest.raises(Exception):
        opener.open("http://other.example/", timeout=2)
    assert [line.rsplit(" ", 1)[0] for line in proxy] == ["CONNECT other.example:443", "GET http://other.example/"]

    expect_refusal(lambda: opener.open("https://api-cloud.bitmart.com/x", timeout=2))
    expect_refusal(lambda: opener.open("http://api-cloud.bitmart.com/x", timeout=2))
    expect_refusal(lambda: urllib3.ProxyManager(proxy_url).request("GET", "https://api-cloud.bitmart.com/", retries=False))
    expect_refusal(lambda: urllib3.ProxyManager(proxy_url).request("GET", "http://api-cloud.bitmart.com/", retries=False))
    expect_refusal(lambda: Session().get("https://api-cloud.bitmart.com/x", timeout=2))
    expect_refusal(lambda: httpx.get("https://api-cloud.bitmart.com./x"))

    async def aiohttp_get():
        async with aiohttp.ClientSession(trust_env=True) as session:
            await session.get("https://api-cloud.bitmart.com./x")

    expect_refusal(lambda: run(aiohttp_get()))
    # None of them asked the proxy for BitMart.
    assert [line.rsplit(" ", 1)[0] for line in proxy] == ["CONNECT other.example:443", "GET http://other.example/"]


@pytest.mark.bitmart_error(50020)
def test_armed_trailing_dot_is_answered_or_refused():
    for get in (lambda: requests.get(BITMART, timeout=2), lambda: httpx.get(BITMART)):
        try:
            assert get().json()["code"] == 50020
        except Exception as error:
            assert conftest.refused(error), repr(error)
    expect_refusal(lambda: urllib.request.urlopen(BITMART, timeout=2))


def test_other_hosts_keep_working(local_server):
    assert requests.get(local_server.url + "/requests").text == "from the local server"
    assert httpx.get(local_server.url + "/httpx").text == "from the local server"
    assert urllib.request.urlopen(local_server.url + "/urllib").read() == b"from the local server"

    async def aiohttp_get():
        async with aiohttp.ClientSession() as session:
            async with session.get(local_server.url + "/aiohttp") as response:
                return await response.text()

    assert run(aiohttp_get()) == "from the local server"
    assert local_server.hits == ["/requests", "/httpx", "/urllib", "/aiohttp"]
"""


@pytest.mark.parametrize("aiodns", ["with aiodns", "without aiodns"])
def test_every_route_is_refused_and_the_audit_sees_no_bitmart_traffic(pytester: pytest.Pytester, aiodns: str) -> None:
    conftest = CONFTEST if aiodns == "with aiodns" else CONFTEST + WITHOUT_AIODNS
    pytester.makeconftest(conftest)
    pytester.makepyfile(audit=AUDIT, test_routes=ROUTES)
    pytester.syspathinsert()
    result = pytester.runpytest("-p", "audit", "-p", "no:randomly")
    _assert_refused_and_unseen(result)


def test_every_route_under_xdist(pytester: pytest.Pytester) -> None:
    """Each worker installs its firewall; the audit sums up what the workers saw."""
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(audit=AUDIT, test_routes=ROUTES)
    result = pytester.runpytest_subprocess("-p", "audit", "-p", "no:randomly", "-n", "2", "--dist", "loadfile")
    _assert_refused_and_unseen(result)


def _assert_refused_and_unseen(result: pytest.RunResult) -> None:
    # Every test body passes; a refusal the plugin's adapters report against a test shows as an error at
    # its teardown (the firewall's refusals go to this run's callback).
    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("failed")) == (13, None), outcomes
    # Those reports are one paragraph each: no traceback, so no assertion of ours failed at a teardown.
    assert [line for line in result.outlines if line.startswith("E ")] == []
    result.stdout.fnmatch_lines(["network audit: 0 BitMart lookups or connects"])


@pytest.mark.parametrize("xdist", [False, True], ids=["in-process", "xdist"])
def test_the_audit_sees_and_blocks_what_gets_past(pytester: pytest.Pytester, xdist: bool) -> None:
    """Without the firewall (its callback lets everything through), the audit records and blocks each lookup."""
    pytester.makeconftest(CONFTEST.replace("    return ConnectionRefusedError", "    return None  #"))
    pytester.makepyfile(
        audit=AUDIT,
        test_leak="""
        import socket
        import pytest

        def test_leak():
            with pytest.raises(ConnectionRefusedError, match="network audit: blocked"):
                socket.getaddrinfo("api-cloud.bitmart.com", 443)
            with pytest.raises(ConnectionRefusedError, match="network audit: blocked"):
                socket.gethostbyname("www.bitmart.com")
        """,
    )
    if xdist:
        result = pytester.runpytest_subprocess("-p", "audit", "-n", "2")
    else:
        pytester.syspathinsert()
        result = pytester.runpytest("-p", "audit")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "network audit: 2 BitMart lookups or connects",
            "network audit: getaddrinfo 'api-cloud.bitmart.com'",
            "network audit: gethostbyname 'www.bitmart.com'",
        ]
    )
