"""Modules imported ahead, on a thread of their own, while the main thread waits for
something else: Playwright's driver to start, the browser, a page, a download.

``cli.launch`` starts it for a command that drives a browser: ``first`` are what the
command imports before its browser starts (``wait_first()``), ``later`` what it may need
after (the PDF reader for a downloaded file, 0.15 s to import). Whoever imports one of
``later`` calls ``wait_all()`` first, so that both threads never import the same module
at once. An import that fails here is left for the importer to fail with its own
message. This module imports nothing of the robot's: it runs first.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence

_loading: threading.Thread | None = None
_first_done = threading.Event()


def start(first: Sequence[str], later: Sequence[str] = ()) -> None:
    """Begin importing ``first``, then ``later``."""
    global _loading

    def load() -> None:
        try:
            _import(first)
        finally:
            _first_done.set()
        _import(later)

    _loading = threading.Thread(target=load, name="preload", daemon=True)
    _loading.start()


def wait_first() -> None:
    """Return once ``first`` is imported (at once if nothing was started)."""
    if _loading is not None:
        _first_done.wait()


def wait_all() -> None:
    """Return once everything started is imported (at once if nothing was)."""
    if _loading is not None:
        _loading.join()


def _import(modules: Sequence[str]) -> None:
    for module in modules:
        try:
            importlib.import_module(module)
        except BaseException:  # reported where the command imports it
            return
