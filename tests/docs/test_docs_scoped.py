"""Answers for fixtures of any scope, as the pytest reference page shows them."""

# --8<-- [start:setup]
import pytest
import requests

import pytest_bitmart

SPOT = "https://api-cloud.bitmart.com"
# --8<-- [end:setup]


# --8<-- [start:fixture]
@pytest.fixture(scope="session")
def server_time(request):
    with pytest_bitmart.bitmart_answers(request) as answers:
        # Answers the fixture's own requests, while it is set up and torn down.
        answers.ok({"server_time": 1527777538000}, path="/system/time")
        # Answers, in every test, what the test's own rules do not.
        answers.fallback.ok({"tickers": []}, path="/spot/v1/ticker")
        response = requests.get(f"{SPOT}/system/time", timeout=10)
        yield response.json()["data"]["server_time"]
    assert len(answers.calls) == 1  # once for the whole run


# --8<-- [end:fixture]


# --8<-- [start:tests]
@pytest.mark.bitmart_error(50020, path="/spot/v1/wallet")
def test_own_rules_first(server_time):
    wallet = requests.get(f"{SPOT}/spot/v1/wallet", timeout=10)
    assert wallet.json()["code"] == 50020
    ticker = requests.get(f"{SPOT}/spot/v1/ticker", timeout=10)
    assert ticker.json()["data"] == {"tickers": []}  # the fallback


@pytest.mark.bitmart_error(30013)
def test_a_rule_without_path_answers_first(server_time, bitmart_mock):
    ticker = requests.get(f"{SPOT}/spot/v1/ticker", timeout=10)
    assert ticker.json()["code"] == 30013
    bitmart_mock.assert_call_count(1, code=30013)


# --8<-- [end:tests]
