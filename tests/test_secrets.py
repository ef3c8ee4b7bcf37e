"""No raw API key or signature is printed, whatever way a signed request fails and whatever the output options.

Signed requests (``X-BM-KEY``, ``X-BM-SIGN``) fail as unmatched, by an assertion in the test, and by an
error the client raises on the answer, on requests, httpx and aiohttp; the run's stdout, stderr and JUnit
XML must not contain the raw values under the output options users turn on to debug.

Under ``--tb=long`` and ``-l`` pytest prints the arguments of every frame, the client library's own
included: headers passed per call are the library's arguments there, which no plugin can mask. Those runs
sign through the session's default headers, as a client that wants clean tracebacks does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

KEY = "raw0key0d1c9f8e7"
SIGN = "raw0sign0a7b6c5d4e3"

FAILING = f"""
import asyncio

import aiohttp
import httpx
import pytest
import requests

from pytest_bitmart import BitMartRequest

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"
PER_CALL = {{PER_CALL}}


def signed():
    return {{"X-BM-KEY": "{KEY}", "X-BM-SIGN": "{SIGN}", "X-BM-TIMESTAMP": "1700000000000"}}


def per_call():
    return signed() if PER_CALL else None


def send_requests():
    session = requests.Session()
    if not PER_CALL:
        session.headers.update(signed())
    session.get(WALLET, headers=per_call(), timeout=10).raise_for_status()


def send_httpx():
    with httpx.Client(headers=None if PER_CALL else signed()) as client:
        client.get(WALLET, headers=per_call()).raise_for_status()


async def send_aiohttp():
    async with aiohttp.ClientSession(headers=None if PER_CALL else signed(), raise_for_status=True) as session:
        async with session.get(WALLET, headers=per_call()) as response:
            await response.read()


def send(client):
    if client == "aiohttp":
        asyncio.run(send_aiohttp())
    else:
        globals()["send_" + client]()


@pytest.mark.bitmart_error(50020, path="/spot/v1/other")
def test_unmatched(client):
    send(client)


@pytest.mark.bitmart_error(50020)
def test_assertion(client, bitmart_mock):
    try:
        send(client)
    except Exception:
        pass
    (call,) = bitmart_mock.calls
    print(call, call.request)
    assert call.request == BitMartRequest("GET", WALLET, {{"X-BM-KEY": "***"}})


@pytest.mark.bitmart_error(50020)
def test_client_error(client):
    send(client)
"""

# Options under which pytest prints only the test's own frame and the last one in full.
SHORT = [[], ["-v"], ["-vv"], ["-rA"], ["-n", "2"]]
# Options under which it prints every frame's arguments or locals.
LONG = [["--tb=long"], ["-l"], ["--tb=long", "-l"]]
CLIENTS = ["requests", "httpx", "aiohttp"]


def cases() -> list[object]:
    params = []
    for client in CLIENTS:
        for per_call, runs in ((True, SHORT), (False, LONG)):
            for options in runs:
                name = f"{client}-{' '.join(options) or 'default'}-{'per-call' if per_call else 'session'}"
                params.append(pytest.param(client, per_call, options, id=name))
    return params


@pytest.mark.parametrize(("client", "per_call", "options"), cases())
def test_no_raw_secret_in_any_output(
    pytester: pytest.Pytester, client: str, per_call: bool, options: list[str]
) -> None:
    pytester.makepyfile(test_signed=FAILING.replace("{PER_CALL}", str(per_call)))
    pytester.makeconftest(f"import pytest\n\n\n@pytest.fixture\ndef client():\n    return {client!r}\n")
    xml = Path(pytester.path) / "report.xml"
    result = pytester.runpytest_subprocess(*options, f"--junitxml={xml}")
    result.assert_outcomes(failed=3)  # an unmatched request is reported once
    everything = "\n".join([result.stdout.str(), result.stderr.str(), xml.read_text(encoding="utf-8")])
    assert "'X-BM-KEY': '***'" in everything  # the headers are shown, masked
    for secret in (KEY, SIGN):
        assert secret not in everything
