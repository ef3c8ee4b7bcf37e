"""The words of a failure: a test's unanswered BitMart requests, and refusals no test can carry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._router import LIVE_OPT_OUT, Refusal

if TYPE_CHECKING:
    from ._mock import BitMartMock, Call

__all__ = ["outside_report", "test_report"]

_ARM = (
    "Arm a rule that answers them (@pytest.mark.bitmart_error(...), bitmart_mock.error(...) or "
    "bitmart_mock.ok(...)), or narrow an existing rule's method/path/host/times."
)

_ARM_SCOPED = (
    "Arm a rule that answers them in that fixture's answers (answers.ok(...) or answers.error(...) inside "
    "`with pytest_bitmart.bitmart_answers(request) as answers:`), or narrow an existing rule."
)


def _masked(request: object) -> str:
    from ._request import mask_headers

    method = getattr(request, "method", "?")
    url = getattr(request, "url", "?")
    return f"{method} {url} headers={mask_headers(getattr(request, 'headers', {}))!r}"


def test_report(
    nodeid: str,
    mock: BitMartMock | None,
    unmatched: Sequence[Call],
    refused: Sequence[Refusal],
    made_by: str | None,
) -> str:
    """The failure for a test's BitMart requests that got no answer: unmatched ones, then refused ones.

    ``made_by`` names the wider-scoped fixture that made the unmatched requests, if the test did not.
    """
    lines: list[str] = []
    if unmatched:
        by = "" if made_by is None else f" made by {made_by}"
        lines.append(
            f"pytest-bitmart: {nodeid}: {len(unmatched)} BitMart request(s){by} matched no rule and were not sent:"
        )
        lines += [f"  {_masked(call.request)}" for call in unmatched]
        if mock is not None:
            lines += [f"  reason: {problem}" for problem in mock.problems]
            lines.append(mock.describe_rules())
        lines.append(_ARM if made_by is None else _ARM_SCOPED)
    if refused:
        lines.append(f"pytest-bitmart: {nodeid}: {len(refused)} BitMart request(s) were refused and not sent:")
        lines += _refusal_lines(refused)
        lines.append(LIVE_OPT_OUT)
    return "\n".join(lines)


def _refusal_lines(refused: Sequence[Refusal]) -> list[str]:
    lines = []
    for refusal in refused:
        lines.append(f"  {_masked(refusal.request)}")
        lines.append(f"    {refusal.phase}: {refusal.reason}")
    return lines


def outside_report(refused: Sequence[Refusal]) -> list[str]:
    """The summary lines for refusals made outside any test; the run fails with them."""
    return [
        f"{len(refused)} BitMart request(s) made outside any test were refused and not sent:",
        *_refusal_lines(refused),
        LIVE_OPT_OUT,
    ]
