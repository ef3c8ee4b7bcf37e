"""The generated test suites the subprocess measurements run, each written into its own temporary folder.

- ``write_startup_suite``: 50 trivial tests, for what the plugin adds to ``pytest --collect-only``.
- ``write_every_code_suite``: one test per documented code per client through the ``bitmart_error`` fixture.
- ``write_hand_written_suite``: the same tests as a user would write them without the plugin: the 99 canned
  responses spelt out in the file and registered with responses / respx / a loopback server.
- ``write_empty_suite``: as many empty tests, pytest's own floor.
"""

from __future__ import annotations

import importlib.util
import textwrap
from collections.abc import Sequence
from pathlib import Path

from pytest_bitmart import ErrorCode, error_codes, render

URL = "https://api-cloud.bitmart.com/spot/v1/ticker"
# Same trace on every hand-written body: a hand-written suite has no reason to vary it.
_TRACE = "0f4c2b5e-8d1a-4c3e-9b7f-2a6d5e8c1b90"


def _ini() -> str:
    """The rootdir's own ini, so that no configuration of the folders around the temporary one leaks in."""
    lines = ["[pytest]"]
    if importlib.util.find_spec("pytest_asyncio") is not None:  # silences its warning about an unset option
        lines.append("asyncio_default_fixture_loop_scope = function")
    return "\n".join(lines) + "\n"


def aiohttp_transport() -> bool:
    """Whether the plugin answers aiohttp (its adapter module exists) and aiohttp is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("aiohttp", "pytest_bitmart._aiohttp"))


def transports() -> tuple[str, ...]:
    """The clients every suite covers: requests, httpx sync and async, and aiohttp when the plugin serves it."""
    return ("requests", "httpx", "httpx_async", *(("aiohttp",) if aiohttp_transport() else ()))


def fixture_available() -> bool:
    """Whether the installed plugin has the ``bitmart_error`` fixture."""
    import pytest_bitmart.plugin

    return hasattr(pytest_bitmart.plugin, "pytest_configure")  # the fixtures register with it


def case_count() -> int:
    """How many tests the every-code suites hold."""
    return len(error_codes()) * len(transports())


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text(_ini())
    for name, source in files.items():
        (folder / name).write_text(textwrap.dedent(source).lstrip())
    return folder


def write_startup_suite(folder: Path) -> Path:
    """Five modules of ten trivial tests: start-up and collection, nothing else."""
    module = "".join(f"def test_{number}():\n    assert {number} == {number}\n\n\n" for number in range(10))
    return _write(folder, {f"test_module_{index}.py": module for index in range(5)})


def write_empty_suite(folder: Path, entries: Sequence[ErrorCode] | None = None) -> Path:
    """One empty test per documented code (or per one of ``entries``) per transport: pytest's own cost."""
    codes = _codes(_entries(entries))
    tests = "".join(
        f"""
        @pytest.mark.parametrize("code", CODES)
        def test_{transport}(code):
            pass

        """
        for transport in transports()
    )
    return _write(folder, {"test_empty.py": f"import pytest\n\nCODES = {codes!r}\n\n{textwrap.dedent(tests)}"})


ARMING_TESTS = 500


def write_arming_suite(folder: Path, *, marked: bool) -> Path:
    """``ARMING_TESTS`` empty tests, each armed with a marker or not: what arming a test costs by itself."""
    mark = "@pytest.mark.bitmart_error(50020)\n" if marked else ""
    module = "import pytest\n\n\n" + "".join(
        f"{mark}def test_{number}():\n    pass\n\n\n" for number in range(ARMING_TESTS // 5)
    )
    return _write(folder, {f"test_arming_{index}.py": module for index in range(5)})


def write_every_code_suite(folder: Path, entries: Sequence[ErrorCode] | None = None) -> Path:
    """Each client's test once, run by the plugin for every documented code through ``bitmart_error``.

    Given ``entries``, a module-level ``bitmart_codes(include=...)`` marker narrows the run to those codes,
    as a user narrows it.
    """
    narrowed = "" if entries is None else f"pytestmark = pytest.mark.bitmart_codes(include={_codes(entries)!r})"
    source = f"""
        import asyncio

        import httpx
        import pytest
        import requests

        URL = {URL!r}
        {narrowed}


        def expected(entry):
            return entry.http_status, entry.code


        def test_requests(bitmart_error):
            response = requests.get(URL, timeout=5)
            assert (response.status_code, response.json()["code"]) == expected(bitmart_error)


        def test_httpx(bitmart_error):
            with httpx.Client() as client:
                response = client.get(URL)
            assert (response.status_code, response.json()["code"]) == expected(bitmart_error)


        def test_httpx_async(bitmart_error):
            async def get():
                async with httpx.AsyncClient() as client:
                    return await client.get(URL)

            response = asyncio.run(get())
            assert (response.status_code, response.json()["code"]) == expected(bitmart_error)
        """
    if aiohttp_transport():
        source += """

        def test_aiohttp(bitmart_error):
            import aiohttp

            async def get():
                async with aiohttp.ClientSession() as session, session.get(URL) as response:
                    return response.status, (await response.json())["code"]

            assert asyncio.run(get()) == expected(bitmart_error)
        """
    return _write(folder, {"test_every_code.py": source})


def _entries(entries: Sequence[ErrorCode] | None) -> Sequence[ErrorCode]:
    return error_codes() if entries is None else entries


def _codes(entries: Sequence[ErrorCode]) -> list[int]:
    return [entry.code for entry in entries]


def _canned(entry: ErrorCode) -> tuple[int, int, dict[str, str], bytes]:
    response = render(entry, trace=_TRACE)
    return entry.code, response.status, response.headers, response.content


def write_hand_written_suite(folder: Path, entries: Sequence[ErrorCode] | None = None) -> Path:
    """The every-code suite without the plugin: canned responses from the catalog, spelt out in the file."""
    cases = ",\n".join(f"    {_canned(entry)!r}" for entry in _entries(entries))
    ids = [f"{entry.code}-{entry.family}" for entry in _entries(entries)]
    source = f"""
        import asyncio

        import httpx
        import pytest
        import requests
        import respx
        import responses

        URL = {URL!r}
        """
    source = textwrap.dedent(source) + f"CASES = [\n{cases},\n]\nIDS = {ids!r}\n"
    source += textwrap.dedent(
        """

        @pytest.mark.parametrize(("code", "status", "headers", "body"), CASES, ids=IDS)
        def test_requests(code, status, headers, body):
            with responses.RequestsMock() as mock:
                # responses takes the content type apart from the other headers
                others = {name: value for name, value in headers.items() if name != "Content-Type"}
                content_type = headers["Content-Type"]
                mock.add(responses.GET, URL, status=status, headers=others, body=body, content_type=content_type)
                response = requests.get(URL, timeout=5)
            assert (response.status_code, response.json()["code"]) == (status, code)


        @pytest.mark.parametrize(("code", "status", "headers", "body"), CASES, ids=IDS)
        def test_httpx(code, status, headers, body):
            with respx.mock() as router:
                router.get(URL).mock(return_value=httpx.Response(status, headers=headers, content=body))
                with httpx.Client() as client:
                    response = client.get(URL)
            assert (response.status_code, response.json()["code"]) == (status, code)


        @pytest.mark.parametrize(("code", "status", "headers", "body"), CASES, ids=IDS)
        def test_httpx_async(code, status, headers, body):
            async def get():
                async with httpx.AsyncClient() as client:
                    return await client.get(URL)

            with respx.mock() as router:
                router.get(URL).mock(return_value=httpx.Response(status, headers=headers, content=body))
                response = asyncio.run(get())
            assert (response.status_code, response.json()["code"]) == (status, code)
        """
    )
    files = {"test_hand_written.py": source}
    if aiohttp_transport():
        files["test_hand_written.py"] += textwrap.dedent(
            """

            @pytest.mark.parametrize(("code", "status", "headers", "body"), CASES, ids=IDS)
            def test_aiohttp(loopback, code, status, headers, body):
                import aiohttp

                loopback.answer = (status, headers, body)

                async def get():
                    async with aiohttp.ClientSession() as session, session.get(loopback.url) as response:
                        return response.status, (await response.json())["code"]

                assert asyncio.run(get()) == (status, code)
            """
        )
        files["conftest.py"] = _LOOPBACK_CONFTEST
    return _write(folder, files)


# aioresponses is not among the test dependencies: the hand-written way is a local server per test run
# that each test tells what to answer.
_LOOPBACK_CONFTEST = """
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # or every keep-alive response waits for a delayed ACK

    def do_GET(self):
        status, headers, body = self.server.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def loopback():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{server.server_port}/spot/v1/ticker"
    # shutdown() waits up to one poll interval; the default half second would be idle time in the timing
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
"""
