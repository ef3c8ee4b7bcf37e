"""BitMart's documented response examples, read from the package's data file on first use.

The file keeps each example next to where it was copied from (repository, path, commit), so nothing
served as "documented" is made up here. Importing this module reads nothing: the plugin's import cost
stays at pytest and the standard library.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
from importlib import resources
from typing import Any

__all__ = ["DATA_FILE", "Example", "documented_data", "example", "examples"]

DATA_FILE = "documented_examples.json"

Example = dict[str, Any]


@functools.cache
def examples() -> dict[str, Example]:
    """Every documented example, keyed by ``"GET /path"``: ``host``, ``source`` and the ``example`` body."""
    text = resources.files("pytest_bitmart").joinpath("data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    endpoints: dict[str, Example] = json.loads(text)["endpoints"]
    return endpoints


def example(path: str) -> Example:
    """The documented example of ``GET path``; raises ``ValueError`` naming the paths that have one."""
    __tracebackhide__ = True
    known = examples()
    key = f"GET {path}"
    if key not in known:
        paths = [name.partition(" ")[2] for name in known]
        close = difflib.get_close_matches(path, paths, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"no documented example for GET {path!r}{hint}; examples exist for {', '.join(paths)}")
    return known[key]


def documented_data(path: str) -> Any:
    """A fresh copy of the ``data`` of BitMart's documented response example for ``GET path``.

    For the balance reads tests usually answer OK, such as
    ``bitmart_mock.ok(documented_data("/spot/v1/wallet"), path="/spot/v1/wallet")``. Examples exist for
    ``/spot/v1/wallet``, ``/account/v1/wallet``, ``/contract/private/assets-detail``,
    ``/account/v1/currencies``, ``/spot/v1/symbols/details``, ``/contract/public/details`` and
    ``/system/time``. Raises ``ValueError`` for another path.
    """
    __tracebackhide__ = True
    return copy.deepcopy(example(path)["example"]["data"])
