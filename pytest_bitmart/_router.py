"""Who answers a BitMart request right now: the innermost armed owner, or nobody, and then it is refused.

The client adapters are installed once for the run and ask the router about every BitMart request.
Owners form a stack from the widest scope to the narrowest (session, package, module, class, then the
test): today only a test arms answers, but an owner of wider scope plugs in the same way. What pytest is
doing (collecting, setting up a module-scoped fixture, running a test) is the phase; a refusal names it,
and is recorded so that the nearest test, or else the session, fails with it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._mock import BitMartMock
    from ._request import BitMartRequest

__all__ = ["SCOPES", "Owner", "Phase", "Refusal", "RequestRefusedError", "Router"]

# Widest first: an owner answers in its own phases and in every phase of a narrower scope.
SCOPES = ("session", "package", "module", "class", "function")

LIVE_OPT_OUT = (
    "To send it on purpose, mark the test @pytest.mark.bitmart_live, or run with --bitmart-live "
    "(ini: bitmart_live = true)."
)


class RequestRefusedError(ConnectionRefusedError):
    """A BitMart request pytest-bitmart refused to send: nothing armed answers it where it was made.

    A ``ConnectionRefusedError``, so that a client library treats it as a failed connection (requests
    raises ``requests.ConnectionError``, httpx ``httpx.ConnectError``, aiohttp ``ClientConnectorError``,
    with this error as their cause); the refusal also fails the test, or the run, that made it.
    """


RequestRefusedError.__module__ = "pytest_bitmart"


@dataclass(frozen=True, slots=True)
class Phase:
    """What pytest is doing: ``scope`` is a fixture's scope while it is set up or torn down, else None."""

    description: str
    scope: str | None = None
    # The fixture (its pytest FixtureDef) set up or torn down: whose answers its requests get.
    fixture: object | None = field(default=None, compare=False)


@dataclass(eq=False, slots=True)
class Owner:
    """Answers armed for one scope: a test's mock, or none (its BitMart requests are refused).

    A wider-scoped fixture's owner names the ``fixture`` whose requests its ``mock`` answers, and may carry
    ``fallback`` rules for every test of its scope.
    """

    scope: str
    label: str
    mock: BitMartMock | None = None
    fallback: BitMartMock | None = None
    fixture: object | None = None
    live: bool = False
    # How a test without rules of its own gets a mock when a wider scope's fallbacks answer its request.
    make: Callable[[], BitMartMock] | None = None
    # Threads alive when a test was armed: those still alive at its end that were not are its leftovers.
    threads: frozenset[int] = frozenset()


@dataclass(slots=True)
class Refusal:
    """One refused BitMart request: where it was made (phase, nearest test) and why."""

    request: BitMartRequest
    phase: str
    reason: str
    test: str | None
    reported: bool = False


@dataclass(slots=True)
class _Leftover:
    """A thread that outlived where it was started, and where that was (``after test X ended``)."""

    thread: weakref.ref[threading.Thread]
    test: str
    # The wider-scoped fixture that started the thread: its answers, if it armed any, answer the thread.
    fixture: object | None = None


@dataclass(slots=True)
class Router:
    """The run's routing state: armed owners, the current phase, and every refusal so far."""

    matches: Callable[[str | None], bool]
    live: bool = False
    owners: list[Owner] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    _leftovers: dict[int, _Leftover] = field(default_factory=dict)
    _fixture_threads: dict[int, _Leftover] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def is_bitmart(self, host: str | None) -> bool:
        """Whether requests to ``host`` are BitMart's: answered or refused, never sent unless live."""
        return self.matches(host)

    # Arming ---------------------------------------------------------------------------------------------

    def arm(self, owner: Owner) -> None:
        """Make ``owner`` the innermost answerer until :meth:`disarm`."""
        if owner.scope == "function":
            owner.threads = self.alive()
        # Kept widest first: a session fixture first set up during a test's setup still sits below the test.
        depth = SCOPES.index(owner.scope)
        after = next((i for i, armed in enumerate(self.owners) if SCOPES.index(armed.scope) > depth), None)
        self.owners.insert(len(self.owners) if after is None else after, owner)

    def disarm(self, owner: Owner) -> None:
        """Remove ``owner``; a thread its test started and left running is refused from now on."""
        if owner in self.owners:
            self.owners.remove(owner)
        if owner.scope == "function":
            for thread in threading.enumerate():
                ident = thread.ident
                if ident and ident not in owner.threads and ident not in self._fixture_threads:
                    self._leftovers[ident] = _Leftover(weakref.ref(thread), f"after test {owner.label} ended")

    def threads_started(self, before: frozenset[int], phase: Phase) -> None:
        """Threads started during ``phase`` (a wider fixture's setup) belong to that fixture, not to a test."""
        for thread in threading.enumerate():
            if thread.ident and thread.ident not in before:
                where = phase.description.replace("during setup of ", "started by ", 1)
                self._fixture_threads[thread.ident] = _Leftover(weakref.ref(thread), where, phase.fixture)

    @staticmethod
    def alive() -> frozenset[int]:
        """The idents of the threads alive now."""
        return frozenset(thread.ident for thread in threading.enumerate() if thread.ident)

    @property
    def test(self) -> Owner | None:
        """The armed test, if one is running."""
        owner = self.owners[-1] if self.owners else None
        return owner if owner is not None and owner.scope == "function" else None

    def fallbacks(self) -> list[BitMartMock]:
        """The fallback rules of the armed wider scopes, innermost first: what answers after a test's rules."""
        return [owner.fallback for owner in reversed(self.owners) if owner.fallback is not None]

    def setting_up(self) -> Phase | None:
        """The phase of the wider-scoped fixture being set up right now, if one is."""
        phase = self.phases[-1] if self.phases else None
        return phase if phase is not None and phase.fixture is not None else None

    def enter(self, phase: Phase) -> None:
        """Start ``phase`` (collection, a fixture's setup or teardown, a test's setup, call or teardown)."""
        self.phases.append(phase)

    def leave(self, phase: Phase) -> None:
        """End ``phase``; tolerant of a phase pytest never started."""
        if phase in self.phases:
            del self.phases[len(self.phases) - 1 - self.phases[::-1].index(phase)]

    def describe_phase(self) -> str:
        """The current phase for a message: ``during collection``, ``outside any test``."""
        return self.phases[-1].description if self.phases else "outside any test"

    # Routing --------------------------------------------------------------------------------------------

    def claim(self, request: BitMartRequest) -> BitMartMock | None:
        """The mock that answers ``request``; None to send it for real (live); raises the refusal otherwise."""
        __tracebackhide__ = True
        leftover = self._thread_of(self._leftovers)
        if leftover is not None:
            raise self.refuse(
                request,
                "a thread the test started was still making BitMart requests after the test ended; "
                "join it (or stop it) in the test or its fixture's teardown",
                phase=f"{leftover} (a background thread)",
                nearest=False,
            )
        started_by = self._thread_of(self._fixture_threads)
        fixture = self._fixture_threads[threading.get_ident()].fixture if started_by is not None else None
        owner = self._owner_of(fixture)
        if owner is not None:
            return owner.mock
        if started_by is not None and not self.live:
            raise self.refuse(
                request,
                "requests made by a thread a wider-scoped fixture started need answers of their own: a test's "
                "rules answer only the test and its function-scoped fixtures. Arm them in that fixture with "
                "`with pytest_bitmart.bitmart_answers(request) as answers:`",
                phase=f"in a thread {started_by}",
                nearest=False,
            )
        phase = self.phases[-1] if self.phases else None
        if phase is not None and phase.scope is not None and phase.scope != "function":
            owner = self._owner_of(phase.fixture)
            if owner is not None:
                return owner.mock
            if self.live:
                return None
            raise self.refuse(
                request,
                f"requests made while a {phase.scope}-scoped fixture is set up or torn down need answers of "
                "their own: a test's rules answer only the test and its function-scoped fixtures. Arm them in "
                "that fixture with `with pytest_bitmart.bitmart_answers(request) as answers:`, or make the "
                "request from a function-scoped fixture or the test",
            )
        test = self.test
        if test is not None:
            return self._answer(test, request)
        if self.live:
            return None
        raise self.refuse(
            request,
            "no test is running, so no rules are armed for it. Make BitMart requests from a test, its "
            "fixtures, or a wider-scoped fixture that arms answers with pytest_bitmart.bitmart_answers(request)",
        )

    def _answer(self, owner: Owner, request: BitMartRequest) -> BitMartMock | None:
        __tracebackhide__ = True
        if owner.mock is not None:
            return owner.mock
        if owner.live:
            return None
        if owner.make is not None and any(
            fallback._would_answer(request)  # noqa: SLF001 - the engine, kept off the public mock
            for fallback in self.fallbacks()
        ):
            # A test without rules of its own, inside a scope whose fallbacks answer this request.
            owner.mock = owner.make()
            return owner.mock
        if self.live:
            return None
        raise self.refuse(
            request,
            "no rules are armed for this test. Arm one (@pytest.mark.bitmart_error(...), "
            "@pytest.mark.bitmart_http_error(...), @pytest.mark.bitmart_fault(...) or the bitmart_mock fixture's "
            ".error(...) / .ok(...) / .fault(...))",
        )

    def _owner_of(self, fixture: object | None) -> Owner | None:
        """The owner armed by ``fixture`` (a wider-scoped fixture's answers), if it armed one."""
        if fixture is None:
            return None
        return next((owner for owner in reversed(self.owners) if owner.fixture is fixture), None)

    @staticmethod
    def _thread_of(threads: dict[int, _Leftover]) -> str | None:
        """Where the current thread came from, if it is one of ``threads`` (and not a reused ident)."""
        if not threads:
            return None
        entry = threads.get(threading.get_ident())
        if entry is None or entry.thread() is not threading.current_thread():
            return None
        return entry.test

    def live_now(self) -> bool:
        """Whether unarmed BitMart requests may go out right now (the run or the running test opted in)."""
        test = self.test
        return self.live or (test is not None and test.live)

    def refuse(
        self, request: BitMartRequest, reason: str, *, phase: str | None = None, nearest: bool = True
    ) -> RequestRefusedError:
        """Record that ``request`` was refused for ``reason``; returns the error to raise to the client.

        The refusal is held against the running test (``nearest``), or else against the run.
        """
        where = phase or self.describe_phase()
        test = self.test if nearest else None
        refusal = Refusal(request, where, reason, None if test is None else test.label)
        with self._lock:
            self.refusals.append(refusal)
        return RequestRefusedError(
            f"pytest-bitmart: {request.method} {request.url} was refused and not sent to BitMart, {where}: "
            f"{reason}. {LIVE_OPT_OUT}"
        )

    def firewall_refusal(self, request: BitMartRequest, reason: str) -> BaseException | None:
        """For the firewall: the refusal to raise, or None while live requests may go out."""
        if self.live_now():
            return None
        return self.refuse(request, reason)

    def take(self, test: str) -> list[Refusal]:
        """The refusals recorded against ``test`` not yet reported; marks them reported."""
        with self._lock:
            found = [refusal for refusal in self.refusals if refusal.test == test and not refusal.reported]
            for refusal in found:
                refusal.reported = True
        return found

    def outside(self) -> list[Refusal]:
        """Refusals no test can report: collection, leftover threads, start-up and shutdown."""
        return [refusal for refusal in self.refusals if refusal.test is None]
