"""Answers for a fixture of wider scope: ``with bitmart_answers(request) as answers:`` in its body.

A session-, package-, module- or class-scoped fixture (one that loads a client's markets once, logs an SDK
client in) arms answers for the requests it makes while it is set up and torn down, and fallback answers
for every test of its scope, consulted after the test's own rules. Both are ``BitMartMock`` objects, so
they are armed with the same methods as a test's ``bitmart_mock``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from ._mock import DEFAULT_HOSTS, BitMartMock, ResponseHook
from ._phases import RoutingPlugin

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ._router import Owner

__all__ = ["BitMartAnswers", "bitmart_answers"]

_USAGE = (
    "pass the fixture's own `request` argument from the body of a session-, package-, module- or "
    "class-scoped fixture:\n"
    '    @pytest.fixture(scope="session")\n'
    "    def exchange(request):\n"
    "        with pytest_bitmart.bitmart_answers(request) as answers:\n"
    "            ...\n"
    "            yield client"
)


class BitMartAnswers(BitMartMock):
    """The answers a wider-scoped fixture arms: the object ``bitmart_answers(request)`` gives.

    Exported for type annotations. Its own rules (``.error()``, ``.ok()``, ...) answer the requests the
    fixture makes while it is set up and torn down; ``.fallback``'s rules answer, in every test of the
    fixture's scope, the requests the test's own rules do not, innermost scope first. ``.calls`` lists the
    fixture's own requests, ``.fallback.calls`` those its fallbacks answered.
    """

    def __init__(
        self,
        label: str,
        *,
        hosts: Iterable[str] = DEFAULT_HOSTS,
        on_response: ResponseHook | None = None,
    ) -> None:
        super().__init__(hosts=hosts, seed=label, on_response=on_response)
        self._subject = label
        self._name = "answers"
        self.fallback: BitMartMock = BitMartMock(hosts=hosts, seed=label)
        # Named as a user writes them: a failure lists "answers.fallback.ok(...)".
        self.fallback._subject = f"the tests in scope of {label}"  # noqa: SLF001 - our own class
        self.fallback._name = "answers.fallback"  # noqa: SLF001 - our own class

    def markets(self, *symbols: str) -> None:
        """Declare the markets that exist, for the fixture's own start-up reads and its scope's tests.

        A test of the scope that declares no markets of its own gets start-up answers listing these;
        ``fallback.markets(...)`` declares other ones for the tests only.
        """
        __tracebackhide__ = True
        super().markets(*symbols)
        self.fallback._startup = self._startup  # noqa: SLF001 - our own class

    def __repr__(self) -> str:
        return f"<BitMartAnswers {self._subject} rules={len(self.rules)} fallback={len(self.fallback.rules)}>"


def bitmart_answers(request: pytest.FixtureRequest) -> AbstractContextManager[BitMartAnswers]:
    """Arm BitMart answers for a session-, package-, module- or class-scoped fixture, for the ``with`` block.

    ``request`` is the fixture's own ``request`` argument. Wrap the fixture's body, ``yield`` included, so
    the answers hold while it is set up, while its tests run and while it is torn down::

        @pytest.fixture(scope="session")
        def exchange(request):
            with pytest_bitmart.bitmart_answers(request) as answers:
                answers.ok({"currencies": []}, path="/account/v1/currencies")
                answers.fallback.ok(path="/spot/v1/ticker")
                ...
                yield client

    A test's own rules answer before the fallbacks; unmatched requests of the fixture fail the test whose
    setup or teardown ran it. In a test or a function-scoped fixture, use the ``bitmart_mock`` fixture.
    """
    __tracebackhide__ = True
    plugin = None
    if isinstance(request, pytest.FixtureRequest):
        plugin = request.config.pluginmanager.get_plugin("bitmart-routing")
    if not isinstance(plugin, RoutingPlugin):
        pytest.fail(
            f"pytest-bitmart: bitmart_answers() got {request!r}, not a fixture's request: {_USAGE}", pytrace=False
        )
    return _armed(plugin, plugin.answers_for(request, usage=_USAGE))


@contextmanager
def _armed(plugin: RoutingPlugin, armed: tuple[Owner, BitMartAnswers]) -> Iterator[BitMartAnswers]:
    owner, answers = armed
    try:
        yield answers
    finally:
        plugin.release(owner)
