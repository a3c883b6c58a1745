"""The capability every cabinet robot offers, and what they share: log in once, retry
what is transient, resume after a lost session.

Flows and the command line see only ``CabinetRobot`` and the domain models.
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from config.models import CabinetSettings, RobotConfig
from page_objects.base import Fetched
from page_objects.healing import barred, disable_healing
from robots import preload
from robots.browser import BrowserSession, heal_on, translated_errors
from robots.cabinets.walk import ScreenCheck, Stop, Timeouts, Visit, walk_stops
from robots.domain import (
    Account,
    DocumentFormat,
    DocumentKind,
    Operator,
    Order,
    Period,
    Subscriber,
    Via,
    not_offered_reason,
)
from robots.downloads import DownloadedFile
from robots.errors import (
    CabinetServerError,
    CabinetUnavailable,
    ConfigurationError,
    OrderRefused,
    Retry,
    SessionExpired,
    retry_of,
)
from robots.secrets import cabinet_password

log = logging.getLogger(__name__)
_PDF_READER = ("robots.recognition.pdf",)
T = TypeVar("T")

ATTEMPTS = 3  # tries of an operation meeting the cabinet's error pages (5xx)
# How long an e-mailed document may take where the manual says nothing: operators send
# re-ordered documents within minutes, a working day is the most a person would wait.
USUAL_DELIVERY = dt.timedelta(days=1)


@dataclass(frozen=True)
class OrderRequest:
    """What the caller wants; the robot fills in the rest from the cabinet."""

    kind: DocumentKind
    period: Period
    account: str
    format: DocumentFormat | None = None  # None: the cabinet's default
    numbers: tuple[str, ...] = ()  # empty: every number the cabinet offers for the kind


@dataclass(frozen=True)
class DeliverySetting:
    """How a cabinet delivers an account's regular invoices."""

    by_email: bool
    emails: tuple[str, ...]
    invoice_format: str | None  # the cabinet's own name for it, e.g. "Excel с разбивкой"


def _transient(exc: BaseException) -> bool:
    # Only what the error class says is worth a second try within the attempt; the rest
    # is the flow's to retry (a cabinet that cannot be reached) or nobody's.
    return retry_of(exc) is Retry.IN_ATTEMPT


class CabinetRobot(ABC):
    """One logged-in cabinet. Every public method runs through ``_attempt``."""

    operator: ClassVar[Operator]
    # What the monthly cycle orders when the configuration does not say.
    default_kinds: ClassVar[tuple[DocumentKind, ...]] = (
        DocumentKind.INVOICE,
        DocumentKind.CALL_DETAILS,
    )
    # How long an e-mailed document takes to arrive, by the manual; others USUAL_DELIVERY.
    delivery_times: ClassVar[Mapping[DocumentKind, dt.timedelta]] = {}

    @classmethod
    def available_from(cls, kind: DocumentKind, period: Period, today: dt.date) -> dt.date:
        """The first day, ``today`` or later, on which the cabinet gives ``kind`` of ``period``.

        By default a month's documents exist once it is closed; cabinets with their own
        calendar (the manuals' "not from the 1st to the 3rd") say so.
        """
        return max(today, period.next().first_day)

    @classmethod
    def delivery_time(cls, kind: DocumentKind) -> dt.timedelta:
        return cls.delivery_times.get(kind, USUAL_DELIVERY)

    def __init__(self, config: RobotConfig, cabinet: CabinetSettings, session: BrowserSession):
        self.config = config
        self.cabinet = cabinet
        self.session = session

    # -- the capability -------------------------------------------------------------------

    def check_session(self) -> bool:
        """Log in if needed; True when the cabinet accepted the saved session as it was."""

        def check() -> bool:
            if self._session_alive():
                return True
            self._home()
            return False

        return self._attempt(check)

    @abstractmethod
    def _session_alive(self) -> bool:
        """Open the cabinet's start page: True when the saved session still opens it."""

    @abstractmethod
    def _home(self) -> object:
        """The cabinet's first screen after login, logging in when needed."""

    def accounts(self) -> list[Account]:
        """The personal accounts the login manages, with their numbers."""
        by_account: dict[str, list[str]] = {}
        for subscriber in self.subscribers():
            by_account.setdefault(subscriber.account, []).append(subscriber.number)
        return [
            Account(operator=self.operator, id=account, numbers=tuple(numbers))
            for account, numbers in by_account.items()
        ]

    @abstractmethod
    def subscribers(self) -> list[Subscriber]:
        """Every subscriber the cabinet lists."""

    @abstractmethod
    def offers_download(self, kind: DocumentKind, period: Period) -> bool:
        """Whether the cabinet gives ``kind`` for ``period`` as a file right away."""

    def order(self, request: OrderRequest) -> Order:
        """Order a document to be e-mailed; OrderRefused with the cabinet's message."""
        with self._healing_for(request.kind):
            return self._order(request)

    def download(self, request: OrderRequest) -> list[DownloadedFile]:
        """Fetch a document the cabinet offers as a file (per-number details: one per number)."""
        preload.begin(_PDF_READER)  # while the cabinet works: the commonest file's reader
        with self._healing_for(request.kind):
            return self._download(request)

    @abstractmethod
    def _order(self, request: OrderRequest) -> Order:
        """``order``, as this cabinet does it."""

    @abstractmethod
    def _download(self, request: OrderRequest) -> list[DownloadedFile]:
        """``download``, as this cabinet does it."""

    def _healing_for(self, kind: DocumentKind) -> AbstractContextManager[None]:
        """Healing as configured, barred for a document that costs money or changes a
        subscriber (``DocumentKind.costs_or_changes``)."""
        if kind.costs_or_changes:
            return barred(self.session.page, f"{kind} costs money or changes a subscriber")
        return nullcontext()

    @classmethod
    def not_offered(cls, kind: DocumentKind) -> OrderRefused:
        """The refusal of a kind this cabinet does not give at all."""
        return OrderRefused(not_offered_reason(cls.operator, [kind]))

    def delivery(self, account: str) -> DeliverySetting:
        """How the cabinet delivers ``account``'s regular invoices."""
        raise OrderRefused(f"the {self.operator} cabinet has no delivery setting to read")

    def set_delivery(
        self, account: str, *, emails: tuple[str, ...] = (), invoice_format: str | None = None
    ) -> DeliverySetting:
        """E-mail ``account``'s invoices to ``emails`` and/or in ``invoice_format``. It
        changes the cabinet's settings: no renamed control is healed on the way."""
        with barred(self.session.page, "it changes the account's delivery setting"):
            return self._set_delivery(account, emails=emails, invoice_format=invoice_format)

    def _set_delivery(
        self, account: str, *, emails: tuple[str, ...], invoice_format: str | None
    ) -> DeliverySetting:
        """``set_delivery``, as this cabinet does it."""
        raise OrderRefused(f"the {self.operator} cabinet has no delivery setting to change")

    def walk(
        self, screenshots: Path, observe: Callable[[Visit], None] | None = None
    ) -> list[ScreenCheck]:
        """The canary: every screen the robot uses, reached as the robot reaches it and
        checked up to the button that would send something, which is never pressed.
        Screenshots of changed screens go to ``screenshots``; ``observe`` (the survey)
        sees each screen as the walk leaves it."""
        name, page = self.cabinet.name, self.session.page
        timeouts = Timeouts(self.config.browser.timeout_s, self.config.canary.probe_timeout_s)
        runs_heal = self.config.healing.enabled
        # The walk says what a run would heal, healing on or off: it presses nothing that
        # sends. A control gets the probe's time to show, as in the rest of the walk.
        heal_on(page, self.config, self.cabinet, wait_s=timeouts.probe_s)
        stops = self.stops()
        try:
            return walk_stops(
                name, page, stops, self._attempt, screenshots, timeouts, observe, runs_heal
            )
        finally:
            if runs_heal:
                heal_on(page, self.config, self.cabinet)
            else:
                disable_healing(page)

    @abstractmethod
    def stops(self) -> list[Stop]:
        """The screens ``walk`` visits, in the order the robot meets them."""

    # -- shared machinery -----------------------------------------------------------------

    def order_email(self) -> str:
        """Where the cabinet is asked to send documents: ``email``, else the mail username."""
        email = self.cabinet.email or self.config.mail.username
        if "@" not in email:
            raise ConfigurationError(
                f"cabinet {self.cabinet.name!r}: set 'email' (where the cabinet sends documents); "
                f"the mail username {email!r} is not an address"
            )
        return email

    def placed(
        self,
        request: OrderRequest,
        fmt: DocumentFormat | None,
        *,
        numbers: tuple[str, ...] = (),
        email: str | None = None,
        also_for: tuple[str, ...] = (),
    ) -> Order:
        """The order as placed: what was asked, in what format, for which numbers, to
        where, and for which other accounts the same order was placed."""
        return Order(
            cabinet=self.cabinet.name,
            operator=self.operator,
            account=request.account,
            period=request.period,
            kind=request.kind,
            format=fmt,
            numbers=numbers,
            via=Via.EMAIL,
            email=email or None,
            also_for=tuple(a for a in also_for if a != request.account),
        )

    def downloaded(self, file: Fetched) -> DownloadedFile:
        """A file the cabinet gave, with this cabinet as its source."""
        return DownloadedFile(file.data, file.name, f"{self.cabinet.name} {file.url}")

    def password(self) -> str:
        return cabinet_password(self.cabinet)

    def named(self, account: str | None = None) -> str:
        """How log lines name what they concern: the cabinet, then the account if any."""
        return f"{self.cabinet.name} {account}" if account else self.cabinet.name

    def about(self, request: OrderRequest) -> str:
        """How log lines name an order: cabinet, account, kind and period."""
        return f"{self.named(request.account)} {request.kind} {request.period}"

    def _attempt(self, operation: Callable[[], T], account: str | None = None) -> T:
        """Run ``operation``: transient failures retried, a lost session logged into again.

        Playwright's errors are translated here, inside the attempt, so the caller gets
        the robot's error for this one operation (a control not found is
        UnexpectedScreen naming it) while the browser session stays usable for the next.

        An operation starts from the cabinet's start page, so repeating it is safe; an
        e-mail order repeated after a failure at worst sends the file twice, and the
        collector drops the duplicate. ``account``: the one the operation concerns, for
        the log.
        """
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait_exponential(multiplier=0.5, max=8),
            before_sleep=lambda state: log.warning(
                "%s: %s; trying again",
                self.named(account),
                state.outcome and state.outcome.exception(),
            ),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    try:
                        with translated_errors(self.session.page):
                            return operation()
                    except SessionExpired as exc:
                        log.info("%s: %s; logging in again", self.named(account), exc)
                        self.session.forget_login()
                        with translated_errors(self.session.page):
                            return operation()
        except CabinetServerError as exc:
            # Error pages that outlast the attempt's tries: the cabinet is down for now,
            # which is the session's retry to decide (later), not this attempt's.
            raise CabinetUnavailable(f"{exc} (still so after {ATTEMPTS} tries)") from exc
        raise AssertionError("unreachable: tenacity re-raises the last error")
