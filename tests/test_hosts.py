"""Which hosts are BitMart's, what an unanswered BitMart request does, and the response hook.

Which hosts each client gets answered for is tested in-process; the ini option, teardown failures and
the hook (a conftest of its own) through pytester.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clients import Client
from local_server import LocalServer

from pytest_bitmart import BitMartMock, lookup
from pytest_bitmart._hosts import HostMatcher, HostsError, normalise, parse_hosts

INI = """
[pytest]
addopts = -p no:randomly --strict-markers
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""

LOCAL_SERVER = (Path(__file__).parent / "local_server.py").read_text()


@pytest.fixture
def pt(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INI)
    pytester.makeconftest(LOCAL_SERVER)
    return pytester


@pytest.mark.parametrize(
    ("written", "resolved"),
    [
        ("api-cloud.bitmart.com", "api-cloud.bitmart.com"),
        ("API-Cloud.BitMart.COM.", "api-cloud.bitmart.com"),
        (b"api-cloud.bitmart.com.:443", "api-cloud.bitmart.com"),
        (" api-cloud.bitmart.com:8443 ", "api-cloud.bitmart.com"),
        ("[::1]:443", "::1"),
        ("\uff41\uff50\uff49-cloud.\uff22\uff49\uff54\uff2d\uff41\uff52\uff54.com", "api-cloud.bitmart.com"),
        ("api-cloud.bitmart\u3002com\uff0e", "api-cloud.bitmart.com"),
        ("::1", "::1"),
        ("127.0.0.1:80", "127.0.0.1"),
    ],
)
def test_normalise_gives_the_name_a_client_resolves(written: str | bytes, resolved: str) -> None:
    assert normalise(written) == resolved


@pytest.mark.parametrize(
    "host",
    [
        "api-cloud.bitmart.com",
        "API-CLOUD-V2.BITMART.COM.",
        "demo-api-cloud-v2.bitmart.com:443",
        "bitmart.com",
        "www.bitmart.com",
        "ws-manager-compress.bitmart.com",
        "openapi-ws-v2.bitmart.com",
        "api-cloud.bitmart.info",
        "api-cloud-v2.bitmart.news",
        b"api-cloud.bitmart.com",
        "proxy.example",
        "a.b.wild.example",
    ],
)
def test_every_name_under_bitmarts_domains_and_the_configured_hosts_match(host: str | bytes) -> None:
    assert HostMatcher(["proxy.example", "*.wild.example"]).matches(host)


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "api-cloud.bitmart.com.evil",
        "notbitmart.com",
        "bitmart.community",
        "wild.example",
        "127.0.0.1",
        bytearray(b"api-cloud.bitmart.com"),
        443,
    ],
)
def test_lookalikes_and_other_hosts_do_not_match(host: object) -> None:
    assert not HostMatcher(["proxy.example", "*.wild.example"]).matches(host)


def test_bitmart_hosts_entries_are_normalised_where_the_meaning_is_clear() -> None:
    entries = [
        "",
        "  Proxy.Example.  ",
        "https://gateway.example/",
        "http://GATEWAY2.example",
        "*.Wild.Example",
        "[::1]",
    ]
    assert parse_hosts(entries) == ("proxy.example", "gateway.example", "gateway2.example", "*.wild.example", "::1")


PREFIX = "pytest-bitmart: the bitmart_hosts ini option: "


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "localhost:8080",
            (
                "'localhost:8080' has a port: hosts are matched on every port (a client resolves the name, not the "
                "name and port), so a port would only suggest a narrower match than the one made. Write the host "
                "alone: 'localhost'."
            ),
        ),
        (
            "https://proxy.example:8443/",
            (
                "'https://proxy.example:8443/' has a port: hosts are matched on every port (a client resolves the "
                "name, not the name and port), so a port would only suggest a narrower match than the one made. "
                "Write the host alone: 'proxy.example'."
            ),
        ),
        (
            "https://proxy.example/bitmart",
            (
                "'https://proxy.example/bitmart' is a URL with more than a host: requests are matched by host name "
                "alone, so every request to that host is BitMart's whatever its path. Write the host alone: "
                "'proxy.example'."
            ),
        ),
        (
            "api-*.example.com",
            (
                "'api-*.example.com' has a wildcard in the middle of a name: only a leading '*.' is understood "
                "(every name under a domain, as in '*.proxy.example.com'). List each host on its own line instead."
            ),
        ),
        (
            "*.com",
            (
                "'*.com' would treat every host under a top-level domain as BitMart's. Name the domain "
                "('*.proxy.example.com') or list each host on its own line."
            ),
        ),
        (
            "proxy.example other.example",
            (
                "'proxy.example other.example' is not a host name: write one host per line, such as "
                "'proxy.example.com' or '*.proxy.example.com'."
            ),
        ),
    ],
)
def test_bitmart_hosts_entries_that_could_never_match_as_written_are_refused_with_the_fix(
    entry: str, message: str
) -> None:
    with pytest.raises(HostsError) as raised:
        parse_hosts(["ok.example", entry])
    assert str(raised.value) == PREFIX + message


@pytest.mark.bitmart_error(50020)
@pytest.mark.parametrize("host", ["api-cloud.bitmart.com", "api-cloud-v2.bitmart.com", "demo-api-cloud-v2.bitmart.com"])
def test_the_three_documented_hosts_are_answered(host: str, client: Client) -> None:
    assert client.get(f"https://{host}/x").status == 400


@pytest.mark.bitmart_error(50020)
def test_other_hosts_reach_the_network(local_server: LocalServer, client: Client) -> None:
    assert client.get(local_server.url + "/a").text == "from the local server"
    assert client.get(local_server.url + "/b").text == "from the local server"
    assert local_server.hits == ["/a", "/b"]


@pytest.mark.bitmart_error(50020)
def test_lookalike_hosts_are_not_bitmart(bitmart_mock: BitMartMock, client: Client) -> None:
    for url in ("https://api-cloud.bitmart.com.evil/x", "https://bitmart.community/x"):
        with pytest.raises(client.connection_error):
            client.get(url)
    assert bitmart_mock.calls == ()


def test_bitmart_hosts_ini_adds_a_host(pt: pytest.Pytester) -> None:
    pt.makeini(INI + "bitmart_hosts =\n    localhost\n    BitMart.Proxy.Example\n")
    pt.makepyfile(
        """
        import httpx
        import pytest
        import requests


        @pytest.mark.bitmart_error(50020)
        def test_extra_hosts(local_server, bitmart_mock):
            port = local_server.url.rsplit(":", 1)[1]
            assert requests.get(f"http://localhost:{port}/spot/v1/wallet").json()["code"] == 50020
            assert httpx.get("https://bitmart.proxy.example/spot/v1/wallet").json()["code"] == 50020
            assert requests.get("https://api-cloud.bitmart.com/spot/v1/wallet").json()["code"] == 50020
            # The configured host is answered by the plugin, never by the server behind it.
            assert local_server.hits == []
            assert len(bitmart_mock.calls) == 3
        """
    )
    pt.runpytest().assert_outcomes(passed=1)


def test_bitmart_hosts_ini_takes_a_bare_url_and_a_wildcard(pt: pytest.Pytester) -> None:
    pt.makeini(INI + "bitmart_hosts =\n    https://Gateway.Example/\n    *.proxy.example\n")
    pt.makepyfile(
        """
        import pytest
        import requests


        @pytest.mark.bitmart_error(50020)
        def test_extra_hosts(bitmart_mock):
            for url in ("https://gateway.example/spot/v1/wallet", "https://eu.proxy.example/spot/v1/wallet"):
                assert requests.get(url).json()["code"] == 50020
            assert [call.request.host for call in bitmart_mock.calls] == ["gateway.example", "eu.proxy.example"]
        """
    )
    pt.runpytest().assert_outcomes(passed=1)


def test_a_bitmart_hosts_entry_that_could_never_match_stops_the_run_with_the_fix(pt: pytest.Pytester) -> None:
    pt.makeini(INI + "bitmart_hosts =\n    proxy.example\n    localhost:8080\n")
    pt.makepyfile("def test_never_runs():\n    pass\n")
    result = pt.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            (
                "ERROR: pytest-bitmart: the bitmart_hosts ini option: 'localhost:8080' has a port: hosts are matched "
                "on every port (a client resolves the name, not the name and port), so a port would only suggest a "
                "narrower match than the one made. Write the host alone: 'localhost'."
            )
        ]
    )


@pytest.mark.bitmart_error(40012, path="/spot/v1/wallet")
@pytest.mark.bitmart_error(50020, host="api-cloud-v2.bitmart.com")
@pytest.mark.bitmart_error(30002, host="demo-api-cloud-v2.bitmart.com")
@pytest.mark.bitmart_error(60001)
def test_envelope_follows_the_codes_family_whatever_the_host(client: Client) -> None:
    contract_on_spot = client.get("https://api-cloud.bitmart.com/spot/v1/wallet").json()
    spot_on_futures = client.get("https://api-cloud-v2.bitmart.com/contract/private/x").json()
    auth_on_demo = client.get("https://demo-api-cloud-v2.bitmart.com/contract/private/x").json()
    funding_on_spot_host = client.get("https://api-cloud.bitmart.com/spot/v2/orders").json()
    assert list(contract_on_spot) == ["code", "message", "trace"]
    assert list(spot_on_futures) == ["code", "trace", "message", "data"]
    assert list(auth_on_demo) == ["code", "message", "trace", "data"]
    assert list(funding_on_spot_host) == ["code", "trace", "message", "data"]
    assert [body["message"] for body in (contract_on_spot, spot_on_futures, auth_on_demo)] == [
        lookup(40012).message,
        lookup(50020).message,
        lookup(30002).message,
    ]
    assert funding_on_spot_host["message"] == lookup(60001).message


def test_unmatched_request_raises_and_fails_the_test_even_if_swallowed(pt: pytest.Pytester) -> None:
    pt.makeini(INI + "bitmart_hosts = localhost\n")
    pt.makepyfile(
        """
        import httpx
        import pytest
        import requests

        from pytest_bitmart import UnmatchedRequestError

        SIGNED = {"X-BM-KEY": "the-key", "X-BM-SIGN": "the-signature", "X-BM-TIMESTAMP": "17"}


        @pytest.mark.bitmart_error(50020, method="POST")
        def test_client_sees_the_error(local_server):
            port = local_server.url.rsplit(":", 1)[1]
            with pytest.raises(UnmatchedRequestError, match="no rule answers GET http://localhost:"):
                requests.get(f"http://localhost:{port}/spot/v1/wallet", headers=SIGNED)
            with pytest.raises(UnmatchedRequestError):
                httpx.get(f"http://localhost:{port}/contract/private/x")
            # Matched nothing, so sent nowhere: the server behind the BitMart host saw nothing.
            assert local_server.hits == []


        @pytest.mark.asyncio
        @pytest.mark.bitmart_error(50020, method="POST")
        async def test_async_client_sees_the_error(local_server):
            port = local_server.url.rsplit(":", 1)[1]
            async with httpx.AsyncClient() as client:
                with pytest.raises(UnmatchedRequestError):
                    await client.get(f"http://localhost:{port}/spot/v1/wallet")
            assert local_server.hits == []


        @pytest.mark.bitmart_error(50020, path="/spot/v2/submit_order")
        def test_swallowed():
            try:
                requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", headers=SIGNED)
            except Exception:
                pass


        @pytest.mark.bitmart_error(50020, path="/spot/v2/submit_order")
        def test_swallowed_by_retry_code_catching_network_errors():
            try:
                httpx.get("https://api-cloud.bitmart.com/spot/v1/wallet")
            except httpx.HTTPError:
                raise AssertionError("the unmatched error is not a network error") from None
            except AssertionError:
                pass
        """
    )
    result = pt.runpytest()
    # Each test body passes; each then fails at teardown: a marked test with an unanswered request cannot pass.
    result.assert_outcomes(passed=4, errors=4)
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_client_sees_the_error*",
            (
                "pytest-bitmart: test_unmatched_request_raises_and_fails_the_test_even_if_swallowed.py"
                "::test_client_sees_the_error: 2 BitMart request(s) matched no rule and were not sent:"
            ),
            (
                "  GET http://localhost:*/spot/v1/wallet headers={*'X-BM-KEY': '***', 'X-BM-SIGN': '***',"
                " 'X-BM-TIMESTAMP': '17'}"
            ),
            "  GET http://localhost:*/contract/private/x headers={*}",
            "Rules armed for this test:",
            "  1. bitmart_error(50020, method='POST'): answered 0 (unlimited)",
            (
                "Arm a rule that answers them (@pytest.mark.bitmart_error(...), bitmart_mock.error(...) or "
                "bitmart_mock.ok(...)), or narrow an existing rule's method/path/host/times."
            ),
            "*ERROR at teardown of test_async_client_sees_the_error*",
            "*ERROR at teardown of test_swallowed*",
            "*::test_swallowed: 1 BitMart request(s) matched no rule and were not sent:",
            "  GET https://api-cloud.bitmart.com/spot/v1/wallet headers={*'X-BM-KEY': '***'*}",
            "  1. bitmart_error(50020, path='/spot/v2/submit_order'): answered 0 (unlimited)",
            "*ERROR at teardown of test_swallowed_by_retry_code_catching_network_errors*",
        ]
    )
    assert "the-key" not in result.stdout.str()
    assert "the-signature" not in result.stdout.str()


def test_response_hook_adds_a_header_and_changes_the_trace(pt: pytest.Pytester) -> None:
    pt.makeconftest(
        LOCAL_SERVER
        + """

def pytest_bitmart_response(request, response):
    response.headers["X-Seen-Path"] = request.path
    if response.payload is not None:
        response.payload["trace"] = "trace-" + request.method.lower()
"""
    )
    pt.makepyfile(
        """
        import json

        import httpx
        import pytest
        import requests

        from pytest_bitmart import lookup


        @pytest.mark.bitmart_error(50020)
        def test_hooked():
            response = requests.get("https://api-cloud.bitmart.com/spot/v1/wallet")
            assert response.headers["X-Seen-Path"] == "/spot/v1/wallet"
            # The body is rendered after the hook, in the family's key order, with the new trace.
            expected = {"code": 50020, "trace": "trace-get", "message": lookup(50020).message, "data": {}}
            assert response.content == json.dumps(expected, separators=(",", ":")).encode()


        def test_hooked_ok_on_httpx(bitmart_mock):
            bitmart_mock.ok({"n": 1})
            response = httpx.post("https://api-cloud-v2.bitmart.com/contract/private/x")
            assert response.headers["x-seen-path"] == "/contract/private/x"
            assert response.json()["trace"] == "trace-post"
            assert bitmart_mock.calls[0].response.payload["trace"] == "trace-post"
        """
    )
    pt.runpytest().assert_outcomes(passed=2)
