# --8<-- [start:tests]
import pytest
import requests

SPOT = "https://api-cloud.bitmart.com"


def rate_limit(response: requests.Response) -> dict[str, str]:
    return {
        name: response.headers[f"X-BM-RateLimit-{name}"]
        for name in ("Remaining", "Limit", "Reset", "Mode")
    }


def test_remaining_counts_the_requests_used(bitmart_mock):
    bitmart_mock.ok({"wallet": []})
    first = requests.get(f"{SPOT}/spot/v1/wallet", timeout=10)
    second = requests.get(
        f"{SPOT}/spot/v1/wallet", headers={"X-BM-KEY": "my-api-key"}, timeout=10
    )
    # Despite its name, Remaining counts the requests already used in the window.
    assert rate_limit(first) == {
        "Remaining": "1",
        "Limit": "600",
        "Reset": "60",
        "Mode": "IP",
    }
    assert rate_limit(second) == {
        "Remaining": "2",
        "Limit": "600",
        "Reset": "60",
        "Mode": "UID",
    }


@pytest.mark.bitmart_error(30013)
def test_rate_limited_response_is_over_the_limit():
    response = requests.get(f"{SPOT}/spot/v1/wallet", timeout=10)
    assert response.status_code == 429
    used, limit = (
        int(response.headers["X-BM-RateLimit-Remaining"]),
        int(response.headers["X-BM-RateLimit-Limit"]),
    )
    assert used > limit


@pytest.mark.bitmart_error(
    30013, headers={"X-BM-RateLimit-Remaining": "42", "Retry-After": "5"}
)
def test_override_the_headers():
    response = requests.get(f"{SPOT}/spot/v1/wallet", timeout=10)
    assert response.headers["X-BM-RateLimit-Remaining"] == "42"
    assert response.headers["Retry-After"] == "5"


# --8<-- [end:tests]
