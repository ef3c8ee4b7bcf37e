# --8<-- [start:setup]
import ccxt.async_support as ccxt_async
import pytest

# --8<-- [end:setup]


# --8<-- [start:async]
@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
async def test_async_balance_not_enough(bitmart_mock):
    bitmart_mock.ok({"currencies": []}, path="/account/v1/currencies")
    bitmart_mock.ok({"symbols": []}, path="/spot/v1/symbols/details")
    bitmart_mock.ok({"symbols": []}, path="/contract/public/details")
    exchange = ccxt_async.bitmart(
        {
            "apiKey": "my-api-key",
            "secret": "my-secret",
            "uid": "my-memo",
            "enableRateLimit": False,
        }
    )
    try:
        with pytest.raises(ccxt_async.InsufficientFunds):
            await exchange.fetch_balance()
    finally:
        await exchange.close()


# --8<-- [end:async]
