"""Every bad value is refused when it is armed, with one clear message naming the test, the problem and the fix.

The tables below feed each mistake (and the class of mistakes it stands for) through the marker, the
``bitmart_mock`` methods, the ``bitmart_codes`` selection, the ini keys and the command line. Each message is
pinned whole; none may end in a traceback through ``pytest_bitmart`` or be accepted silently.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest
import requests

from pytest_bitmart import BitMartMock, InvalidRuleError

WALLET = "https://api-cloud.bitmart.com/spot/v1/wallet"
ERROR_OPTIONS = "method, path, host, times, message_args, trace, headers, variant, http_status, delay"
HOSTS = "api-cloud-v2.bitmart.com, api-cloud.bitmart.com, demo-api-cloud-v2.bitmart.com"
NOT_ANSWERED = (
    "is not a host pytest-bitmart answers, so the rule could never match{hint}; the hosts are "
    f"{HOSTS} (add others with the bitmart_hosts ini option)"
)


class Opaque:
    """A value of no JSON type, with a repr a message can be pinned against."""

    def __repr__(self) -> str:
        return "<opaque>"


# Values refused by every way of arming a rule: (id, options as Python source, message). ---------------------

VALUE_MISTAKES = [
    ("times_zero", "times=0", "times must be a whole number of at least 1 (or None for every request), got 0"),
    ("times_str", 'times="2"', "times must be a whole number of at least 1 (or None for every request), got '2'"),
    ("times_bool", "times=True", "times must be a whole number of at least 1 (or None for every request), got True"),
    (
        "method_unknown",
        'method="FETCH"',
        "method must be one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, got 'FETCH'",
    ),
    ("method_int", "method=5", "method must be one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, got 5"),
    (
        "path_bad_regex",
        'path="/spot/("',
        (
            "path '/spot/(' is neither a URL path nor a valid regular expression (missing ), unterminated subpattern at "
            "position 6); pass the exact path, such as '/spot/v1/wallet', or a pattern with re.compile(...)"
        ),
    ),
    (
        "path_regex_looking",
        'path="/spot/v1/.*"',
        (
            "path '/spot/v1/.*' looks like a regular expression but a string path matches exactly; "
            "pass re.compile('/spot/v1/.*') to match a pattern"
        ),
    ),
    (
        "path_query",
        'path="/spot/v1/wallet?currency=BTC"',
        (
            "path '/spot/v1/wallet?currency=BTC' has a query string, but rules match the URL path only "
            "(the query is ignored); write path='/spot/v1/wallet'"
        ),
    ),
    (
        "path_query_without_value",
        'path="/spot/v1/wallet?limit"',
        (
            "path '/spot/v1/wallet?limit' has a query string, but rules match the URL path only "
            "(the query is ignored); write path='/spot/v1/wallet'"
        ),
    ),
    (
        "path_fragment",
        'path="/spot/v1/wallet#top"',
        "path '/spot/v1/wallet#top' has a fragment, which clients never send; write path='/spot/v1/wallet'",
    ),
    (
        "path_template",
        'path="/spot/<id>"',
        (
            "path '/spot/<id>' looks like a template; a string path matches exactly: write the real path, or a "
            "pattern such as re.compile(r'^/spot/v1/[^/]+$')"
        ),
    ),
    (
        "path_relative",
        'path="spot/v1/wallet"',
        "path must start with '/' (the URL path, without host or query), got 'spot/v1/wallet'",
    ),
    ("path_bytes", 'path=b"/spot"', "path must be a string or a compiled regular expression, got b'/spot'"),
    (
        "path_bytes_pattern",
        'path=re.compile(b"/spot")',
        "path pattern re.compile(b'/spot') is a bytes pattern; URL paths are text, write re.compile(str)",
    ),
    (
        "path_lone_surrogate",
        'path="/spot/\\udc80"',
        "path '/spot/\\udc80' has a lone surrogate ('/spot/\\udc80') that cannot be sent as UTF-8",
    ),
    (
        "host_url",
        'host="https://api-cloud.bitmart.com/"',
        "host 'https://api-cloud.bitmart.com/' is a URL; rules match the host name only: write host='api-cloud.bitmart.com'",
    ),
    (
        "host_port",
        'host="api-cloud.bitmart.com:443"',
        "host 'api-cloud.bitmart.com:443' has a port; rules match the host name only: write host='api-cloud.bitmart.com'",
    ),
    (
        "host_wildcard",
        'host="*.bitmart.com"',
        "host '*.bitmart.com' has a wildcard; name one host, or leave host= out to match every BitMart host",
    ),
    ("host_empty", 'host=""', "host must be a bare host name such as 'api-cloud.bitmart.com', got ''"),
    (
        "host_invalid",
        'host="api cloud.bitmart.com"',
        "host 'api cloud.bitmart.com' is not a valid host name, such as 'api-cloud.bitmart.com'",
    ),
    ("headers_not_mapping", 'headers=[("X-A", "1")]', "headers must be a mapping of str to str, got [('X-A', '1')]"),
    ("headers_int_value", 'headers={"X-A": 1}', "headers must be a mapping of str to str, got 'X-A': 1"),
    (
        "header_name_space",
        'headers={"X A:": "1"}',
        "header name 'X A:' is not a valid HTTP header name (letters, digits and -)",
    ),
    (
        "header_name_empty",
        'headers={"": "1"}',
        "header name '' is not a valid HTTP header name (letters, digits and -)",
    ),
    (
        "header_value_crlf",
        'headers={"X-A": "1\\r\\nSet-Cookie: x"}',
        "header 'X-A' has a line break or NUL in its value '1\\r\\nSet-Cookie: x'; remove it",
    ),
    (
        "header_value_euro",
        'headers={"X-A": "€"}',
        "header 'X-A' has a value not every client can read ('€'); use printable ASCII, percent-encoding the rest",
    ),
    (
        "header_content_length",
        'headers={"Content-Length": "3"}',
        "header 'Content-Length' is written by the transport from the body; leave it out",
    ),
    (
        "header_transfer_encoding",
        'headers={"transfer-encoding": "chunked"}',
        "header 'transfer-encoding' is written by the transport from the body; leave it out",
    ),
    (
        "header_value_latin1",
        'headers={"X-A": "caf\\xe9"}',
        "header 'X-A' has a value not every client can read ('café'); use printable ASCII, percent-encoding the rest",
    ),
    (
        "path_dot_segment",
        'path="/spot/../v1/wallet"',
        (
            "path '/spot/../v1/wallet' has a '.' or '..' segment, which clients resolve before sending; "
            "write the resolved path"
        ),
    ),
    (
        "header_connection",
        'headers={"Connection": "close"}',
        "header 'Connection' is written by the transport from the body; leave it out",
    ),
    ("delay_negative", "delay=-1", "delay must be a number of seconds, 0 or more, got -1"),
    ("delay_str", 'delay="1"', "delay must be a number of seconds, 0 or more, got '1'"),
    ("delay_bool", "delay=True", "delay must be a number of seconds, 0 or more, got True"),
    ("delay_nan", 'delay=float("nan")', "delay must be a number of seconds, 0 or more, got nan"),
    ("delay_inf", 'delay=float("inf")', "delay must be a number of seconds, 0 or more, got inf"),
    ("delay_huge_int", "delay=10**400", f"delay must be a number of seconds, 0 or more, got {10**400!r}"),
]

# Values refused for bitmart_error only (message_args, trace, http_status): same shape.
ERROR_VALUE_MISTAKES = [
    ("http_status_low", "http_status=99", "http_status must be an HTTP status between 100 and 599, got 99"),
    ("http_status_high", "http_status=600", "http_status must be an HTTP status between 100 and 599, got 600"),
    ("http_status_text", 'http_status="200"', "http_status must be an HTTP status between 100 and 599, got '200'"),
    ("http_status_bool", "http_status=True", "http_status must be an HTTP status between 100 and 599, got True"),
    ("http_status_float", "http_status=200.0", "http_status must be an HTTP status between 100 and 599, got 200.0"),
    ("trace_empty", 'trace=""', "trace must not be empty; leave trace= out for a trace derived from the test"),
    ("trace_int", "trace=5", "trace must be a string, got 5"),
    ("trace_lone_surrogate", 'trace="\\ud800"', "trace has a lone surrogate ('\\ud800') that cannot be sent as UTF-8"),
    ("message_args_str", 'message_args="abc"', "message_args must be a tuple or list of values, got 'abc'"),
    (
        "message_args_object",
        "message_args=(object,)",
        "message_args[0] must be a str or a number, got <class 'object'>",
    ),
    (
        "message_args_lone_surrogate",
        'message_args=("\\udc80",)',
        "message_args[0] has a lone surrogate ('\\udc80') that cannot be sent as UTF-8",
    ),
    ("message_args_huge_int", "message_args=(10**5000,)", "message_args[0] is an int too large to write as JSON"),
    (
        "message_args_nan",
        'message_args=(float("nan"),)',
        "message_args[0] is nan, which JSON cannot carry; use null or a number",
    ),
]

# Mistakes only the marker can make: (id, marker source, message).
MARKER_ONLY_MISTAKES = [
    ("unknown_code", "bitmart_error(50200)", "unknown BitMart code 50200; did you mean 50020, 50000 or 52000?"),
    (
        "code_as_string",
        'bitmart_error("50020")',
        "the BitMart code must be an int, got '50020'; write 50020 without quotes",
    ),
    ("code_bool", "bitmart_error(True)", "the BitMart code must be an int, got True"),
    (
        "success_code",
        "bitmart_error(1000)",
        "1000 is BitMart's success code, not an error: use bitmart_mock.ok() to answer OK",
    ),
    (
        "unknown_option",
        "bitmart_error(50020, tims=2)",
        f"bitmart_error() got an unknown option 'tims' (did you mean 'times'?); it takes {ERROR_OPTIONS}",
    ),
    (
        "message_args_count",
        'bitmart_error(50021, message_args=("a", "b"))',
        (
            "code 50021 ('Invalid %s') has 1 placeholder(s) but message_args has 2 value(s); "
            "pass one value per placeholder, e.g. message_args=(...)"
        ),
    ),
    (
        "message_args_not_int",
        'bitmart_error(50016, message_args=("ten",))',
        (
            "code 50016 ('Maximum limit is %d') needs an integer for %d, got 'ten'; "
            "pass one value per placeholder, e.g. message_args=(...)"
        ),
    ),
    (
        "two_codes",
        "bitmart_error(50020, 50021)",
        (
            "takes exactly one code as its first argument, got 2 (write @pytest.mark.bitmart_error(50020, ...); "
            "one marker per code)"
        ),
    ),
    (
        "http_status_unknown",
        "bitmart_http_error(502)",
        "502 is not one of BitMart's global HTTP return codes (404, 403, 401, 500)",
    ),
    ("http_status_str", 'bitmart_http_error("500")', "the HTTP status must be an int, got '500'"),
    (
        "http_unknown_option",
        'bitmart_http_error(500, trace="x")',
        "bitmart_http_error() got an unknown option 'trace'; it takes method, path, host, times, headers, delay",
    ),
    (
        "fault_unknown_option",
        'bitmart_fault("read-timeout", dealy=1)',
        (
            "bitmart_fault() got an unknown option 'dealy' (did you mean 'delay'?); "
            "it takes method, path, host, times, delay"
        ),
    ),
]

# Hosts that are well formed but no BitMart request goes to: refused where the mock knows its hosts.
HOST_MISTAKES = [
    ("example", "example.com", ""),
    ("not_the_api_host", "api.bitmart.com", " (did you mean 'api-cloud.bitmart.com'?)"),
]


def marker_cases() -> list[tuple[str, str, str]]:
    """(test name, marker, the message after ``pytest-bitmart: <nodeid>: ``) for every marker mistake."""
    cases = [
        (f"test_{name}", f"bitmart_error(50020, {source})", f"@pytest.mark.bitmart_error: {message}")
        for name, source, message in VALUE_MISTAKES + ERROR_VALUE_MISTAKES
    ]
    cases += [
        (f"test_http_{name}", f"bitmart_http_error(500, {source})", f"@pytest.mark.bitmart_http_error: {message}")
        for name, source, message in VALUE_MISTAKES
    ]
    cases += [
        (f"test_fault_{name}", f'bitmart_fault("read-timeout", {source})', f"@pytest.mark.bitmart_fault: {message}")
        for name, source, message in VALUE_MISTAKES
        if not source.startswith("headers=")  # a fault's answer is fixed: it takes no headers
    ]
    cases += [
        (f"test_{name}", marker, f"@pytest.mark.{marker.partition('(')[0]}: {message}")
        for name, marker, message in MARKER_ONLY_MISTAKES
    ]
    cases += [
        (
            f"test_host_{name}",
            f'bitmart_error(50020, host="{host}")',
            f"bitmart_error(50020, host={host!r}): host {host!r} " + NOT_ANSWERED.format(hint=hint),
        )
        for name, host, hint in HOST_MISTAKES
    ]
    return cases


def test_each_bad_marker_fails_at_setup_with_one_message(pytester: pytest.Pytester) -> None:
    cases = marker_cases()
    tests = "".join(
        f"@pytest.mark.{marker}\ndef {name}():\n    raise AssertionError('never runs')\n\n\n"
        for name, marker, _ in cases
    )
    pytester.makepyfile(test_mistakes="import re\n\nimport pytest\n\n\n" + tests)
    result = pytester.runpytest()
    result.assert_outcomes(errors=len(cases))
    output = result.stdout.str()
    for name, _, message in cases:
        assert f"pytest-bitmart: test_mistakes.py::{name}: {message}\n" in output, name
    assert "Traceback" not in output
    assert "pytest_bitmart" not in output.replace("pytest_bitmart.InvalidRuleError", "")
    assert "never runs" not in output


# The bitmart_mock methods, in-process: each call raises InvalidRuleError with the message. -----------------


def controller_cases() -> list[tuple[str, Callable[[BitMartMock], object], str]]:
    cases: list[tuple[str, Callable[[BitMartMock], object], str]] = []
    for name, source, message in VALUE_MISTAKES:
        options = eval(f"dict({source})", {"re": re})  # noqa: S307 - the table's own literals
        cases.append((f"error_{name}", lambda mock, o=options: mock.error(50020, **o), message))
        cases.append((f"ok_{name}", lambda mock, o=options: mock.ok(**o), message))
        cases.append((f"http_error_{name}", lambda mock, o=options: mock.http_error(500, **o), message))
        if not source.startswith("headers="):  # a fault's answer is fixed: it takes no headers
            cases.append((f"fault_{name}", lambda mock, o=options: mock.fault("read-timeout", **o), message))
    for name, source, message in ERROR_VALUE_MISTAKES:
        options = eval(f"dict({source})", {"re": re})  # noqa: S307 - the table's own literals
        cases.append((f"error_{name}", lambda mock, o=options: mock.error(50021, **o), message))
    for name, host, hint in HOST_MISTAKES:
        message = f"bitmart_mock.ok(host={host!r}): host {host!r} " + NOT_ANSWERED.format(hint=hint)
        cases.append((f"ok_host_{name}", lambda mock, h=host: mock.ok(host=h), message))
    return cases


OK_DATA_MISTAKES = [
    ("set", {1, 2}, "data is of type set, not a JSON value; use a list"),
    ("bytes", b"x", "data is of type bytes, not a JSON value; decode it to str"),
    ("object", Opaque(), "data is of type Opaque, not a JSON value"),
    ("nested_object", {"a": [1, Opaque()]}, "data['a'][1] is of type Opaque, not a JSON value"),
    ("nan", {"x": float("nan")}, "data['x'] is nan, which JSON cannot carry; use null or a number"),
    ("infinity", [float("inf")], "data[0] is inf, which JSON cannot carry; use null or a number"),
    ("lone_surrogate", {"x": "\ud800"}, "data['x'] has a lone surrogate ('\\ud800') that cannot be sent as UTF-8"),
    (
        "lone_surrogate_key",
        {"\ud800": 1},
        "the key data[...] has a lone surrogate ('\\ud800') that cannot be sent as UTF-8",
    ),
    ("int_key", {1: "a"}, "data has the key 1; JSON object keys are strings, write '1'"),
    ("huge_int", {"n": 10**5000}, "data['n'] is an int too large to write as JSON"),
]

CALL_MISTAKES: list[tuple[str, Callable[[BitMartMock], object], str]] = [
    (
        "error_misspelt_option",
        lambda mock: mock.error(50020, pth="/spot/v1/wallet"),  # type: ignore[call-arg]
        f"bitmart_mock.error() got an unknown option 'pth' (did you mean 'path'?); it takes {ERROR_OPTIONS}",
    ),
    (
        "ok_misspelt_option",
        lambda mock: mock.ok(familly="spot"),  # type: ignore[call-arg]
        (
            "bitmart_mock.ok() got an unknown option 'familly' (did you mean 'family'?); "
            "it takes method, path, host, times, family, trace, headers, delay"
        ),
    ),
    (
        "http_error_misspelt_option",
        lambda mock: mock.http_error(500, hots="api-cloud.bitmart.com"),  # type: ignore[call-arg]
        (
            "bitmart_mock.http_error() got an unknown option 'hots' (did you mean 'host'?); "
            "it takes method, path, host, times, headers, delay"
        ),
    ),
    (
        "error_without_code",
        lambda mock: mock.error(),  # type: ignore[call-arg]
        (
            "bitmart_mock.error() missing a required argument: 'code'; call it as bitmart_mock.error(code, *, "
            "method=None, path=None, host=None, times=None, message_args=None, trace=None, headers=None, variant=None, "
            "http_status=None, delay=None)"
        ),
    ),
    (
        "error_two_codes",
        lambda mock: mock.error(50020, 50021),  # type: ignore[misc]
        (
            "bitmart_mock.error() too many positional arguments; call it as bitmart_mock.error(code, *, "
            "method=None, path=None, host=None, times=None, message_args=None, trace=None, headers=None, variant=None, "
            "http_status=None, delay=None)"
        ),
    ),
    (
        "fault_misspelt_option",
        lambda mock: mock.fault("read-timeout", dealy=1),  # type: ignore[call-arg]
        (
            "bitmart_mock.fault() got an unknown option 'dealy' (did you mean 'delay'?); "
            "it takes method, path, host, times, delay"
        ),
    ),
    (
        "ok_family",
        lambda mock: mock.ok(family="spott"),  # type: ignore[arg-type]
        (
            "unknown BitMart family 'spott' (did you mean 'spot'?); the families are auth, funding, spot, contract, "
            "spot-public"
        ),
    ),
    (
        "add_not_a_rule",
        lambda mock: mock.add("x"),  # type: ignore[arg-type]
        (
            "bitmart_mock.add() takes a rule that bitmart_mock.error(), .ok() or .http_error() returned, got 'x'; "
            "arm rules with those methods"
        ),
    ),
]


@pytest.mark.parametrize(
    ("call", "message"),
    [pytest.param(call, message, id=name) for name, call, message in controller_cases() + CALL_MISTAKES]
    + [
        pytest.param(lambda mock, d=data: mock.ok(d), message, id=f"ok_data_{name}")
        for name, data, message in OK_DATA_MISTAKES
    ],
)
def test_each_bad_method_call_raises_one_message(call: Callable[[BitMartMock], object], message: str) -> None:
    mock = BitMartMock()
    with pytest.raises(InvalidRuleError) as raised:
        call(mock)
    assert str(raised.value) == message
    assert mock.rules == ()


def test_a_finished_tests_mock_refuses_new_rules() -> None:
    mock = BitMartMock()
    mock._close()
    with pytest.raises(InvalidRuleError) as raised:
        mock.error(50020)
    assert str(raised.value) == (
        "bitmart_mock.error(50020): this bitmart_mock belongs to a test that has finished; "
        "arm rules on the bitmart_mock fixture of the test that makes the requests"
    )


INSPECTION_MISTAKES: list[tuple[str, Callable[[BitMartMock], object], str]] = [
    (
        "get_calls_method_int",
        lambda mock: mock.get_calls(method=5),  # type: ignore[arg-type]
        "get_calls(): method must be one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, got 5",
    ),
    (
        "get_calls_code_str",
        lambda mock: mock.get_calls(code="50020"),  # type: ignore[arg-type]
        "get_calls(code=...) takes a BitMart code (an int), got '50020'",
    ),
    (
        "get_calls_path_regex_string",
        lambda mock: mock.get_calls(path="^/spot/"),
        (
            "get_calls(): path '^/spot/' looks like a regular expression but a string path matches exactly; "
            "pass re.compile('^/spot/') to match a pattern"
        ),
    ),
    (
        "get_calls_host_port",
        lambda mock: mock.get_calls(host="api-cloud.bitmart.com:443"),
        (
            "get_calls(): host 'api-cloud.bitmart.com:443' has a port; rules match the host name only: "
            "write host='api-cloud.bitmart.com'"
        ),
    ),
    (
        "assert_call_count_str",
        lambda mock: mock.assert_call_count("1"),  # type: ignore[arg-type]
        "assert_call_count() takes a whole number of calls, got '1'; write 1 without quotes",
    ),
    (
        "assert_call_count_negative",
        lambda mock: mock.assert_call_count(-1),
        "assert_call_count() takes a whole number of calls, got -1",
    ),
    (
        "assert_call_count_bytes_pattern",
        lambda mock: mock.assert_call_count(0, path=re.compile(b"/spot")),  # type: ignore[arg-type]
        (
            "assert_call_count(): path pattern re.compile(b'/spot') is a bytes pattern; URL paths are text, "
            "write re.compile(str)"
        ),
    ),
]


@pytest.mark.parametrize(
    ("call", "message"), [pytest.param(call, message, id=name) for name, call, message in INSPECTION_MISTAKES]
)
def test_each_bad_inspection_raises_one_message(call: Callable[[BitMartMock], object], message: str) -> None:
    with pytest.raises(ValueError, match=r".") as raised:
        call(BitMartMock())
    assert str(raised.value) == message


def test_bad_fixture_calls_point_at_the_users_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        kept = []


        def test_unknown(bitmart_mock):
            bitmart_mock.error(50200)  # the user's line


        def test_misspelt(bitmart_mock):
            bitmart_mock.error(50020, pth="/spot")  # the misspelt line


        def test_count(bitmart_mock):
            kept.append(bitmart_mock)
            bitmart_mock.assert_call_count("1")  # the count line


        def test_finished_mock():
            kept[0].ok()  # the finished line
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(
        [
            ">       bitmart_mock.error(50200)  # the user's line",
            "E       pytest_bitmart.InvalidRuleError: unknown BitMart code 50200; did you mean 50020, 50000 or 52000?",
            '>       bitmart_mock.error(50020, pth="/spot")  # the misspelt line',
            "E       pytest_bitmart.InvalidRuleError: bitmart_mock.error() got an unknown option 'pth' (did you mean*",
            '>       bitmart_mock.assert_call_count("1")  # the count line',
            "E       ValueError: assert_call_count() takes a whole number of calls, got '1'; write 1 without quotes",
            ">       kept[0].ok()  # the finished line",
            "E       pytest_bitmart.InvalidRuleError: bitmart_mock.ok(): this bitmart_mock belongs to a test that has*",
        ]
    )
    output = result.stdout.str()
    for module in ("_rules.py", "_mock.py", "_options.py", "plugin.py"):
        assert module not in output


# Values normalised rather than refused: they match what clients send. ---------------------------------


def test_normalised_host_and_path_match_what_clients_send(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(50020, host="API-Cloud.BitMart.com.", path="/spot/café/a b")
    response = requests.get("https://api-cloud.bitmart.com/spot/café/a b", timeout=10)
    assert response.json()["code"] == 50020
    assert httpx.get("https://api-cloud.bitmart.com/spot/caf%C3%A9/a%20b").json()["code"] == 50020
    assert [rule.path for rule in bitmart_mock.rules] == ["/spot/caf%C3%A9/a%20b"]


def test_a_header_overriding_a_default_in_another_case_replaces_it(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(50020, headers={"content-type": "application/json; charset=utf-8"})
    response = httpx.get(WALLET)
    assert response.headers.get_list("Content-Type") == ["application/json; charset=utf-8"]


# bitmart_codes and combinations of markers and fixtures: collection errors naming the test. ----------------

SELECTION_MISTAKES = [
    (
        "codes_without_fixture",
        '@pytest.mark.bitmart_codes(family="spot")\ndef test_x():',
        (
            "@pytest.mark.bitmart_codes narrows the codes of the bitmart_error fixture, but this test does not use it; "
            "add bitmart_error to the test's arguments, or remove the marker"
        ),
    ),
    (
        "codes_with_error_marker",
        '@pytest.mark.bitmart_codes(family="spot")\n@pytest.mark.bitmart_error(50020)\ndef test_x(bitmart_error):',
        (
            "@pytest.mark.bitmart_codes and @pytest.mark.bitmart_error contradict each other: the marker fixes the "
            "code, so the test is not run over the codes bitmart_codes selects; remove one of them"
        ),
    ),
    (
        "http_error_marker_with_fixture",
        "@pytest.mark.bitmart_http_error(500)\ndef test_x(bitmart_error):",
        (
            "@pytest.mark.bitmart_http_error answers every BitMart request before the bitmart_error fixture's code "
            "could, so the test would never see the code the fixture reports; remove the marker, narrow it with "
            "path=/method=/times=, or use bitmart_codes(http_failures=True)"
        ),
    ),
    (
        "codes_positional",
        "@pytest.mark.bitmart_codes(50020, 50021)\ndef test_x(bitmart_error):",
        (
            "@pytest.mark.bitmart_codes takes options by name only, got 50020, 50021; "
            "write e.g. bitmart_codes(include=[50020]) or bitmart_codes(family='spot')"
        ),
    ),
    (
        "http_failures_no",
        '@pytest.mark.bitmart_codes(http_failures="no")\ndef test_x(bitmart_error):',
        "@pytest.mark.bitmart_codes(http_failures=...): must be True or False, got 'no'",
    ),
    (
        "include_str",
        '@pytest.mark.bitmart_codes(include="50020")\ndef test_x(bitmart_error):',
        "@pytest.mark.bitmart_codes(include=...): expected an int or a list of them, got '50020'",
    ),
    (
        "include_empty",
        "@pytest.mark.bitmart_codes(include=[])\ndef test_x(bitmart_error):",
        "@pytest.mark.bitmart_codes(include=...): expected an int or a non-empty list of them, got []",
    ),
    (
        "include_success",
        "@pytest.mark.bitmart_codes(include=[1000])\ndef test_x(bitmart_error):",
        "@pytest.mark.bitmart_codes(include=...): 1000 is the success code, not an error",
    ),
    (
        "family_int",
        "@pytest.mark.bitmart_codes(family=5)\ndef test_x(bitmart_error):",
        "@pytest.mark.bitmart_codes(family=...): expected a str or a list of them, got 5",
    ),
    (
        "http_status_str",
        '@pytest.mark.bitmart_codes(http_status="400")\ndef test_x(bitmart_error):',
        "@pytest.mark.bitmart_codes(http_status=...): expected an int or a list of them, got '400'",
    ),
    (
        "codes_unknown_option",
        "@pytest.mark.bitmart_codes(exlude=[50020])\ndef test_x(bitmart_error):",
        (
            "@pytest.mark.bitmart_codes() got an unknown option 'exlude' (did you mean 'exclude'?); "
            "it takes family, source, http_status, include, exclude, times, http_failures"
        ),
    ),
    (
        "faults_unknown_option",
        '@pytest.mark.bitmart_faults(includ=["read-timeout"])\ndef test_x(bitmart_fault):',
        (
            "@pytest.mark.bitmart_faults() got an unknown option 'includ' (did you mean 'include'?); "
            "it takes include, exclude, kind, times"
        ),
    ),
    (
        "faults_unknown_kind",
        '@pytest.mark.bitmart_faults(kind="cuts")\ndef test_x(bitmart_fault):',
        (
            "@pytest.mark.bitmart_faults(kind=...): unknown fault kind 'cuts' (did you mean 'cut'?); "
            "the kinds are response, cut, transport"
        ),
    ),
    (
        "faults_unknown_name",
        '@pytest.mark.bitmart_faults(exclude=["read-timout"])\ndef test_x(bitmart_fault):',
        (
            "@pytest.mark.bitmart_faults(exclude=...): unknown BitMart fault 'read-timout'; did you mean "
            "'read-timeout'? (pytest_bitmart.faults() lists them; kinds: response, cut, transport)"
        ),
    ),
    (
        "faults_times_bool",
        "@pytest.mark.bitmart_faults(times=True)\ndef test_x(bitmart_fault):",
        (
            "@pytest.mark.bitmart_faults(times=...): times must be a whole number of at least 1 "
            "(or None for every request), got True"
        ),
    ),
]


def test_each_bad_selection_is_a_collection_error_naming_the_test(pytester: pytest.Pytester) -> None:
    for name, head, _ in SELECTION_MISTAKES:
        pytester.makepyfile(**{f"test_{name}": f"import pytest\n\n\n{head}\n    pass\n"})
    result = pytester.runpytest()
    result.assert_outcomes(errors=len(SELECTION_MISTAKES))
    output = result.stdout.str()
    for name, _, message in SELECTION_MISTAKES:
        assert f"pytest-bitmart: test_{name}.py::test_x: {message}" in output, name
    assert "Traceback" not in output


def test_codes_on_a_module_apply_only_to_tests_using_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.bitmart_codes(include=[50020])


        def test_plain():
            pass


        def test_codes(bitmart_error):
            pass
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


# The ini keys and the command line. ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        (
            ["--bitmart-families=,,,"],
            "",
            (
                "ERROR: pytest-bitmart: --bitmart-families: ',,,' names no family; name at least one "
                "(auth, funding, spot, contract, spot-public) or leave the option out to run every family"
            ),
        ),
        (
            ["--bitmart-sources=,,,"],
            "",
            (
                "ERROR: pytest-bitmart: --bitmart-sources: ',,,' names no source; name at least one "
                "(error-page, spot-docs, futures-docs) or leave the option out to run every source"
            ),
        ),
        (
            ["--bitmart-faults= , "],
            "",
            (
                "ERROR: pytest-bitmart: --bitmart-faults: ' , ' names no fault; name at least one "
                "(a fault's name or kind) or leave the option out to run every fault"
            ),
        ),
        (
            [],
            "bitmart_families = spot margin",
            (
                "ERROR: pytest-bitmart: the bitmart_families ini option: unknown BitMart family 'margin'; "
                "the families are auth, funding, spot, contract, spot-public"
            ),
        ),
    ],
)
def test_bad_selection_option_is_a_usage_error(
    pytester: pytest.Pytester, args: list[str], ini: str, message: str
) -> None:
    # pytest-asyncio's loop scope set, as in every inner run: older releases warn without it.
    pytester.makeini(f"[pytest]\naddopts = -p no:randomly\nasyncio_default_fixture_loop_scope = function\n{ini}\n")
    pytester.makepyfile("def test_x(bitmart_error):\n    pass\n")
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == message


def test_an_empty_family_on_the_command_line_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest_bitmart", "--family", ""], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "python -m pytest_bitmart: error: --family '' names no family "
        "(families: auth, funding, spot, contract, spot-public)\n"
    )
