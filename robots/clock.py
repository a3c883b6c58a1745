"""Today's date as the robots see it.

The robots choose periods and date ranges from today (the invoices of the two previous
months, a month "up to today"). A recorded scenario replays what the robot did on the
day it was recorded, so a replay sets that day with ``frozen_today``; everything else
uses the real date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_FROZEN: ContextVar[dt.date | None] = ContextVar("frozen_today", default=None)


def today() -> dt.date:
    """The real date, or the one ``frozen_today`` set for this context."""
    return _FROZEN.get() or dt.date.today()


@contextmanager
def frozen_today(day: dt.date) -> Iterator[None]:
    """Within the block, ``today()`` is ``day`` (a context variable: other threads keep theirs)."""
    token = _FROZEN.set(day)
    try:
        yield
    finally:
        _FROZEN.reset(token)
