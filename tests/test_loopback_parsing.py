"""How the loopback server reads a request out of the bytes received so far.

A request may arrive in any number of pieces: until the last byte of its body is in, the reader says
"not yet"; then it gives the request and where the next one starts. Malformed framing is refused.
"""

from __future__ import annotations

import pytest

from pytest_bitmart._loopback import _MalformedRequestError, _read_request

PLAIN = (
    b"POST http://api-cloud.bitmart.com/spot/v2/submit_order HTTP/1.1\r\n"
    b"Host: api-cloud.bitmart.com\r\n"
    b"Content-Length: 12\r\n"
    b"\r\n"
    b'{"size":"1"}'
)
CHUNKED = (
    b"POST http://api-cloud.bitmart.com/spot/v2/submit_order HTTP/1.1\r\n"
    b"Transfer-Encoding: chunked\r\n"
    b"\r\n"
    b"5;name=value\r\n"
    b'{"siz\r\n'
    b"7\r\n"
    b'e":"1"}\r\n'
    b"0\r\n"
    b"Trailer-Field: x\r\n"
    b"\r\n"
)


@pytest.mark.parametrize("whole", [PLAIN, CHUNKED], ids=["content-length", "chunked"])
def test_no_request_until_its_last_byte_arrives(whole: bytes) -> None:
    for end in range(len(whole)):
        assert _read_request(whole[:end]) is None, whole[:end]
    request = _read_request(whole)
    assert request is not None
    assert request.method == "POST"
    assert request.target == "http://api-cloud.bitmart.com/spot/v2/submit_order"
    assert request.body == b'{"size":"1"}'
    assert request.end == len(whole)


def test_the_next_request_starts_where_the_first_ends() -> None:
    following = b"GET http://api-cloud.bitmart.com/system/time HTTP/1.1\r\n\r\n"
    first = _read_request(PLAIN + following)
    assert first is not None
    second = _read_request((PLAIN + following)[first.end :])
    assert second is not None
    assert (second.method, second.body, second.end) == ("GET", b"", len(following))


def test_headers_keep_their_spelling_and_order() -> None:
    request = _read_request(PLAIN)
    assert request is not None
    assert request.headers == [("Host", "api-cloud.bitmart.com"), ("Content-Length", "12")]


@pytest.mark.parametrize(
    "malformed",
    [
        b"hello\r\n\r\n",
        b"GET http://api-cloud.bitmart.com/ HTTP/1.1\r\nno colon here\r\n\r\n",
        b"POST http://api-cloud.bitmart.com/ HTTP/1.1\r\nContent-Length: twelve\r\n\r\n",
        b"POST http://api-cloud.bitmart.com/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
    ids=["request line", "header line", "content length", "chunk size"],
)
def test_malformed_framing_is_refused(malformed: bytes) -> None:
    with pytest.raises(_MalformedRequestError):
        _read_request(malformed)
