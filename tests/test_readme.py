"""The README's example runs as written: a newcomer's first copy-paste must pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_bitmart import error_codes

README = Path(__file__).parent.parent / "README.md"


def test_the_readme_example_passes_for_every_code(pytester: pytest.Pytester) -> None:
    example = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert example is not None, "README.md lost its python example"
    pytester.makepyfile(test_readme_example=example[1])
    # One marker test, one test per documented code, one sequence test.
    pytester.runpytest().assert_outcomes(passed=1 + len(error_codes()) + 1)
