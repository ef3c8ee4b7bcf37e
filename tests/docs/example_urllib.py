import json
import urllib.request

import pytest


@pytest.mark.bitmart_error(50020)
def test_wallet():
    url = "https://api-cloud.bitmart.com/spot/v1/wallet"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert json.load(response)["code"] == 50020
