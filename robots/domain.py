"""Domain models shared by every operator, the collector and the flows.

All models are frozen: they are values that travel between layers, never mutated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator


class Operator(StrEnum):
    """A telecom operator whose corporate cabinet the robot works with."""

    SIP = "sip"
    MTS = "mts"
    KCELL = "kcell"
    A1 = "a1"


class DocumentKind(StrEnum):
    """What a document is, independent of its file format."""

    INVOICE = "invoice"
    CALL_DETAILS = "call_details"
    RECONCILIATION_ACT = "reconciliation_act"
    CHARGES = "charges"  # current-period charges
    WORK_ACT = "work_act"  # акт выполненных работ и расшифровка
    INVOICE_REGISTER = "invoice_register"  # реестр счетов-фактур
    PAYMENTS_REPORT = "payments_report"
    NUMBERS_REPORT = "numbers_report"

    @property
    def costs_or_changes(self) -> bool:
        """Whether ordering it costs money or changes a subscriber (``CHARGED_KINDS``):
        then no renamed control is ever healed on the way (``page_objects.healing``)."""
        return self in CHARGED_KINDS


class DocumentFormat(StrEnum):
    """The file format a document is delivered in."""

    PDF = "pdf"
    XLS = "xls"
    XLSX = "xlsx"
    XML = "xml"
    HTML = "html"
    TXT = "txt"
    ZIP = "zip"


# What each operator's cabinet gives to order by e-mail or as a file (the manuals); what
# the robots order, and what a cabinet's configured ``documents`` may ask for.
CABINET_KINDS: dict[Operator, frozenset[DocumentKind]] = {
    Operator.SIP: frozenset(
        {DocumentKind.INVOICE, DocumentKind.CALL_DETAILS, DocumentKind.CHARGES}
    ),
    Operator.MTS: frozenset({DocumentKind.INVOICE, DocumentKind.CALL_DETAILS}),
    # Kcell has no invoice to order: the work act and the invoice register stand for it.
    Operator.KCELL: frozenset(
        {
            DocumentKind.CALL_DETAILS,
            DocumentKind.WORK_ACT,
            DocumentKind.INVOICE_REGISTER,
            DocumentKind.RECONCILIATION_ACT,
            DocumentKind.NUMBERS_REPORT,
            DocumentKind.PAYMENTS_REPORT,
        }
    ),
    Operator.A1: frozenset(
        {DocumentKind.INVOICE, DocumentKind.CALL_DETAILS, DocumentKind.RECONCILIATION_ACT}
    ),
}


# Documents whose order costs money or changes a subscriber. The manuals name none: every
# document the four cabinets give (invoices, call details, acts, registers, reports) is
# free and changes nothing. A kind added here is ordered only through the controls the
# robot finds by their words, never through a heal.
CHARGED_KINDS: frozenset[DocumentKind] = frozenset()


def not_offered_reason(operator: Operator, kinds: list[DocumentKind]) -> str:
    """Why ``kinds`` cannot be had from ``operator``'s cabinet, naming what can."""
    offered = ", ".join(sorted(CABINET_KINDS[operator]))
    return f"the {operator} cabinet has no {', '.join(kinds)} to order; it offers {offered}"


_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")

# Account ids and phone numbers become path components in Tarifer's inbox: keep them
# to characters that can never form a path separator or a relative step.
AccountId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$")]
PhoneNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{10,15}$")]


class Period(BaseModel):
    """One calendar month, written ``YYYY-MM``."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM``; raise ValueError, one line naming the offending text, otherwise."""
        match = _PERIOD_RE.match(text.strip())
        if not match:
            raise ValueError(f"period must be YYYY-MM, e.g. 2026-11, got {text!r}")
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month:02d}: write YYYY-MM, months 01 to 12")
        if not 2000 <= year <= 2100:
            raise ValueError(f"{text!r}: the year must be 2000 to 2100")
        return cls(year=year, month=month)

    @classmethod
    def of(cls, day: dt.date) -> Period:
        """The month that contains ``day``."""
        return cls(year=day.year, month=day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> Period:
        if self.month == 12:
            return Period(year=self.year + 1, month=1)
        return Period(year=self.year, month=self.month + 1)

    def previous(self) -> Period:
        if self.month == 1:
            return Period(year=self.year - 1, month=12)
        return Period(year=self.year, month=self.month - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __lt__(self, other: Period) -> bool:
        return (self.year, self.month) < (other.year, other.month)


class Account(BaseModel):
    """A personal account (лицевой счет) at an operator, with its subscriber numbers."""

    model_config = ConfigDict(frozen=True)

    operator: Operator
    id: AccountId
    numbers: tuple[PhoneNumber, ...] = ()


class Subscriber(BaseModel):
    """A subscriber number on a personal account, as the cabinet lists it."""

    model_config = ConfigDict(frozen=True)

    operator: Operator
    account: AccountId
    number: PhoneNumber
    name: str | None = None
    tariff: str | None = None


class Via(StrEnum):
    """How an ordered document reaches the robot."""

    EMAIL = "email"
    DOWNLOAD = "download"


class Order(BaseModel):
    """A request placed in a cabinet: this document, for this account and month."""

    model_config = ConfigDict(frozen=True)

    cabinet: str
    operator: Operator
    account: AccountId
    period: Period
    kind: DocumentKind
    format: DocumentFormat | None = None  # None: the cabinet does not let the robot choose
    numbers: tuple[PhoneNumber, ...] = ()  # empty: the whole account
    via: Via = Via.EMAIL
    email: str | None = None  # where the cabinet said it sends the document, when it says
    # Other accounts the same order covers: a form that orders for a whole company (Kcell's
    # «Акт сверки» has no account field), so theirs are ordered too and not again.
    also_for: tuple[AccountId, ...] = ()
    placed_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))


class Document(BaseModel):
    """A recognised operator document.

    ``numbers`` narrows a document to some subscribers (per-number call details);
    empty means it covers the whole account. The stable id is built from the
    fields that say *which* document this is, never from its bytes, so a corrected
    re-issue of the same document gets the same id and supersedes the first.
    """

    model_config = ConfigDict(frozen=True)

    operator: Operator
    account: AccountId
    period: Period
    kind: DocumentKind
    format: DocumentFormat
    numbers: tuple[PhoneNumber, ...] = ()

    @model_validator(mode="after")
    def _numbers_sorted(self) -> Self:
        if list(self.numbers) != sorted(set(self.numbers)):
            raise ValueError("numbers must be sorted and unique")
        return self

    @property
    def id(self) -> str:
        """Stable composite id, e.g. ``mts/277012345678/2026-10/call_details/xml``."""
        base = f"{self.operator}/{self.account}/{self.period}/{self.kind}/{self.format}"
        if not self.numbers:
            return base
        if len(self.numbers) == 1:
            return f"{base}/{self.numbers[0]}"
        digest = hashlib.sha256(",".join(self.numbers).encode()).hexdigest()[:12]
        return f"{base}/n{len(self.numbers)}-{digest}"
