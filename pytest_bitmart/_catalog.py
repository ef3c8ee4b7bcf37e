"""Every REST error code BitMart documents, as data, with where each one is documented.

One row per code, copied character for character from its source: BitMart's published error page
(``tests/reference/bitmart-error-codes.txt``, the reference for the codes it lists) and the error tables
of BitMart's current spot and futures API docs (``tests/reference/bitmart-extended-codes.tsv``). Tests
keep the rows equal to both. Where the current docs give another status or message for a code of the
page, the page's value is served and the other one is a named variant a rule can ask for.
Nothing here knows about HTTP clients or pytest.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = [
    "FAMILIES",
    "SOURCES",
    "ErrorCode",
    "Family",
    "HttpFailure",
    "Source",
    "SourceDocument",
    "UnknownCodeError",
    "UnservedCode",
    "Variant",
    "error_codes",
    "http_failure",
    "http_failures",
    "lookup",
    "source_document",
    "success",
    "unserved_codes",
    "variants",
]

# "spot-public" is the public market-data (quotation) table of the spot docs: codes 70000-71005.
Family = Literal["auth", "funding", "spot", "contract", "spot-public"]
FAMILIES: tuple[Family, ...] = get_args(Family)

Source = Literal["error-page", "spot-docs", "futures-docs"]
SOURCES: tuple[Source, ...] = get_args(Source)

VariantKind = Literal["disagreement", "extra message"]

_PLACEHOLDER = re.compile(r"%[sd]")


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One documented BitMart code: its number, verbatim message, HTTP status, API family and source.

    ``source`` names the document the row comes from (see :func:`source_document`): ``"error-page"``
    for BitMart's error-code page, ``"spot-docs"`` or ``"futures-docs"`` for the error tables of the
    current API docs.
    """

    code: int
    message: str
    http_status: int
    family: Family
    source: Source = "error-page"

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


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document BitMart's codes are taken from, and the capture the catalog was copied from.

    ``captured`` is the date of the capture (ISO format), ``None`` where it was not recorded;
    ``repository``, ``path`` and ``commit`` locate a capture kept in a public repository.
    """

    name: Source
    title: str
    url: str | None
    captured: str | None
    repository: str | None = None
    path: str | None = None
    commit: str | None = None


@dataclass(frozen=True, slots=True)
class Variant:
    """Another documented form of a code of the error page: the status or message a source gives instead.

    ``kind`` is ``"disagreement"`` when the source documents this value instead of the page's, and
    ``"extra message"`` when it lists the code again with another message. A rule asks for a variant
    by ``name``: ``@pytest.mark.bitmart_error(40012, variant="futures-docs")``.
    """

    name: str
    entry: ErrorCode
    kind: VariantKind


@dataclass(frozen=True, slots=True)
class UnservedCode:
    """A code BitMart's sources mention that pytest-bitmart does not serve, and why.

    ``reason`` is ``"websocket"`` (a WebSocket code: there is no WebSocket transport), ``"partial"``
    (documented without a message or an HTTP status) or ``"client-source"`` (seen only in a client
    library's source, not in BitMart's docs). ``family`` and ``message`` are as the source gives them
    (``message`` is empty when none is known).
    """

    code: int
    family: str
    message: str
    reason: Literal["websocket", "partial", "client-source"]


class UnknownCodeError(LookupError):
    """Raised for a code (or a variant) that BitMart's documentation does not give."""


UnknownCodeError.__module__ = "pytest_bitmart"  # failures name the class users import


_SOURCE_DOCUMENTS: dict[Source, SourceDocument] = {
    # The page as the project copied it; its capture date was not recorded.
    "error-page": SourceDocument("error-page", "BitMart's error-code page", None, None),
    "spot-docs": SourceDocument(
        "spot-docs",
        "BitMart's spot API docs",
        "https://developer-pro.bitmart.com/en/spot/",
        "2025-11-08",
        "rosssaunders/coincise",
        "docs/bitmart/spot/error_code.md",
        "57b6042e5772bd246b50e2824d72472c1b726a5a",
    ),
    "futures-docs": SourceDocument(
        "futures-docs",
        "BitMart's futures API docs",
        "https://developer-pro.bitmart.com/en/futuresv2/",
        "2025-11-08",
        "rosssaunders/coincise",
        "docs/bitmart/futures/error_code.md",
        "57b6042e5772bd246b50e2824d72472c1b726a5a",
    ),
}

_E = ErrorCode

# The page's codes first, in the page's order (authentication, funding, spot, contract), then the codes
# only the current API docs list, in their tables' order.
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
    # BitMart's spot API docs: the codes the error page does not list
    # Authentication
    _E(30016, "Service maintenance, the function is temporarily unavailable", 200, "auth", "spot-docs"),
    _E(
        30017,
        "Your account request is temporarily rejected due to violation of current limiting rules, please contact customer service",
        418,
        "auth",
        "spot-docs",
    ),
    _E(30018, "Request Body requires JSON format", 503, "auth", "spot-docs"),
    _E(
        30019,
        "You do not have the permissions to perform this operation. Please contact customer service or BD for assistance",
        200,
        "auth",
        "spot-docs",
    ),
    _E(
        30030,
        "Futures V1 API has been deprecated. Please use Futures V2 API. You can view the change logs for upgrade",
        200,
        "auth",
        "spot-docs",
    ),
    _E(30031, "This endpoint has been deprecated. You can view the change logs for upgrade", 200, "auth", "spot-docs"),
    # Funding account and sub-account
    _E(60013, "The withdrawal amount must be an integral multiple of %s", 400, "funding", "spot-docs"),
    _E(60014, "Please check your memo", 400, "funding", "spot-docs"),
    _E(
        60015,
        "This address is not verified. Please add and verify this address on the client",
        400,
        "funding",
        "spot-docs",
    ),
    _E(60026, "Sub-account does not have permission to operate", 403, "funding", "spot-docs"),
    _E(60027, "Only supports sub-account calls", 403, "funding", "spot-docs"),
    _E(60028, "Account status is unavailable", 403, "funding", "spot-docs"),
    _E(
        60029,
        "The account is frozen by the master account, please contact the master account to unfreeze the account",
        403,
        "funding",
        "spot-docs",
    ),
    _E(60052, "Exception", 400, "funding", "spot-docs"),
    _E(60053, "please check The Email/PhoneNumber/BitMart ID And try again", 403, "funding", "spot-docs"),
    _E(60054, "Sub-account does not support withdraw", 403, "funding", "spot-docs"),
    _E(60055, "This currency is not support", 403, "funding", "spot-docs"),
    _E(60056, "This currency withdrawal is suspended", 403, "funding", "spot-docs"),
    _E(60057, "User status is not available", 403, "funding", "spot-docs"),
    _E(
        60058,
        "Monitor that the withdrawal will cause the overall spot wallet to fall below the Margin call risk rate. Please revise the withdrawal amount as appropriate",
        403,
        "funding",
        "spot-docs",
    ),
    _E(60059, "internal Withdraw forbidden", 403, "funding", "spot-docs"),
    _E(60060, "Invalid request", 403, "funding", "spot-docs"),
    _E(60061, "Unsupported operation", 403, "funding", "spot-docs"),
    _E(60062, "Forbidden", 403, "funding", "spot-docs"),
    _E(
        60063,
        "Account is frozen due to security policies. Please contact customer service",
        403,
        "funding",
        "spot-docs",
    ),
    _E(
        60064,
        "Exceed daily withdrawal quota, for your safety, please wait 24 hours and try again",
        403,
        "funding",
        "spot-docs",
    ),
    _E(60065, "The withdrawal user and the target user cannot be the same", 403, "funding", "spot-docs"),
    _E(
        60066,
        "Please notice the default startTime and endTime to make sure that time interval is within 0-90 days",
        400,
        "funding",
        "spot-docs",
    ),
    _E(
        60067,
        "If both startTime and endTimeare sent, time between startTimeand endTimemust be less than 90 days.",
        400,
        "funding",
        "spot-docs",
    ),
    _E(61000, "Amount must be greater than 0", 400, "funding", "spot-docs"),
    _E(61001, "Insufficient balance", 400, "funding", "spot-docs"),
    _E(61002, "ToAccount not found", 400, "funding", "spot-docs"),
    _E(61003, "The specified sub-account could not be found", 400, "funding", "spot-docs"),
    _E(61004, "Duplicate requests (such as using an existing requestNo)", 400, "funding", "spot-docs"),
    _E(61005, "Asset transfer between accounts is not available", 403, "funding", "spot-docs"),
    _E(61006, "The sub-account api only supports organization accounts", 403, "funding", "spot-docs"),
    _E(
        61007,
        "Please complete your institution verification to enable withdrawal function.",
        403,
        "funding",
        "spot-docs",
    ),
    _E(61008, "Suspend transfer out", 403, "funding", "spot-docs"),
    # Spot public market data (quotation)
    _E(70000, "no data", 200, "spot-public", "spot-docs"),
    _E(70001, "request param can not be null", 200, "spot-public", "spot-docs"),
    _E(70002, "symbol is invalid", 200, "spot-public", "spot-docs"),
    _E(71001, "after is invalid", 200, "spot-public", "spot-docs"),
    _E(71002, "before is invalid", 200, "spot-public", "spot-docs"),
    _E(71003, "request after or before is invalid", 200, "spot-public", "spot-docs"),
    _E(71004, "request kline count limit", 200, "spot-public", "spot-docs"),
    _E(71005, "request step error", 200, "spot-public", "spot-docs"),
    # Spot and margin
    _E(50026, "The buy order price cannot be higher than the open price", 400, "spot", "spot-docs"),
    _E(50027, "The sell order price cannot be lower than the open price", 400, "spot", "spot-docs"),
    _E(50028, "Missing parameters", 400, "spot", "spot-docs"),
    _E(50029, "The parameters do not match", 400, "spot", "spot-docs"),
    _E(50030, "Order is already canceled", 400, "spot", "spot-docs"),
    _E(50031, "Order is already completed", 400, "spot", "spot-docs"),
    _E(50032, "Order does not exist (completed or cancelled)", 400, "spot", "spot-docs"),
    _E(50033, "The order quantity should be greater than 0 and less than or equal to 10", 400, "spot", "spot-docs"),
    _E(50034, "The price is high and there is no matching depth", 400, "spot", "spot-docs"),
    _E(50035, "The price is low and there is no matching depth", 400, "spot", "spot-docs"),
    _E(50036, "Cancel failed, order is not revocable status", 400, "spot", "spot-docs"),
    _E(50037, "The maximum length of clientOrderId cannot exceed 32", 400, "spot", "spot-docs"),
    _E(50038, "ClientOrderId only allows a combination of numbers and letters", 400, "spot", "spot-docs"),
    _E(50039, "Order_id and clientOrderId cannot be empty at the same time", 400, "spot", "spot-docs"),
    _E(50040, "Symbol Not Available", 400, "spot", "spot-docs"),
    _E(50041, "Out of query time range", 400, "spot", "spot-docs"),
    _E(50042, "clientOrderId is duplicate", 400, "spot", "spot-docs"),
    _E(51000, "Currency not found", 400, "spot", "spot-docs"),
    _E(51001, "Margin Account not Opened", 400, "spot", "spot-docs"),
    _E(51002, "Margin Account Not Available", 400, "spot", "spot-docs"),
    _E(51003, "Account Limit", 400, "spot", "spot-docs"),
    _E(51004, "Exceed the maximum number of borrows available", 400, "spot", "spot-docs"),
    _E(51005, "Less than the minimum borrowable amount", 400, "spot", "spot-docs"),
    _E(51006, "Exceeds the amount to be repaid", 400, "spot", "spot-docs"),
    _E(51007, "order_mode not found", 400, "spot", "spot-docs"),
    _E(51008, "Operation is limited, please try again later", 400, "spot", "spot-docs"),
    _E(
        51009,
        "Parameter mismatch: limit order/market order quantity should be greater than the minimum number of should buy/sell",
        400,
        "spot",
        "spot-docs",
    ),
    _E(
        51010,
        "Parameter mismatch: limit order price should be greater than the minimum buy price",
        400,
        "spot",
        "spot-docs",
    ),
    _E(
        51011,
        "Parameter mismatch: Limit order quantity * price should be greater than the minimum transaction amount",
        400,
        "spot",
        "spot-docs",
    ),
    _E(
        51012,
        "Participation mismatch: the number of market order buy orders should be greater than the minimum buyable amount",
        400,
        "spot",
        "spot-docs",
    ),
    _E(51013, "Parameter mismatch: the price of market order buy order placed is too small", 400, "spot", "spot-docs"),
    _E(
        51014,
        "Parameter mismatch: the amount of market order sell orders placed is too small",
        400,
        "spot",
        "spot-docs",
    ),
    _E(51015, "Quantity is too small", 400, "spot", "spot-docs"),
    _E(51024, "There is no Margin Borrowing", 400, "spot", "spot-docs"),
    _E(52000, "Unsupported OrderMode Type", 400, "spot", "spot-docs"),
    _E(52001, "Unsupported Trade Type", 400, "spot", "spot-docs"),
    _E(52002, "Unsupported Side Type", 400, "spot", "spot-docs"),
    _E(52003, "Unsupported Query State Type", 400, "spot", "spot-docs"),
    _E(52004, "End time must be greater than or equal to Start time", 400, "spot", "spot-docs"),
    _E(53001, "Your kyc country is restricted. Please contact customer service.", 403, "spot", "spot-docs"),
    _E(
        53002,
        "Your account has not yet completed the kyc advanced certification, please complete first",
        403,
        "spot",
        "spot-docs",
    ),
    _E(53003, "No permission, please contact the main account", 403, "spot", "spot-docs"),
    _E(53004, "This trading pair is not available to trade in your region", 403, "spot", "spot-docs"),
    _E(53005, "Don't have permission to access the interface", 403, "spot", "spot-docs"),
    _E(53006, "Please complete your personal verification(Starter)", 403, "spot", "spot-docs"),
    _E(53007, "Please complete your personal verification(Advanced)", 403, "spot", "spot-docs"),
    _E(53008, "Services is not available in your countries and areas", 403, "spot", "spot-docs"),
    _E(
        53009,
        "Your account has not yet completed the qr code certification, please complete first",
        403,
        "spot",
        "spot-docs",
    ),
    _E(53010, "This account is restricted from borrowing", 403, "spot", "spot-docs"),
    _E(53011, "Your account type is prohibited from using this feature", 403, "spot", "spot-docs"),
    _E(59003, "Spot wallet call fail", 500, "spot", "spot-docs"),
    _E(59004, "Margin wallet service call exception", 500, "spot", "spot-docs"),
    _E(59005, "Margin wallet service restricted", 500, "spot", "spot-docs"),
    _E(59006, "Transfer fail", 500, "spot", "spot-docs"),
    _E(59007, "Get symbol risk data fail", 500, "spot", "spot-docs"),
    _E(59008, "Trading order failure", 500, "spot", "spot-docs"),
    _E(59009, "Loan success,but trading order failure", 500, "spot", "spot-docs"),
    _E(59010, "Insufficient loan amount.", 500, "spot", "spot-docs"),
    _E(59011, "The Get Wallet Balance service call fail, please try again later", 500, "spot", "spot-docs"),
    # BitMart's futures API docs: the codes the error page does not list
    _E(40035, "The order is not exist", 400, "contract", "futures-docs"),
    _E(40036, "The order status is invalid", 400, "contract", "futures-docs"),
    _E(40037, "The order id is not exist", 400, "contract", "futures-docs"),
    _E(40038, "The k-line step is invalid", 400, "contract", "futures-docs"),
    _E(40039, "The timestamp is invalid", 400, "contract", "futures-docs"),
    _E(40040, "The order leverage is invalid", 400, "contract", "futures-docs"),
    _E(40041, "The order side is invalid", 400, "contract", "futures-docs"),
    _E(40042, "The order type is invalid", 400, "contract", "futures-docs"),
    _E(40043, "The order precision is invalid", 400, "contract", "futures-docs"),
    _E(40044, "The order range is invalid", 400, "contract", "futures-docs"),
    _E(40045, "The order open type is invalid", 400, "contract", "futures-docs"),
    _E(40046, "The account is not opened futures", 403, "contract", "futures-docs"),
    _E(40047, "Services is not available in you countries and areas", 403, "contract", "futures-docs"),
    _E(40048, "ClientOrderId only allows a combination of numbers and letters", 403, "contract", "futures-docs"),
    _E(40049, "The maximum length of clientOrderId cannot exceed 32", 403, "contract", "futures-docs"),
    _E(40050, "Client OrderId duplicated with existing orders", 403, "contract", "futures-docs"),
    _E(42000, "Insufficient balance", 200, "contract", "futures-docs"),
)

_V = Variant

# Where the current docs give a code of the page another value. The page's value stays the one served;
# a variant is named after its source, numbered when one source gives several.
_VARIANTS: tuple[Variant, ...] = (
    _V("spot-docs", _E(30006, "Header X-BM-TIMESTAMP must be long type", 401, "auth", "spot-docs"), "extra message"),
    _V(
        "spot-docs-1",
        _E(
            30007,
            "Header X-BM-TIMESTAMP range. Timestamp for this request is outside of the recvWindow.",
            401,
            "auth",
            "spot-docs",
        ),
        "extra message",
    ),
    _V("spot-docs-2", _E(30007, "Param recvWindow must be long type", 401, "auth", "spot-docs"), "extra message"),
    _V(
        "spot-docs-3",
        _E(30007, "Param recvWindow must be less than 60000 and greater than 0", 401, "auth", "spot-docs"),
        "extra message",
    ),
    _V("spot-docs", _E(60000, "Parameter Error", 400, "funding", "spot-docs"), "extra message"),
    _V("spot-docs", _E(59001, "User account not found", 400, "spot", "spot-docs"), "disagreement"),
    _V("futures-docs", _E(40012, "System error", 400, "contract", "futures-docs"), "disagreement"),
    _V("futures-docs", _E(40034, "The Symbol is not exist", 400, "contract", "futures-docs"), "disagreement"),
)

_U = UnservedCode

# Known, not served: the spot WebSocket codes, a code documented without message or status, and codes
# seen only in ccxt's source (ccxt 4.5.70), with the family and message as the source gives them.
_UNSERVED: tuple[UnservedCode, ...] = (
    _U(90001, "ws-spot", "Invalid message format", "websocket"),
    _U(90002, "ws-spot", "Invalid op param", "websocket"),
    _U(90003, "ws-spot", "Invalid args param", "websocket"),
    _U(90004, "ws-spot", "Invalid channel param", "websocket"),
    _U(90005, "ws-spot", "Topic quantity in single subscription exceeds limit", "websocket"),
    _U(90006, "ws-spot", "Subscribed total topic quantity exceeds limit", "websocket"),
    _U(90007, "ws-spot", "Subscribed message frequency exceeds limit, please try later", "websocket"),
    _U(90008, "ws-spot", "Duplicate subscription", "websocket"),
    _U(90009, "ws-spot", "Invalid subscription", "websocket"),
    _U(91001, "ws-spot", "API KEY is empty", "websocket"),
    _U(91002, "ws-spot", "API KEY not found", "websocket"),
    _U(91003, "ws-spot", "API KEY has frozen", "websocket"),
    _U(91004, "ws-spot", "API KEY over expire time", "websocket"),
    _U(91005, "ws-spot", "Already logged in", "websocket"),
    _U(91006, "ws-spot", "User not logged in / User must be logged in", "websocket"),
    _U(91010, "ws-spot", "Param sign is empty", "websocket"),
    _U(91011, "ws-spot", "Param sign is wrong", "websocket"),
    _U(91021, "ws-spot", "Param timestamp is empty", "websocket"),
    _U(91022, "ws-spot", "Param timestamp range. Within a minute", "websocket"),
    _U(91023, "ws-spot", "Param timestamp invalid format", "websocket"),
    _U(92001, "ws-spot", "Invalid symbol param", "websocket"),
    _U(94001, "ws-spot", "Frequently reestablishing connections in a short period of time", "websocket"),
    _U(
        94002,
        "ws-spot",
        "The number of connections established between a single IP and the server exceeds the upper limit",
        "websocket",
    ),
    _U(95000, "ws-spot", "Internal system error", "websocket"),
    _U(25601, "contract", "", "partial"),
    _U(70003, "spot-public", "net error, please try later", "client-source"),
    _U(49998, "contract", "INVALID_PARAMETER", "client-source"),
    _U(
        30039, "ws-spot", 'Unrecognized request: {"event":"subscribe","channel":"spot/depth:BTC-USDT"}', "client-source"
    ),
)

SUCCESS_CODE = 1000
# The market-data table documents no success of its own; its endpoints are spot endpoints, whose table
# on the page documents 1000 OK.
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


def lookup(code: int, *, family: Family = "spot", variant: str | None = None) -> ErrorCode:
    """Return the documented entry for ``code``, or its documented ``variant`` (see :func:`variants`).

    ``1000`` (OK) is documented once per family; ``family`` picks which one (spot by default).
    An undocumented code or variant raises :class:`UnknownCodeError` naming the nearest documented ones.
    """
    # 50020.0 and True compare equal to documented ints; only a real int is a BitMart code.
    if isinstance(code, bool) or not isinstance(code, int):
        raise UnknownCodeError(unknown_code_message(code))
    if code == SUCCESS_CODE:
        if variant is not None:
            raise UnknownCodeError(_unknown_variant_message(code, variant))
        return success(family)
    try:
        entry = _BY_CODE[code]
    except (KeyError, TypeError):
        raise UnknownCodeError(unknown_code_message(code)) from None
    if variant is None:
        return entry
    for candidate in variants(code):
        if candidate.name == variant:
            return candidate.entry
    raise UnknownCodeError(_unknown_variant_message(code, variant))


def variants(code: int | None = None) -> tuple[Variant, ...]:
    """Return the documented variants of ``code`` (of every code when ``None``), in the catalog's order."""
    return tuple(variant for variant in _VARIANTS if code is None or variant.entry.code == code)


def source_document(source: Source) -> SourceDocument:
    """Return the document ``source`` names, with its capture date."""
    try:
        return _SOURCE_DOCUMENTS[source]
    except KeyError:
        raise ValueError(f"unknown source {source!r}; the sources are {', '.join(SOURCES)}") from None


def unserved_codes() -> tuple[UnservedCode, ...]:
    """Return the codes BitMart's sources mention that are not served (WebSocket, partial, client-only)."""
    return _UNSERVED


def success(family: Family) -> ErrorCode:
    """Return the ``1000 OK`` entry of ``family``."""
    return _SUCCESS[family]


def error_codes(
    *, family: Family | None = None, http_status: int | None = None, source: Source | None = None
) -> tuple[ErrorCode, ...]:
    """Return the documented error codes (never ``1000``), sorted by code, optionally narrowed.

    ``source="error-page"`` gives the codes of BitMart's error page alone. An unknown ``family`` or
    ``source`` raises ``ValueError`` rather than quietly selecting nothing.
    """
    if family is not None and family not in FAMILIES:
        raise ValueError(f"unknown BitMart family {family!r}; the families are {', '.join(FAMILIES)}")
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; the sources are {', '.join(SOURCES)}")
    return tuple(
        entry
        for entry in _SORTED
        if (family is None or entry.family == family)
        and (http_status is None or entry.http_status == http_status)
        and (source is None or entry.source == source)
    )


def _unknown_variant_message(code: int, variant: object) -> str:
    known = [candidate.name for candidate in variants(code)]
    if not known:
        with_variants = sorted({candidate.entry.code for candidate in _VARIANTS})
        return (
            f"code {code} has no documented variant; the codes with variants are {', '.join(map(str, with_variants))}"
        )
    close = difflib.get_close_matches(str(variant), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"code {code} has no variant {variant!r}{hint} (its variants: {', '.join(map(repr, known))})"


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
