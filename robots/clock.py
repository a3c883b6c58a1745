"""Today's date and the time as the robots see it.

The robots choose periods and date ranges from today (the invoices of the two previous
months, a month "up to today"). A recorded scenario replays what the robot did on the
day it was recorded, so a replay sets that day with ``frozen_today``; the retention of
files counts ages from ``now()``, which a test sets with ``frozen_now``; everything else
uses the real date and time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_FROZEN: ContextVar[dt.date | None] = ContextVar("frozen_today", default=None)
_FROZEN_NOW: ContextVar[dt.datetime | None] = ContextVar("frozen_now", default=None)


def today() -> dt.date:
    """The real date, or the one ``frozen_today`` set for this context."""
    return _FROZEN.get() or dt.date.today()


def now() -> dt.datetime:
    """The real time (aware, UTC), or the one ``frozen_now`` set for this context."""
    return _FROZEN_NOW.get() or dt.datetime.now(dt.UTC)


@contextmanager
def frozen_today(day: dt.date) -> Iterator[None]:
    """Within the block, ``today()`` is ``day`` (a context variable: other threads keep theirs)."""
    token = _FROZEN.set(day)
    try:
        yield
    finally:
        _FROZEN.reset(token)


@contextmanager
def frozen_now(moment: dt.datetime) -> Iterator[None]:
    """Within the block, ``now()`` is ``moment`` (aware); ``today()`` is not changed."""
    if moment.tzinfo is None:
        raise ValueError("frozen_now needs an aware datetime")
    token = _FROZEN_NOW.set(moment)
    try:
        yield
    finally:
        _FROZEN_NOW.reset(token)
