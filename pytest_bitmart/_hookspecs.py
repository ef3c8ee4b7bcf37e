"""Hooks a ``conftest.py`` can implement to adjust what pytest-bitmart serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # pluggy reads only the argument names: the catalog loads when a test needs it
    from ._render import BitMartResponse
    from ._request import BitMartRequest


@pytest.hookspec
def pytest_bitmart_response(request: BitMartRequest, response: BitMartResponse) -> None:
    """Adjust ``response`` in place before it is served to ``request``.

    Called for every BitMart request a rule answers. Change ``response.headers`` (add a header),
    ``response.payload`` (another trace format: ``response.payload["trace"] = ...``) or
    ``response.status``; the body bytes are rendered from ``payload`` after every hook has run.
    """
