"""pytest-bitmart: BitMart's documented errors, served exactly, to the code under test.

The plugin itself loads through the ``pytest11`` entry point ``pytest_bitmart.plugin``; this package
exposes the catalog and the types a test may want to annotate with.
"""

from __future__ import annotations

from typing import Any

from ._catalog import (
    FAMILIES,
    SOURCES,
    ErrorCode,
    Family,
    HttpFailure,
    Source,
    SourceDocument,
    UnknownCodeError,
    Variant,
    error_codes,
    http_failure,
    http_failures,
    lookup,
    source_document,
    success,
    variants,
)
from ._examples import documented_data
from ._mock import BitMartMock, Call, UnmatchedRequestError
from ._render import BitMartResponse, MessageArgsError, render
from ._router import RequestRefusedError
from ._rules import BitMartRequest, InvalidRuleError, Rule
from ._scoped import BitMartAnswers, bitmart_answers

__all__ = [
    "FAMILIES",
    "SOURCES",
    "BitMartAnswers",
    "BitMartMock",
    "BitMartRequest",
    "BitMartResponse",
    "Call",
    "ErrorCode",
    "Family",
    "HttpFailure",
    "InvalidRuleError",
    "MessageArgsError",
    "RequestRefusedError",
    "Rule",
    "Source",
    "SourceDocument",
    "UnknownCodeError",
    "UnmatchedRequestError",
    "Variant",
    "bitmart_answers",
    "documented_data",
    "error_codes",
    "http_failure",
    "http_failures",
    "lookup",
    "render",
    "source_document",
    "success",
    "variants",
]


def __getattr__(name: str) -> Any:
    # Read lazily: importlib.metadata is slow to import, and most runs never ask for the version.
    if name == "__version__":
        from importlib.metadata import version

        return version("pytest-bitmart")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
