"""A ccxt client that loads its markets once per run (async client)."""

# --8<-- [start:setup]
import ccxt.async_support as ccxt_async
import pytest
import pytest_asyncio

import pytest_bitmart

# --8<-- [end:setup]


# --8<-- [start:fixture]
@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def async_exchange(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        answers.markets("BTC/USDT")
        client = ccxt_async.bitmart(
            {
                "apiKey": "my-api-key",
                "secret": "my-secret",
                "uid": "my-memo",
                "timeout_on_exit": 0,  # close() would wait 250 ms
            }
        )
        await client.load_markets()
        yield client
        await client.close()


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.bitmart_error(50020)
async def test_balance_not_enough(async_exchange, bitmart_mock):
    with pytest.raises(ccxt_async.InsufficientFunds):
        await async_exchange.fetch_balance()
    bitmart_mock.assert_call_count(1, path="/spot/v1/wallet")


# --8<-- [end:fixture]
