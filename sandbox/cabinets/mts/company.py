"""The company as the MTS «Виртуальный менеджер» shows it: personal accounts with their
numbers and subscribers (the billing hierarchy), and each session's «Текущая выборка».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from robots.domain import Period
from sandbox.cabinets.mts import texts
from sandbox.cabinets.sessions import Session
from sandbox.documents.model import MONTHS, Customer
from sandbox.world import SandboxAccount

_SELECTION = "selection"  # session data: the selected numbers, in the order they were added


@dataclass(frozen=True)
class Subscriber:
    """A number in the hierarchy: a row of «Текущая выборка»."""

    number: str
    account: str  # «Папка»
    name: str  # «ФИО»
    type: str = texts.NUMBER_TYPE  # «Тип»

    def as_json(self) -> dict[str, str]:
        return {"type": self.type, "number": self.number, "folder": self.account, "name": self.name}


class MtsCompany:
    """The company's MTS accounts (read-only) and the selection kept in each session.

    Args:
        accounts: the company's MTS personal accounts.
        customer: the company's name and tax id, as on its documents.
    """

    def __init__(self, accounts: Sequence[SandboxAccount], customer: Customer) -> None:
        if not accounts:
            raise ValueError("the MTS cabinet needs at least one personal account")
        self.accounts = {account.id: account for account in accounts}
        self.customer = customer
        self.subscribers = {
            number: Subscriber(number, account.id, account.name(number))
            for account in accounts
            for number in account.numbers
        }

    def tree(self) -> list[tuple[str, list[Subscriber]]]:
        """The billing hierarchy: each account with its subscribers."""
        return [
            (account.id, [self.subscribers[n] for n in account.numbers])
            for account in self.accounts.values()
        ]

    # -- «Текущая выборка» -----------------------------------------------------------------

    def selection(self, session: Session) -> list[Subscriber]:
        numbers = session.data.get(_SELECTION, [])
        return [self.subscribers[n] for n in numbers if n in self.subscribers]

    def select(self, session: Session, numbers: Iterable[str]) -> None:
        """Add ``numbers`` (known ones, each once) after those already selected."""
        chosen: list[str] = session.data.setdefault(_SELECTION, [])
        for number in numbers:
            if number in self.subscribers and number not in chosen:
                chosen.append(number)

    def clear(self, session: Session) -> None:
        session.data[_SELECTION] = []

    def by_account(self, selected: Sequence[Subscriber]) -> dict[str, tuple[str, ...]]:
        """The selected numbers per account, accounts and numbers in hierarchy order."""
        chosen = {s.number for s in selected}
        grouped = {
            account.id: tuple(n for n in account.numbers if n in chosen)
            for account in self.accounts.values()
        }
        return {account: numbers for account, numbers in grouped.items() if numbers}

    def selection_json(self, session: Session) -> dict[str, Any]:
        """What the page's script shows: heading, «Выбрано N номеров», the rows."""
        selected = self.selection(session)
        accounts = len({s.account for s in selected})
        return {
            "count": len(selected),
            "heading": texts.selection_heading(len(selected), accounts),
            "selected_text": texts.selected_text(len(selected)),
            "rows": [s.as_json() for s in selected],
        }


# -- periods ---------------------------------------------------------------------------------


def closed_months(today: dt.date, count: int = 12) -> list[Period]:
    """The ``count`` closed billing months before ``today``'s, newest first."""
    months = [Period.of(today).previous()]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


def month_option(period: Period, *, legacy: bool = False) -> tuple[str, str]:
    """(``2026-10``, ``Октябрь 2026``); on the legacy page the value is ``period_id``."""
    value = period_id(period) if legacy else str(period)
    return value, f"{MONTHS[period.month - 1].capitalize()} {period.year}"


def period_id(period: Period) -> str:
    """The legacy page's option value for a month: an opaque number of the billing
    period (assumed: the manual shows only the month's name), e.g. ``421``."""
    return str((period.year - 2000) * 12 + period.month - 1 + 100)


def period_of_id(value: str, periods: list[Period]) -> Period | None:
    """The month among ``periods`` whose ``period_id`` is ``value``."""
    return next((p for p in periods if period_id(p) == value), None)


def details_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Call details can be ordered from the 1st of the month six months back up to today."""
    start = Period.of(today)
    for _ in range(6):
        start = start.previous()
    return start.first_day, today


def default_details_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The dialog's default: the previous month."""
    previous = Period.of(today).previous()
    return previous.first_day, previous.last_day
