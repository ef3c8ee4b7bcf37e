"""The example of docs/recipes/ccxt.md for ccxt's async client, which runs on aiohttp."""

import importlib.util

import pytest

# ccxt.async_support speaks aiohttp; without pytest-bitmart's aiohttp transport there is nothing to test.
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pytest_bitmart._aiohttp") is None,
    reason="pytest-bitmart has no aiohttp transport in this version",
)

# --8<-- [start:async]
import ccxt.async_support as ccxt_async  # noqa: E402


@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
async def test_async_balance_not_enough(bitmart_mock):
    bitmart_mock.ok({"currencies": []}, path="/account/v1/currencies")
    bitmart_mock.ok({"symbols": []}, path="/spot/v1/symbols/details")
    bitmart_mock.ok({"symbols": []}, path="/contract/public/details")
    exchange = ccxt_async.bitmart(
        {"apiKey": "my-api-key", "secret": "my-secret", "uid": "my-memo", "enableRateLimit": False}
    )
    try:
        with pytest.raises(ccxt_async.InsufficientFunds):
            await exchange.fetch_balance()
    finally:
        await exchange.close()


# --8<-- [end:async]
