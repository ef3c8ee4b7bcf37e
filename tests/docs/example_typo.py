import pytest


@pytest.mark.bitmart_error(50200)
def test_order_rejected():
    pass
