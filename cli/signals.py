"""Ctrl-C and SIGTERM during ``run``: a stop at the next safe point, then one line.

The first signal asks the run to stop (``robots.stopping``): each session finishes the
document in hand and gives back its login, the cycle ends Cancelled, and the command
exits 130 (SIGINT) or 143 (SIGTERM) saying that a rerun goes on where it stopped. A
second signal stops at once: the logins are given back and the process ends; an order
the robot was placing stays ``unconfirmed`` in the order book.

The signals are blocked in every thread and taken by one watcher thread, so neither
Prefect's own SIGTERM handler nor a ``KeyboardInterrupt`` in the middle of the flow
engine can cut a session short. Without ``PREFECT_API_URL`` the temporary Prefect
server is started here, with SIGINT blocked: a Ctrl-C at the terminal goes to the whole
process group, and the server must outlive it to record the stop and free the slots.
"""

from __future__ import annotations

import atexit
import contextvars
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer

from robots import stopping

SIGNALS = {signal.SIGINT, signal.SIGTERM}
_NAMES = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}


def _say(text: str) -> None:
    typer.echo(f"cabinet-robot: {text}", err=True)


def _stopped_line(signum: signal.Signals) -> str:
    return f"stopped by {_NAMES[signum]}; run it again to go on where it stopped"


def _start_temporary_server(after_it: Callable[[], None]) -> Callable[[], None] | None:
    """Start Prefect's temporary server now, deaf to Ctrl-C; its stop, or None if a
    server is configured.

    Prefect stops the server at exit, once the run's logs have gone to it, and says so;
    ``after_it`` runs at exit after that (registered before, it runs after).
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    if get_current_settings().api.url:
        return None
    atexit.register(after_it)
    server = SubprocessASGIServer()  # the one Prefect's clients use for the whole process
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # inherited by the server
    server.start()
    return server.stop


class _Watcher:
    """Takes SIGINT and SIGTERM in a thread of its own (they are blocked everywhere)."""

    def __init__(self, hard_stop: Callable[[], None]) -> None:
        self._hard_stop = hard_stop
        self._done = threading.Event()
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._watch,), name="signals", daemon=True
        )

    def _watch(self) -> None:
        while not self._done.is_set():
            info = signal.sigtimedwait(SIGNALS, 0.5)
            if info is None:
                continue
            received = signal.Signals(info.si_signo)
            first = stopping.by_signal()
            if first is None:
                stopping.request(received)
                _say(
                    f"stopping ({_NAMES[received]}): the sessions finish the document in "
                    "hand; press Ctrl-C again to stop at once"
                )
                continue
            _say("stopping at once; an order being placed stays unconfirmed")
            try:
                self._hard_stop()
            finally:
                _say(_stopped_line(first))
                os._exit(128 + first)

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


@contextmanager
def stoppable(release: Callable[[], None]) -> Iterator[None]:
    """Run the block so that SIGINT/SIGTERM stop it at a safe point (see the module).

    Args:
        release: gives back what the process holds (the login slots), on a hard stop.

    Raises:
        typer.Exit: 130 or 143 when a signal stopped the block (whatever it raised then).
    """
    stopping.reset()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    last_words: list[str] = []

    def say_last_words() -> None:
        for line in last_words:
            _say(line)

    try:
        stop_server = _start_temporary_server(say_last_words)

        def hard_stop() -> None:
            try:
                release()
            finally:
                if stop_server is not None:
                    stop_server()

        signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        with _Watcher(hard_stop):
            try:
                yield
            except Exception:
                if not stopping.requested():
                    raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
    received = stopping.by_signal()
    if received is not None:
        if stop_server is None:
            _say(_stopped_line(received))
        else:
            last_words.append(_stopped_line(received))
        raise typer.Exit(128 + received)
