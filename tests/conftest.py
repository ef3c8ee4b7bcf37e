from __future__ import annotations

import pytest
from clients import CLIENTS, Client

# local_server: a real HTTP server on 127.0.0.1 standing in for the network (other hosts are left alone).
pytest_plugins = ["pytester", "local_server"]

# What an inner pytester run sees unless a test writes its own ini, as a careful user's project would:
# strict markers, warnings as errors (but for the late-collected event loop socket that pyproject.toml
# explains), the written order (pytest-randomly is installed for the isolation tests, which turn it on
# themselves) and pytest-asyncio's loop scope set.
INNER_INI = """
[pytest]
addopts = -p no:randomly --strict-markers
asyncio_default_fixture_loop_scope = function
filterwarnings =
    error
    ignore:Exception ignored in. <socket.socket fd=-1, family=AddressFamily.AF_UNIX:pytest.PytestUnraisableExceptionWarning
"""


@pytest.fixture
def pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INNER_INI)
    return pytester


@pytest.fixture(params=CLIENTS, ids=[client.name for client in CLIENTS])
def client(request: pytest.FixtureRequest) -> Client:
    """Each of requests, httpx, httpx's async client and aiohttp in turn, behind one synchronous interface."""
    return request.param  # type: ignore[no-any-return]
