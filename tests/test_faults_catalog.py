"""The fault catalog: observed bodies byte for byte as the committed observations show them, the rest generic."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import pytest_bitmart
from pytest_bitmart import Fault, UnknownFaultError, fault, faults
from pytest_bitmart._faults import TRACE_SLOT
from pytest_bitmart._render import render_fault

OBSERVATIONS = (Path(__file__).parent / "reference" / "bitmart-observed-bodies.md").read_text(encoding="utf-8")
# Every body the observations quote in backticks, as bytes.
QUOTED_BODIES = {match.encode() for match in re.findall(r"`(\{[^`]*\})`", OBSERVATIONS)}

CLOUDFLARE_CODES = (1020, 1010, 502, 503, 504, 520, 521, 522, 524)
TRANSPORT = ("connect-timeout", "read-timeout", "connection-refused", "connection-reset", "dns-failure")


def test_public_and_typed() -> None:
    assert pytest_bitmart.faults is faults
    assert all(isinstance(entry, Fault) for entry in faults())
    with pytest.raises(AttributeError):
        faults()[0].name = "x"  # type: ignore[misc]


def test_names_are_unique_kebab_case_with_one_line_descriptions() -> None:
    names = [entry.name for entry in faults()]
    assert len(names) == len(set(names))
    for entry in faults():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.name), entry.name
        assert entry.description
        assert "\n" not in entry.description
        assert entry.provenance


def test_the_issue_lists_are_all_there() -> None:
    names = {entry.name for entry in faults()}
    assert {f"cloudflare-{code}" for code in CLOUDFLARE_CODES} <= names
    assert set(TRANSPORT) <= names
    assert {"gateway-not-found", "gateway-futures-v1-deprecated", "text-plain-json", "data-null-envelope"} <= names
    assert {"cut-body", "invalid-json", "empty-200", "empty-502"} <= names


@pytest.mark.parametrize("entry", [entry for entry in faults() if not entry.is_generic], ids=lambda entry: entry.name)
def test_observed_bodies_are_the_observations_byte_for_byte(entry: Fault) -> None:
    assert entry.body in QUOTED_BODIES
    # The provenance names a date and the source.
    assert re.search(r"\d{4}-\d{2}-\d{2}", entry.provenance) or "ccxt 4.5.70" in entry.provenance
    assert entry.code == json.loads(entry.body)["code"]


def test_gateway_bodies_keep_the_gateway_key_order_and_msg_key() -> None:
    for name, status, code in (("gateway-not-found", 404, 30000), ("gateway-futures-v1-deprecated", 200, 30030)):
        entry = fault(name)
        assert entry.http_status == status
        assert list(json.loads(entry.body)) == ["trace", "msg", "code"]
        assert json.loads(entry.body)["code"] == code


def test_a_served_gateway_body_carries_a_real_trace_in_the_observed_slot() -> None:
    entry = fault("gateway-not-found")
    response = render_fault(entry, trace="0b7c8f1e-0000-4000-8000-000000000000")
    assert response.content == entry.body.replace(TRACE_SLOT, b'"trace":"0b7c8f1e-0000-4000-8000-000000000000"')
    assert response.status == 404
    assert response.code == 30000
    assert response.headers["X-BM-RateLimit-Mode"] == "IP"  # BitMart's own answers always carry them


def test_text_plain_json_is_served_with_the_observed_content_type() -> None:
    entry = fault("text-plain-json")
    assert dict(entry.headers)["Content-Type"] == "text/plain;charset=UTF-8"
    assert "'Content-Type': 'text/plain;charset=UTF-8'" in OBSERVATIONS
    assert entry.http_status == 403


def test_data_null_envelope() -> None:
    assert json.loads(fault("data-null-envelope").body)["data"] is None


@pytest.mark.parametrize("code", CLOUDFLARE_CODES)
def test_cloudflare_pages_are_generic_html_with_cloudflare_headers(code: int) -> None:
    entry = fault(f"cloudflare-{code}")
    headers = dict(entry.headers)
    assert entry.is_generic
    assert entry.http_status == (403 if code in (1020, 1010) else code)
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Server"] == "cloudflare"
    assert re.fullmatch(r"[0-9a-f]{16}-[A-Z]{3}", headers["CF-RAY"])
    page = entry.body.decode()
    assert page.startswith("<!DOCTYPE html>")
    assert f"Error {code}" in page
    assert headers["CF-RAY"].partition("-")[0] in page  # the page shows the ray, as Cloudflare's do
    assert "X-BM-RateLimit-Mode" not in render_fault(entry, trace="t").headers  # Cloudflare answered, not BitMart


def test_cut_body_declares_more_than_it_sends() -> None:
    entry = fault("cut-body")
    assert entry.kind == "cut"
    assert entry.declared_length is not None
    assert entry.declared_length > len(entry.body)
    with pytest.raises(json.JSONDecodeError):
        json.loads(entry.body)


def test_body_faults() -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(fault("invalid-json").body)
    assert (fault("empty-200").http_status, fault("empty-200").body) == (200, b"")
    assert (fault("empty-502").http_status, fault("empty-502").body) == (502, b"")


@pytest.mark.parametrize("name", TRANSPORT)
def test_transport_faults_have_no_status_and_no_body(name: str) -> None:
    entry = fault(name)
    assert (entry.kind, entry.http_status, entry.body, entry.provenance) == ("transport", None, b"", "generic")


def test_unknown_names_suggest_the_nearest() -> None:
    with pytest.raises(
        UnknownFaultError, match=r"^unknown BitMart fault 'read-timout'; did you mean 'read-timeout'\? \(pytest_bitmart"
    ):
        fault("read-timout")
    with pytest.raises(
        UnknownFaultError, match=r"unknown BitMart fault 'zzz' \(pytest_bitmart.faults\(\) lists them\)"
    ):
        fault("zzz")
