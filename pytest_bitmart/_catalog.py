"""Every code on BitMart's published error page, as data.

One row per documented code, copied from the page character for character (``tests/reference`` holds
the page itself and a test keeps the two equal). Nothing here knows about HTTP clients or pytest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = [
    "FAMILIES",
    "ErrorCode",
    "Family",
    "HttpFailure",
    "UnknownCodeError",
    "error_codes",
    "http_failure",
    "http_failures",
    "lookup",
    "success",
]

Family = Literal["auth", "funding", "spot", "contract"]
FAMILIES: tuple[Family, ...] = get_args(Family)

_PLACEHOLDER = re.compile(r"%[sd]")


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One documented BitMart code: its number, verbatim message, HTTP status and API family."""

    code: int
    message: str
    http_status: int
    family: Family

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The ``%s``/``%d`` placeholders of the message, in order (``("s",)`` for ``"Invalid %s"``)."""
        return tuple(match[1] for match in _PLACEHOLDER.findall(self.message))

    @property
    def is_success(self) -> bool:
        """Whether this is the ``1000 OK`` entry rather than an error."""
        return self.code == SUCCESS_CODE


@dataclass(frozen=True, slots=True)
class HttpFailure:
    """One of the page's global HTTP return codes: a bare status with a description and no body."""

    http_status: int
    description: str


class UnknownCodeError(LookupError):
    """Raised for a code that BitMart's error page does not document."""


_E = ErrorCode

# The order of the page: authentication, funding, spot, contract.
_ERRORS: tuple[ErrorCode, ...] = (
    # Authentication
    _E(30000, "Not found", 404, "auth"),
    _E(30001, "Header X-BM-KEY is empty", 401, "auth"),
    _E(30002, "Header X-BM-KEY not found", 401, "auth"),
    _E(30003, "Header X-BM-KEY has frozen", 401, "auth"),
    _E(30004, "Header X-BM-SIGN is empty", 401, "auth"),
    _E(30005, "Header X-BM-SIGN is wrong", 401, "auth"),
    _E(30006, "Header X-BM-TIMESTAMP is empty", 401, "auth"),
    _E(30007, "Header X-BM-TIMESTAMP range. Within a minute", 401, "auth"),
    _E(30008, "Header X-BM-TIMESTAMP invalid format", 401, "auth"),
    _E(
        30010,
        "IP is forbidden. We recommend enabling IP whitelist for API trading. After that reauth your account",
        403,
        "auth",
    ),
    _E(30011, "Header X-BM-KEY over expire time", 403, "auth"),
    _E(30012, "Header X-BM-KEY is forbidden to request it", 403, "auth"),
    _E(30013, "Request too many requests", 429, "auth"),
    _E(30014, "Service unavailable", 503, "auth"),
    # Funding Account
    _E(60000, "Invalid request (maybe the body is empty, or the int parameter passes string data)", 400, "funding"),
    _E(60001, "Asset account type does not exist", 400, "funding"),
    _E(60002, "currency does not exist", 400, "funding"),
    _E(
        60003,
        "Currency has been closed recharge channel, if there is any problem, please consult customer service",
        400,
        "funding",
    ),
    _E(
        60004,
        "Currency has been closed withdraw channel, if there is any problem, please consult customer service",
        400,
        "funding",
    ),
    _E(60005, "Minimum amount is %s", 400, "funding"),
    _E(60006, "Maximum withdraw precision is %d", 400, "funding"),
    _E(60007, "Only withdrawals from added addresses are allowed", 400, "funding"),
    _E(60008, "Balance not enough", 400, "funding"),
    _E(60009, "Beyond the limit", 400, "funding"),
    _E(60010, "Withdraw id or deposit id not found", 400, "funding"),
    _E(60011, "Address is not valid", 400, "funding"),
    _E(
        60012,
        "This action is not supported in this currency(If IOTA, HLX recharge and withdraw calls are prohibited)",
        400,
        "funding",
    ),
    _E(60020, "Your account is not allowed to recharge", 403, "funding"),
    _E(60021, "Your account is not allowed to withdraw", 403, "funding"),
    _E(60022, "No withdrawals for 24 hours", 403, "funding"),
    _E(60030, "Method Not Allowed", 405, "funding"),
    _E(60031, "Unsupported Media Type", 415, "funding"),
    _E(60050, "User account not found", 500, "funding"),
    _E(60051, "Internal Server Error", 500, "funding"),
    # Spot
    _E(50000, "Bad Request", 400, "spot"),
    _E(50001, "Symbol not found", 400, "spot"),
    _E(50002, "From Or To format error", 400, "spot"),
    _E(50003, "Step format error", 400, "spot"),
    _E(50004, "Kline size over 500", 400, "spot"),
    _E(50005, "Order Id not found", 400, "spot"),
    _E(50006, "Minimum size is %s", 400, "spot"),
    _E(50007, "Maximum size is %s", 400, "spot"),
    _E(50008, "Minimum price is %s", 400, "spot"),
    _E(50009, "Minimum count*price is %s", 400, "spot"),
    _E(50010, "RequestParam size is required", 400, "spot"),
    _E(50011, "RequestParam price is required", 400, "spot"),
    _E(50012, "RequestParam notional is required", 400, "spot"),
    _E(50013, "Maximum limit*offset is %d", 400, "spot"),
    _E(50014, "RequestParam limit is required", 400, "spot"),
    _E(50015, "Minimum limit is 1", 400, "spot"),
    _E(50016, "Maximum limit is %d", 400, "spot"),
    _E(50017, "RequestParam offset is required", 400, "spot"),
    _E(50018, "Minimum offset is 1", 400, "spot"),
    _E(
        50019,
        "Invalid status. validate status is [1=Failed, 2=Success, 3=Frozen Failed, 4=Frozen Success, 5=Partially Filled, 6=Fully Fulled, 7=Canceling, 8=Canceled",
        400,
        "spot",
    ),
    _E(50020, "Balance not enough", 400, "spot"),
    _E(50021, "Invalid %s", 400, "spot"),
    _E(50022, "Service unavailable", 400, "spot"),
    _E(50023, "This Symbol can't place order by api", 400, "spot"),
    _E(50024, "Order book size over 200", 400, "spot"),
    _E(50025, "Maximum price is %s", 400, "spot"),
    _E(53000, "Your account is frozen due to security policies. Please contact customer service", 403, "spot"),
    _E(57001, "Method Not Allowed", 405, "spot"),
    _E(58001, "Unsupported Media Type", 415, "spot"),
    _E(59001, "User account not found", 500, "spot"),
    _E(59002, "Internal Server Error", 500, "spot"),
    # Contract
    _E(40001, "Cloud account not found", 400, "contract"),
    _E(40002, "out_trade_no not found", 400, "contract"),
    _E(40003, "out_trade_no already existed", 400, "contract"),
    _E(40004, "Cloud account count limit", 400, "contract"),
    _E(40005, "Transfer vol precision error", 400, "contract"),
    _E(40006, "Invalid ip error", 400, "contract"),
    _E(40007, "Parse parameter error", 400, "contract"),
    _E(40008, "Check nonce error", 400, "contract"),
    _E(40009, "Check ver error", 400, "contract"),
    _E(40010, "Not found func error", 400, "contract"),
    _E(40011, "Invalid request", 400, "contract"),
    _E(40012, "System error", 500, "contract"),
    _E(40013, 'Access too often" CLIENT_TIME_INVALID, "Please check your system time.', 400, "contract"),
    _E(40014, "This contract is offline", 400, "contract"),
    _E(40015, "This contract's exchange has been paused", 400, "contract"),
    _E(40016, "This order would trigger user position liquidate", 400, "contract"),
    _E(40017, "It is not possible to open and close simultaneously in the same position", 400, "contract"),
    _E(40018, "Your position is closed", 400, "contract"),
    _E(40019, "Your position is in liquidation delegating", 400, "contract"),
    _E(40020, "Your position volume is not enough", 400, "contract"),
    _E(40021, "The position is not exsit", 400, "contract"),
    _E(40022, "The position is not isolated", 400, "contract"),
    _E(40023, "The position would liquidate when sub margin", 400, "contract"),
    _E(40024, "The position would be warnning of liquidation when sub margin", 400, "contract"),
    _E(40025, "The position’s margin shouldn’t be lower than the base limit", 400, "contract"),
    _E(40026, "You cross margin position is in liquidation delegating", 400, "contract"),
    _E(40027, "You contract account available balance not enough", 400, "contract"),
    _E(40028, "Your plan order's count is more than system maximum limit.", 400, "contract"),
    _E(40029, "The order's leverage is too large.", 400, "contract"),
    _E(40030, "The order's leverage is too small.", 400, "contract"),
    _E(40031, "The deviation between current price and trigger price is too large.", 400, "contract"),
    _E(40032, "The plan order's life cycle is too long.", 400, "contract"),
    _E(40033, "The plan order's life cycle is too short.", 400, "contract"),
    _E(40034, "This contract is not found", 400, "contract"),
)

SUCCESS_CODE = 1000
_SUCCESS: dict[Family, ErrorCode] = {family: ErrorCode(SUCCESS_CODE, "OK", 200, family) for family in FAMILIES}

_HTTP_FAILURES: tuple[HttpFailure, ...] = (
    HttpFailure(404, "Not Found-The requested interface could not be found"),
    HttpFailure(
        403,
        "Forbidden-No permission to access the resource (KEY may not have permission, or it may be IP restrictions)",
    ),
    HttpFailure(401, "Unauthorized-Authentication failed (there are problems with the 3 header parameters, failed)"),
    HttpFailure(500, "Internal Server Error-Server exception, BitMart service problem"),
)

_BY_CODE: dict[int, ErrorCode] = {entry.code: entry for entry in _ERRORS}
_SORTED: tuple[ErrorCode, ...] = tuple(sorted(_ERRORS, key=lambda entry: entry.code))


def lookup(code: int, *, family: Family = "spot") -> ErrorCode:
    """Return the documented entry for ``code``.

    ``1000`` (OK) is documented once per family; ``family`` picks which one (spot by default).
    An undocumented code raises :class:`UnknownCodeError` naming the nearest documented codes.
    """
    # 50020.0 and True compare equal to documented ints; only a real int is a BitMart code.
    if isinstance(code, bool) or not isinstance(code, int):
        raise UnknownCodeError(unknown_code_message(code))
    if code == SUCCESS_CODE:
        return success(family)
    try:
        return _BY_CODE[code]
    except (KeyError, TypeError):
        raise UnknownCodeError(unknown_code_message(code)) from None


def success(family: Family) -> ErrorCode:
    """Return the ``1000 OK`` entry of ``family``."""
    return _SUCCESS[family]


def error_codes(*, family: Family | None = None, http_status: int | None = None) -> tuple[ErrorCode, ...]:
    """Return the documented error codes (never ``1000``), sorted by code, optionally narrowed.

    An unknown ``family`` raises ``ValueError`` rather than quietly selecting nothing.
    """
    if family is not None and family not in FAMILIES:
        raise ValueError(f"unknown BitMart family {family!r}; the families are {', '.join(FAMILIES)}")
    return tuple(
        entry
        for entry in _SORTED
        if (family is None or entry.family == family) and (http_status is None or entry.http_status == http_status)
    )


def http_failures() -> tuple[HttpFailure, ...]:
    """Return the page's four global HTTP return codes, in the page's order."""
    return _HTTP_FAILURES


def http_failure(status: int) -> HttpFailure:
    """Return the global HTTP return code ``status`` (404, 403, 401 or 500)."""
    for failure in _HTTP_FAILURES:
        if failure.http_status == status:
            return failure
    documented = ", ".join(str(failure.http_status) for failure in _HTTP_FAILURES)
    raise UnknownCodeError(f"{status!r} is not one of BitMart's global HTTP return codes ({documented})")


def unknown_code_message(code: object) -> str:
    """The one-line explanation for an undocumented code, with the nearest documented ones."""
    nearest = nearest_codes(code)
    hint = f"; did you mean {_either(nearest)}?" if nearest else ""
    return f"unknown BitMart code {code!r}{hint}"


def nearest_codes(code: object, *, limit: int = 3) -> tuple[int, ...]:
    """The documented codes one typo away from ``code`` (a wrong, missing, extra or swapped digit)."""
    typed = str(code)
    candidates = [entry.code for entry in _SORTED if _typo_distance(typed, str(entry.code)) <= 1]
    if isinstance(code, int) and not isinstance(code, bool):
        candidates.sort(key=lambda candidate: abs(candidate - code))
    else:
        # A quoted "50020" is zero typos from 50020: name that one first.
        candidates.sort(key=lambda candidate: _typo_distance(typed, str(candidate)))
    return tuple(candidates[:limit])


def _either(codes: tuple[int, ...]) -> str:
    words = [str(code) for code in codes]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _typo_distance(typed: str, documented: str) -> int:
    """Optimal string alignment distance: edits plus adjacent swaps, the usual shape of a mistyped number."""
    rows = [list(range(len(documented) + 1))]
    for i, typed_char in enumerate(typed, start=1):
        row = [i] + [0] * len(documented)
        for j, documented_char in enumerate(documented, start=1):
            cost = typed_char != documented_char
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and typed_char == documented[j - 2] and typed[i - 2] == documented_char:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
