from collections.abc import Iterator
from typing import NamedTuple

import pytest
from bitmart_client import BitMartClient


class Credentials(NamedTuple):
    api_key: str
    secret: str
    memo: str


@pytest.fixture
def credentials() -> Credentials:
    # Made up: pytest-bitmart answers every request, nothing reaches BitMart.
    return Credentials(api_key="test-api-key", secret="test-secret", memo="test-memo")


@pytest.fixture
def sleeps() -> list[float]:
    """The backoff delays the client asked for, recorded instead of slept."""
    return []


@pytest.fixture
def client(credentials: Credentials, sleeps: list[float]) -> Iterator[BitMartClient]:
    with BitMartClient(*credentials, max_attempts=3, backoff=0.5, sleep=sleeps.append) as client:
        yield client
