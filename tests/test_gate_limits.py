"""Rate limits counted per endpoint as BitMart documents them, on a clock a test can move."""

from __future__ import annotations

import httpx
import pytest

from pytest_bitmart import BitMartMock, lookup, render
from pytest_bitmart._endpoints import Endpoint, find

FEE = "https://api-cloud.bitmart.com/spot/v1/trade_fee"  # KEYED, counted per key
INTEREST = "https://api-cloud-v2.bitmart.com/contract/public/open-interest"  # public, counted per IP


def endpoint(url: str, method: str = "GET") -> Endpoint:
    found = find(method, httpx.URL(url).path)
    assert found is not None
    assert found.limit is not None
    return found


def limit_headers(response: httpx.Response) -> tuple[str, str, str, str]:
    headers = response.headers
    return (
        headers["X-BM-RateLimit-Remaining"],
        headers["X-BM-RateLimit-Limit"],
        headers["X-BM-RateLimit-Reset"],
        headers["X-BM-RateLimit-Mode"],
    )


@pytest.fixture
def limited(bitmart_mock: BitMartMock) -> BitMartMock:
    bitmart_mock.rate_limits()
    bitmart_mock.clock.freeze()  # windows run out only when the test says so, however slow the machine
    bitmart_mock.ok({})
    return bitmart_mock


def test_exactly_the_limit_is_answered_then_30013(limited: BitMartMock) -> None:
    documented = endpoint(INTEREST)
    limit, window = str(documented.limit), str(documented.window)
    for used in range(1, int(limit) + 1):
        response = httpx.get(INTEREST)
        assert response.status_code == 200
        assert limit_headers(response) == (str(used), limit, window, "IP")
    refused = httpx.get(INTEREST)
    entry = lookup(30013)
    assert refused.status_code == entry.http_status == 429
    assert refused.content == render(entry, trace=refused.json()["trace"]).content
    assert limit_headers(refused) == (str(int(limit) + 1), limit, window, "IP")
    limited.assert_call_count(1, code=30013)


def test_moving_the_clock_past_the_window_resets_it(limited: BitMartMock) -> None:
    documented = endpoint(INTEREST)
    assert documented.limit is not None
    assert documented.window is not None
    for _ in range(documented.limit + 1):
        httpx.get(INTEREST)
    limited.clock.advance(documented.window - 0.5)
    assert httpx.get(INTEREST).status_code == 429
    limited.clock.advance(0.5)
    response = httpx.get(INTEREST)
    assert response.status_code == 200
    assert response.headers["X-BM-RateLimit-Remaining"] == "1"


def test_a_keyed_endpoint_counts_per_key_in_uid_mode(limited: BitMartMock) -> None:
    documented = endpoint(FEE)
    assert documented.target == "KEY"
    assert documented.limit is not None
    for _ in range(documented.limit):
        assert httpx.get(FEE, headers={"X-BM-KEY": "first"}).status_code == 200
    assert httpx.get(FEE, headers={"X-BM-KEY": "first"}).status_code == 429
    other = httpx.get(FEE, headers={"X-BM-KEY": "second"})
    assert other.status_code == 200
    assert limit_headers(other)[0::3] == ("1", "UID")


def test_endpoints_are_counted_separately(limited: BitMartMock) -> None:
    documented = endpoint(INTEREST)
    assert documented.limit is not None
    for _ in range(documented.limit + 1):
        httpx.get(INTEREST)
    assert httpx.get(FEE, headers={"X-BM-KEY": "k"}).status_code == 200


def test_continued_requests_after_429_get_the_418_ip_ban(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.rate_limits(ip_ban_after=1)
    bitmart_mock.clock.freeze()
    bitmart_mock.ok({})
    documented = endpoint(INTEREST)
    assert documented.limit is not None
    assert documented.window is not None
    statuses = [httpx.get(INTEREST).status_code for _ in range(documented.limit + 3)]
    assert statuses == [200] * documented.limit + [429, 418, 418]
    assert httpx.get(FEE, headers={"X-BM-KEY": "k"}).status_code == 418  # the IP is banned, not the endpoint
    claim = "https://api-cloud-v2.bitmart.com/contract/private/claim"  # no documented limit, banned all the same
    assert find("POST", "/contract/private/claim") is not None
    assert httpx.post(claim, content="{}").status_code == 418
    bitmart_mock.clock.advance(documented.window)
    assert httpx.get(INTEREST).status_code == 200


def test_without_rate_limits_nothing_is_refused(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.ok({})
    documented = endpoint(INTEREST)
    assert documented.limit is not None
    statuses = {httpx.get(INTEREST).status_code for _ in range(documented.limit + 2)}
    assert statuses == {200}


def test_a_rule_that_sets_its_own_rate_limit_header_keeps_it(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.rate_limits()
    bitmart_mock.ok({}, headers={"X-BM-RateLimit-Limit": "7"})
    assert limit_headers(httpx.get(INTEREST))[:2] == ("1", "7")


def test_the_clock_refuses_to_go_back(bitmart_mock: BitMartMock) -> None:
    with pytest.raises(ValueError, match=r"clock.advance\(\) takes a number of seconds of at least 0, got -1"):
        bitmart_mock.clock.advance(-1)


def test_a_frozen_clock_moves_only_when_advanced(bitmart_mock: BitMartMock) -> None:
    clock = bitmart_mock.clock
    clock.freeze()
    before = clock.now()
    assert clock.now() == before
    clock.advance(2.5)
    assert clock.now() == before + 2.5
