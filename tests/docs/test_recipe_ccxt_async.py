# --8<-- [start:setup]
import ccxt.async_support as ccxt_async
import pytest

KEYS = {"apiKey": "my-api-key", "secret": "my-secret", "uid": "my-memo"}
# --8<-- [end:setup]


# --8<-- [start:async]
@pytest.mark.asyncio
@pytest.mark.bitmart_error(50020)
async def test_async_swap_order_without_margin(bitmart_mock):
    bitmart_mock.markets("BTC/USDT:USDT")
    # timeout_on_exit=0: close() would otherwise sleep 0.25 s per exchange.
    config = {**KEYS, "enableRateLimit": False, "timeout_on_exit": 0}
    exchange = ccxt_async.bitmart(config)
    try:
        with pytest.raises(ccxt_async.InsufficientFunds):
            await exchange.create_order("BTC/USDT:USDT", "limit", "buy", 1, 30000)
    finally:
        await exchange.close()


# --8<-- [end:async]


def test_close_sleeps_timeout_on_exit_milliseconds_unless_configured() -> None:
    """The option the page recommends is ccxt's own.

    A class default of 250 ms, set per instance.
    """
    assert ccxt_async.Exchange.timeout_on_exit == 250
    assert ccxt_async.bitmart({"timeout_on_exit": 0}).timeout_on_exit == 0


@pytest.mark.asyncio
async def test_close_with_timeout_on_exit_zero_does_not_sleep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []

    async def sleep(milliseconds: float) -> None:
        slept.append(milliseconds)

    exchange = ccxt_async.bitmart({"timeout_on_exit": 0})
    monkeypatch.setattr(exchange, "sleep", sleep)
    await exchange.close()
    assert slept == [0]
