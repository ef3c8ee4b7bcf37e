"""The transport boundary: one adapter per client library, installed once for the run, and their registry.

An adapter is installed when its library is first imported (at configure time if it already is, else
right after the user's code imports it, through an import hook) and routes every BitMart request of that
library to the router. Nothing is patched around a single test, so nothing a test patches itself can be
undone by us, nor left wrapped: the adapters sit under every patch a user makes during the run.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from ._router import Router

__all__ = ["REGISTRY", "Adapter", "Installation", "Registration"]


class Adapter(Protocol):
    """How one client library's BitMart requests reach the router, and what can stand in its way."""

    def install(self, router: Router) -> Callable[[], None]:
        """Route the library's BitMart requests to ``router`` for the rest of the run; returns the undo."""

    def shadowing(self) -> str | None:
        """Another mocker that would answer BitMart requests before us, explained; None if there is none."""

    def registered_elsewhere(self, fixture_values: Mapping[str, object], router: Router) -> str | None:
        """A BitMart answer registered with another mocking library, which can never be served."""


@dataclass(frozen=True, slots=True)
class Registration:
    """A client library and how to load its adapter (which imports the library)."""

    library: str
    load: Callable[[], Adapter]


def _load(name: str) -> Callable[[], Adapter]:
    def load() -> Adapter:
        # Looked up in sys.modules, not as an attribute of the package: pytester's in-process runs drop the
        # modules a run imported, and a stale attribute would be an adapter patching the dropped library.
        adapter: Adapter = importlib.import_module(f"{__package__}.{name}").ADAPTER
        return adapter

    return load


REGISTRY = (
    Registration("requests", _load("_requests")),
    Registration("httpx", _load("_httpx")),
    Registration("aiohttp", _load("_aiohttp")),
)


class Installation:
    """The adapters installed for one run (one pytest config): installed once, undone in reverse order."""

    def __init__(self, router: Router, registry: Sequence[Registration] = REGISTRY) -> None:
        self.router = router
        self.loaded: list[Adapter] = []
        self._registry = registry
        self._undo = ExitStack()
        self._waiting: dict[str, Registration] = {}
        self._finder = _PostImportFinder(self)

    def start(self) -> None:
        """Install the adapters of libraries already imported; the others when they are imported."""
        for registration in self._registry:
            module = sys.modules.get(registration.library, False)
            if module is None:  # deliberately made unimportable (sys.modules[name] = None)
                continue
            if module is False:
                self._waiting[registration.library] = registration
            else:
                self._install(registration)
        if self._waiting:
            sys.meta_path.insert(0, self._finder)
            self._undo.callback(self._remove_finder)

    def stop(self) -> None:
        """Undo every install, newest first."""
        self._undo.close()
        self.loaded.clear()

    def _install(self, registration: Registration) -> None:
        adapter = registration.load()
        self._undo.callback(adapter.install(self.router))
        self.loaded.append(adapter)

    def imported(self, name: str) -> None:
        """A watched library has just been imported by the user's code: install its adapter now."""
        registration = self._waiting.pop(name, None)
        if registration is not None:
            self._install(registration)
        if not self._waiting:
            self._remove_finder()

    def watches(self, name: str) -> bool:
        return name in self._waiting

    def _remove_finder(self) -> None:
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)

    def shadowing(self) -> str | None:
        """The first conflict an installed adapter sees before a test body runs."""
        return next((message for adapter in self.loaded if (message := adapter.shadowing())), None)

    def registered_elsewhere(self, fixture_values: Mapping[str, object]) -> str | None:
        """The first BitMart answer registered with another mocker that an installed adapter sees."""
        return next(
            (
                message
                for adapter in self.loaded
                if (message := adapter.registered_elsewhere(fixture_values, self.router))
            ),
            None,
        )


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: gives a watched library a loader that installs its adapter once executed."""

    def __init__(self, installation: Installation) -> None:
        self._installation = installation
        # Names this finder is looking up, per thread: another finder of its kind (a nested run's) asks
        # every finder in turn, this one included, and must get None rather than a loop.
        self._busy = threading.local()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        busy: set[str] = self._busy.__dict__.setdefault("names", set())
        if fullname in busy or not self._installation.watches(fullname):
            return None
        busy.add(fullname)
        try:
            for finder in sys.meta_path:
                find_spec = getattr(finder, "find_spec", None)
                if finder is self or find_spec is None:
                    continue
                spec: importlib.machinery.ModuleSpec | None = find_spec(fullname, path, target)
                if spec is not None:
                    if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                        spec.loader = _InstallingLoader(spec.loader, self._installation)
                    return spec
            return None
        finally:
            busy.discard(fullname)


class _InstallingLoader(importlib.abc.Loader):
    """Runs the library's own loader, puts it back on the module, then installs the adapter."""

    def __init__(self, loader: Any, installation: Installation) -> None:
        self._loader = loader
        self._installation = installation

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self._loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        module.__loader__ = self._loader
        self._loader.exec_module(module)
        self._installation.imported(module.__name__)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)
