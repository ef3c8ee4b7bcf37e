"""Arming faults: the bitmart_fault marker and fixture, bitmart_mock.fault() in sequences, narrowing, the summary."""

from __future__ import annotations

import pytest
import requests
from clients import Client, caused_by

from pytest_bitmart import (
    BitMartMock,
    ErrorCode,
    Fault,
    HttpFailure,
    InvalidRuleError,
    RequestRefusedError,
    error_codes,
    faults,
    lookup,
)

WALLET = "https://api-cloud.bitmart.com/account/v1/wallet"

# One inner test over every fault, through requests: each instance must see its own fault.
EVERY_FAULT = f"""
    import pytest
    import requests

    def test_each(bitmart_fault, bitmart_mock):
        try:
            response = requests.get("{WALLET}", timeout=5)
        except requests.RequestException as error:
            assert bitmart_fault.kind in ("transport", "cut"), error
        else:
            assert bitmart_fault.kind == "response"
            assert response.status_code == bitmart_fault.http_status
        assert bitmart_mock.calls[-1].response.fault is bitmart_fault
"""


def test_one_instance_per_fault_with_the_names_as_ids(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_faults=EVERY_FAULT)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=len(faults()))
    result.stdout.fnmatch_lines([f"*test_each?{entry.name}? PASSED*" for entry in faults()])
    result.stdout.fnmatch_lines(
        [
            "*= BitMart errors =*",
            f"0/{len(error_codes())} documented error codes exercised by passing tests",
            "22/22 faults exercised*",
        ]
    )


def test_the_fault_count_is_the_same_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_faults=EVERY_FAULT)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "xdist", "--bitmart-faults", "transport,cut")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(["6/22 faults exercised by passing tests"])


def test_narrowed_by_marker_and_by_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_narrow=f"""
        import contextlib

        import pytest
        import requests

        def wallet():
            with contextlib.suppress(requests.RequestException):
                requests.get("{WALLET}", timeout=5)

        @pytest.mark.bitmart_faults(kind="transport", exclude="dns-failure")
        def test_transport(bitmart_fault):
            wallet()

        @pytest.mark.bitmart_faults(include=["cloudflare-1020", "cut-body"], times=1)
        def test_two(bitmart_fault, bitmart_mock):
            assert bitmart_mock.rules[-1].times == 1
            wallet()
        """
    )
    ids = [line.split("::")[1] for line in pytester.runpytest("--collect-only", "-q").outlines if "::" in line]
    assert ids == [
        "test_transport[connect-timeout]",
        "test_transport[read-timeout]",
        "test_transport[connection-refused]",
        "test_transport[connection-reset]",
        "test_two[cloudflare-1020]",
        "test_two[cut-body]",
    ]
    result = pytester.runpytest("--bitmart-faults", "cut,read-timeout", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_transport?read-timeout? PASSED*", "*test_two?cut-body? PASSED*"])
    others = ", ".join(entry.name for entry in faults() if entry.name not in ("cut-body", "read-timeout"))
    result.stdout.fnmatch_lines(["2/22 faults exercised by passing tests", f"  not exercised, faults: {others}"])


def test_a_bad_fault_selection_names_the_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bad="""
        import pytest

        @pytest.mark.bitmart_faults(include="read-timout")
        def test_typo(bitmart_fault):
            pass
        """
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        [
            (
                "*pytest-bitmart: test_bad.py::test_typo: @pytest.mark.bitmart_faults(include=...): unknown BitMart "
                "fault 'read-timout'; did you mean 'read-timeout'? (pytest_bitmart.faults() lists them; kinds: "
                "response, cut, transport)"
            )
        ]
    )
    result = pytester.runpytest("--bitmart-faults", "cloudflare-1021")
    result.stderr.fnmatch_lines(
        [
            "ERROR: pytest-bitmart: --bitmart-faults: unknown BitMart fault 'cloudflare-1021'; did you mean 'cloudflare-1020'?*"
        ]
    )


@pytest.mark.bitmart_fault("gateway-not-found", path="/account/v1/wallet")
def test_the_marker_arms_a_fault_and_pins_the_fixture(bitmart_fault: Fault, client: Client) -> None:
    answer = client.get(WALLET)
    assert bitmart_fault.name == "gateway-not-found"
    assert answer.status == 404
    assert answer.json()["msg"] == "Not found"


def test_a_misspelt_fault_or_option_in_the_marker_names_the_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fault_marker="""
        import pytest

        @pytest.mark.bitmart_fault("read-timout")
        def test_typo():
            pass

        @pytest.mark.bitmart_fault("read-timeout", tims=1)
        def test_option_typo():
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            (
                "pytest-bitmart: test_fault_marker.py::test_typo: @pytest.mark.bitmart_fault: unknown BitMart fault "
                "'read-timout'; did you mean 'read-timeout'? (pytest_bitmart.faults() lists them)"
            ),
            (
                "pytest-bitmart: test_fault_marker.py::test_option_typo: @pytest.mark.bitmart_fault: bitmart_fault() got an "
                "unknown option 'tims' (did you mean 'times'?); it takes method, path, host, times, delay"
            ),
        ]
    )


def test_one_switch_runs_every_code_and_every_fault(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_all="""
        def test_everything(bitmart_failure):
            pass
        """
    )
    ids = [line.split("[")[1][:-1] for line in pytester.runpytest("--collect-only", "-q").outlines if "::" in line]
    assert len(ids) == len(error_codes()) + len(faults())
    assert ids[0] == "30000-auth"
    assert ids[-len(faults()) :] == [entry.name for entry in faults()]


def test_the_one_switch_follows_the_sources_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_all="""
        def test_everything(bitmart_failure):
            pass
        """
    )
    result = pytester.runpytest("--collect-only", "-q", "--bitmart-sources=error-page")
    ids = [line.split("[")[1][:-1] for line in result.outlines if "::" in line]
    assert len(ids) == len(error_codes(source="error-page")) + len(faults())


# In-process: sequences, http_status= and delay= -----------------------------------------------------------


def test_a_sequence_of_faults_errors_and_ok(bitmart_mock: BitMartMock) -> None:
    """Read timeout, then a 520 page, then a documented error, then OK: each request gets the next answer."""
    bitmart_mock.fault("read-timeout", times=1)
    bitmart_mock.fault("cloudflare-520", times=1)
    bitmart_mock.error(30013, times=1)
    bitmart_mock.ok({"wallet": []})

    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(WALLET, timeout=3)
    assert requests.get(WALLET, timeout=5).status_code == 520
    assert requests.get(WALLET, timeout=5).json()["code"] == 30013
    assert requests.get(WALLET, timeout=5).json()["data"] == {"wallet": []}
    assert [call.response.fault and call.response.fault.name for call in bitmart_mock.calls] == [
        "read-timeout",
        "cloudflare-520",
        None,
        None,
    ]


def test_unknown_fault_from_the_controller_suggests_the_name(bitmart_mock: BitMartMock) -> None:
    with pytest.raises(
        InvalidRuleError, match=r"^unknown BitMart fault 'cloudflare-502x'; did you mean 'cloudflare-502'\?"
    ):
        bitmart_mock.fault("cloudflare-502x")
    with pytest.raises(InvalidRuleError, match=r"must be named by a string such as 'read-timeout', got 504"):
        bitmart_mock.fault(504)  # type: ignore[arg-type]


def test_http_status_serves_a_documented_code_with_another_status(bitmart_mock: BitMartMock) -> None:
    bitmart_mock.error(50020, http_status=200)
    response = requests.get(WALLET, timeout=5)
    assert response.status_code == 200
    assert response.json()["code"] == 50020
    assert response.json()["message"] == lookup(50020).message


@pytest.mark.parametrize("bad", [99, 600, "200", True])
def test_http_status_is_checked(bitmart_mock: BitMartMock, bad: object) -> None:
    with pytest.raises(InvalidRuleError, match=r"^http_status must be an HTTP status between 100 and 599, got "):
        bitmart_mock.error(50020, http_status=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, "1", True, float("nan"), float("inf")])
def test_delay_is_checked(bitmart_mock: BitMartMock, bad: object) -> None:
    with pytest.raises(InvalidRuleError, match=r"^delay must be a number of seconds, 0 or more, got "):
        bitmart_mock.ok(delay=bad)  # type: ignore[arg-type]


def test_fault_markers_are_ours_and_a_misspelt_one_says_which(pytester: pytest.Pytester) -> None:
    # Without --strict-markers, so the test is collected and its setup names the marker it meant.
    pytester.makeini("[pytest]\naddopts = -p no:randomly\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        test_names="""
        import pytest

        @pytest.mark.bitmart_falt("read-timeout")
        def test_typo():
            pass

        @pytest.mark.bitmart_faults(kind="transport")
        def test_narrowed(bitmart_fault):
            pass
        """
    )
    result = pytester.runpytest("-W", "ignore::pytest.PytestUnknownMarkWarning")
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*pytest-bitmart: test_names.py::test_typo: @pytest.mark.bitmart_falt is not a pytest-bitmart marker, "
                "so this test would run without the answers it asks for; did you mean @pytest.mark.bitmart_fault?"
            )
        ]
    )


@pytest.mark.bitmart_fault("connection-reset", times=1)
@pytest.mark.bitmart_error(50020)
def test_a_fault_marker_alone_arms_the_test_in_marker_order(client: Client) -> None:
    with pytest.raises(client.transport_error) as reset:
        client.get(WALLET)
    if client.name == "requests":
        assert "Connection aborted." in str(reset.value)  # urllib3's words for a reset connection
    assert not caused_by(reset.value, RequestRefusedError)  # a fault, not a refusal
    assert client.get(WALLET).json()["code"] == 50020


@pytest.fixture
def balance(client: Client) -> int | Exception:
    try:
        return client.get(WALLET).status
    except client.transport_error as error:
        return error


# Armed when setup starts, as the bitmart_error fixture's code is: argument order does not matter. Both
# markers on the test narrow bitmart_failure: one code and two faults.
@pytest.mark.bitmart_codes(include=[50020])
@pytest.mark.bitmart_faults(include=["connection-refused", "cloudflare-520"])
def test_a_fault_case_answers_a_fixture_listed_before_it(
    balance: int | Exception, bitmart_failure: ErrorCode | HttpFailure | Fault, client: Client
) -> None:
    if isinstance(bitmart_failure, Fault) and bitmart_failure.name == "connection-refused":
        assert isinstance(balance, client.connection_error)
        assert not caused_by(balance, RequestRefusedError)
    elif isinstance(bitmart_failure, Fault):
        assert (bitmart_failure.name, balance) == ("cloudflare-520", 520)
    else:
        assert bitmart_failure == lookup(50020)
        assert balance == lookup(50020).http_status
