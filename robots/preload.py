"""Modules imported ahead, on a thread of their own, while the main thread waits for
something else: Playwright's driver to start, a page, a download.

``cli.launch`` imports a browser command's modules this way while the driver starts; a
download imports the PDF reader while the cabinet forms and sends the file (0.15 s).
Whoever imports such a module lazily calls ``wait_all()`` first, so that two threads
never import the same modules at once. An import that fails here is left for the
importer to fail with its own message. This module imports nothing of the robot's: it
runs first.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Sequence

_loading: list[threading.Thread] = []  # one for each begin() that had a module to import


def begin(modules: Sequence[str]) -> None:
    """Begin importing those of ``modules`` not imported yet, in order."""
    missing = [module for module in modules if module not in sys.modules]
    if missing:
        loading = threading.Thread(target=_import, args=(missing,), name="preload", daemon=True)
        _loading.append(loading)
        loading.start()


def wait_all() -> None:
    """Return once every import begun is done (at once if none was)."""
    for loading in list(_loading):  # a finished one joins at once
        loading.join()


def _import(modules: Sequence[str]) -> None:
    for module in modules:
        try:
            importlib.import_module(module)
        except BaseException:  # reported where the command imports it
            return
