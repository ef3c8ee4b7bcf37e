from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

# What an inner pytester run sees unless a test writes its own ini, as a careful user's project would:
# strict markers, warnings as errors, the written order (pytest-randomly is installed for the isolation
# tests, which turn it on themselves) and pytest-asyncio's loop scope set.
INNER_INI = """
[pytest]
addopts = -p no:randomly --strict-markers
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


@pytest.fixture
def pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INNER_INI)
    return pytester
