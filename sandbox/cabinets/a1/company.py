"""The client as the A1 business cabinet knows it: its personal accounts (mobile and
fixed-line) with their subscribers, the logins of its one person (phone, e-mail, the
fixed-line account) and the roles each login may take, the account each session works
in, each account's «Доставка счета», and the cabinet's rules of dates.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from robots.domain import Period
from sandbox.cabinets.a1 import texts
from sandbox.cabinets.sessions import Session
from sandbox.world import SandboxAccount

ADMIN_PHONE = "375291234567"  # the administrator's phone: login by password or SMS code
ADMIN_EMAIL = "admin@a1-company.by"  # the e-mail login
FIXED_PREFIX = "37517"  # Minsk fixed-line numbers: their account is «фиксированная связь»
NUMBER_RE = re.compile(r"^\d{12}$")
_ROLE = "a1_role"  # session data: the role chosen on /role
_ACCOUNT = "a1_account"  # session data: the account the session works in


@dataclass(frozen=True)
class Subscriber:
    """A row of «Абоненты»."""

    number: str
    name: str
    sim: str  # 19 digits
    tariff: str
    status: str


@dataclass(frozen=True)
class Login:
    """One way in: what the header shows, and the roles with the accounts of each."""

    key: str  # the session's login: "phone:375291234567", "email:...", "account:..."
    shown: str  # the header: "+375 29 123-45-67"
    roles: dict[str, tuple[str, ...]]  # role -> account ids


@dataclass
class Delivery:
    """«Доставка счета» of one account."""

    email: str
    format: str = "PDF"  # PDF, Excel or txt


def sim_of(number: str) -> str:
    """The subscriber's SIM card number (19 digits, A1's 8937501 prefix)."""
    return f"8937501{number[-12:]}"


def shown_phone(number: str) -> str:
    """``375291234567`` as the header shows it: ``+375 29 123-45-67``."""
    return f"+{number[:3]} {number[3:5]} {number[5:8]}-{number[8:10]}-{number[10:]}"


def is_fixed(account: SandboxAccount) -> bool:
    return all(n.startswith(FIXED_PREFIX) for n in account.numbers)


class A1Client:
    """The client's accounts (read-only), its logins and the state the cabinet changes.

    Args:
        accounts: the A1 personal accounts: the first mobile one is the administrator's,
            the fixed-line ones are the «Лицевой счет» logins.
        delivery_email: where each account's invoices go until changed.

    Raises:
        ValueError: no mobile account.
    """

    def __init__(self, accounts: Sequence[SandboxAccount], delivery_email: str) -> None:
        self.accounts = tuple(accounts)
        mobile = [a for a in self.accounts if not is_fixed(a)]
        if not mobile:
            raise ValueError("the A1 client needs a mobile account")
        self._by_id = {a.id: a for a in self.accounts}
        everything = tuple(a.id for a in self.accounts)
        person = {"administrator": (mobile[0].id,), "supervisor": everything}
        self.logins: dict[str, Login] = {
            f"phone:{ADMIN_PHONE}": Login(f"phone:{ADMIN_PHONE}", shown_phone(ADMIN_PHONE), person),
            f"email:{ADMIN_EMAIL}": Login(f"email:{ADMIN_EMAIL}", ADMIN_EMAIL, person),
        }
        for account in self.accounts:
            if is_fixed(account):  # the fixed-line account login: only its Администратор
                key = f"account:{account.id}"
                self.logins[key] = Login(key, account.id, {"administrator": (account.id,)})
        self._lock = threading.Lock()
        self._delivery = {a.id: Delivery(delivery_email) for a in self.accounts}

    # -- accounts ----------------------------------------------------------------------------

    def account(self, account_id: str) -> SandboxAccount | None:
        return self._by_id.get(account_id)

    def option_text(self, account: SandboxAccount) -> str:
        """``1234567890123 (мобильная связь)``."""
        kind = texts.KIND_FIXED if is_fixed(account) else texts.KIND_MOBILE
        return f"{account.id} ({kind})"

    def subscribers(self, account: SandboxAccount) -> list[Subscriber]:
        return [
            Subscriber(
                n,
                account.name(n),
                sim_of(n),
                account.line(n).tariff,
                account.line(n).status,
            )
            for n in account.numbers
        ]

    # -- «Доставка счета» --------------------------------------------------------------------

    def delivery(self, account_id: str) -> Delivery:
        with self._lock:
            found = self._delivery[account_id]
            return Delivery(found.email, found.format)

    def set_delivery(self, account_id: str, email: str, fmt: str) -> None:
        with self._lock:
            self._delivery[account_id] = Delivery(email, fmt)

    # -- the session -------------------------------------------------------------------------

    def login_of(self, session: Session) -> Login | None:
        return self.logins.get(session.login or "")

    def choose_role(self, session: Session, role: str) -> bool:
        """Take ``role`` (working in its first account); ``False`` if the login has it not."""
        login = self.login_of(session)
        if login is None or role not in login.roles:
            return False
        session.data[_ROLE] = role
        session.data[_ACCOUNT] = login.roles[role][0]
        return True

    @staticmethod
    def role(session: Session) -> str | None:
        role = session.data.get(_ROLE)
        return role if isinstance(role, str) else None

    def accounts_of(self, session: Session) -> list[SandboxAccount]:
        """The accounts the session's role may work in."""
        login, role = self.login_of(session), self.role(session)
        if login is None or role is None:
            return []
        return [self._by_id[i] for i in login.roles.get(role, ())]

    def current(self, session: Session) -> SandboxAccount:
        """The account the session works in (a role must have been chosen)."""
        allowed = self.accounts_of(session)
        chosen = session.data.get(_ACCOUNT)
        return next((a for a in allowed if a.id == chosen), allowed[0])

    def switch(self, session: Session, account_id: str) -> bool:
        """Work in ``account_id`` from now on (a Супервайзер's select); ``False`` if the
        role may not."""
        if all(a.id != account_id for a in self.accounts_of(session)):
            return False
        session.data[_ACCOUNT] = account_id
        return True


# -- money shown on «Главная» (seeded by the account) ------------------------------------------


def amounts(account: SandboxAccount) -> tuple[Decimal, Decimal, Decimal]:
    """(balance, to pay, last month's charges), the same for an account every time."""
    seed = sum(map(ord, account.id)) * 7
    charges = Decimal(seed % 9000 + 1000) / 100
    return -charges + Decimal(11), Decimal(0), charges


def money(amount: Decimal) -> str:
    """``-164,15 руб.`` as the manual's screenshot shows it."""
    return f"{amount:.2f} руб.".replace(".", ",", 1)


# -- dates -----------------------------------------------------------------------------------


def closed_months(today: dt.date, count: int = 12) -> list[Period]:
    """The ``count`` closed months before ``today``, newest first («Период» of «Счета»)."""
    months = [Period.of(today).previous()]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


def month_option(period: Period) -> tuple[str, str]:
    """(``2026-10``, ``Октябрь 2026``)."""
    return str(period), f"{texts.MONTH_NAMES[period.month - 1]} {period.year}"


def details_years(today: dt.date) -> list[int]:
    """«Год»: this year and the two before («доступен период 3 года»)."""
    return [today.year - 2, today.year - 1, today.year]


def three_years_before(today: dt.date) -> dt.date:
    """The earliest start of a reconciliation act (``today`` three years earlier)."""
    try:
        return today.replace(year=today.year - 3)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 3, day=28)


def parse_date(text: str) -> dt.date | None:
    """A date input's value (``YYYY-MM-DD``), or ``None``."""
    try:
        return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


_RANGE_RE = re.compile(r"^\s*(\d{2})/(\d{2})/(\d{4})\s*[–-]\s*(\d{2})/(\d{2})/(\d{4})\s*$")


def parse_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """The two dates of a range field (``01/10/2026 – 31/10/2026``), or ``None`` each."""
    match = _RANGE_RE.match(text)
    if match is None:
        return None, None
    day, month, year, last_day, last_month, last_year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day), dt.date(last_year, last_month, last_day)
    except ValueError:
        return None, None
