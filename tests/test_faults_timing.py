"""delay= and retries: the client's own timeout applies to a slow answer, and its retry policy sees faults."""

from __future__ import annotations

import asyncio

import aiohttp
import httpx
import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pytest_bitmart import BitMartMock

WALLET = "https://api-cloud.bitmart.com/account/v1/wallet"
SHORT = 0.05  # the read timeout the clients set; the delays below are well under or well over it


def test_requests_waits_out_a_short_delay(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok({"wallet": []}, delay=0.01)
    assert requests.get(WALLET, timeout=5).json()["data"] == {"wallet": []}


def test_requests_read_timeout_when_the_delay_is_longer(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok({"wallet": []}, delay=60)
    with pytest.raises(requests.exceptions.ReadTimeout, match=r"Read timed out\. \(read timeout=0\.05\)"):
        requests.get(WALLET, timeout=(3, SHORT))


def test_httpx_read_timeout_when_the_delay_is_longer(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(30014, delay=60)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(WALLET, timeout=SHORT)
    bitmart_mock.assert_call_count(1, code=30014)


def test_httpx_async_delay_lets_other_tasks_run(bitmart_mock: BitMartMock) -> None:
    """The slow answer is awaited: a task running beside it finishes first."""
    bitmart_mock.ok({"wallet": []}, delay=0.2, times=1)
    order = []

    async def slow() -> None:
        async with httpx.AsyncClient(timeout=5) as client:
            await client.get(WALLET)
        order.append("slow answer")

    async def beside() -> None:
        await asyncio.sleep(0)
        order.append("other task")

    async def main() -> None:
        await asyncio.gather(slow(), beside())

    asyncio.run(main())
    assert order == ["other task", "slow answer"]


def test_httpx_async_read_timeout(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok(delay=60)

    async def get() -> None:
        async with httpx.AsyncClient(timeout=SHORT) as client:
            await client.get(WALLET)

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(get())


def test_aiohttp_read_timeout_is_aiohttps_own(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok(delay=2)

    async def get() -> None:
        timeout = aiohttp.ClientTimeout(total=None, sock_read=SHORT)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(WALLET) as response:
            await response.read()

    with pytest.raises(getattr(aiohttp, "SocketTimeoutError", aiohttp.ServerTimeoutError)):
        asyncio.run(get())


def test_urllib3_retry_retries_refused_connections(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.fault("connection-refused", times=2)
    bitmart_mock.ok({"wallet": []})
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=Retry(connect=2, backoff_factor=0)))

    assert session.get(WALLET).json()["data"] == {"wallet": []}
    assert len(bitmart_mock.calls) == 3


def test_urllib3_retry_gives_up_as_requests_does(bitmart_mock: BitMartMock) -> None:
    """Read retries used up: urllib3 raises MaxRetryError, which requests turns into a ConnectionError."""
    bitmart_mock.fault("read-timeout")
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=Retry(total=None, connect=0, read=1, backoff_factor=0)))

    with pytest.raises(requests.exceptions.ConnectionError, match=r"Max retries exceeded with url: /account/v1/wallet"):
        session.get(WALLET, timeout=5)
    assert len(bitmart_mock.calls) == 2


def test_without_retries_a_post_is_not_retried(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.fault("connection-reset")
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0)))
    with pytest.raises(requests.exceptions.ConnectionError, match=r"Connection aborted"):
        session.post(WALLET, json={})
    assert len(bitmart_mock.calls) == 1  # POST is not idempotent: urllib3 re-raises the read error at once


def test_an_adapter_called_with_positional_arguments_still_times_out(bitmart_mock: BitMartMock) -> None:
    """HTTPAdapter.send(request, stream, timeout, ...): the timeout is found where requests puts it."""
    bitmart_mock.ok(delay=60)
    session = requests.Session()
    prepared = session.prepare_request(requests.Request("GET", WALLET))
    adapter = session.get_adapter(WALLET)
    with pytest.raises(requests.exceptions.ReadTimeout, match=r"read timeout=0\.05"):
        adapter.send(prepared, False, (3, SHORT))  # stream, timeout: the positional form under test
