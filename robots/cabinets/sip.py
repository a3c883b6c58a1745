"""The SIP cabinet robot: invoices by e-mail or by link, call details, current charges,
the delivery of invoices. What each screen looks like is in ``page_objects.sip``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import ClassVar

from page_objects.base import Controls
from page_objects.sip import (
    AccountChoice,
    BillsSection,
    DeliverySummary,
    DetailsSubscribersStep,
    InvoiceEmailPeriodStep,
    LoginPage,
    MainMenu,
    SipScreen,
)
from page_objects.sip.delivery import BY_EMAIL, INVOICE_FORMATS, Delivery
from robots import clock
from robots.cabinets.base import CabinetRobot, DeliverySetting, OrderRequest
from robots.cabinets.walk import Stop
from robots.domain import (
    Account,
    DocumentFormat,
    DocumentKind,
    Operator,
    Order,
    Period,
    Subscriber,
)
from robots.downloads import DownloadedFile
from robots.errors import OrderRefused, ParseError

log = logging.getLogger(__name__)

# The delivery format the cabinet names → the file format its e-mails carry.
_DELIVERY_FORMATS = {
    "PDF": DocumentFormat.PDF,
    "Excel": DocumentFormat.XLS,
    "Excel с разбивкой": DocumentFormat.XLS,
}


class SipRobot(CabinetRobot):
    operator: ClassVar[Operator] = Operator.SIP
    # «Детализация на E-mail»: sent "по истечении суток"; a few hours' slack on top.
    delivery_times: ClassVar[Mapping[DocumentKind, dt.timedelta]] = {
        DocumentKind.CALL_DETAILS: dt.timedelta(hours=30),
    }

    @classmethod
    def available_from(cls, kind: DocumentKind, period: Period, today: dt.date) -> dt.date:
        # «Услуга не оказывается ... с 1 по 3 число каждого месяца».
        day = super().available_from(kind, period, today)
        return day.replace(day=4) if day.day <= 3 else day

    # -- session --------------------------------------------------------------------------

    def _menu(self) -> MainMenu:
        """The main menu, logging in when the saved session no longer opens it."""
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        if isinstance(landed, MainMenu):
            return landed
        password = self.password()
        with self.session.unrecorded(password):
            menu = landed.log_in(self.cabinet.login or "", password)
        self.session.save_login()
        log.info("%s: logged in", self.cabinet.name)
        return menu

    def _bills(self) -> BillsSection:
        return self._menu().open_bills()

    def _session_alive(self) -> bool:
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        return isinstance(landed, MainMenu)

    def _home(self) -> MainMenu:
        return self._menu()

    # -- the canary's walk ------------------------------------------------------------------

    def stops(self) -> list[Stop]:
        page, url = self.session.page, str(self.cabinet.url)
        delivery = "Изменение способа/адреса доставки"
        return [
            Stop("Вход в личный кабинет", lambda: _checked(LoginPage.open(page, url))),
            Stop("Главное меню администратора", lambda: _checked(self._menu())),
            Stop("Счета", lambda: _checked(self._bills())),
            Stop(
                "Заказать счет на E-mail: лицевой счет",
                lambda: _checked(self._bills().order_invoice_by_email()),
            ),
            Stop("Заказ счета на E-mail: период", lambda: _checked(self._invoice_period())),
            Stop(
                "Загрузить счет по ссылке",
                lambda: _checked(self._bills().download_invoice_by_link()),
            ),
            Stop(f"{delivery}: лицевой счет", lambda: _checked(self._bills().change_delivery())),
            Stop(f"{delivery}: текущий способ", lambda: _checked(self._delivery_summary())),
            Stop(f"{delivery}: выбор способа", lambda: _checked(self._delivery_summary().change())),
            Stop(
                "Детализация на E-mail: период",
                lambda: _checked(self._bills().order_call_details()),
            ),
            Stop("Детализация на E-mail: абоненты", lambda: _checked(self._details_step())),
            Stop("Начисления за текущий период", lambda: _checked(self._bills().order_charges())),
        ]

    def _walk_account(self, step: AccountChoice) -> str:
        """A configured account the screen offers, else the first it offers."""
        offered = step.accounts()
        if not offered:
            raise ParseError(f"«{step.heading}» offers no personal account")
        configured = [a.id for a in self.cabinet.accounts if a.id in offered]
        return (configured or offered)[0]

    def _invoice_period(self) -> InvoiceEmailPeriodStep:
        step = self._bills().order_invoice_by_email()
        return step.choose(self._walk_account(step))

    def _delivery_summary(self) -> DeliverySummary:
        step = self._bills().change_delivery()
        return step.choose(self._walk_account(step))

    def _details_step(self) -> DetailsSubscribersStep:
        step = self._bills().order_call_details()
        return step.choose(step.periods()[0], DocumentFormat.PDF)

    # -- reading ----------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        ids = self._attempt(lambda: self._bills().change_delivery().accounts())
        numbers: dict[str, list[str]] = {}
        for subscriber in self.subscribers():
            numbers.setdefault(subscriber.account, []).append(subscriber.number)
        return [
            Account(operator=self.operator, id=i, numbers=tuple(numbers.get(i, ()))) for i in ids
        ]

    def subscribers(self) -> list[Subscriber]:
        def read() -> list[Subscriber]:
            step = self._bills().order_call_details()
            rows = step.choose(step.periods()[0], DocumentFormat.PDF).subscribers()
            return [
                Subscriber(
                    operator=self.operator, account=r.account, number=r.number, tariff=r.tariff
                )
                for r in rows
            ]

        return self._attempt(read)

    def delivery(self, account: str) -> DeliverySetting:
        shown = self._attempt(
            lambda: self._bills().change_delivery().choose(account).delivery(), account
        )
        return _setting(shown)

    def _set_delivery(
        self, account: str, *, emails: tuple[str, ...], invoice_format: str | None
    ) -> DeliverySetting:
        """E-mail the invoices of ``account``: to ``emails`` and/or in ``invoice_format``."""
        if invoice_format is not None and invoice_format not in INVOICE_FORMATS:
            raise OrderRefused(
                f"the SIP cabinet offers the invoice formats {', '.join(INVOICE_FORMATS)}, "
                f"not {invoice_format!r}"
            )

        def change() -> DeliverySetting:
            address = self._bills().change_delivery().choose(account).change().by_email()
            if emails:
                address = address.change_email().submit(emails)
            if invoice_format is not None:
                address = address.change_format().choose(invoice_format)
            return DeliverySetting(True, address.emails(), address.invoice_format())

        return self._attempt(change, account)

    # -- ordering ---------------------------------------------------------------------------

    def offers_download(self, kind: DocumentKind, period: Period) -> bool:
        # «Загрузить счет по ссылке»: the invoices of the two previous months.
        this_month = Period.of(clock.today())
        recent = {this_month.previous(), this_month.previous().previous()}
        return kind is DocumentKind.INVOICE and period in recent

    def _order(self, request: OrderRequest) -> Order:
        orders = {
            DocumentKind.INVOICE: self._order_invoice,
            DocumentKind.CALL_DETAILS: self._order_call_details,
            DocumentKind.CHARGES: self._order_charges,
        }
        if request.kind not in orders:
            raise self.not_offered(request.kind)
        return orders[request.kind](request)

    def _order_invoice(self, request: OrderRequest) -> Order:
        setting = self.delivery(request.account)
        if not setting.by_email:
            raise OrderRefused(
                f"account {request.account} receives no invoices by e-mail («Получает сам»): "
                "set a delivery e-mail first"
            )
        sent_as = _DELIVERY_FORMATS.get(setting.invoice_format or "")
        if request.format is not None and request.format is not sent_as:
            raise OrderRefused(
                f"the SIP cabinet e-mails the invoices of {request.account} as "
                f"{setting.invoice_format} (its delivery setting), not {request.format}"
            )
        status = self._attempt(
            lambda: (
                self._bills().order_invoice_by_email().choose(request.account).order(request.period)
            ),
            request.account,
        )
        log.info("%s: %s", self.about(request), status)
        return self.placed(request, sent_as, email=";".join(setting.emails))

    def _order_call_details(self, request: OrderRequest) -> Order:
        fmt = request.format or DocumentFormat.PDF

        def place() -> tuple[str, tuple[str, ...]]:
            step = self._bills().order_call_details().choose(request.period, fmt)
            numbers = request.numbers or tuple(
                row.number
                for row in step.subscribers()
                if row.account == request.account and row.selectable
            )
            if not numbers:
                raise OrderRefused(
                    f"account {request.account} has no subscriber with the tariff «SIP-соединение»"
                )
            return step.order(list(numbers)), numbers

        status, numbers = self._attempt(place, request.account)
        log.info("%s: %s", self.about(request), status)
        # Sent to the address in the contract, which the cabinet does not show.
        return self.placed(request, fmt, numbers=tuple(sorted(numbers)))

    def _order_charges(self, request: OrderRequest) -> Order:
        current = Period.of(clock.today())
        if request.period != current:
            raise OrderRefused(
                f"the SIP cabinet gives the charges of the current period ({current}) only, "
                f"not {request.period}"
            )
        status = self._attempt(
            lambda: self._bills().order_charges().order(request.account), request.account
        )
        log.info("%s: %s", self.about(request), status)
        return self.placed(request, None)

    def _download(self, request: OrderRequest) -> list[DownloadedFile]:
        if request.kind is not DocumentKind.INVOICE:
            raise OrderRefused(f"the SIP cabinet offers only invoices as files, not {request.kind}")
        fmt = request.format or DocumentFormat.PDF
        timeout = self.config.browser.document_timeout_s

        def fetch() -> list[DownloadedFile]:
            form = self._bills().download_invoice_by_link()
            job = form.request(request.account, request.period, fmt)
            job.wait_until_ready(timeout)
            return [self.downloaded(job.download())]

        return self._attempt(fetch, request.account)


def _checked(screen: SipScreen) -> Controls:
    """What the canary looks for on ``screen``; OrderRefused with the cabinet's words when
    it refuses the service there today (the cabinet's refusal is plain text, no alert)."""
    screen.refuse_if_alerted()
    return screen.controls()


def _setting(shown: Delivery) -> DeliverySetting:
    return DeliverySetting(shown.method == BY_EMAIL, shown.emails, shown.invoice_format)
