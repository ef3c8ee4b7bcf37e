from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

# What an inner pytester run sees unless a test writes its own ini: the written order (pytest-randomly is
# installed for the isolation tests only) and a quiet pytest-asyncio.
INNER_INI = """
[pytest]
addopts = -p no:randomly
asyncio_default_fixture_loop_scope = function
"""


@pytest.fixture
def pytester(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INNER_INI)
    return pytester
