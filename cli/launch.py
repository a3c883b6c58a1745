"""The ``cabinet-robot`` entry point: a command that drives a browser starts Playwright's
driver while its own modules load (``robots.driver``); the rest start as they are."""

from __future__ import annotations

import contextlib
import sys
import threading

# The commands that always launch Chromium (by their first word), and what they import
# before they do: the configuration's models, the cabinets' robots and page objects,
# the ledger (SQLAlchemy).
_BROWSER_COMMANDS = frozenset({"order", "subscribers", "survey", "check", "scenario"})
_THEIR_MODULES = ("cli.main", "config.loader", "robots.cabinets", "robots.ledger")


def main() -> None:
    """The ``cabinet-robot`` command."""
    arguments = sys.argv[1:]
    if arguments and arguments[0] in _BROWSER_COMMANDS and "--help" not in arguments:
        try:
            _start_driver_while_importing()
        except KeyboardInterrupt:  # Ctrl-C before the command began: nothing to stop
            sys.exit(130)
    from cli.main import main as command

    command()


def _start_driver_while_importing() -> None:
    # Playwright first, whole, on this thread: two threads importing the same package
    # at once could each hold a module the other needs.
    from robots.driver import start_early

    loading = threading.Thread(target=_import_quietly, name="imports", daemon=True)
    loading.start()
    with contextlib.suppress(Exception):  # the browser's own start says why, in the command
        start_early()
    loading.join()


def _import_quietly() -> None:
    """Import ahead what the command needs; an import that fails here fails again, with
    its own message, where the command imports it."""
    import importlib

    for module in _THEIR_MODULES:
        try:
            importlib.import_module(module)
        except BaseException:  # reported where the command imports it
            return
