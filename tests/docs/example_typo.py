# Run by tests/test_docs.py through pytester, as test_typo.py; its output is shown in docs/getting-started.md.
import pytest


@pytest.mark.bitmart_error(50200)
def test_order_rejected():
    pass
