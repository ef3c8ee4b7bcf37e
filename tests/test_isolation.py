"""No test sees another's patches: marked and unmarked tests mixed in random orders over several seeds.

The adapters are installed once for the run, so every unmarked test sees the very functions the first
test of the run saw, whatever ran before it; and no respx router but the run's own stays started.
"""

from __future__ import annotations

from pathlib import Path

import pytest

LOCAL_SERVER = (Path(__file__).parent / "local_server.py").read_text()

# Captured by the first test that asks, before or after any marked test: all must see the same.
ORIGINALS = """

import httpx
import requests
import respx.mocks

SEEN = {}


def _patchable():
    return {
        "get_adapter": requests.Session.get_adapter,
        "send": requests.Session.send,
        "adapter_send": requests.adapters.HTTPAdapter.send,
        "transport_for_url": httpx.Client._transport_for_url,
        "async_transport_for_url": httpx.AsyncClient._transport_for_url,
        "routers": list(respx.mocks.HTTPXMocker.routers),
    }


@pytest.fixture
def assert_unpatched():
    def check():
        now = _patchable()
        assert len(now["routers"]) == 1  # the run's own, started once
        if not SEEN:
            SEEN.update(now)
        assert now == SEEN

    return check
"""

MARKED = """
import httpx
import pytest
import requests

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


@pytest.mark.bitmart_error(50020)
def test_requests_marked():
    assert requests.get(WALLET).json()["code"] == 50020


@pytest.mark.bitmart_error(30013, times=1)
def test_httpx_marked_then_fixture(bitmart_mock):
    bitmart_mock.ok()
    assert [httpx.get(WALLET).json()["code"] for _ in range(2)] == [30013, 1000]


@pytest.mark.asyncio
@pytest.mark.bitmart_error(40012)
async def test_async_marked():
    async with httpx.AsyncClient() as client:
        assert (await client.get(WALLET)).json()["code"] == 40012


def test_fixture_only(bitmart_mock):
    bitmart_mock.error(60001)
    assert requests.get(WALLET).json()["code"] == 60001
    assert len(bitmart_mock.calls) == 1


@pytest.mark.xfail(raises=ZeroDivisionError, strict=True)
@pytest.mark.bitmart_error(50020)
def test_marked_and_failing():
    requests.get(WALLET)
    1 / 0


class TestMarkedClass:
    pytestmark = pytest.mark.bitmart_error(30005)

    @pytest.mark.parametrize("client", ["requests", "httpx"])
    def test_class_level(self, client, bitmart_mock):
        get = requests.get if client == "requests" else httpx.get
        assert get(WALLET).json()["code"] == 30005
        assert len(bitmart_mock.calls) == 1
"""

UNMARKED = """
import httpx
import pytest
import requests


def test_unpatched(assert_unpatched):
    assert_unpatched()


@pytest.mark.parametrize("client", ["requests", "httpx"])
def test_local_server_reached(client, local_server, assert_unpatched):
    assert_unpatched()
    get = requests.get if client == "requests" else httpx.get
    assert get(local_server.url + "/plain").text == "from the local server"
    assert local_server.hits == ["/plain"]


@pytest.mark.asyncio
async def test_async_local_server_reached(local_server, assert_unpatched):
    assert_unpatched()
    async with httpx.AsyncClient() as client:
        assert (await client.get(local_server.url + "/async")).text == "from the local server"


def test_users_own_responses_mock_alone(assert_unpatched):
    import responses

    with responses.RequestsMock() as mock:
        mock.get("https://other.example/x", body="user")
        assert requests.get("https://other.example/x").text == "user"
    assert_unpatched()
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_marked_and_unmarked_tests_in_random_order(pytester: pytest.Pytester, seed: int) -> None:
    pytester.makeconftest(LOCAL_SERVER + ORIGINALS)
    # pytest-randomly shuffles modules, then the tests inside each: mixing both kinds in one module
    # puts marked and unmarked tests next to each other in every order.
    pytester.makepyfile(test_mixed_a=MARKED + UNMARKED, test_mixed_b=MARKED + UNMARKED)
    # A subprocess, so the randomised run imports and patches in a process of its own.
    result = pytester.runpytest_subprocess("-p", "randomly", f"--randomly-seed={seed}", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines([f"Using --randomly-seed={seed}"])
    # Per module: 6 marked tests pass and 1 fails as expected; 5 unmarked tests pass.
    result.assert_outcomes(passed=2 * (6 + 5), xfailed=2)


LEAKS = """
import socket

import pytest
import requests

BEFORE = {}


def _seen():
    return {"getaddrinfo": socket.getaddrinfo, "get_adapter": requests.Session.get_adapter}


def test_0_before():
    BEFORE.update(_seen())


def users_getaddrinfo(*args, **kwargs):
    return ORIGINAL_GETADDRINFO(*args, **kwargs)


def users_get_adapter(self, url):
    return ORIGINAL_GET_ADAPTER(self, url)


ORIGINAL_GETADDRINFO = socket.getaddrinfo
ORIGINAL_GET_ADAPTER = requests.Session.get_adapter


@pytest.mark.bitmart_error(50020)
def test_1_marked_with_monkeypatch(monkeypatch, bitmart_mock):
    monkeypatch.setattr(socket, "getaddrinfo", users_getaddrinfo)
    monkeypatch.setattr(requests.Session, "get_adapter", users_get_adapter)


def test_2_later_unmarked():
    assert _seen() == BEFORE
"""

SESSION_PATCH = """
import socket

import pytest

ORIGINAL = socket.getaddrinfo


def users_getaddrinfo(*args, **kwargs):
    return ORIGINAL(*args, **kwargs)


@pytest.fixture(scope="session")
def patched_lookup():
    socket.getaddrinfo = users_getaddrinfo
    yield
    socket.getaddrinfo = ORIGINAL


@pytest.mark.bitmart_error(50020)
def test_1_marked_first_user(patched_lookup):
    assert socket.getaddrinfo is users_getaddrinfo


def test_2_later_unmarked():
    assert socket.getaddrinfo is users_getaddrinfo


def test_3_later_still():
    assert socket.getaddrinfo is users_getaddrinfo
"""


# Without the plugin, the same tests run with a stand-in for its marker and fixture.
STAND_IN = """
import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "bitmart_error: stand-in")


@pytest.fixture
def bitmart_mock():
    return None
"""

WITHOUT = ("-p", "no:bitmart", "-p", "stand_in")


@pytest.mark.parametrize("plugin", [(), WITHOUT], ids=["with", "without"])
def test_monkeypatch_in_a_marked_test_leaves_nothing_behind(pytester: pytest.Pytester, plugin: tuple[str, ...]) -> None:
    """A later unmarked test sees the functions it saw before the marked test: with the plugin as without."""
    pytester.makepyfile(test_leak=LEAKS, stand_in=STAND_IN)
    pytester.syspathinsert()
    pytester.runpytest(*plugin).assert_outcomes(passed=3)


@pytest.mark.parametrize("plugin", [(), WITHOUT], ids=["with", "without"])
def test_users_session_patch_first_used_by_a_marked_test_stays(
    pytester: pytest.Pytester, plugin: tuple[str, ...]
) -> None:
    pytester.makepyfile(test_session_patch=SESSION_PATCH, stand_in=STAND_IN)
    pytester.syspathinsert()
    pytester.runpytest(*plugin).assert_outcomes(passed=3)
