"""The bitmart_error fixture: one test per documented code, narrowed by bitmart_codes and the run's options.

What each code's request gets back is tested in-process, through each client and through ccxt and the
official SDK; which tests are collected, the options, the messages and the summary through pytester.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from clients import Client

from pytest_bitmart import BitMartMock, Call, ErrorCode, HttpFailure, error_codes, http_failures, lookup, variants

WALLET = "https://api-cloud.bitmart.com/account/v1/wallet"
INNER_INI_WITH_CONTRACT = """
[pytest]
addopts = -p no:randomly
asyncio_default_fixture_loop_scope = function
bitmart_families = contract
"""

# An inline test that checks each instance really receives its own code, over requests.
ANSWERS_ITS_CODE = f"""
    import requests

    def test_answers(bitmart_error):
        response = requests.get("{WALLET}")
        assert response.status_code == bitmart_error.http_status
        assert response.json()["code"] == bitmart_error.code
        assert response.json()["message"] == bitmart_error.message
"""


def collected_ids(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest("--collect-only", "-q", *args)
    return [line.strip() for line in result.outlines if "::" in line]


def test_one_item_per_documented_error_code_with_readable_ids(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    ids = collected_ids(pytester)
    # 221: the page's 99 codes and the 122 that only the current spot and futures API docs list.
    assert len(ids) == 221
    assert "test_codes.py::test_answers[50020-spot]" in ids
    assert "test_codes.py::test_answers[40013-contract]" in ids
    assert "test_codes.py::test_answers[61001-funding]" in ids
    assert "test_codes.py::test_answers[70002-spot-public]" in ids
    assert ids == [f"test_codes.py::test_answers[{entry.code}-{entry.family}]" for entry in error_codes()]


def test_every_instance_is_answered_with_its_own_code(bitmart_error: ErrorCode, client: Client) -> None:
    answer = client.get(WALLET)
    assert answer.status == bitmart_error.http_status
    assert answer.json()["code"] == bitmart_error.code
    assert answer.json()["message"] == bitmart_error.message


def test_dash_k_selects_one_code(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    result = pytester.runpytest("-k", "50020", "-v")
    result.assert_outcomes(passed=1, deselected=220)
    result.stdout.fnmatch_lines(["*test_answers?50020-spot? PASSED*"])


@pytest.mark.bitmart_error(30013)
def test_a_bitmart_error_marker_turns_the_fixture_into_that_code(
    request: pytest.FixtureRequest, bitmart_error: ErrorCode, client: Client
) -> None:
    # Not parametrized over the codes: the only parameter is the client's.
    assert list(request.node.callspec.params) == ["client"]
    assert bitmart_error.code == 30013
    assert client.get(WALLET).status == 429


def test_bitmart_codes_narrows_by_family_status_include_and_exclude(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_narrow="""
        import pytest

        @pytest.mark.bitmart_codes(family="auth", http_status=[401, 403], exclude=[30001])
        def test_auth(bitmart_error):
            pass

        @pytest.mark.bitmart_codes(include=[50020, 60008, 40027])
        def test_balance(bitmart_error):
            pass
        """
    )
    ids = collected_ids(pytester)
    auth = [
        entry.code for entry in error_codes(family="auth") if entry.http_status in (401, 403) and entry.code != 30001
    ]
    assert [i for i in ids if "test_auth" in i] == [f"test_narrow.py::test_auth[{code}-auth]" for code in auth]
    assert [i.split("[")[1] for i in ids if "test_balance" in i] == ["40027-contract]", "50020-spot]", "60008-funding]"]


def test_the_closest_bitmart_codes_marker_wins_per_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_levels="""
        import pytest

        pytestmark = pytest.mark.bitmart_codes(family="spot", http_status=400)

        @pytest.mark.bitmart_codes(family="funding")
        def test_funding_400(bitmart_error):
            pass
        """
    )
    expected = [entry.code for entry in error_codes(family="funding", http_status=400)]
    assert collected_ids(pytester) == [f"test_levels.py::test_funding_400[{code}-funding]" for code in expected]


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ('family="sopt"', "*(family=...): unknown BitMart family 'sopt' (did you mean 'spot'?); the families are *"),
        ("include=[50200]", "*include=...): unknown BitMart code 50200; did you mean 50020, 50000 or 52000?*"),
        ('famliy="spot"', "*unknown option 'famliy' (did you mean 'family'?)*"),
        ('family="contract", http_status=429', "*the selection of BitMart codes is empty; widen*"),
        ("times=0", "*(times=...): times must be a whole number of at least 1 (or None for every request), got 0"),
    ],
)
def test_a_bad_selection_is_a_collection_error_naming_the_test(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    pytester.makepyfile(
        test_bad=f"""
        import pytest

        @pytest.mark.bitmart_codes({marker})
        def test_x(bitmart_error):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"pytest-bitmart: test_bad.py::test_x: {message}"])
    assert "Traceback" not in result.stdout.str()


def test_bitmart_families_option_and_ini_narrow_the_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    expected = len(error_codes(family="spot")) + len(error_codes(family="auth"))
    assert len(collected_ids(pytester, "--bitmart-families=spot,auth")) == expected
    pytester.makeini(INNER_INI_WITH_CONTRACT)
    assert len(collected_ids(pytester)) == len(error_codes(family="contract"))


def test_a_test_whose_codes_the_run_excludes_is_skipped_not_an_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_contract="""
        import pytest

        @pytest.mark.bitmart_codes(family="contract")
        def test_x(bitmart_error):
            pass
        """
    )
    result = pytester.runpytest("--bitmart-families=spot", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no selected code is in families spot*"])


def test_an_unknown_family_on_the_command_line_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    result = pytester.runpytest("--bitmart-families=spot,autj")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--bitmart-families: unknown BitMart family 'autj' (did you mean 'auth'?); the families are *"]
    )


def test_global_http_failures_join_the_set_as_bare_statuses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_http="""
        import pytest

        @pytest.mark.bitmart_codes(http_failures=True, family="auth", http_status=[401, 404])
        def test_x(bitmart_error):
            pass
        """
    )
    ids = collected_ids(pytester)
    assert [i.split("[")[1].rstrip("]") for i in ids if "http-" in i] == ["http-404", "http-401"]
    auth = [entry for entry in error_codes(family="auth") if entry.http_status in (401, 404)]
    assert len(ids) == len(auth) + 2


@pytest.mark.bitmart_codes(http_failures=True, family="auth", http_status=[401, 404])
def test_a_global_http_failure_case_is_answered_with_its_bare_status(
    bitmart_error: ErrorCode | HttpFailure, client: Client
) -> None:
    answer = client.get(WALLET)
    assert answer.status == bitmart_error.http_status
    if isinstance(bitmart_error, HttpFailure):
        assert answer.text == bitmart_error.description


@pytest.mark.bitmart_codes(http_status=429, times=2)
def test_times_lets_a_success_follow_each_code(
    bitmart_error: ErrorCode, bitmart_mock: BitMartMock, client: Client
) -> None:
    bitmart_mock.ok({"balance": "1"})
    statuses = [client.get(WALLET).status for _ in range(3)]
    assert statuses == [429, 429, 200]


SUMMARY_SUITE = f"""
    import pytest, requests

    @pytest.mark.bitmart_codes(family="auth", source="error-page")
    def test_auth(bitmart_error):
        requests.get("{WALLET}")

    @pytest.mark.bitmart_codes(include=[50020, 50021])
    def test_spot_fails_for_50021(bitmart_error):
        requests.get("{WALLET}")
        assert bitmart_error.code != 50021

    @pytest.mark.bitmart_error(60008, times=1)
    def test_served_then_unmatched_fails_at_teardown():
        requests.get("{WALLET}")
        try:
            requests.get("{WALLET}")
        except Exception:
            pass  # swallowed by the client code: the teardown check still fails the test

    def test_untouched():
        pass
"""


def test_summary_counts_codes_exercised_by_passing_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_summary=SUMMARY_SUITE)
    result = pytester.runpytest()
    result.assert_outcomes(passed=17, failed=1, errors=1)
    # The page's 14 auth codes and 50020 passed; 50021 failed; 60008 was served once but the test errored
    # at teardown. Each code counts once per family and once per source.
    result.stdout.fnmatch_lines(
        [
            "*= BitMart errors =*",
            "15/221 documented error codes exercised by passing tests",
            "  auth          14/20",
            "  funding        0/52",
            "  spot           1/90",
            "  contract       0/51",
            "  spot-public    0/8",
            "  error-page    15/99",
            "  spot-docs      0/105",
            "  futures-docs   0/17",
            "206 not exercised; -v or --bitmart-coverage lists them",
        ]
    )


def test_summary_lists_missing_codes_on_request(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_summary=SUMMARY_SUITE)
    result = pytester.runpytest("--bitmart-coverage")
    result.stdout.fnmatch_lines(
        [
            "  not exercised, auth: 30016-30019, 30030-30031",
            "  not exercised, funding: 60000-60015, 60020-60022, 60026-60031, 60050-60067, 61000-61008",
            (
                "  not exercised, spot: 50000-50019, 50021-50042, 51000-51015, 51024, 52000-52004, 53000-53011, 57001, "
                "58001, 59001-59011"
            ),
            "  not exercised, contract: 40001-40050, 42000",
            "  not exercised, spot-public: 70000-70002, 71001-71005",
        ]
    )


def test_summary_is_the_same_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_summary=SUMMARY_SUITE)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=17, failed=1, errors=1)
    result.stdout.fnmatch_lines(["15/221 documented error codes exercised by passing tests", "  auth          14/20"])


def test_no_summary_when_no_test_used_the_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "BitMart errors" not in result.stdout.str()


def test_global_failures_served_are_named_in_the_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest, requests

        @pytest.mark.bitmart_http_error(500)
        def test_x():
            assert requests.get("{WALLET}").status_code == 500
        """
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        ["0/221 documented error codes exercised by passing tests", "  global HTTP failures: 500"]
    )
    assert re.search(r"^221 not exercised", result.stdout.str(), re.MULTILINE)
    assert {failure.http_status for failure in http_failures()} == {404, 403, 401, 500}


# Sources: the error page, the spot API docs, the futures API docs ------------------------------------------


def test_the_error_page_alone_gives_the_99_codes_of_earlier_releases(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    page = [f"test_codes.py::test_answers[{entry.code}-{entry.family}]" for entry in error_codes(source="error-page")]
    assert len(page) == 99
    assert collected_ids(pytester, "--bitmart-sources=error-page") == page
    pytester.makeini(INNER_INI_WITH_CONTRACT.replace("bitmart_families = contract", "bitmart_sources = error-page"))
    assert collected_ids(pytester) == page


def test_sources_combine_with_families(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    ids = collected_ids(pytester, "--bitmart-sources=spot-docs,futures-docs", "--bitmart-families=contract,auth")
    expected = [
        entry for entry in error_codes() if entry.source != "error-page" and entry.family in {"contract", "auth"}
    ]
    assert ids == [f"test_codes.py::test_answers[{entry.code}-{entry.family}]" for entry in expected]
    assert "test_codes.py::test_answers[42000-contract]" in ids


def test_bitmart_codes_narrows_by_source(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_source="""
        import pytest

        @pytest.mark.bitmart_codes(source="futures-docs")
        def test_futures(bitmart_error):
            pass

        @pytest.mark.bitmart_codes(source=["spot-docs"], family="spot-public")
        def test_market(bitmart_error):
            pass
        """
    )
    ids = collected_ids(pytester)
    futures = [entry.code for entry in error_codes(source="futures-docs")]
    assert [i for i in ids if "test_futures" in i] == [f"test_source.py::test_futures[{c}-contract]" for c in futures]
    market = [entry.code for entry in error_codes(family="spot-public")]
    assert [i for i in ids if "test_market" in i] == [f"test_source.py::test_market[{c}-spot-public]" for c in market]


@pytest.mark.bitmart_codes(source="futures-docs")
def test_a_source_narrowed_case_is_an_entry_of_that_source(bitmart_error: ErrorCode) -> None:
    assert bitmart_error.source == "futures-docs"


def test_an_unknown_source_in_a_marker_is_a_collection_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bad="""
        import pytest

        @pytest.mark.bitmart_codes(source="error_page")
        def test_x(bitmart_error):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "pytest-bitmart: test_bad.py::test_x: @pytest.mark.bitmart_codes(source=...): unknown BitMart source "
                "'error_page' (did you mean 'error-page'?); the sources are error-page, spot-docs, futures-docs"
            )
        ]
    )


def test_an_unknown_source_on_the_command_line_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_codes=ANSWERS_ITS_CODE)
    result = pytester.runpytest("--bitmart-sources=spot-doc")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--bitmart-sources: unknown BitMart source 'spot-doc' (did you mean 'spot-docs'?); the sources are *"]
    )


def test_a_test_whose_codes_the_run_sources_exclude_is_skipped(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_market="""
        import pytest

        @pytest.mark.bitmart_codes(family="spot-public")
        def test_x(bitmart_error):
            pass
        """
    )
    result = pytester.runpytest("--bitmart-sources=error-page", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no selected code is in sources error-page*"])


# Envelopes of the new codes ------------------------------------------------------------------------------


TICKER = "https://api-cloud.bitmart.com/spot/quotation/v3/ticker"


def test_the_documented_http_200_errors() -> None:
    statuses_200 = [entry.code for entry in error_codes(http_status=200)]
    assert statuses_200 == [30016, 30019, 30030, 30031, 42000, 70000, 70001, 70002, 71001, 71002, 71003, 71004, 71005]


@pytest.mark.bitmart_codes(http_status=200)
def test_documented_http_200_errors_are_served_with_status_200_and_their_familys_envelope(
    bitmart_error: ErrorCode, client: Client
) -> None:
    answer = client.get(TICKER)
    assert answer.status == 200
    assert answer.json()["code"] == bitmart_error.code
    assert answer.json()["message"] == bitmart_error.message


@pytest.mark.bitmart_error(70002)
def test_a_market_data_error_carries_data_null(client: Client) -> None:
    answer = client.get(TICKER)
    trace = answer.json()["trace"]
    message = lookup(70002).message
    assert answer.body == f'{{"code":70002,"trace":"{trace}","message":"{message}","data":null}}'.encode()


@pytest.mark.bitmart_error(42000)
def test_a_futures_error_in_200_has_no_data_key(client: Client) -> None:
    body = client.get("https://api-cloud-v2.bitmart.com/contract/private/submit-order").json()
    assert list(body) == ["code", "message", "trace"]
    assert body["message"] == lookup(42000).message


# Variants: a status or message the API docs give instead of the page --------------------------------------


CONTRACT = "https://api-cloud-v2.bitmart.com/contract/private/assets-detail"


@pytest.mark.bitmart_error(40012, variant="futures-docs")
def test_a_variant_marker_serves_the_other_documented_status(bitmart_error: ErrorCode, client: Client) -> None:
    assert bitmart_error == variants(40012)[0].entry
    answer = client.get(CONTRACT)
    assert answer.status == 400
    assert answer.json()["message"] == lookup(40012).message


@pytest.mark.bitmart_error(40012)
def test_the_pages_status_is_served_by_default(client: Client) -> None:
    assert client.get(CONTRACT).status == 500


def test_a_variant_gives_the_other_message_from_the_mock(bitmart_mock: BitMartMock, client: Client) -> None:
    bitmart_mock.error(30007, variant="spot-docs-2")
    assert client.get(WALLET).json()["message"] == variants(30007)[1].entry.message
    bitmart_mock.assert_call_count(1, code=30007)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            '40034, variant="futures"',
            "code 40034 has no variant 'futures'; did you mean 'futures-docs'? (its variants: 'futures-docs')",
        ),
        (
            '50020, variant="spot-docs"',
            (
                "code 50020 has no documented variant; the codes with variants are 30006, 30007, 40012, 40034, 59001, "
                "60000"
            ),
        ),
        ("59001, variant=2", "variant must be a variant's name such as 'futures-docs', got 2"),
    ],
)
def test_a_bad_variant_fails_the_test_naming_it(pytester: pytest.Pytester, marker: str, message: str) -> None:
    pytester.makepyfile(
        test_bad=f"""
        import pytest

        @pytest.mark.bitmart_error({marker})
        def test_x():
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"pytest-bitmart: test_bad.py::test_x: @pytest.mark.bitmart_error: {message}"])
    assert "Traceback" not in result.stdout.str()


# Real clients over every code: what each does with the documented body ----------------------------------

# The oracle is the client itself: ccxt's own handle_errors, given the body that was served, must raise
# what the request through the plugin raised, so the transport changed nothing on the way. A few codes
# are pinned to the class ccxt documents for them, so the oracle cannot drift unnoticed.
MARKET = {
    "id": "BTC_USDT",
    "symbol": "BTC/USDT",
    "base": "BTC",
    "quote": "USDT",
    "baseId": "BTC",
    "quoteId": "USDT",
    "type": "spot",
    "spot": True,
    "active": True,
}
CONFIG = {"apiKey": "key", "secret": "secret", "uid": "memo", "enableRateLimit": False}
PINNED = {
    50020: "InsufficientFunds",
    61001: "InsufficientFunds",
    30013: "RateLimitExceeded",
    30016: "OnMaintenance",
    70002: "BadSymbol",
    40035: "OrderNotFound",
    53007: "PermissionDenied",
}


def check_ccxt(exchange: Any, entry: ErrorCode, raised: BaseException, calls: tuple[Call, ...]) -> None:
    (call,) = calls
    assert call.response is not None
    served = call.response.content.decode()
    body = json.loads(served)
    assert (call.status, body["code"], body["message"]) == (entry.http_status, entry.code, entry.message)
    with pytest.raises(Exception) as direct:  # noqa: PT011 - whatever ccxt raises for the body is the oracle
        exchange.handle_errors(call.status, "", call.request.url, "GET", {}, served, body, {}, None)
    assert type(raised) is type(direct.value)
    assert str(raised) == str(direct.value) == "bitmart " + served
    if entry.code in PINNED:
        assert type(raised).__name__ == PINNED[entry.code]


@pytest.fixture(scope="module")
def ccxt_exchange() -> Any:
    ccxt = pytest.importorskip("ccxt")
    exchange = ccxt.bitmart(CONFIG)
    exchange.set_markets([MARKET])  # no market-loading requests: each test sends one request
    return exchange


def test_ccxt_sync_raises_for_every_code_what_it_raises_for_the_documented_body(
    ccxt_exchange: Any, bitmart_error: ErrorCode, bitmart_mock: BitMartMock
) -> None:
    ccxt = pytest.importorskip("ccxt")
    with pytest.raises(ccxt.BaseError) as raised:
        ccxt_exchange.fetch_balance()
    check_ccxt(ccxt_exchange, bitmart_error, raised.value, bitmart_mock.calls)


@pytest.mark.asyncio
async def test_ccxt_async_raises_for_every_code_what_it_raises_for_the_documented_body(
    bitmart_error: ErrorCode, bitmart_mock: BitMartMock
) -> None:
    ccxt_async = pytest.importorskip("ccxt.async_support")
    # timeout_on_exit: ccxt's close() otherwise sleeps a quarter of a second per instance.
    exchange = ccxt_async.bitmart({**CONFIG, "timeout_on_exit": 0})
    exchange.set_markets([MARKET])
    try:
        with pytest.raises(ccxt_async.BaseError) as raised:
            await exchange.fetch_balance()
    finally:
        await exchange.close()
    check_ccxt(exchange, bitmart_error, raised.value, bitmart_mock.calls)


@pytest.fixture(scope="module")
def sdk_spot() -> Any:
    pytest.importorskip("bitmart")
    from bitmart.api_spot import APISpot

    return APISpot(api_key="key", secret_key="secret", memo="memo")


def test_official_sdk_raises_for_every_code_or_returns_the_http_200_ones(
    sdk_spot: Any, bitmart_error: ErrorCode, bitmart_mock: BitMartMock
) -> None:
    from bitmart.lib.cloud_exceptions import APIException

    if bitmart_error.http_status == 200:
        # The SDK raises for any status but 200: an error documented with 200 is returned.
        body, limits = sdk_spot.get_wallet()
        served = bitmart_mock.calls[0].response
        assert served is not None
        assert limits["Limit"] == served.headers["X-BM-RateLimit-Limit"]
    else:
        with pytest.raises(APIException) as raised:
            sdk_spot.get_wallet()
        served = bitmart_mock.calls[0].response
        assert served is not None
        assert raised.value.status_code == bitmart_error.http_status
        assert raised.value.response == served.content.decode()
        body = json.loads(raised.value.response)
    assert (body["code"], body["message"]) == (bitmart_error.code, bitmart_error.message)
