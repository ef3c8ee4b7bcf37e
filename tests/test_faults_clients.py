"""What each real client raises or returns for each fault: the table ``docs/faults.md`` shows.

Every cell is a test through the real client. Each checks what that client's own code says it does with
such an answer (read from its source: the SDK raises ``APIException`` for any status but 200, ccxt reads
``message`` and so crashes on the gateway's ``msg`` bodies, ...), and then that the exact outcome is the
one in ``tests/docs/fault_outcomes.json``, which the docs render. When a client or the catalog changes,
regenerate the file with ``PYTEST_BITMART_REGENERATE=1 pytest tests/test_faults_clients.py -p no:xdist``
and review the diff.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import aiohttp
import httpx
import pytest
import requests

from pytest_bitmart import BitMartMock, Fault, faults

OUTCOMES = Path(__file__).parent / "docs" / "fault_outcomes.json"
REGENERATE = os.environ.get("PYTEST_BITMART_REGENERATE") == "1"
URL = "https://api-cloud.bitmart.com/system/time"
_lock = threading.Lock()


def with_requests() -> str:
    return f"HTTP {requests.get(URL, timeout=(3, 10)).status_code}"


def with_httpx() -> str:
    return f"HTTP {httpx.get(URL, timeout=10).status_code}"


def with_httpx_async() -> str:
    async def get() -> str:
        async with httpx.AsyncClient(timeout=10) as client:
            return f"HTTP {(await client.get(URL)).status_code}"

    return asyncio.run(get())


def with_aiohttp() -> str:
    async def get() -> str:
        async with aiohttp.ClientSession() as session, session.get(URL) as response:
            await response.read()
            return f"HTTP {response.status}"

    return asyncio.run(get())


def with_sdk() -> str:
    from bitmart.api_system import APISystem

    body, limits = APISystem(timeout=(3, 10)).get_system_time()
    assert isinstance(body, dict)
    assert sorted(limits) == ["Limit", "Mode", "Remaining", "Reset"]
    return "(body, rate limits)"


def with_ccxt() -> str:
    import ccxt

    return f"{ccxt.bitmart().fetch_time()!r}"


def with_ccxt_async() -> str:
    import ccxt.async_support

    async def get() -> str:
        exchange = ccxt.async_support.bitmart()
        try:
            return f"{await exchange.fetch_time()!r}"
        finally:
            await exchange.close()

    return asyncio.run(get())


CLIENTS: dict[str, Callable[[], str]] = {
    "requests": with_requests,
    "httpx": with_httpx,
    "httpx async": with_httpx_async,
    "aiohttp": with_aiohttp,
    "official SDK": with_sdk,
    "ccxt": with_ccxt,
    "ccxt async": with_ccxt_async,
}


def public_name(error_type: type[BaseException]) -> str:
    """``httpx.ReadTimeout`` rather than ``httpx._exceptions.ReadTimeout``: the name users catch."""
    package = error_type.__module__.partition(".")[0]
    if package == "builtins":
        return error_type.__qualname__
    if package == "ccxt" or getattr(importlib.import_module(package), error_type.__name__, None) is error_type:
        return f"{package}.{error_type.__qualname__}"
    return f"{error_type.__module__}.{error_type.__qualname__}"


def outcome(client: Callable[[], str]) -> tuple[str, BaseException | None]:
    try:
        returned = client()
    except Exception as error:  # noqa: BLE001 - recording what was raised is the point
        return f"raises {public_name(type(error))}", error
    return f"returns {returned}", None


def documented_behaviour(client: str, entry: Fault, error: BaseException | None) -> None:
    """What each client's own code does with such an answer, written from its source, not from a run."""
    transport = entry.kind in ("transport", "cut")
    if client == "requests":
        assert isinstance(error, requests.RequestException) if transport else error is None
    elif client.startswith("httpx"):
        assert isinstance(error, httpx.TransportError) if transport else error is None
    elif client == "aiohttp":
        assert isinstance(error, aiohttp.ClientError) if transport else error is None
    elif client == "official SDK":
        sdk_behaviour(entry, error)
    else:
        ccxt_behaviour(entry, error)


def sdk_behaviour(entry: Fault, error: BaseException | None) -> None:
    from bitmart.lib.cloud_exceptions import APIException
    from bitmart.lib.cloud_exceptions import RequestException as SdkRequestException

    if entry.kind in ("transport", "cut"):
        assert isinstance(error, requests.RequestException)  # the SDK lets requests' errors through
    elif entry.http_status != 200:
        assert isinstance(error, APIException)
    elif entry.name in ("invalid-json", "empty-200"):
        assert isinstance(error, SdkRequestException)  # 'Invalid Response: ...'
    else:
        assert error is None  # a 200 is returned as it is, error code or not


def ccxt_behaviour(entry: Fault, error: BaseException | None) -> None:
    import ccxt

    if entry.name.startswith("gateway-"):
        assert isinstance(error, AttributeError)  # ccxt reads 'message', which gateway bodies lack
    elif entry.kind == "transport" and "timeout" in entry.name:
        assert isinstance(error, ccxt.RequestTimeout)
    elif entry.kind == "transport":
        assert isinstance(error, ccxt.NetworkError)


def recorded() -> dict[str, dict[str, str]]:
    return json.loads(OUTCOMES.read_text(encoding="utf-8")) if OUTCOMES.exists() else {}


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("entry", faults(), ids=lambda entry: entry.name)
def test_what_each_client_does_with_each_fault(entry: Fault, client: str, bitmart_mock: BitMartMock) -> None:
    # Named by its path: the server time is a start-up read, which a rule without a path leaves alone.
    bitmart_mock.fault(entry.name, path="/system/time")
    result, error = outcome(CLIENTS[client])
    documented_behaviour(client, entry, error)
    if REGENERATE:
        with _lock:
            table = recorded()
            table.setdefault(entry.name, {})[client] = result
            OUTCOMES.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert recorded().get(entry.name, {}).get(client) == result, (
        "tests/docs/fault_outcomes.json is stale: regenerate it with PYTEST_BITMART_REGENERATE=1"
    )


def test_the_recorded_table_has_every_fault_and_client_and_nothing_else() -> None:
    table = recorded()
    assert list(table) == [entry.name for entry in faults()] or REGENERATE
    assert all(sorted(row) == sorted(CLIENTS) for row in table.values())
