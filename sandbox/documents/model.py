"""What a sandbox document is about: who issued it, for whom, and its (seeded) content.

Every renderer takes a ``DocumentSpec`` and returns bytes; the same spec always
yields the same bytes (seeded randomness, fixed timestamps).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from robots.domain import DocumentFormat, DocumentKind, Operator, Period


@dataclass(frozen=True)
class Requisites:
    """How an operator prints itself on its documents."""

    legal_name: str
    tax_id_label: str
    tax_id: str
    address: str
    currency: str
    mail_domain: str


# Must match robots.recognition.common.OPERATOR_SIGNATURES (the SIP provider: the
# ``recognition`` the sandbox's configuration gives its SIP cabinet): the sandbox issues
# documents the way each operator does, the robot recognises them by these.
REQUISITES: dict[Operator, Requisites] = {
    Operator.MTS: Requisites(
        "ПАО «МТС»",
        "ИНН",
        "7740000076",
        "109147, г. Москва, ул. Марксистская, д. 4",
        "руб.",
        "mts.ru",
    ),
    Operator.KCELL: Requisites(
        "АО «Кселл»",
        "БИН",
        "980540000397",
        "050051, г. Алматы, пр. Достык, 240",
        "тенге",
        "kcell.kz",
    ),
    Operator.A1: Requisites(
        "Унитарное предприятие «А1»",
        "УНП",
        "101528843",
        "220030, г. Минск, ул. Интернациональная, 36-2",
        "BYN",
        "a1.by",
    ),
    # The SIP cabinet's manual names no provider: an invented one, which the robot knows
    # only from the sandbox's configuration (``recognition`` of the SIP cabinet).
    Operator.SIP: Requisites(
        "ООО «Сетевые Технологии Связи»",
        "УНП",
        "192845617",
        "220004, г. Минск, пр. Победителей, 7",
        "BYN",
        "siptelecom.by",
    ),
}


@dataclass(frozen=True)
class Customer:
    """The company the documents are issued to."""

    name: str = "ТОО «Кабинет»"
    tax_id: str = "123456789012"
    email: str = "robot@example.com"


@dataclass(frozen=True)
class Call:
    """One call-details record."""

    number: str  # the subscriber who made or received it
    when: dt.datetime
    other: str  # the other party
    service: str  # "Исходящий звонок", "Входящий звонок", "SMS", "Интернет"
    duration_s: int
    charge: Decimal


@dataclass(frozen=True)
class DocumentSpec:
    """One document the sandbox can render."""

    operator: Operator
    kind: DocumentKind
    format: DocumentFormat
    account: str
    period: Period
    numbers: tuple[str, ...] = ()
    customer: Customer = field(default_factory=Customer)
    calls_per_number: int = 40  # size knob: more calls, bigger call-details files
    seed: int = 0

    @property
    def rng(self) -> random.Random:
        """A fresh generator seeded from everything that defines the document."""
        key = f"{self.operator}|{self.kind}|{self.account}|{self.period}|{self.numbers}|{self.seed}"
        return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))

    @property
    def issued_on(self) -> dt.date:
        """Documents for a month are issued on the 5th of the next month."""
        return self.period.next().first_day + dt.timedelta(days=4)


MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def month_phrase(period: Period) -> str:
    """``октябрь 2026 г.``"""
    return f"{MONTHS[period.month - 1]} {period.year} г."


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian form for ``count``: 1 номер, 2 номера, 5 номеров (11-14: many)."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def range_phrase(period: Period) -> str:
    """``01.10.2026 - 31.10.2026``"""
    return f"{period.first_day:%d.%m.%Y} - {period.last_day:%d.%m.%Y}"


_SERVICES = ("Исходящий звонок", "Входящий звонок", "SMS", "Интернет")


def generate_calls(spec: DocumentSpec) -> list[Call]:
    """Calls of every number in the spec, sorted by time; the same spec, the same calls."""
    rng = spec.rng
    start = dt.datetime.combine(spec.period.first_day, dt.time(0, 0))
    seconds_in_month = (spec.period.last_day - spec.period.first_day).days * 86400 + 86399
    calls: list[Call] = []
    for number in spec.numbers:
        for _ in range(spec.calls_per_number):
            service = rng.choice(_SERVICES)
            duration = rng.randint(5, 1800) if "звонок" in service else 0
            other = f"{number[:-7]}{rng.randint(1000000, 9999999)}"
            charge = (
                Decimal(rng.randint(0, 900)) / 100 if service != "Входящий звонок" else Decimal(0)
            )
            when = start + dt.timedelta(seconds=rng.randint(0, seconds_in_month))
            calls.append(Call(number, when, other, service, duration, charge))
    calls.sort(key=lambda c: (c.when, c.number))
    return calls


def total(calls: list[Call]) -> Decimal:
    return sum((c.charge for c in calls), Decimal(0))


FIXED_TIMESTAMP = dt.datetime(
    2020, 1, 1, 0, 0, 0, tzinfo=dt.UTC
)  # written into files for reproducible bytes
