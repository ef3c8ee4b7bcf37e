"""Start-up reads get BitMart's documented examples, and a rule without a path never answers them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clients import Client

import pytest_bitmart
from pytest_bitmart import InvalidRuleError, documented_data
from pytest_bitmart._examples import examples
from pytest_bitmart._request import BitMartRequest
from pytest_bitmart._rules import fault_rule
from pytest_bitmart._startup import STARTUP_PATHS, StartupAnswers, parse_markets, pick

DATA_FILE = Path(pytest_bitmart.__file__).parent / "data" / "documented_examples.json"
SPOT = "https://api-cloud.bitmart.com"
FUTURES = "https://api-cloud-v2.bitmart.com"


def answers(*symbols: str) -> StartupAnswers:
    return StartupAnswers(parse_markets(symbols))


# The data and its provenance ---------------------------------------------------------------------------


def test_every_example_names_the_repository_file_and_commit_it_was_copied_from() -> None:
    for endpoint, entry in examples().items():
        source = entry["source"]
        assert source["repository"] == "rosssaunders/coincise", endpoint
        assert source["path"].startswith("docs/bitmart/endpoints/"), endpoint
        assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]), endpoint
        # The documented page's own URL is the endpoint's: host and path.
        assert source["page"] == f"https://{entry['host']}{endpoint.partition(' ')[2]}"
        assert entry["example"]["code"] == 1000


def test_the_data_file_is_small() -> None:
    assert DATA_FILE.stat().st_size < 16_000


def test_importing_the_plugin_reads_no_data_file() -> None:
    probe = (
        "import builtins, io, pathlib\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(file, *a, **k):\n"
        "    opened.append(str(file))\n"
        "    return real(file, *a, **k)\n"
        "io.open = builtins.open = pathlib.Path.open = spy\n"
        "import pytest_bitmart.plugin\n"
        "print([name for name in opened if name.endswith('.json')])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == "[]"


def test_documented_data_is_a_fresh_copy_of_the_example() -> None:
    wallet = documented_data("/spot/v1/wallet")
    assert wallet == examples()["GET /spot/v1/wallet"]["example"]["data"]
    wallet["wallet"].clear()
    assert documented_data("/spot/v1/wallet")["wallet"]


def test_documented_data_for_an_unknown_path_says_which_exist() -> None:
    with pytest.raises(
        ValueError, match=r"no documented example for GET '/spot/v1/walet' \(did you mean '/spot/v1/wallet'\?\)"
    ):
        documented_data("/spot/v1/walet")


# Records built per market --------------------------------------------------------------------------------


def spot_template() -> dict[str, object]:
    return examples()["GET /spot/v1/symbols/details"]["example"]["data"]["symbols"][0]


def contract_template() -> dict[str, object]:
    return examples()["GET /contract/public/details"]["example"]["data"]["symbols"][0]


def test_a_spot_record_is_the_documented_one_with_its_symbol_fields_changed() -> None:
    records = answers("ETH/USDT", "BTC/USDT").data("/spot/v1/symbols/details")["symbols"]
    template = spot_template()
    changed = {"symbol", "symbol_id", "base_currency", "quote_currency"}
    assert [record["symbol"] for record in records] == ["ETH_USDT", "BTC_USDT"]
    assert [record["symbol_id"] for record in records] == [template["symbol_id"], template["symbol_id"] + 1]  # type: ignore[operator]
    for record in records:
        assert record.keys() == template.keys()
        assert {key: value for key, value in record.items() if key not in changed} == {
            key: value for key, value in template.items() if key not in changed
        }


def test_a_contract_record_is_the_documented_one_trading() -> None:
    (record,) = answers("ETH/USDT:USDT", "BTC/USDT").data("/contract/public/details")["symbols"]
    template = contract_template()
    assert (record["symbol"], record["index_name"], record["base_currency"]) == ("ETHUSDT", "ETHUSDT", "ETH")
    assert record["status"] == "Trading"
    assert set(template) - set(record) == {"delist_time"}
    changed = {"symbol", "index_name", "base_currency", "quote_currency", "status"}
    assert {key: value for key, value in record.items() if key not in changed} == {
        key: value for key, value in template.items() if key not in changed | {"delist_time"}
    }


def test_currencies_list_each_base_and_quote_once() -> None:
    currencies = answers("BTC/USDT", "ETH/USDT", "BTC/USDT:USDT").data("/account/v1/currencies")["currencies"]
    assert [entry["currency"] for entry in currencies] == ["BTC", "USDT", "ETH"]
    template = examples()["GET /account/v1/currencies"]["example"]["data"]["currencies"][0]
    assert all(entry.keys() == template.keys() for entry in currencies)


def test_no_markets_declared_lists_none() -> None:
    empty = answers()
    assert empty.data("/spot/v1/symbols/details") == {"symbols": []}
    assert empty.data("/account/v1/currencies") == {"currencies": []}


def test_only_get_requests_to_start_up_paths_are_start_up_reads() -> None:
    startup = answers("BTC/USDT")
    assert all(startup.rule_for(BitMartRequest("GET", f"{SPOT}{path}", {})) for path in STARTUP_PATHS)
    assert startup.rule_for(BitMartRequest("POST", f"{SPOT}/spot/v1/symbols/details", {})) is None
    assert startup.rule_for(BitMartRequest("GET", f"{SPOT}/spot/v1/wallet", {})) is None


def test_a_fault_without_a_path_leaves_start_up_reads_alone() -> None:
    """A fault is meant for the calls under test, like an error: market loading still gets its answer."""
    markets = BitMartRequest("GET", f"{SPOT}/spot/v1/symbols/details", {})
    order = BitMartRequest("POST", f"{SPOT}/spot/v2/submit_order", {})
    pathless = fault_rule("read-timeout", {})
    assert pick([pathless], markets) is None  # left to the documented answer
    assert pick([pathless], order) is pathless
    named = fault_rule("cloudflare-520", {"path": "/spot/v1/symbols/details"})
    assert pick([pathless, named], markets) is named


@pytest.mark.parametrize(
    ("symbol", "message"),
    [
        ("BTC_USDT", "'BTC_USDT' is not a ccxt symbol (did you mean 'BTC/USDT'?)"),
        ("btc/usdt", "'btc/usdt' is not a ccxt symbol (did you mean 'BTC/USDT'?)"),
        ("BTCUSDT", "'BTCUSDT' is not a ccxt symbol (did you mean 'BTC/USDT:USDT'?)"),
        ("ETHBTC", "'ETHBTC' is not a ccxt symbol (did you mean 'ETH/BTC'?)"),
        ("BTC/USDT:USDC", "'BTC/USDT:USDC': BitMart's perpetual contracts are USDT-margined"),
        ("BTC", "'BTC' is not a ccxt symbol; write spot markets as 'BTC/USDT'"),
    ],
)
def test_a_bad_symbol_is_named_with_a_suggestion(symbol: str, message: str) -> None:
    with pytest.raises(InvalidRuleError) as raised:
        parse_markets([symbol])
    assert str(raised.value).startswith(message)


# Through pytest and real clients ---------------------------------------------------------------------------

CCXT_SYNC = """
import re

import ccxt
import pytest

{marker}
def test_create_order(bitmart_mock):
    exchange = ccxt.bitmart({{"apiKey": "k", "secret": "s", "uid": "m", "enableRateLimit": False}})
    {setup}
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    {check}
"""


def run_ccxt(pytester: pytest.Pytester, *, marker: str, setup: str = "", check: str = "") -> pytest.RunResult:
    pytest.importorskip("ccxt")
    pytester.makepyfile(CCXT_SYNC.format(marker=marker, setup=setup or "pass", check=check or "pass"))
    return pytester.runpytest("--bitmart-coverage")


def test_a_pathless_error_reaches_create_order_on_a_fresh_ccxt_exchange(pytester: pytest.Pytester) -> None:
    """The false pass of old: market loading no longer takes the error, create_order gets it."""
    result = run_ccxt(
        pytester,
        marker="@pytest.mark.bitmart_error(50020)",
        check='assert [c.request.path for c in bitmart_mock.get_calls(code=50020)] == ["/spot/v2/submit_order"]',
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [f"1/{len(pytest_bitmart.error_codes())} documented error codes exercised by passing tests"]
    )


def ccxt_exchange(**config: Any) -> Any:
    """A fresh sync ccxt BitMart exchange: no markets loaded yet."""
    ccxt = pytest.importorskip("ccxt")
    return ccxt.bitmart({"apiKey": "k", "secret": "s", "uid": "m", "enableRateLimit": False, **config})


@pytest.mark.bitmart_error(50020)
def test_the_false_pass_scenario_never_passes_when_create_order_is_not_reached(
    bitmart_mock: pytest_bitmart.BitMartMock,
) -> None:
    """A test whose create_order is never called cannot pass by market loading raising its error."""
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt_exchange()
    # The inner block is the user's test: it fails, as a test of create_order that never calls it must.
    with pytest.raises(pytest.fail.Exception, match=r"DID NOT RAISE .*InsufficientFunds"):  # noqa: SIM117
        with pytest.raises(ccxt.InsufficientFunds):
            exchange.load_markets()
    # Never served, so never counted as exercised by a passing test.
    assert bitmart_mock.get_calls(code=50020) == ()


def test_a_rule_naming_a_start_up_path_answers_it(pytester: pytest.Pytester) -> None:
    """Market loading itself is tested by naming its path: that rule is meant for it."""
    pytest.importorskip("ccxt")
    pytester.makepyfile(
        """
        import ccxt
        import pytest

        @pytest.mark.bitmart_error(30013, path="/spot/v1/symbols/details")
        def test_markets_rate_limited(bitmart_mock):
            exchange = ccxt.bitmart({"enableRateLimit": False})
            with pytest.raises(ccxt.RateLimitExceeded):
                exchange.load_markets()
            bitmart_mock.assert_call_count(1, code=30013, path="/spot/v1/symbols/details")
        """
    )
    result = pytester.runpytest("--bitmart-coverage")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [f"1/{len(pytest_bitmart.error_codes())} documented error codes exercised by passing tests"]
    )


@pytest.mark.bitmart_error(50020)
def test_a_rule_with_the_path_beats_the_documented_answer_behind_a_pathless_marker(
    bitmart_mock: pytest_bitmart.BitMartMock,
) -> None:
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt_exchange()
    bitmart_mock.ok({"symbols": []}, path="/contract/public/details")
    bitmart_mock.markets("BTC/USDT")
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    assert [c.rule.description for c in bitmart_mock.get_calls(path="/contract/public/details")] == [
        "bitmart_mock.ok(data={'symbols': []}, path='/contract/public/details')"
    ]


@pytest.mark.bitmart_error(50020, path=re.compile("^/spot/"))
def test_an_error_rule_with_a_pattern_leaves_start_up_reads_alone(bitmart_mock: pytest_bitmart.BitMartMock) -> None:
    """A pattern matching /spot/ is meant for spot calls; it would otherwise fail market loading."""
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt_exchange()
    with pytest.raises(ccxt.InsufficientFunds):
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    assert [c.request.path for c in bitmart_mock.get_calls(code=50020)] == ["/spot/v2/submit_order"]


def test_an_ok_rule_answers_start_up_reads_as_anything_else(bitmart_mock: pytest_bitmart.BitMartMock) -> None:
    bitmart_mock.ok({"symbols": []})
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt.bitmart({"enableRateLimit": False})
    assert exchange.load_markets() == {}


@pytest.mark.bitmart_error(50020)
def test_create_order_on_an_undeclared_market_is_bad_symbol(bitmart_mock: pytest_bitmart.BitMartMock) -> None:
    ccxt = pytest.importorskip("ccxt")
    bitmart_mock.markets("ETH/USDT")
    exchange = ccxt_exchange()
    with pytest.raises(ccxt.BadSymbol):
        exchange.create_order("BTC/USDT", "limit", "buy", 1, 30000)
    assert bitmart_mock.get_calls(code=50020) == ()


@pytest.mark.bitmart_error(50020)
def test_start_up_reads_behind_a_pathless_error_get_the_documented_answers(
    bitmart_mock: pytest_bitmart.BitMartMock, client: Client
) -> None:
    """What each client gets: market loading the documented success, the call under test the error."""
    # Declared here: a session-scoped fixture of an earlier test may have declared other markets.
    bitmart_mock.markets("BTC/USDT", "ETH/USDT", "BTC/USDT:USDT")
    markets = client.get(f"{SPOT}/spot/v1/symbols/details")
    assert markets.status == 200
    assert markets.json()["code"] == 1000
    symbols = markets.json()["data"]["symbols"]
    assert [record["symbol"] for record in symbols] == ["BTC_USDT", "ETH_USDT"]
    assert all(record.keys() == spot_template().keys() for record in symbols)
    contracts = client.get(f"{FUTURES}/contract/public/details").json()["data"]["symbols"]
    assert [record["symbol"] for record in contracts] == ["BTCUSDT"]
    order = client.post(f"{SPOT}/spot/v2/submit_order", json={"symbol": "BTC_USDT"})
    assert (order.status, order.json()["code"]) == (400, 50020)
    assert [call.code for call in bitmart_mock.calls] == [1000, 1000, 50020]


def test_a_bad_symbol_fails_the_test_at_the_users_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_typo(bitmart_mock):
            bitmart_mock.markets("BTC_USDT")
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '>       bitmart_mock.markets("BTC_USDT")',
            (
                "E       pytest_bitmart.InvalidRuleError: 'BTC_USDT' is not a ccxt symbol "
                "(did you mean 'BTC/USDT'?); write spot markets as 'BTC/USDT' and perpetual contracts as 'BTC/USDT:USDT'"
            ),
        ]
    )


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_async_ccxt_loads_the_declared_markets_and_create_order_gets_the_error(
    bitmart_mock: pytest_bitmart.BitMartMock,
) -> None:
    pytest.importorskip("aiohttp")
    ccxt_async = pytest.importorskip("ccxt.async_support")
    bitmart_mock.markets("BTC/USDT", "BTC/USDT:USDT")
    exchange = ccxt_async.bitmart(
        {"apiKey": "k", "secret": "s", "uid": "m", "enableRateLimit": False, "timeout_on_exit": 0}
    )
    try:
        with pytest.raises(ccxt_async.InsufficientFunds):
            await exchange.create_order("BTC/USDT:USDT", "limit", "buy", 1, 30000)
    finally:
        await exchange.close()
    assert sorted(exchange.markets) == ["BTC/USDT", "BTC/USDT:USDT"]
    assert [c.request.path for c in bitmart_mock.get_calls(code=50020)] == ["/contract/private/submit-order"]


def test_data_round_trips_through_json() -> None:
    """What is served is plain JSON: the same after encoding and decoding."""
    data = answers(*pytest_bitmart._startup.DEFAULT_MARKETS).data("/contract/public/details")
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("balance_type", "path", "entry_key", "free_key"),
    [
        ("spot", "/spot/v1/wallet", "id", "available"),
        ("account", "/account/v1/wallet", "currency", "available"),
        ("swap", "/contract/private/assets-detail", "currency", "available_balance"),
    ],
)
def test_ccxt_reads_each_documented_balance(
    bitmart_mock: pytest_bitmart.BitMartMock, balance_type: str, path: str, entry_key: str, free_key: str
) -> None:
    ccxt = pytest.importorskip("ccxt")
    data = documented_data(path)
    bitmart_mock.ok(data, path=path)
    exchange = ccxt.bitmart({"apiKey": "k", "secret": "s", "uid": "m", "enableRateLimit": False})
    balance = exchange.fetch_balance({"type": balance_type})
    entries = data if isinstance(data, list) else data["wallet"]
    for entry in entries:
        assert balance[entry[entry_key]]["free"] == float(entry[free_key])


def test_every_code_reaches_create_order_on_fresh_exchanges(pytester: pytest.Pytester) -> None:
    """The every-code fixture has no path either: each code reaches the order, none is taken by market loading."""
    pytest.importorskip("ccxt")
    pytester.makepyfile(
        """
        import ccxt
        import pytest

        @pytest.mark.bitmart_codes(include=[30013, 50020, 60000, 40012])
        def test_order(bitmart_error, bitmart_mock):
            exchange = ccxt.bitmart({"apiKey": "k", "secret": "s", "uid": "m", "enableRateLimit": False})
            symbol = "BTC/USDT:USDT" if bitmart_error.family == "contract" else "BTC/USDT"
            with pytest.raises(ccxt.BaseError):
                exchange.create_order(symbol, "limit", "buy", 1, 30000)
            served = [c.request.path for c in bitmart_mock.calls if c.rule.kind == "error"]
            assert served == ["/contract/private/submit-order" if "USDT:" in symbol else "/spot/v2/submit_order"]
        """
    )
    result = pytester.runpytest("--bitmart-coverage")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [f"4/{len(pytest_bitmart.error_codes())} documented error codes exercised by passing tests"]
    )
