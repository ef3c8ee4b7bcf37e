"""The endpoint table in the package is its sources, parsed: no auth type or rate limit typed by hand."""

from __future__ import annotations

import inspect
from importlib import resources

import endpoint_sources
import pytest

from pytest_bitmart._endpoints import endpoints, find


def test_endpoint_table_equals_its_committed_sources() -> None:
    packaged = resources.files("pytest_bitmart").joinpath("data/endpoints.tsv").read_text(encoding="utf-8")
    # On a difference, regenerate: python tests/endpoint_sources.py > pytest_bitmart/data/endpoints.tsv
    assert packaged == endpoint_sources.tsv()


def test_every_row_names_its_source() -> None:
    for endpoint in endpoints():
        assert endpoint.repo in {endpoint_sources.SKILLS_REPO, endpoint_sources.DOCS_REPO}
        assert len(endpoint.commit) == 40
        assert endpoint.source


def test_every_limit_agrees_with_bitmarts_own_rate_limit_tables() -> None:
    documented = endpoint_sources.documented_limits()
    checked = 0
    for endpoint in endpoints():
        if endpoint.path in documented:
            limit, window, target = documented[endpoint.path][0]
            assert (endpoint.limit, endpoint.window, endpoint.target) == (int(limit), int(window), target), endpoint
            checked += 1
    # Only the futures affiliate endpoints and the simulated-trading claim are missing from those tables.
    missing = [endpoint.path for endpoint in endpoints() if endpoint.path not in documented]
    assert all(path.startswith(("/contract/private/affiliate/", "/contract/private/claim")) for path in missing)
    assert checked == len(endpoints()) - len(missing)


def test_rows_taken_from_the_official_sdk_have_the_sdks_auth_type() -> None:
    api_account = pytest.importorskip("bitmart.api_account")
    source = inspect.getsource(api_account)
    consts = pytest.importorskip("bitmart.lib.cloud_consts")
    names = {value: name for name, value in vars(consts).items() if isinstance(value, str)}
    for method, path, auth in endpoint_sources.SDK_ROWS:
        line = next(line for line in source.splitlines() if f"{method}, {names[path]}," in line)
        assert ("Auth.SIGNED" in line) == (auth == "SIGNED")
        assert ("Auth." in line) == (auth != "NONE")
        assert find(method, path) is not None


# What the official SDK calls to load markets, read balances, place, cancel and query orders, and withdraw.
SDK_CONSTANTS = [
    ("GET", "API_SPOT_SYMBOLS_DETAILS_URL"),
    ("GET", "API_SPOT_WALLET_URL"),
    ("GET", "API_ACCOUNT_WALLET_URL"),
    ("POST", "API_SPOT_SUBMIT_ORDER_URL"),
    ("POST", "API_SPOT_CANCEL_ORDER_URL"),
    ("POST", "API_SPOT_V4_QUERY_ORDER_BY_ID_URL"),
    ("POST", "API_SPOT_V4_QUERY_OPEN_ORDERS_URL"),
    ("POST", "API_ACCOUNT_WITHDRAW_APPLY_URL"),
    ("GET", "API_CONTRACT_DETAILS_URL"),
    ("GET", "API_CONTRACT_ASSETS_DETAIL_URL"),
    ("POST", "API_CONTRACT_SUBMIT_ORDER_URL"),
    ("POST", "API_CONTRACT_CANCEL_ORDER_URL"),
    ("GET", "API_CONTRACT_ORDER_URL"),
    ("GET", "API_CONTRACT_OPEN_ORDER_URL"),
]


@pytest.mark.parametrize(("method", "constant"), SDK_CONSTANTS)
def test_the_official_sdks_trading_endpoints_are_in_the_table(method: str, constant: str) -> None:
    consts = pytest.importorskip("bitmart.lib.cloud_consts")
    assert find(method, getattr(consts, constant)) is not None


# ccxt's implicit API names (4.5.70) for the same jobs; the path is derived from the name by ccxt itself.
CCXT_CALLS = [
    ("public", "GET", "account/v1/currencies"),
    ("public", "GET", "spot/v1/symbols/details"),
    ("public", "GET", "contract/public/details"),
    ("private", "GET", "spot/v1/wallet"),
    ("private", "GET", "contract/private/assets-detail"),
    ("private", "POST", "spot/v2/submit_order"),
    ("private", "POST", "spot/v3/cancel_order"),
    ("private", "POST", "spot/v4/query/order"),
    ("private", "POST", "spot/v4/query/open-orders"),
    ("private", "POST", "contract/private/submit-order"),
    ("private", "POST", "contract/private/cancel-order"),
    ("private", "GET", "contract/private/order"),
    ("private", "GET", "contract/private/get-open-orders"),
    ("private", "POST", "account/v1/withdraw/apply"),
]


@pytest.mark.parametrize(("api", "method", "path"), CCXT_CALLS)
def test_ccxts_trading_endpoints_are_in_the_table(api: str, method: str, path: str) -> None:
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt.bitmart({"apiKey": "k", "secret": "s", "uid": "m"})
    assert path in exchange.api[api][method.lower()]
    url = exchange.sign(path, api, method, {})["url"]
    assert find(method, url.split(".com", 1)[1].split("?")[0]) is not None


def test_a_malformed_row_is_refused_not_guessed() -> None:
    from pytest_bitmart._endpoints import _row

    with pytest.raises(ValueError, match="bad row"):
        _row(["GET", "/x", "SIGNEDISH", "", "", "", "spot", "r", "s", "c"])


def test_every_signed_endpoint_is_a_post_as_the_gate_page_says() -> None:
    assert {endpoint.method for endpoint in endpoints() if endpoint.auth == "SIGNED"} == {"POST"}
