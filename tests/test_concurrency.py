"""Concurrent requests in one test: each gets its rule's answer and ``times`` counts stay exact."""

from __future__ import annotations

import asyncio
import collections
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import requests

from pytest_bitmart import BitMartMock

SPOT = "https://api-cloud.bitmart.com/spot/v1/wallet"
FUNDING = "https://api-cloud.bitmart.com/account/v1/wallet"
CONTRACT = "https://api-cloud-v2.bitmart.com/contract/private/submit-order"
THREADS = 8
PER_THREAD = 20


@pytest.mark.bitmart_error(60001, path="/account/v1/wallet")
@pytest.mark.bitmart_error(30013, times=30)
@pytest.mark.bitmart_error(50020)
def test_threads_with_requests(bitmart_mock: BitMartMock) -> None:
    start = threading.Barrier(THREADS)

    def worker(number: int) -> list[tuple[str, int]]:
        start.wait()
        got = []
        with requests.Session() as session:
            for index in range(PER_THREAD):
                url = FUNDING if (number + index) % 4 == 0 else SPOT
                got.append((url, session.get(url, timeout=10).json()["code"]))
        return got

    with ThreadPoolExecutor(THREADS) as pool:
        results = [pair for got in pool.map(worker, range(THREADS)) for pair in got]

    funding = [code for url, code in results if url == FUNDING]
    spot = collections.Counter(code for url, code in results if url == SPOT)
    assert len(results) == THREADS * PER_THREAD
    assert set(funding) == {60001}
    assert spot == {30013: 30, 50020: THREADS * PER_THREAD - len(funding) - 30}
    assert [rule.served for rule in bitmart_mock.rules] == [len(funding), 30, spot[50020]]
    assert len(bitmart_mock.calls) == THREADS * PER_THREAD
    traces = {call.response.payload["trace"] for call in bitmart_mock.calls}
    assert len(traces) == THREADS * PER_THREAD


@pytest.mark.asyncio
@pytest.mark.bitmart_error(40012, host="api-cloud-v2.bitmart.com")
@pytest.mark.bitmart_error(30013, times=30)
async def test_one_hundred_concurrent_async_httpx_requests(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok({"balance": "1"})
    async with httpx.AsyncClient() as client:
        urls = [CONTRACT if index % 5 == 0 else SPOT for index in range(100)]
        responses = await asyncio.gather(*(client.get(url) for url in urls))

    by_url: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    for url, response in zip(urls, responses, strict=True):
        by_url[url][response.json()["code"]] += 1
    assert by_url[CONTRACT] == {40012: 20}
    assert by_url[SPOT] == {30013: 30, 1000: 50}
    assert {response.status_code for response in responses if response.json()["code"] == 30013} == {429}
    # Every request took its own slot in the rate-limit window: no two report the same count.
    used = sorted(
        int(response.headers["x-bm-ratelimit-remaining"]) for response in responses if response.json()["code"] != 30013
    )
    assert len(set(used)) == len(used) == 70
    assert [rule.served for rule in bitmart_mock.rules] == [20, 30, 50]
