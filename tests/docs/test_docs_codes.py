# --8<-- [start:setup]
import pytest
import requests

from pytest_bitmart import lookup

ASSETS = "https://api-cloud-v2.bitmart.com/contract/private/assets-detail"
# --8<-- [end:setup]


# --8<-- [start:variant]
# The error page documents 40012 with HTTP 500.
@pytest.mark.bitmart_error(40012)
def test_system_error_as_the_error_page_documents_it():
    assert requests.get(ASSETS, timeout=10).status_code == 500


# The futures API docs document it with HTTP 400: a named variant.
@pytest.mark.bitmart_error(40012, variant="futures-docs")
def test_system_error_as_the_futures_docs_document_it(bitmart_error):
    assert bitmart_error.http_status == 400
    response = requests.get(ASSETS, timeout=10)
    assert response.status_code == 400
    assert response.json()["message"] == lookup(40012).message


# --8<-- [end:variant]


# --8<-- [start:codes-source]
# The 99 codes of BitMart's error page.
@pytest.mark.bitmart_codes(source="error-page")
def test_page_codes_only(bitmart_error):
    assert bitmart_error.source == "error-page"


@pytest.mark.bitmart_codes(source=["spot-docs", "futures-docs"], family="contract")
def test_codes_only_the_futures_docs_list(bitmart_error):
    assert bitmart_error.code in {*range(40035, 40051), 42000}


# --8<-- [end:codes-source]
