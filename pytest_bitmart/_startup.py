"""Start-up reads: the public requests a client makes before the call under test, answered with documented data.

A fresh ccxt exchange loads currencies and markets (and, with ``adjustForTimeDifference``, the server
time) before its first real call. A rule without a ``path`` is meant for that call, not for these reads:
if it answered them, market loading would raise the error and a ``pytest.raises`` around the call under
test would pass without the call ever being made. So a start-up read goes to a rule that names its path
(or answers OK), or else gets the documented success answer built here, for the markets the test declared.
"""

from __future__ import annotations

import copy
import difflib
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ._examples import example
from ._request import BitMartRequest
from ._rules import InvalidRuleError, Rule, matches

__all__ = ["DEFAULT_MARKETS", "STARTUP_PATHS", "Market", "StartupAnswers", "is_startup_read", "parse_markets", "pick"]

DEFAULT_MARKETS = ("BTC/USDT", "ETH/USDT", "BTC/USDT:USDT")

CURRENCIES = "/account/v1/currencies"
SPOT_SYMBOLS = "/spot/v1/symbols/details"
CONTRACT_SYMBOLS = "/contract/public/details"
SYSTEM_TIME = "/system/time"
STARTUP_PATHS = (CURRENCIES, SPOT_SYMBOLS, CONTRACT_SYMBOLS, SYSTEM_TIME)

# ccxt 4.5.70 names every BitMart contract BASE/QUOTE:USDT (it hard-codes the settle currency).
_SETTLE = "USDT"
_SYMBOL = re.compile(r"(?P<base>[A-Z0-9]+)/(?P<quote>[A-Z0-9]+)(?::(?P<settle>[A-Z0-9]+))?")
_QUOTES = ("USDT", "USDC", "BTC", "ETH")


@dataclass(frozen=True, slots=True)
class Market:
    """One declared market, in ccxt's notation: ``BTC/USDT`` (spot) or ``BTC/USDT:USDT`` (perpetual)."""

    symbol: str
    base: str
    quote: str
    swap: bool


def parse_markets(symbols: Iterable[object]) -> tuple[Market, ...]:
    """Validate ccxt symbols; raises :class:`InvalidRuleError` with a suggestion for a near miss."""
    markets: list[Market] = []
    for symbol in symbols:
        if not isinstance(symbol, str):
            raise InvalidRuleError(f"markets() takes ccxt symbols such as 'BTC/USDT', got {symbol!r}")
        match = _SYMBOL.fullmatch(symbol)
        if match is None:
            raise InvalidRuleError(
                f"{symbol!r} is not a ccxt symbol{_suggest(symbol)}; write spot markets as 'BTC/USDT' "
                "and perpetual contracts as 'BTC/USDT:USDT'"
            )
        settle = match["settle"]
        if settle is not None and (settle != _SETTLE or match["quote"] != _SETTLE):
            raise InvalidRuleError(
                f"{symbol!r}: BitMart's perpetual contracts are USDT-margined, and ccxt names them "
                f"BASE/USDT:USDT (did you mean '{match['base']}/USDT:USDT'?)"
            )
        market = Market(symbol, match["base"], match["quote"], swap=settle is not None)
        if market not in markets:
            markets.append(market)
    return tuple(markets)


def _suggest(symbol: str) -> str:
    """A did-you-mean for BitMart ids (``BTC_USDT``, ``BTCUSDT``) and lower case."""
    upper = symbol.strip().upper()
    guess = None
    if _SYMBOL.fullmatch(upper):
        guess = upper
    elif upper.count("_") == 1:
        guess = upper.replace("_", "/")
    elif upper.isalnum():
        quote = next((quote for quote in _QUOTES if upper.endswith(quote) and upper != quote), None)
        if quote is not None:
            base = upper[: -len(quote)]
            # BitMart spells contracts BTCUSDT and spot pairs BTC_USDT: a bare id names a contract.
            guess = f"{base}/{quote}:{_SETTLE}" if quote == _SETTLE else f"{base}/{quote}"
    if guess is None:
        close = difflib.get_close_matches(upper, DEFAULT_MARKETS, n=1)
        guess = close[0] if close else None
    return f" (did you mean {guess!r}?)" if guess else ""


class StartupAnswers:
    """The documented success answers to start-up reads, for one test's declared markets."""

    def __init__(self, markets: Sequence[Market]) -> None:
        self.markets = tuple(markets)
        self._rules: dict[str, Rule] = {}

    def rule_for(self, request: BitMartRequest) -> Rule | None:
        """The success rule answering ``request`` if it is a start-up read, else ``None``."""
        if not is_startup_read(request):
            return None
        rule = self._rules.get(request.path)
        if rule is None:
            symbols = ", ".join(market.symbol for market in self.markets) or "none"
            description = f"documented answer to a start-up read (markets: {symbols})"
            rule = Rule("ok", description, method="GET", path=request.path, data=self.data(request.path))
            self._rules[request.path] = rule
        return rule

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The start-up answers built so far (one per path answered)."""
        return tuple(self._rules.values())

    def data(self, path: str) -> Any:
        """The ``data`` answered on start-up read ``path``."""
        if path == SYSTEM_TIME:
            # The documented example's time is from 2018; a client adjusting its clock needs the real one.
            return {"server_time": int(time.time() * 1000)}
        if path == CURRENCIES:
            return {"currencies": self._currencies()}
        spot = path == SPOT_SYMBOLS
        template = example(path)["example"]["data"]["symbols"][0]
        chosen = [market for market in self.markets if market.swap != spot]
        return {"symbols": [_market_record(template, market, number) for number, market in enumerate(chosen)]}

    def _currencies(self) -> list[dict[str, Any]]:
        template = example(CURRENCIES)["example"]["data"]["currencies"][0]
        codes = dict.fromkeys(code for market in self.markets for code in (market.base, market.quote))
        records = []
        for code in codes:
            record = copy.deepcopy(template)
            record.update(currency=code, name=code, network=code)
            records.append(record)
        return records


def _market_record(template: dict[str, Any], market: Market, number: int) -> dict[str, Any]:
    """The documented record with its symbol-specific fields changed to ``market``'s."""
    record = copy.deepcopy(template)
    record.update(base_currency=market.base, quote_currency=market.quote)
    if market.swap:
        contract_id = f"{market.base}{market.quote}"
        # The example describes a delisted contract; "Trading" is the page's other documented status.
        record.update(symbol=contract_id, index_name=contract_id, status="Trading")
        record.pop("delist_time", None)
    else:
        record.update(symbol=f"{market.base}_{market.quote}", symbol_id=template["symbol_id"] + number)
    return record


def pick(rules: Iterable[Rule], request: BitMartRequest) -> Rule | None:
    """The first live rule matching ``request``, with one exception; ``None`` if no rule answers it.

    A start-up read is answered by an error rule only if the rule names its path exactly: a rule without
    a path, or with a pattern such as ``re.compile("^/spot/")``, is meant for the calls under test. The
    read goes to the first live rule that names its path or answers OK; if none does, the caller serves
    the documented answer (:meth:`StartupAnswers.rule_for`) after any other rules it consults.
    """
    startup = is_startup_read(request)
    for rule in rules:
        if not rule.used_up and matches(rule, request) and (not startup or _meant_for_startup(rule)):
            return rule
    return None


def is_startup_read(request: BitMartRequest) -> bool:
    """Whether ``request`` is a client's start-up read (market loading, server time)."""
    return request.method == "GET" and request.path in STARTUP_PATHS


def _meant_for_startup(rule: Rule) -> bool:
    return isinstance(rule.path, str) or rule.kind == "ok"
