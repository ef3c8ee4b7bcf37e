import requests


class WalletError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"BitMart {code}: {message}")
        self.code = code
        self.message = message


def spot_wallet() -> list[dict]:
    """Reads the spot wallet; raises WalletError when BitMart refuses."""
    response = requests.get(
        "https://api-cloud.bitmart.com/spot/v1/wallet",
        headers={"X-BM-KEY": "my-api-key"},
        timeout=10,
    )
    body = response.json()
    if body["code"] != 1000:
        raise WalletError(body["code"], body["message"])
    return body["data"]["wallet"]
