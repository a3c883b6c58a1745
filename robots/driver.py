"""Playwright's driver, started ahead of the browser when a command is known to need one.

Starting the driver (a Node.js process) is about 0.3 s in which this interpreter only
waits, and a browser command spends about 0.5 s importing what it needs before it
launches Chromium. ``cabinet-robot``'s entry point (``cli.launch``) starts the driver on
the main thread while a thread imports the command, and the first ``playwright()`` on
that thread takes it. This module imports nothing but Playwright: it runs first.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Playwright, sync_playwright

_started: tuple[Playwright, int] | None = None  # the driver, the thread that started it


def start_early() -> None:
    """Start the driver now for the first ``playwright()`` of this thread; stopped at
    exit if nothing took it (the command failed before its browser, or needed none)."""
    global _started
    if _started is None:
        _started = (sync_playwright().start(), threading.get_ident())
        atexit.register(_stop_unused)


@contextmanager
def playwright() -> Iterator[Playwright]:
    """A running driver, stopped on leaving: the early one if this thread started it
    (a sync Playwright belongs to its thread), else a new one."""
    early = _take_early()
    if early is None:
        with sync_playwright() as started:
            yield started
        return
    try:
        yield early
    finally:
        early.stop()


def _take_early() -> Playwright | None:
    """The early driver, handed out once, and only on the thread that started it."""
    global _started
    if _started is None or _started[1] != threading.get_ident():
        return None
    early, _started = _started[0], None
    return early


def _stop_unused() -> None:
    early = _take_early()  # at exit, on the main thread that started it
    if early is not None:
        early.stop()
