"""Property: every value given to a rule is either refused when armed, with a message, or served as valid JSON.

Generated ``message_args``, ``trace``, ``headers``, ``path`` and ``ok(data)`` go through requests, httpx and
aiohttp. A value the rule accepts must reach the client as strict JSON in the family's documented key order,
with the headers it asked for; a value it refuses must raise ``InvalidRuleError`` at once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
import httpx
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_bitmart import BitMartMock, InvalidRuleError, Rule

BASE = "https://api-cloud.bitmart.com"
SPOT_ORDER = ["code", "trace", "message", "data"]
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

Fetch = Callable[[str], "tuple[int, Mapping[str, str], bytes]"]


def with_requests(url: str) -> tuple[int, Mapping[str, str], bytes]:
    response = requests.get(url, timeout=10)
    return response.status_code, response.headers, response.content


def with_httpx(url: str) -> tuple[int, Mapping[str, str], bytes]:
    response = httpx.get(url)
    return response.status_code, response.headers, response.content


def with_aiohttp(url: str) -> tuple[int, Mapping[str, str], bytes]:
    async def fetch() -> tuple[int, Mapping[str, str], bytes]:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status, dict(response.headers), await response.read()

    return asyncio.run(fetch())


@pytest.fixture(params=[with_requests, with_httpx, with_aiohttp], ids=["requests", "httpx", "aiohttp"])
def fetch(request: pytest.FixtureRequest) -> Fetch:
    function: Fetch = request.param
    return function


def armed(mock: BitMartMock, arm: Callable[[], Rule]) -> Rule | None:
    """The rule ``arm`` builds on a fresh rule list, or None when it is refused with a message."""
    mock._rules.clear()
    mock._calls.clear()
    try:
        return arm()
    except InvalidRuleError as error:
        message = str(error)
    assert message.strip()  # refused, with a message
    return None


def served(fetch: Fetch, url: str) -> tuple[int, Mapping[str, str], Any]:
    status, headers, content = fetch(url)
    body = json.loads(content, parse_constant=lambda token: pytest.fail(f"served the non-JSON token {token}"))
    assert list(body) == SPOT_ORDER
    return status, headers, body


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
anything = st.recursive(
    json_scalars | st.binary(max_size=4) | st.sets(st.integers(), max_size=2),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=3),
    max_leaves=8,
)


@SETTINGS
@given(args=st.lists(json_scalars | st.binary(max_size=3), max_size=2))
def test_message_args(bitmart_mock: BitMartMock, fetch: Fetch, args: list[object]) -> None:
    if armed(bitmart_mock, lambda: bitmart_mock.error(50021, message_args=tuple(args), times=1)) is None:
        return
    _, _, body = served(fetch, f"{BASE}/spot/v1/wallet")
    assert body["code"] == 50021
    assert body["message"] == f"Invalid {args[0]}"


@SETTINGS
@given(trace=st.text(max_size=12))
def test_trace(bitmart_mock: BitMartMock, fetch: Fetch, trace: str) -> None:
    if armed(bitmart_mock, lambda: bitmart_mock.error(50020, trace=trace, times=1)) is None:
        return
    _, _, body = served(fetch, f"{BASE}/spot/v1/wallet")
    assert body["trace"] == trace


@SETTINGS
@given(headers=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3))
def test_headers(bitmart_mock: BitMartMock, fetch: Fetch, headers: dict[str, str]) -> None:
    if armed(bitmart_mock, lambda: bitmart_mock.error(50020, headers=headers, times=1)) is None:
        return
    status, received, _ = served(fetch, f"{BASE}/spot/v1/wallet")
    assert status == 400
    names = {name.lower() for name in received}
    assert {name.lower() for name in headers} <= names


@SETTINGS
@given(path=st.text(st.characters(codec="utf-8", exclude_characters="\r\n\t\x00"), max_size=12))
def test_path(bitmart_mock: BitMartMock, fetch: Fetch, path: str) -> None:
    rule = armed(bitmart_mock, lambda: bitmart_mock.ok(path="/spot/" + path, times=1))
    if rule is None:
        return
    assert isinstance(rule.path, str)
    _, _, body = served(fetch, BASE + rule.path)
    assert body["code"] == 1000


@SETTINGS
@given(data=anything)
def test_ok_data(bitmart_mock: BitMartMock, fetch: Fetch, data: object) -> None:
    if armed(bitmart_mock, lambda: bitmart_mock.ok(data, times=1)) is None:
        return
    _, _, body = served(fetch, f"{BASE}/spot/v1/wallet")
    assert body["data"] == ({} if data is None else json.loads(json.dumps(data)))
