import httpx


class BitMartAPIError(Exception):
    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"HTTP {status}, BitMart {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def _unwrap(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:  # the global HTTP failures carry a plain-text body
        raise BitMartAPIError(response.status_code, None, response.text) from None
    if response.status_code != 200 or body.get("code") != 1000:
        raise BitMartAPIError(
            response.status_code, body.get("code"), body.get("message", "")
        )
    return body["data"]


class FuturesClient:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def assets(self) -> list[dict]:
        return _unwrap(self.http.get("/contract/private/assets-detail"))


class AsyncFuturesClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def assets(self) -> list[dict]:
        return _unwrap(await self.http.get("/contract/private/assets-detail"))
