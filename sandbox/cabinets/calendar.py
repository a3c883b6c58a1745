"""The sandbox calendar: what day it is in the simulated world.

Cabinets behave by the date (no invoices from the 1st to the 3rd, the last closed
months, the current period), so tests and demos pin ``today``; left unset, the
calendar follows the real date. The time of day is always the real one.
"""

from __future__ import annotations

import datetime as dt
import re
import threading

_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SandboxCalendar:
    """Today's date in the sandbox, fixed or real; changeable while the cabinets run.

    Args:
        today: a fixed date, or ``None`` to follow the real date.
    """

    def __init__(self, today: dt.date | None = None) -> None:
        self._lock = threading.Lock()
        self._fixed = today

    @property
    def fixed(self) -> bool:
        """Whether ``today`` is pinned rather than the real date."""
        with self._lock:
            return self._fixed is not None

    def today(self) -> dt.date:
        """The sandbox's date."""
        with self._lock:
            fixed = self._fixed
        return fixed if fixed is not None else dt.date.today()

    def now(self, zone: dt.tzinfo | None = None) -> dt.datetime:
        """The sandbox's date with the real time of day in ``zone`` (default: the
        machine's), seconds precision. The date is that zone's: pinned to the 10th, a
        cabinet in Almaty says the 10th at 02:00 too, not the 11th."""
        real = dt.datetime.now(zone).astimezone(zone).replace(microsecond=0)
        return real.replace(year=(day := self.today()).year, month=day.month, day=day.day)

    def set_today(self, today: dt.date | None) -> None:
        """Pin the date, or follow the real date again with ``None``."""
        with self._lock:
            self._fixed = today


def parse_day(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date; empty or ``real`` as ``None`` (the real date).

    Raises:
        ValueError: anything else, with the offending text.
    """
    value = text.strip()
    if value in ("", "real"):
        return None
    if _DAY_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"today must be YYYY-MM-DD (or 'real'), got {value!r}")
