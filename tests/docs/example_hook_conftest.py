def pytest_bitmart_response(request, response):
    """Our gateway adds Retry-After to rate-limit answers: serve it too."""
    if response.code == 30013:
        response.headers["Retry-After"] = "2"
    # A newer trace format than the UUID served: <32 hex>.<n>.<17 digits>.
    if response.payload is not None:
        response.payload["trace"] = (
            "619294ecef584282b26a3be322b1e01f.66.17403093228242229"
        )
