"""No client, patched or not, reaches a BitMart host while a test is armed."""

from __future__ import annotations

import pytest


def test_clients_the_plugin_does_not_answer_are_refused_not_sent(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import http.client
        import socket
        import urllib.request

        import pytest

        ORIGINAL = socket.getaddrinfo

        @pytest.mark.bitmart_error(50020)
        def test_urllib():
            urllib.request.urlopen("https://api-cloud.bitmart.com/spot/v1/wallet", timeout=2)

        @pytest.mark.bitmart_error(50020)
        def test_http_client_swallowed():
            try:
                http.client.HTTPSConnection("api-cloud-v2.bitmart.com", timeout=2).request("GET", "/")
            except Exception:
                pass

        @pytest.mark.bitmart_error(50020)
        def test_other_hosts_still_resolve():
            assert socket.getaddrinfo("localhost", 80)

        def test_the_guard_is_gone_after_the_test():
            assert socket.getaddrinfo is ORIGINAL
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=3, failed=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*::test_http_client_swallowed: 1 BitMart request(s) matched no rule and were not sent:",
            "  CONNECT https://api-cloud-v2.bitmart.com:443 headers={}",
            (
                "  reason: it was made through a client pytest-bitmart does not answer (urllib, urllib3 or "
                "http.client used directly, or another library), which tried to connect to BitMart itself; "
                "pytest-bitmart answers requests, httpx and aiohttp"
            ),
        ]
    )
