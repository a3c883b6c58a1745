"""The ``--period`` option of every command: a month, never one that has not begun."""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

import typer

from robots.domain import Period


def period_option(text: str, today: dt.date, *, closed: bool = False) -> Period:
    """The month ``text`` names, or one line on stderr and exit 2.

    Args:
        text: the option's value, ``YYYY-MM``.
        today: the date the commands judge by (``--today`` where a command has it).
        closed: only a month that is over (the monthly cycle: a month's invoice, acts and
            call details exist once it has ended); else the current month is allowed too
            (its charges, its call details so far, the ledger's view of it).
    """
    try:
        period = Period.parse(text)
    except ValueError as exc:
        _refuse(str(exc))
    current = Period.of(today)
    if current < period:
        latest = current.previous() if closed else current
        _refuse(f"--period {period} is in the future (today is {today}): give {latest} or earlier")
    if closed and period == current:
        _refuse(
            f"--period {period} is not over yet: the cycle orders a month's documents once it "
            f"has ended; give {current.previous()} or earlier"
        )
    return period


def _refuse(message: str) -> NoReturn:
    typer.echo(f"cabinet-robot: {message}", err=True)
    raise typer.Exit(2)
