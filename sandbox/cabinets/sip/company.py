"""The company as the SIP cabinet knows it: personal accounts, subscribers with
tariffs, and each account's invoice delivery (method, addresses, format).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

from robots.domain import DocumentFormat, Period
from sandbox.cabinets.sip import texts
from sandbox.documents.model import MONTHS, Customer
from sandbox.world import SIP_TARIFF, SandboxAccount

EMAIL = "E-mail"
SELF = "Получает сам"
# The invoice formats of the delivery settings, and the file each one sends.
INVOICE_FORMATS: dict[str, DocumentFormat] = {
    "PDF": DocumentFormat.PDF,
    "Excel": DocumentFormat.XLS,
    "Excel с разбивкой": DocumentFormat.XLS,
}
MAX_ADDRESS_FIELD = 200
_SPACED_SEPARATOR_RE = re.compile(r"\s;|;\s")
_ADDRESS_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class Delivery:
    """How an account's regular invoices are delivered."""

    method: str  # EMAIL or SELF
    emails: str  # ";"-separated, as typed in the cabinet; kept when the method is SELF
    format: str  # a key of INVOICE_FORMATS

    @property
    def method_text(self) -> str:
        """``E-mail: PDF`` or ``Получает сам`` (the "Текущий способ доставки" cell)."""
        return f"{EMAIL}: {self.format}" if self.method == EMAIL else SELF

    @property
    def address_text(self) -> str:
        return self.emails if self.method == EMAIL and self.emails else "—"

    @property
    def recipients(self) -> tuple[str, ...]:
        """Where an ordered invoice goes; empty when the account gets no e-mail."""
        if self.method != EMAIL:
            return ()
        return tuple(a for a in self.emails.split(";") if a)


@dataclass(frozen=True)
class Subscriber:
    number: str
    account: str
    tariff: str

    @property
    def orderable(self) -> bool:
        """Call details are ordered for «SIP-соединение» subscribers only."""
        return self.tariff == SIP_TARIFF


def address_error(value: str) -> str | None:
    """The cabinet's alert for a delivery address field, or ``None`` if it is valid."""
    if not value:
        return texts.EMAIL_EMPTY
    if len(value) > MAX_ADDRESS_FIELD:
        return texts.EMAIL_TOO_LONG
    # Spaces around the separators (or the field) break the rule «через ";" без пробела»;
    # a space inside an address makes that address invalid (the manual says no more).
    if value != value.strip() or _SPACED_SEPARATOR_RE.search(value):
        return texts.EMAIL_SPACES
    for address in value.split(";"):
        if not _ADDRESS_RE.match(address):
            return texts.EMAIL_INVALID.format(address=address)
    return None


def month_option(period: Period) -> tuple[str, str]:
    """A month as a select option: (``2026-10``, ``Октябрь 2026``)."""
    return str(period), f"{MONTHS[period.month - 1].capitalize()} {period.year}"


def months_back(period: Period, count: int) -> list[Period]:
    """``count`` months ending with ``period``, newest first."""
    months = [period]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


class SipCompany:
    """The company's accounts and their (mutable) delivery settings; thread-safe.

    Args:
        accounts: the company's SIP personal accounts.
        delivery_email: the initial delivery address of every account (E-mail, PDF).
        contract_email: the address from the contract (call details and charges go there).
        customer: the company's name and tax id, as on its documents.
    """

    def __init__(
        self,
        accounts: Sequence[SandboxAccount],
        *,
        delivery_email: str,
        contract_email: str,
        customer: Customer,
    ) -> None:
        if not accounts:
            raise ValueError("the SIP cabinet needs at least one personal account")
        self.accounts = {account.id: account for account in accounts}
        self.contract_email = contract_email
        self.customer = customer
        self._lock = threading.Lock()
        self._delivery = {a.id: Delivery(EMAIL, delivery_email, "PDF") for a in accounts}

    def account_options(self) -> list[tuple[str, str]]:
        return [(account_id, account_id) for account_id in self.accounts]

    def subscribers(self) -> list[Subscriber]:
        return [
            Subscriber(number, account.id, account.tariff(number))
            for account in self.accounts.values()
            for number in account.numbers
        ]

    def delivery(self, account: str) -> Delivery:
        with self._lock:
            return self._delivery[account]

    def set_method(self, account: str, method: str) -> None:
        with self._lock:
            self._delivery[account] = replace(self._delivery[account], method=method)

    def set_emails(self, account: str, emails: str) -> None:
        """New addresses; the method becomes E-mail."""
        with self._lock:
            self._delivery[account] = replace(self._delivery[account], method=EMAIL, emails=emails)

    def set_format(self, account: str, invoice_format: str) -> None:
        with self._lock:
            self._delivery[account] = replace(self._delivery[account], format=invoice_format)
