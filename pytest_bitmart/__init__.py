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
from ._faults import Fault, UnknownFaultError, fault, faults
from ._mock import BitMartMock, Call, UnmatchedRequestError
from ._render import BitMartResponse, render
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
    "Fault",
    "HttpFailure",
    "InvalidRuleError",
    "RequestRefusedError",
    "Rule",
    "Source",
    "SourceDocument",
    "UnknownCodeError",
    "UnknownFaultError",
    "UnmatchedRequestError",
    "Variant",
    "bitmart_answers",
    "documented_data",
    "error_codes",
    "fault",
    "faults",
    "http_failure",
    "http_failures",
    "lookup",
    "render",
    "source_document",
    "success",
    "variants",
]


# Failures show an exception's qualified name: show the one users import, not the private module.
for _error in (InvalidRuleError, UnknownCodeError, UnmatchedRequestError):
    _error.__module__ = __name__


def __getattr__(name: str) -> Any:
    # Read lazily: importlib.metadata is slow to import, and most runs never ask for the version.
    if name == "__version__":
        from importlib.metadata import version

        return version("pytest-bitmart")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
