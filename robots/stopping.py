"""A stop the operator asked for (Ctrl-C, SIGTERM): the run ends at its next safe point.

The command line records the request (``request``); the sessions, the slot waits and the
cycle's pauses look at it (``requested``, ``wait``) and end what they do without leaving
anything half done: an order in flight is finished, what is not started stays due in the
order book for the rerun.
"""

from __future__ import annotations

import signal
import threading

_stop = threading.Event()
_signal: signal.Signals | None = None


class Stopped(Exception):
    """The run was asked to stop; what it had not done yet stays due."""


def request(signum: int) -> None:
    """Ask every session of this process to stop at its next safe point."""
    global _signal
    _signal = signal.Signals(signum)
    _stop.set()


def requested() -> bool:
    """Whether a stop was asked for."""
    return _stop.is_set()


def by_signal() -> signal.Signals | None:
    """The signal that asked for the stop, if one did."""
    return _signal if _stop.is_set() else None


def check() -> None:
    """Raise ``Stopped`` if a stop was asked for."""
    if _stop.is_set():
        raise Stopped("stop requested")


def wait(seconds: float) -> None:
    """Sleep ``seconds``, or raise ``Stopped`` as soon as a stop is asked for."""
    if _stop.wait(max(0.0, seconds)):
        raise Stopped("stop requested")


def reset() -> None:
    """Forget a stop (a new run in the same process)."""
    global _signal
    _signal = None
    _stop.clear()
