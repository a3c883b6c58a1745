"""The manual's words each operator's page objects find things by: what a cabinet's
``labels`` and ``titles`` in the configuration may replace.

Collected from the screen classes themselves (their ``heading``, ``labels`` and the
titles of their ``detours``), so the words a configuration is checked against are the
ones the robot looks for.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from robots.domain import Operator


@dataclass(frozen=True)
class Vocabulary:
    """An operator's words: of controls and fields (``labels``), of screens (``titles``)."""

    labels: frozenset[str]
    titles: frozenset[str]


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for info in pkgutil.iter_modules(package.__path__):
        yield importlib.import_module(f"{package.__name__}.{info.name}")


@cache
def vocabulary(operator: Operator) -> Vocabulary:
    """The words of ``operator``'s page objects (``page_objects.<operator>``)."""
    labels: set[str] = set()
    titles: set[str] = set()
    package = importlib.import_module(f"page_objects.{operator}")
    for module in _modules(package):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith(package.__name__):
                continue  # imported from elsewhere (the base classes, the domain)
            labels.update(getattr(cls, "labels", ()))
            heading = getattr(cls, "heading", None)
            if isinstance(heading, str):
                titles.add(heading)
            titles.update(getattr(cls, "detours", {}))
    return Vocabulary(frozenset(labels), frozenset(titles))
