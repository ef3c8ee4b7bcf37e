"""A small BitMart REST client on httpx: signed requests, typed errors, retries with backoff.

The kind of client a project writes for itself. ``test_resilience.py`` checks it against every error
BitMart documents, served exactly as BitMart sends it by pytest-bitmart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, final

import anyio
import httpx

SPOT_URL = "https://api-cloud.bitmart.com"
FUTURES_URL = "https://api-cloud-v2.bitmart.com"
SUCCESS = 1000


# Errors ---------------------------------------------------------------------------------------------


class BitMartError(Exception):
    """BitMart refused a request. ``code`` is ``None`` when the answer carried no JSON envelope."""

    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        code: int | None,
        http_status: int,
        trace: str | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(f"BitMart {code if code is not None else http_status}: {message}")
        self.message = message
        self.code = code
        self.http_status = http_status
        self.trace = trace
        self.rate_limit = rate_limit


# Named for what happened, as exchange clients usually do (ccxt: InsufficientFunds), hence the N818 waivers.
class RateLimited(BitMartError):  # noqa: N818
    """30013 or HTTP 429: too many requests in the window; worth retrying after a pause."""

    retryable = True


class ServiceUnavailable(BitMartError):  # noqa: N818
    """30014 or an HTTP 5xx: BitMart is down or failing; worth retrying after a pause."""

    retryable = True


class AuthenticationError(BitMartError):
    """Key, signature or timestamp refused (30001-30012), or another 401/403 (account or IP not allowed)."""


class InsufficientFunds(BitMartError):  # noqa: N818
    """Insufficient balance: 50020 (spot), 60008 and 61001 (funding account), 40027 and 42000 (futures)."""


class InvalidRequest(BitMartError):  # noqa: N818
    """Any other refusal (a 4xx, or an error code in a 200): sending the request again will not help."""


class Blocked(BitMartError):  # noqa: N818
    """Cloudflare, in front of BitMart, refused the request (a WAF rule, a banned User-Agent): not BitMart's answer."""


class BadResponse(BitMartError):  # noqa: N818
    """A 200 whose body is not BitMart's JSON envelope (empty, cut, not JSON): worth retrying a read."""

    retryable = True


class NetworkError(BitMartError):
    """The connection failed: no answer came (timeout, refused, reset, unresolvable host, body cut short).

    ``sent`` says whether the request may have reached BitMart: a connect failure never did, so it is
    always safe to retry; after that, only reads are retried, since an order may have gone through.
    """

    retryable = True

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message, code=None, http_status=0)
        self.sent = sent


_ERROR_BY_CODE: dict[int, type[BitMartError]] = {
    30013: RateLimited,
    30014: ServiceUnavailable,
    30016: ServiceUnavailable,  # maintenance, sent with HTTP 200
    30019: AuthenticationError,  # no permission, sent with HTTP 200
    70003: ServiceUnavailable,  # "net error, please try later", seen on spot market-data endpoints
    50020: InsufficientFunds,
    60008: InsufficientFunds,
    61001: InsufficientFunds,
    40027: InsufficientFunds,
    42000: InsufficientFunds,  # sent with HTTP 200
}
_AUTH_CODES = range(30001, 30013)


def error_class(code: int | None, http_status: int) -> type[BitMartError]:
    """The exception for a BitMart answer: the code decides first, the HTTP status when the code says nothing."""
    if code is not None and code in _ERROR_BY_CODE:
        return _ERROR_BY_CODE[code]
    if (code is not None and code in _AUTH_CODES) or http_status in {401, 403}:
        return AuthenticationError
    if http_status == 429:
        return RateLimited
    if http_status >= 500:
        return ServiceUnavailable
    # Any other 4xx, and the errors BitMart sends with HTTP 200 (market data 70000-71005, for one).
    return InvalidRequest


# Rate limits ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateLimit:
    """BitMart's ``X-BM-RateLimit-*`` headers.

    Despite its name, ``X-BM-RateLimit-Remaining`` counts the requests already *used* in the window.
    """

    used: int
    limit: int
    reset_seconds: int
    mode: str  # "IP" for public endpoints, "UID" for signed ones

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit | None:
        try:
            return cls(
                used=int(headers["X-BM-RateLimit-Remaining"]),
                limit=int(headers["X-BM-RateLimit-Limit"]),
                reset_seconds=int(headers["X-BM-RateLimit-Reset"]),
                mode=headers["X-BM-RateLimit-Mode"],
            )
        except (KeyError, ValueError):
            return None


# Signing and parsing, shared by the sync and async clients -----------------------------------------


def sign(secret: str, timestamp: str, memo: str, body: str) -> str:
    """X-BM-SIGN: hex HMAC-SHA256 of ``timestamp#memo#body`` (the body is empty for a GET)."""
    message = f"{timestamp}#{memo}#{body}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


class _BaseClient:
    """What the sync and async clients share: signing, reading answers, the backoff schedule."""

    def __init__(
        self,
        api_key: str,
        secret: str,
        memo: str,
        *,
        max_attempts: int = 3,
        backoff: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_key = api_key
        self._secret = secret
        self.memo = memo
        self.max_attempts = max_attempts
        self.backoff = backoff
        self._clock = clock
        self.rate_limit: RateLimit | None = None  # from the latest answer

    def _build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        url: str,
        body: Mapping[str, Any] | None = None,
    ) -> httpx.Request:
        # Built (and signed) again for every attempt: BitMart rejects timestamps older than a minute (30007).
        content = "" if body is None else json.dumps(body, separators=(",", ":"))
        request = http.build_request(method, url, content=content.encode() or None)
        timestamp = str(int(self._clock() * 1000))
        request.headers.update(
            {
                "Content-Type": "application/json",
                "X-BM-KEY": self.api_key,
                "X-BM-TIMESTAMP": timestamp,
                "X-BM-SIGN": sign(self._secret, timestamp, self.memo, content),
            }
        )
        return request

    def _result(self, response: httpx.Response) -> Any:
        """The envelope's ``data`` for a success; raises the matching :class:`BitMartError` otherwise."""
        self.rate_limit = RateLimit.from_headers(response.headers)
        if response.headers.get("Server", "").lower() == "cloudflare" and "CF-RAY" in response.headers:
            # An HTML page from Cloudflare, not BitMart: name it rather than quote a page of HTML.
            status = response.status_code
            error = Blocked if status == 403 else error_class(None, status)
            message = f"Cloudflare {status} (ray {response.headers['CF-RAY']})"
            raise error(message, code=None, http_status=status, rate_limit=self.rate_limit)
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict):
            if response.status_code == 200:
                raise BadResponse("not a JSON envelope", code=None, http_status=200, rate_limit=self.rate_limit)
            # BitMart's global HTTP failures (404/403/401/500) come as plain text, without an envelope.
            envelope = {"message": response.text or response.reason_phrase}
        code = envelope.get("code")
        if response.status_code == 200 and code == SUCCESS:
            return envelope.get("data")
        raise error_class(code, response.status_code)(
            # BitMart's gateway (unknown or retired paths) says "msg" where the application says "message".
            envelope.get("message", envelope.get("msg", "")),
            code=code,
            http_status=response.status_code,
            trace=envelope.get("trace"),
            rate_limit=self.rate_limit,
        )

    def _delay(self, attempt: int) -> float:
        return self.backoff * 2.0 ** (attempt - 1)

    @staticmethod
    def _retry(error: BitMartError, method: str) -> bool:
        """Whether an attempt that failed with ``error`` may be sent again."""
        if isinstance(error, NetworkError) and error.sent:
            return method == "GET"  # a POST that timed out may have placed the order
        return error.retryable


def _network_error(error: httpx.TransportError) -> NetworkError:
    # Connect failures (refused, unresolvable, connect timeout) happen before a byte is sent.
    sent = not isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout))
    return NetworkError(f"{type(error).__name__}: {error}", sent=sent)


# The clients ----------------------------------------------------------------------------------------


@final
class BitMartClient(_BaseClient):
    """Synchronous client. ``sleep`` is injectable so tests never wait for the backoff."""

    def __init__(
        self,
        api_key: str,
        secret: str,
        memo: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        http: httpx.Client | None = None,
        **options: Any,
    ) -> None:
        super().__init__(api_key, secret, memo, **options)
        self._sleep = sleep
        self._http = http or httpx.Client(timeout=10)

    def __enter__(self) -> BitMartClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.close()

    def get_wallet(self) -> list[dict[str, Any]]:
        """Balances of the funding account."""
        data = self._call("GET", f"{SPOT_URL}/account/v1/wallet")
        return list(data["wallet"])

    def place_spot_order(
        self, symbol: str, side: str, size: str, price: str | None = None, *, client_order_id: str | None = None
    ) -> str:
        """Place a limit order (or a market order without ``price``); returns BitMart's order id."""
        body = {"symbol": symbol, "side": side, "type": "market" if price is None else "limit", "size": size}
        if price is not None:
            body["price"] = price
        if client_order_id is not None:
            # Sent unchanged on every retry, so an order that did go through can be found again.
            body["client_order_id"] = client_order_id
        data = self._call("POST", f"{SPOT_URL}/spot/v2/submit_order", body=body)
        return str(data["order_id"])

    def get_contract_assets(self) -> list[dict[str, Any]]:
        """Balances of the futures account."""
        return list(self._call("GET", f"{FUTURES_URL}/contract/private/assets-detail"))

    def _call(self, method: str, url: str, *, body: Mapping[str, Any] | None = None) -> Any:
        attempt = 1
        while True:
            try:
                try:
                    response = self._http.send(self._build(self._http, method, url, body))
                except httpx.TransportError as error:
                    raise _network_error(error) from error
                return self._result(response)
            except BitMartError as error:
                if not self._retry(error, method) or attempt >= self.max_attempts:
                    raise
            self._sleep(self._delay(attempt))
            attempt += 1


@final
class AsyncBitMartClient(_BaseClient):
    """The same client for async code (asyncio or trio); only the futures balance is shown here."""

    def __init__(
        self,
        api_key: str,
        secret: str,
        memo: str,
        *,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        http: httpx.AsyncClient | None = None,
        **options: Any,
    ) -> None:
        super().__init__(api_key, secret, memo, **options)
        self._sleep = sleep
        self._http = http or httpx.AsyncClient(timeout=10)

    async def __aenter__(self) -> AsyncBitMartClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._http.aclose()

    async def get_contract_assets(self) -> list[dict[str, Any]]:
        """Balances of the futures account."""
        return list(await self._call("GET", f"{FUTURES_URL}/contract/private/assets-detail"))

    async def _call(self, method: str, url: str) -> Any:
        attempt = 1
        while True:
            try:
                try:
                    response = await self._http.send(self._build(self._http, method, url))
                except httpx.TransportError as error:
                    raise _network_error(error) from error
                return self._result(response)
            except BitMartError as error:
                if not self._retry(error, method) or attempt >= self.max_attempts:
                    raise
            await self._sleep(self._delay(attempt))
            attempt += 1
