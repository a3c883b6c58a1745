"""The companies as the Kcell «Кабинет» shows them to their administrator: each company
with its personal account and numbers, the company each session works in («Выбор
компании»), and the cabinet's rules of dates (the 90 days of call details, the days of
the month from which last month's documents are ready, the longest periods).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from robots.domain import Period
from sandbox.cabinets.kcell import texts
from sandbox.cabinets.sessions import Session
from sandbox.cabinets.web import Form
from sandbox.documents import Customer
from sandbox.world import NumberLine, SandboxAccount, SandboxCompany

PHONE_RE = re.compile(r"^7\d{10}$")  # «Номер телефона в формате 77012223344»
_CURRENT = "company"  # session data: the key of the company the session works in


@dataclass(frozen=True)
class NumberRow:
    """A row of «Управление номерами»."""

    number: str
    account: str
    line: NumberLine


@dataclass(frozen=True)
class Company:
    """One company of the administrator."""

    key: str  # its БИН: the value of its «Выбор компании» option
    name: str  # the option's text
    customer: Customer  # its name and БИН on documents
    accounts: tuple[SandboxAccount, ...]

    def account(self, account_id: str) -> SandboxAccount | None:
        """The company's account ``account_id``, if it is one (forms can be forged)."""
        return next((a for a in self.accounts if a.id == account_id), None)

    def account_of(self, number: str) -> SandboxAccount | None:
        """The company's account that ``number`` is on, if any."""
        return next((a for a in self.accounts if number in a.numbers), None)

    def rows(self, query: str = "") -> list[NumberRow]:
        """The company's numbers, those whose number or account contains ``query``."""
        query = query.strip()
        return [
            NumberRow(number, account.id, account.line(number))
            for account in self.accounts
            for number in account.numbers
            if query in number or query in account.id
        ]

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(n for a in self.accounts for n in a.numbers)


class KcellCompanies:
    """The administrator's companies (read-only) and the one each session works in.

    Args:
        companies: the companies, in «Выбор компании» order (the first is the default).
        accounts: the Kcell personal accounts; each belongs to the company it names.

    Raises:
        ValueError: a company without accounts, or an account of no listed company.
    """

    def __init__(
        self, companies: Sequence[SandboxCompany], accounts: Sequence[SandboxAccount]
    ) -> None:
        names = {c.name for c in companies}
        strays = [a.id for a in accounts if a.company not in names]
        if strays:
            raise ValueError(f"Kcell accounts of no company: {', '.join(strays)}")
        self.companies = [
            Company(
                c.tax_id,
                c.name,
                Customer(name=c.legal_name, tax_id=c.tax_id),
                tuple(a for a in accounts if a.company == c.name),
            )
            for c in companies
        ]
        empty = [c.name for c in self.companies if not c.accounts]
        if not self.companies or empty:
            raise ValueError(f"every Kcell company needs an account: {empty or 'no companies'}")
        self._by_key = {c.key: c for c in self.companies}

    def options(self) -> list[tuple[str, str]]:
        """«Выбор компании»: (value, text) pairs."""
        return [(c.key, c.name) for c in self.companies]

    def current(self, session: Session) -> Company:
        """The company the session works in (the first one until another is chosen)."""
        return self._by_key.get(session.data.get(_CURRENT, ""), self.companies[0])

    def choose(self, session: Session, key: str) -> bool:
        """Work in the company ``key`` from now on; ``False`` for an unknown one."""
        if key not in self._by_key:
            return False
        session.data[_CURRENT] = key
        return True

    def of_number(self, number: str) -> Company | None:
        return next((c for c in self.companies if c.account_of(number)), None)


# -- dates -----------------------------------------------------------------------------------

EARLIEST_WORK_ACT = Period(year=2018, month=1)  # «Акты выполненных работ доступны с 1 января 2018»
DETAILS_DAYS = 90  # «за последние 90 дней, включая текущий»


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def details_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Call details can be had for the last 90 days, today included."""
    return today - dt.timedelta(days=DETAILS_DAYS - 1), today


def default_details_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The form's default: the last month («Периодом по умолчанию выбран последний месяц»)."""
    return months_before(today, 1), today


def parse_date(text: str) -> dt.date | None:
    """A date input's value (``YYYY-MM-DD``), or ``None``."""
    try:
        return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


# The single-page markup's range picker: «26-01-2019 → 26-02-2019», as the manual shows it.
_RANGE_RE = re.compile(r"^\s*(\d{2}-\d{2}-\d{4})\s*→\s*(\d{2}-\d{2}-\d{4})\s*$")
# Its period of months: «Сентябрь 2020 - Сентябрь 2020».
_MONTHS_RE = re.compile(r"^\s*(\S+\s+\d{4})\s*-\s*(\S+\s+\d{4})\s*$")


def typed_dates(form: Form) -> tuple[str, str, dt.date | None, dt.date | None]:
    """The period a form sends: one range picker's ``period`` (single-page markup) or two
    date fields ``date_from``, ``date_to``. (start, end as typed; start, end or None.)"""
    if not form.getlist("period"):
        typed_start, typed_end = form.get("date_from"), form.get("date_to")
        return typed_start, typed_end, parse_date(typed_start), parse_date(typed_end)
    match = _RANGE_RE.match(form.get("period"))
    if match is None:
        return form.get("period"), "", None, None
    start, end = (dt.datetime.strptime(part, "%d-%m-%Y").date() for part in match.groups())
    return start.isoformat(), end.isoformat(), start, end


def typed_months(form: Form) -> tuple[str, str]:
    """The months a register form sends (``2020-09`` keys of ``month_option``): two selects
    ``start``, ``end`` or one range picker ``period`` of month names."""
    if not form.getlist("period"):
        return form.get("start"), form.get("end")
    match = _MONTHS_RE.match(form.get("period"))
    if match is None:
        return "", ""
    names = [m.casefold() for m in texts.MONTH_NAMES]
    keys = []
    for part in match.groups():
        name, year = part.split()
        keys.append(
            f"{year}-{names.index(name.casefold()) + 1:02d}" if name.casefold() in names else ""
        )
    return keys[0], keys[1]


def work_act_refusal(period: Period, today: dt.date) -> str | None:
    """Why the work act of ``period`` cannot be had on ``today``, or ``None``."""
    this_month = Period.of(today)
    if period < EARLIEST_WORK_ACT:
        return texts.WORK_ACT_SINCE
    if not period < this_month:
        return texts.WORK_ACT_NOT_READY
    if period == this_month.previous() and today.day <= 5:
        return texts.WORK_ACT_AFTER_5TH_REFUSAL
    return None


def register_months(today: dt.date) -> list[Period]:
    """The months the register's selects offer: this month back to January 2018."""
    months = [Period.of(today)]
    while months[-1] > EARLIEST_WORK_ACT:
        months.append(months[-1].previous())
    return months


def month_range(start: Period, end: Period) -> list[Period]:
    """``start`` to ``end`` inclusive, oldest first."""
    months = [start]
    while months[-1] < end:
        months.append(months[-1].next())
    return months


def register_refusal(start: Period, end: Period, today: dt.date) -> str | None:
    """Why the register of ``start``..``end`` cannot be had on ``today``, or ``None``."""
    this_month = Period.of(today)
    if end < start:
        return texts.START_AFTER_END
    if not end < this_month:
        return texts.REGISTER_NOT_READY
    if end == this_month.previous() and today.day <= 3:
        return texts.REGISTER_FROM_4TH_REFUSAL
    return None


def _common_refusal(start: dt.date, end: dt.date, today: dt.date) -> str | None:
    if start > end:
        return texts.START_AFTER_END
    if end > today:
        return texts.FUTURE_END
    return None


def reconciliation_refusal(start: dt.date, end: dt.date, today: dt.date) -> str | None:
    """Why the reconciliation act of ``start``..``end`` cannot be ordered on ``today``."""
    if (refusal := _common_refusal(start, end, today)) is not None:
        return refusal
    if start < months_before(today, 12):
        return texts.RECONCILIATION_12_MONTHS
    previous = Period.of(today).previous()
    if today.day <= 3 and start <= previous.last_day and end >= previous.first_day:
        return texts.RECONCILIATION_AFTER_3RD_REFUSAL
    return None


def payments_refusal(start: dt.date, end: dt.date, today: dt.date) -> str | None:
    """Why the payments report of ``start``..``end`` cannot be ordered on ``today``."""
    if (refusal := _common_refusal(start, end, today)) is not None:
        return refusal
    if start < months_before(today, 3):
        return texts.PAYMENTS_3_MONTHS
    return None


def month_option(period: Period) -> tuple[str, str]:
    """(``2020-09``, ``Сентябрь 2020``)."""
    return str(period), f"{texts.MONTH_NAMES[period.month - 1]} {period.year}"
