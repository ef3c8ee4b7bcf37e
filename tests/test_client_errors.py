"""What ccxt and the official SDK do with each documented code, as the error-code pages show it.

The pages render ``tests/docs/client_errors.json``; this test runs both clients against every code
through the plugin and compares. After a catalog or client upgrade, regenerate the file with
``PYTEST_BITMART_REGENERATE=1 python -m pytest tests/test_client_errors.py`` and review the diff; the
same variable rewrites the URL tables of ``tests/test_client_urls.py``.
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from pytest_bitmart import BitMartMock, error_codes

ccxt = pytest.importorskip("ccxt")
pytest.importorskip("bitmart")

from bitmart.api_spot import APISpot  # noqa: E402 - after the skip, which needs no SDK
from bitmart.lib.cloud_exceptions import APIException  # noqa: E402

DATA = Path(__file__).parent / "docs" / "client_errors.json"
WALLET = "/spot/v1/wallet"


def _ccxt_outcome(exchange: Any) -> dict[str, Any]:
    try:
        exchange.fetch_balance()
    except ccxt.BaseError as error:
        return {"raises": f"ccxt.{type(error).__name__}"}
    return {"raises": None}


def _sdk_outcome(spot: APISpot) -> dict[str, Any]:
    try:
        spot.get_wallet()
    except APIException as error:
        return {"raises": "APIException", "status_code": error.status_code}
    return {"raises": None}


def observe(bitmart_mock: BitMartMock) -> dict[str, Any]:
    # ccxt loads markets first; those start-up reads get BitMart's documented answers, since no rule
    # names their paths, so every error below reaches the call under test.
    exchange = ccxt.bitmart({"apiKey": "key", "secret": "secret", "uid": "memo", "enableRateLimit": False})
    exchange.load_markets()
    spot = APISpot(api_key="key", secret_key="secret", memo="memo")
    codes = {}
    for entry in error_codes():
        # One answer for ccxt, one for the SDK; then the rule steps aside for the next code's.
        bitmart_mock.error(entry.code, path=WALLET, times=2)
        codes[str(entry.code)] = {"ccxt": _ccxt_outcome(exchange), "sdk": _sdk_outcome(spot)}
    return {
        "ccxt": version("ccxt"),
        "sdk": version("bitmart-python-sdk-api"),
        "call": {"ccxt": "fetch_balance()", "sdk": "APISpot.get_wallet()"},
        "codes": codes,
    }


def test_the_pages_show_what_ccxt_and_the_sdk_do_for_each_code(bitmart_mock: BitMartMock) -> None:
    observed = observe(bitmart_mock)
    if os.environ.get("PYTEST_BITMART_REGENERATE"):
        DATA.write_text(json.dumps(observed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    recorded = json.loads(DATA.read_text(encoding="utf-8"))
    for client in ("ccxt", "sdk"):
        if recorded[client] != observed[client]:
            pytest.skip(
                f"the pages record {client} {recorded[client]} and {observed[client]} is installed: "
                f"install {client} {recorded[client]} to check them, or regenerate the file"
            )
    assert recorded == observed, (
        f"{DATA.name} no longer matches ccxt {observed['ccxt']} and the SDK {observed['sdk']}: "
        "regenerate it with PYTEST_BITMART_REGENERATE=1 and review the diff"
    )
