"""Which BitMart URLs the common client calls hit, recorded through the plugin.

The tables in ``client_urls_ccxt.md`` and ``client_urls_sdk.md`` are included by the
ccxt and official SDK pages, so users can give a rule the ``path=`` of the call under
test. Each call is made with a rule that answers every request with an error, so the
table shows the request each call sends first (market loading excepted: a rule without
a path leaves start-up reads to their documented answers, and all three show). After a
client upgrade, rewrite the tables with
``PYTEST_BITMART_REGENERATE=1 python -m pytest tests/test_client_urls.py`` (the variable
``tests/test_client_errors.py`` uses too) and review the diff.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_bitmart import BitMartMock
from pytest_bitmart._startup import DEFAULT_MARKETS

HERE = Path(__file__).parent / "docs"
TABLES = {
    "ccxt": HERE / "client_urls_ccxt.md",
    "official-sdk": HERE / "client_urls_sdk.md",
}
REGENERATE = bool(os.environ.get("PYTEST_BITMART_REGENERATE"))
KEYS = {
    "apiKey": "my-api-key",
    "secret": "my-secret",
    "uid": "my-memo",
    "enableRateLimit": False,
}

Rows = list[tuple[str, str, str]]


def ccxt_calls(exchange: Any) -> list[tuple[str, Callable[[], Any]]]:
    """The calls, made on ``exchange``.

    Sync or async: the async ones return coroutines.
    """
    return [
        ("load_markets()", exchange.load_markets),
        ("fetch_balance()", exchange.fetch_balance),
        (
            'fetch_balance({"type": "swap"})',
            lambda: exchange.fetch_balance({"type": "swap"}),
        ),
        (
            'create_order("BTC/USDT", "limit", ...)',
            lambda: exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000),
        ),
        (
            'create_order("BTC/USDT:USDT", "limit", ...)',
            lambda: exchange.create_order("BTC/USDT:USDT", "limit", "buy", 1, 30000),
        ),
        (
            'cancel_order(id, "BTC/USDT")',
            lambda: exchange.cancel_order("1", "BTC/USDT"),
        ),
        (
            'cancel_order(id, "BTC/USDT:USDT")',
            lambda: exchange.cancel_order("1", "BTC/USDT:USDT"),
        ),
        (
            'fetch_order(id, "BTC/USDT")',
            lambda: exchange.fetch_order("1", "BTC/USDT"),
        ),
        (
            'fetch_open_orders("BTC/USDT")',
            lambda: exchange.fetch_open_orders("BTC/USDT"),
        ),
        (
            'withdraw("USDT", 10, address)',
            lambda: exchange.withdraw("USDT", 10, "TXYZ"),
        ),
    ]


def sdk_calls() -> list[tuple[str, Callable[[], Any]]]:
    from bitmart.api_account import APIAccount
    from bitmart.api_contract import APIContract
    from bitmart.api_spot import APISpot
    from bitmart.api_system import APISystem

    keys = {"api_key": "my-api-key", "secret_key": "my-secret", "memo": "my-memo"}
    spot, contract, account = (
        APISpot(**keys),
        APIContract(**keys),
        APIAccount(**keys),
    )
    spot_order = {
        "symbol": "BTC_USDT",
        "side": "buy",
        "type": "limit",
        "size": "1",
        "price": "30000",
    }
    contract_order = {
        "contract_symbol": "BTCUSDT",
        "side": 1,
        "type": "limit",
        "size": 1,
        "price": "30000",
    }
    return [
        ("APISystem().get_system_time()", APISystem().get_system_time),
        ("APISpot.get_symbol_detail()", spot.get_symbol_detail),
        ("APIContract.get_details()", contract.get_details),
        ("APISpot.get_wallet()", spot.get_wallet),
        ("APIAccount.get_wallet()", account.get_wallet),
        ("APIContract.get_assets_detail()", contract.get_assets_detail),
        (
            "APISpot.post_submit_order(...)",
            lambda: spot.post_submit_order(**spot_order),
        ),
        (
            "APIContract.post_submit_order(...)",
            lambda: contract.post_submit_order(**contract_order),
        ),
        (
            "APISpot.post_cancel_order_by_orderid(...)",
            lambda: spot.post_cancel_order_by_orderid("BTC_USDT", "1"),
        ),
        (
            "APIContract.post_cancel_order(...)",
            lambda: contract.post_cancel_order("BTCUSDT", order_id="1"),
        ),
        (
            "APISpot.v4_query_order_by_id(...)",
            lambda: spot.v4_query_order_by_id("1", query_state="open"),
        ),
        (
            "APISpot.v4_query_open_orders(...)",
            lambda: spot.v4_query_open_orders(symbol="BTC_USDT"),
        ),
        (
            "APIContract.get_open_order(...)",
            lambda: contract.get_open_order("BTCUSDT"),
        ),
        (
            "APIAccount.post_withdraw_apply(...)",
            lambda: account.post_withdraw_apply("USDT", "10", address="TXYZ"),
        ),
    ]


def record(
    mock: BitMartMock,
    calls: list[tuple[str, Callable[[], Any]]],
    errors: type[BaseException],
) -> Rows:
    rows: Rows = []
    for name, call in calls:
        seen = len(mock.calls)
        with contextlib.suppress(errors):  # every call but load_markets() raises the error
            call()
        rows += [(name, made.request.method, f"{made.request.host}{made.request.path}") for made in mock.calls[seen:]]
        assert len(mock.calls) > seen, f"{name} sent no BitMart request"
    return rows


def table(rows: Rows) -> str:
    lines = ["| Call | Method | Host and path |", "|---|---|---|"]
    lines += [f"| `{name}` | `{method}` | `{url}` |" for name, method, url in rows]
    return "\n".join(lines)


def render(rows: Rows) -> str:
    note = "<!-- Generated by tests/test_client_urls.py; PYTEST_BITMART_REGENERATE=1 rewrites it. -->"
    return f"{note}\n\n{table(rows)}\n"


def test_recorded_urls_match_the_documented_tables(
    bitmart_mock: BitMartMock,
) -> None:
    ccxt = pytest.importorskip("ccxt")
    pytest.importorskip("bitmart")
    from bitmart.lib.cloud_exceptions import APIException

    # No path: every call's first request gets it, start-up reads excepted.
    # Declared here, so a session fixture's markets elsewhere in the run cannot change them.
    bitmart_mock.markets(*DEFAULT_MARKETS)
    bitmart_mock.error(50020)
    sections = {
        "ccxt": record(bitmart_mock, ccxt_calls(ccxt.bitmart(KEYS)), ccxt.BaseError),
        "official-sdk": record(bitmart_mock, sdk_calls(), APIException),
    }
    for name, rows in sections.items():
        expected = render(rows)
        if REGENERATE:
            TABLES[name].write_text(expected, encoding="utf-8")
        assert TABLES[name].read_text(encoding="utf-8") == expected, (
            f"{name}: run with PYTEST_BITMART_REGENERATE=1 and review the diff"
        )


@pytest.mark.asyncio
async def test_ccxt_async_hits_the_same_urls_as_sync(
    bitmart_mock: BitMartMock,
) -> None:
    ccxt = pytest.importorskip("ccxt")
    ccxt_async = pytest.importorskip("ccxt.async_support")
    pytest.importorskip("aiohttp")
    # Declared here, so a session fixture's markets elsewhere in the run cannot change them.
    bitmart_mock.markets(*DEFAULT_MARKETS)
    bitmart_mock.error(50020)
    exchange = ccxt_async.bitmart({**KEYS, "timeout_on_exit": 0})
    rows: Rows = []
    try:
        for name, call in ccxt_calls(exchange):
            seen = len(bitmart_mock.calls)
            with contextlib.suppress(ccxt.BaseError):
                await call()
            rows += [(name, c.request.method, f"{c.request.host}{c.request.path}") for c in bitmart_mock.calls[seen:]]
    finally:
        await exchange.close()
    sync_rows = record(bitmart_mock, ccxt_calls(ccxt.bitmart(KEYS)), ccxt.BaseError)
    # The async client loads markets with concurrent requests, recorded as they finish: compare each
    # call's requests, not their order.
    assert by_call(rows) == by_call(sync_rows)


def by_call(rows: Rows) -> dict[str, list[tuple[str, str]]]:
    calls: dict[str, list[tuple[str, str]]] = {}
    for name, method, url in rows:
        calls.setdefault(name, []).append((method, url))
    return {name: sorted(requests) for name, requests in calls.items()}
