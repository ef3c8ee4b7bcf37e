"""Living with the user's own mocks: other hosts stay theirs, and a mock that would hide BitMart fails clearly.

Mocks that live alongside ours are tested in-process; the failures naming a mock that would hide BitMart
(and their fix) through pytester.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import requests
import responses
import respx
from local_server import LocalServer
from pytest_httpx import HTTPXMock

from pytest_bitmart import BitMartMock

LOCAL_SERVER = (Path(__file__).parent / "local_server.py").read_text()
WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"


@pytest.fixture
def pt(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(LOCAL_SERVER)
    return pytester


# responses -----------------------------------------------------------------------------------------------


@pytest.mark.bitmart_error(50020)
@responses.activate
def test_users_responses_activate_decorator_keeps_its_hosts() -> None:
    responses.add(responses.GET, "https://other.example/prices", json={"btc": 1})
    assert requests.get("https://other.example/prices", timeout=10).json() == {"btc": 1}
    assert requests.get(WALLET, timeout=10).json()["code"] == 50020
    assert len(responses.calls) == 1


@pytest.mark.bitmart_error(50020)
def test_users_responses_mock_context_keeps_its_hosts(bitmart_mock: BitMartMock) -> None:
    with responses.RequestsMock() as user_mock:
        user_mock.get("https://other.example/prices", body="user")
        assert requests.get(WALLET, timeout=10).status_code == 400
        assert requests.get("https://other.example/prices", timeout=10).text == "user"
    # After the user's mock stopped (and reset itself), ours still answers.
    assert requests.get(WALLET, timeout=10).json()["code"] == 50020
    assert len(bitmart_mock.calls) == 2


@pytest.mark.bitmart_error(50020)
@responses.activate
def test_users_responses_passthru_reaches_the_network(local_server: LocalServer) -> None:
    responses.add_passthru(local_server.url)
    assert requests.get(local_server.url + "/live", timeout=10).text == "from the local server"
    assert requests.get(WALLET, timeout=10).status_code == 400
    assert local_server.hits == ["/live"]


# respx and pytest-httpx -----------------------------------------------------------------------------------


@pytest.mark.bitmart_error(50020)
def test_users_respx_mock_fixture_keeps_its_hosts(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("https://other.example/prices").respond(json={"btc": 1})
    assert httpx.get("https://other.example/prices").json() == {"btc": 1}
    assert httpx.get(WALLET).json()["code"] == 50020
    assert route.call_count == 1


@pytest.mark.bitmart_error(50020)
def test_users_respx_router_on_the_same_layer_keeps_its_hosts() -> None:
    with respx.mock(using="httpx") as router:
        router.get("https://other.example/prices").respond(text="user")
        assert httpx.get(WALLET).status_code == 400
        assert httpx.get("https://other.example/prices").text == "user"


@pytest.mark.bitmart_error(50020)
def test_users_pytest_httpx_keeps_its_hosts(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://other.example/prices", json={"btc": 1})
    assert httpx.get("https://other.example/prices").json() == {"btc": 1}
    assert httpx.get(WALLET).json()["code"] == 50020


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_users_pytest_httpx_async_keeps_its_hosts(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://other.example/prices", text="user")
    async with httpx.AsyncClient() as client:
        assert (await client.get("https://other.example/prices")).text == "user"
        assert (await client.get(WALLET)).status_code == 400


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_other_hosts_reach_the_network_from_httpx_async(local_server: LocalServer) -> None:
    async with httpx.AsyncClient() as client:
        assert (await client.get(local_server.url + "/live")).text == "from the local server"
        assert (await client.get(WALLET)).status_code == 400
    assert local_server.hits == ["/live"]


def test_requests_mock_fixture_is_named_with_the_fix(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        """
        import pytest
        import requests


        @pytest.mark.bitmart_error(50020)
        def test_shadowed(requests_mock):
            requests_mock.get("https://other.example/prices", text="user")
            requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
        """
    )
    result = pt.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            (
                "pytest-bitmart: test_requests_mock_fixture_is_named_with_the_fix.py::test_shadowed: requests-mock (the "
                "requests_mock fixture) replaces requests.Session.send and answers every requests call before "
                "pytest-bitmart sees it, *Register your other hosts with responses (@responses.activate) instead of "
                "requests-mock in this test*"
            ),
        ]
    )


def test_responses_add_for_a_bitmart_url_is_named_with_the_fix(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        """
        import pytest
        import requests
        import responses


        @pytest.mark.bitmart_error(50020)
        @responses.activate
        def test_registered_on_responses():
            responses.add(responses.GET, "https://api-cloud.bitmart.com/spot/v1/wallet", body="mine")
            try:
                requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
            except Exception:
                pass
        """
    )
    result = pt.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*test_registered_on_responses: 1 BitMart request(s) matched no rule and were not sent:",
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers=*",
            (
                "  reason: responses has a response registered for the BitMart URL "
                "https://api-cloud.bitmart.com/spot/v1/wallet, but pytest-bitmart answers BitMart hosts itself, so "
                "it would never be served. Arm it with bitmart_mock.error(...) / bitmart_mock.ok(...) instead of "
                "responses.add(...)."
            ),
        ]
    )


def test_pytest_httpx_response_for_a_bitmart_url_is_named_with_the_fix(pt: pytest.Pytester) -> None:
    pt.makepyfile(
        """
        import httpx
        import pytest


        @pytest.mark.bitmart_error(50020)
        def test_registered_on_pytest_httpx(httpx_mock):
            httpx_mock.add_response(url="https://api-cloud.bitmart.com/spot/v1/wallet", json={"code": 1000})
            # pytest-bitmart answers first: the client sees BitMart's 50020, not the registered response.
            assert httpx.get("https://api-cloud.bitmart.com/spot/v1/wallet").json()["code"] == 50020
        """
    )
    result = pt.runpytest()
    # Our failure names the registration; pytest-httpx then reports it unused at teardown.
    result.assert_outcomes(failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*test_registered_on_pytest_httpx: pytest-httpx's httpx_mock has a response registered for the "
                "BitMart URL https://api-cloud.bitmart.com/spot/v1/wallet, but pytest-bitmart answers BitMart hosts "
                "before pytest-httpx, so it is never served. Arm it with bitmart_mock.error(...) / "
                "bitmart_mock.ok(...) instead of httpx_mock.add_response(...)."
            ),
        ]
    )


# Our router is started once, when httpx is imported: a user's router always comes after it.


@pytest.fixture
def lenient_router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=False, using="httpx") as router:
        yield router


def test_lenient_respx_router_listed_before_ours_never_comes_before_ours(
    lenient_router: respx.MockRouter, bitmart_mock: BitMartMock
) -> None:
    bitmart_mock.error(50020)
    assert httpx.get(WALLET).status_code == 400


@pytest.mark.bitmart_error(50020)
def test_lenient_respx_router_started_after_ours_is_fine(lenient_router: respx.MockRouter) -> None:
    assert httpx.get(WALLET).status_code == 400
    assert httpx.get("https://other.example/").status_code == 200


@pytest.fixture(scope="class")
def lenient_wide_router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=False, using="httpx") as router:
        yield router


@pytest.mark.usefixtures("lenient_wide_router")
class TestLenientWiderScopeRouter:
    """A class-scoped router: started after ours for the first test, still running for the next."""

    @pytest.mark.bitmart_error(50020)
    def test_first_started_after_ours(self) -> None:
        assert httpx.get(WALLET).status_code == 400

    @pytest.mark.bitmart_error(50020)
    def test_still_running_from_an_earlier_test(self) -> None:
        assert httpx.get(WALLET).status_code == 400


def test_lenient_respx_router_started_before_the_run_is_named_with_the_fix(pt: pytest.Pytester) -> None:
    """A conftest that starts a lenient router at import time puts it before ours: named, with the fix."""
    pt.makeconftest(
        """
        import respx

        LENIENT = respx.mock(assert_all_mocked=False, using="httpx")
        LENIENT.start()


        def pytest_unconfigure():
            LENIENT.stop()
        """
    )
    pt.makepyfile(
        """
        import httpx
        import pytest


        @pytest.mark.bitmart_error(50020)
        def test_shadowed():
            assert httpx.get("https://api-cloud.bitmart.com/spot/v1/wallet").status_code == 400
        """
    )
    result = pt.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            (
                "pytest-bitmart: test_lenient_respx_router_started_before_the_run_is_named_with_the_fix.py::"
                "test_shadowed: a respx router with assert_all_mocked=False, started before pytest-bitmart's, answers "
                "every unmatched httpx request with an empty 200, so BitMart requests would never reach "
                "pytest-bitmart. Keep assert_all_mocked=True (the default) on your router, or start it after "
                "pytest-bitmart's (request the bitmart_mock fixture first)."
            )
        ]
    )
