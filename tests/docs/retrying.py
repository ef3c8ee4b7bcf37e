import time

import requests

SPOT = "https://api-cloud.bitmart.com"
RETRYABLE = {429, 500, 503}


class GaveUpError(Exception):
    pass


def get_with_retries(path: str, *, attempts: int = 3, sleep=time.sleep) -> dict:
    """GET a BitMart endpoint; retry rate limits and server errors, backing off."""
    for attempt in range(attempts):
        response = requests.get(SPOT + path, timeout=10)
        if response.status_code not in RETRYABLE:
            return response.json()
        if attempt + 1 < attempts:
            sleep(2**attempt)
    raise GaveUpError(
        f"{path}: HTTP {response.status_code} after {attempts} attempts"
    )
