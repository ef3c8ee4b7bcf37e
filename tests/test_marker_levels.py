"""Markers at every level: the function's come first, then the class's, then the module's, each top to bottom.

A module of its own, since its module-level markers apply to every test in it.
"""

from __future__ import annotations

import pytest
from clients import Client

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"

pytestmark = [pytest.mark.bitmart_error(30005, times=1), pytest.mark.bitmart_error(30006)]


def codes(client: Client, n: int) -> list[int]:
    return [client.get(WALLET).json()["code"] for _ in range(n)]


@pytest.mark.bitmart_error(30001, times=1)
@pytest.mark.bitmart_error(30002, times=1)
class TestLevels:
    @pytest.mark.bitmart_error(50020, times=1)
    @pytest.mark.bitmart_error(50021, times=1)
    def test_function_markers_come_before_class_and_module_markers(self, client: Client) -> None:
        assert codes(client, 7) == [50020, 50021, 30001, 30002, 30005, 30006, 30006]

    def test_class_markers_come_before_module_markers(self, client: Client) -> None:
        assert codes(client, 4) == [30001, 30002, 30005, 30006]


def test_module_markers_alone(client: Client) -> None:
    assert codes(client, 3) == [30005, 30006, 30006]
