# --8<-- [start:setup]
import pytest

from retrying import GaveUpError, get_with_retries

# --8<-- [end:setup]


# --8<-- [start:tests]
@pytest.fixture
def no_sleep():
    """Records the backoff instead of waiting it out."""
    delays = []
    return delays, delays.append


def test_rate_limited_twice_then_ok(bitmart_mock, no_sleep):
    delays, sleep = no_sleep
    bitmart_mock.error(30013, times=2)  # rate-limited (HTTP 429), twice
    bitmart_mock.ok({"wallet": []})  # then the documented success envelope

    body = get_with_retries("/spot/v1/wallet", sleep=sleep)

    assert body["code"] == 1000
    assert delays == [1, 2]
    bitmart_mock.assert_call_count(2, code=30013)
    bitmart_mock.assert_call_count(3, path="/spot/v1/wallet")


@pytest.mark.bitmart_error(30013)  # every request is rate limited
def test_gives_up_after_three_attempts(bitmart_mock, no_sleep):
    delays, sleep = no_sleep
    with pytest.raises(GaveUpError, match="HTTP 429 after 3 attempts"):
        get_with_retries("/spot/v1/wallet", sleep=sleep)
    bitmart_mock.assert_call_count(3)
    assert delays == [1, 2]


@pytest.mark.bitmart_codes(http_status=[429, 500, 503], times=1)
def test_recovers_from_every_retryable_error(bitmart_error, bitmart_mock, no_sleep):
    _, sleep = no_sleep
    bitmart_mock.ok({"wallet": []})
    assert get_with_retries("/spot/v1/wallet", sleep=sleep)["code"] == 1000
    assert [call.code for call in bitmart_mock.calls] == [bitmart_error.code, 1000]


@pytest.mark.bitmart_codes(http_status=400)
def test_does_not_retry_client_errors(bitmart_error, bitmart_mock, no_sleep):
    delays, sleep = no_sleep
    assert (
        get_with_retries("/spot/v1/wallet", sleep=sleep)["code"]
        == bitmart_error.code
    )
    bitmart_mock.assert_call_count(1)
    assert delays == []


# --8<-- [end:tests]
