"""pytest-bitmart: BitMart's documented errors, served exactly, to the code under test.

The plugin itself loads through the ``pytest11`` entry point ``pytest_bitmart.plugin``; this package
exposes the catalog and the types a test may want to annotate with.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from ._request import BitMartRequest
    from ._router import RequestRefusedError
    from ._rules import InvalidRuleError, Rule
    from ._scoped import BitMartAnswers, bitmart_answers

# Each public name and the module that defines it, imported on first use: pytest loads this package
# (for its plugin module) in every run, and most runs never touch the catalog or the mock.
_WHERE = {
    "BitMartAnswers": "._scoped",
    "BitMartMock": "._mock",
    "BitMartRequest": "._request",
    "BitMartResponse": "._render",
    "Call": "._mock",
    "ErrorCode": "._catalog",
    "FAMILIES": "._catalog",
    "Family": "._catalog",
    "Fault": "._faults",
    "HttpFailure": "._catalog",
    "InvalidRuleError": "._rules",
    "RequestRefusedError": "._router",
    "Rule": "._rules",
    "SOURCES": "._catalog",
    "Source": "._catalog",
    "SourceDocument": "._catalog",
    "UnknownCodeError": "._catalog",
    "UnknownFaultError": "._faults",
    "UnmatchedRequestError": "._mock",
    "Variant": "._catalog",
    "bitmart_answers": "._scoped",
    "documented_data": "._examples",
    "error_codes": "._catalog",
    "fault": "._faults",
    "faults": "._faults",
    "http_failure": "._catalog",
    "http_failures": "._catalog",
    "lookup": "._catalog",
    "render": "._render",
    "source_document": "._catalog",
    "success": "._catalog",
    "variants": "._catalog",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is not None:
        value = getattr(import_module(module, __name__), name)
        globals()[name] = value  # later lookups skip this function
        return value
    # Read lazily: importlib.metadata is slow to import, and most runs never ask for the version.
    if name == "__version__":
        from importlib.metadata import version

        return version("pytest-bitmart")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
