"""The A1 business cabinet robot: invoices re-sent, call details (subscribers ticked, or
uploaded as an .xlsx when the list is long), reconciliation acts, the delivery of
invoices, and the subscriber list. What each screen looks like is in ``page_objects.a1``.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from config.models import LoginMethod
from page_objects.a1 import (
    DetailsPage,
    InvoicesPage,
    LoginPage,
    MainPage,
    Menu,
    ReconciliationPage,
    RolePage,
    SubscribersPage,
)
from page_objects.base import Controls
from robots import clock
from robots.cabinets.base import CabinetRobot, DeliverySetting, OrderRequest
from robots.cabinets.walk import Stop
from robots.domain import (
    DocumentFormat,
    DocumentKind,
    Operator,
    Order,
    Period,
    Subscriber,
)
from robots.downloads import DownloadedFile
from robots.errors import OrderRefused, ParseError
from robots.otp import wait_for_code

log = logging.getLogger(__name__)

TICK_AT_MOST = 10  # longer lists of numbers are uploaded as an .xlsx instead of ticked
# The delivery format the cabinet names → what its invoice e-mails carry (Excel comes zipped).
_SENT_AS = {"PDF": DocumentFormat.PDF, "Excel": DocumentFormat.XLSX, "txt": DocumentFormat.TXT}
_SUBSCRIBER_COLUMNS = ("Номер", "Имя", "SIM", "Тариф", "Статус")


class A1Robot(CabinetRobot):
    operator: ClassVar[Operator] = Operator.A1
    default_kinds: ClassVar[tuple[DocumentKind, ...]] = (
        DocumentKind.INVOICE,
        DocumentKind.CALL_DETAILS,
        DocumentKind.RECONCILIATION_ACT,
    )
    delivery_times: ClassVar[Mapping[DocumentKind, dt.timedelta]] = {
        # «Заявка будет обработана в течение 24 часов», with a few hours' slack.
        DocumentKind.CALL_DETAILS: dt.timedelta(hours=30),
        # «Обработка заявки до 10 рабочих дней»: two calendar weeks.
        DocumentKind.RECONCILIATION_ACT: dt.timedelta(days=14),
    }

    # -- session --------------------------------------------------------------------------

    def _main(self) -> MainPage:
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        if isinstance(landed, MainPage):
            return landed
        if isinstance(landed, LoginPage):
            landed = self._log_in(landed)
        main = landed.choose(self.cabinet.role.value)
        self.session.save_login()
        log.info("%s: logged in as %s", self.cabinet.name, self.cabinet.role.value)
        return main

    def _log_in(self, login: LoginPage) -> RolePage:
        method = self.cabinet.login_method
        user = self.cabinet.login or ""
        if method is LoginMethod.SMS:
            asked_at = dt.datetime.now(dt.UTC)
            login.request_code(user)
            code = wait_for_code(self.cabinet.otp, f"375{user}", asked_at)
            with self.session.unrecorded(code):
                return login.enter_code(code)
        password = self.password()
        with self.session.unrecorded(password):
            return login.log_in(method.value, user, password)

    def password(self) -> str:
        if self.cabinet.login_method is LoginMethod.SMS:
            return ""  # an SMS login needs no password
        return super().password()

    def _session_alive(self) -> bool:
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        return isinstance(landed, MainPage)

    def _home(self) -> MainPage:
        return self._main()

    # -- the canary's walk ------------------------------------------------------------------

    def stops(self) -> list[Stop]:
        details = "Детализация на Email"
        return [
            Stop("Вход в аккаунт", self._login_controls),
            Stop("Выберите способ входа", self._role_controls),
            Stop("Главная", lambda: self._main().controls()),
            Stop("Счета", lambda: self._controls_of("Счета", InvoicesPage)),
            Stop(f"{details}: период", lambda: self._controls_of(details, DetailsPage)),
            Stop(f"{details}: абоненты", self._details_list_controls),
            Stop("Акт сверки", lambda: self._controls_of("Акт сверки", ReconciliationPage)),
            Stop(
                "Доставка счета",
                lambda: self._on(self._walk_account()).edit_delivery().controls(),
            ),
            Stop("Абоненты", lambda: self._controls_of("Абоненты", SubscribersPage)),
        ]

    def _login_controls(self) -> Controls:
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        if not isinstance(landed, LoginPage):
            return landed.controls()
        landed.choose(self.cabinet.login_method.value)
        return landed.controls_for(self.cabinet.login_method.value)

    def _role_controls(self) -> Controls:
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        return (self._log_in(landed) if isinstance(landed, LoginPage) else landed).controls()

    def _walk_account(self) -> str:
        offered = self._account_ids()
        configured = [a.id for a in self.cabinet.accounts if a.id in offered]
        return (configured or offered)[0]

    def _controls_of(self, link: str, screen: type[Menu]) -> Controls:
        self._go(self._walk_account(), link)
        return screen.arrive(self.session.page).controls()

    def _details_list_controls(self) -> Controls:
        self._go(self._walk_account(), "Детализация на Email")
        last_month = Period.of(clock.today()).previous()
        return DetailsPage.arrive(self.session.page).from_list(last_month).list_controls()

    def _on(self, account: str) -> MainPage:
        """The main page of ``account`` (a supervisor switches to it)."""
        main = self._main()
        main.switch_account(account)
        main = MainPage.arrive(self.session.page)
        if main.account() != account:
            raise OrderRefused(f"the A1 login manages account {main.account()}, not {account}")
        return main

    def _go(self, account: str, link: str) -> None:
        """Open the menu's ``link`` for ``account``."""
        self._on(account).go(link)

    # -- reading ----------------------------------------------------------------------------

    def _account_ids(self) -> list[str]:
        main = self._main()
        return main.accounts() or [main.account()]

    def subscribers(self) -> list[Subscriber]:
        """Every account's «Абоненты», read from its «Выгрузка в Excel»."""

        def read() -> list[Subscriber]:
            return [s for account in self._account_ids() for s in self._subscribers_of(account)]

        return self._attempt(read)

    def _subscribers_of(self, account: str) -> list[Subscriber]:
        self._go(account, "Абоненты")
        export = SubscribersPage.arrive(self.session.page).export()
        return _subscribers_in(export.data, account)

    def delivery(self, account: str) -> DeliverySetting:
        email, fmt = self._attempt(lambda: self._on(account).delivery(), account)
        return DeliverySetting(True, (email,), fmt)

    def _set_delivery(
        self, account: str, *, emails: tuple[str, ...], invoice_format: str | None
    ) -> DeliverySetting:
        if len(emails) > 1:
            raise OrderRefused("the A1 cabinet delivers invoices to one e-mail address")
        if invoice_format is not None and invoice_format not in _SENT_AS:
            raise OrderRefused(
                f"A1 invoice formats are {', '.join(_SENT_AS)}, not {invoice_format}"
            )
        email = emails[0] if emails else None

        def change() -> DeliverySetting:
            main = self._on(account).edit_delivery().save(email, invoice_format)
            shown_email, shown_format = main.delivery()
            return DeliverySetting(True, (shown_email,), shown_format)

        return self._attempt(change, account)

    # -- ordering ---------------------------------------------------------------------------

    def offers_download(self, kind: DocumentKind, period: Period) -> bool:
        return False  # documents come by e-mail

    def _download(self, request: OrderRequest) -> list[DownloadedFile]:
        raise OrderRefused("the A1 cabinet e-mails its documents: order them instead")

    def _order(self, request: OrderRequest) -> Order:
        if request.kind is DocumentKind.INVOICE:
            return self._invoice(request)
        if request.kind is DocumentKind.CALL_DETAILS:
            return self._call_details(request)
        if request.kind is DocumentKind.RECONCILIATION_ACT:
            return self._reconciliation(request)
        raise self.not_offered(request.kind)

    def _invoice(self, request: OrderRequest) -> Order:
        def send() -> tuple[str, DocumentFormat | None, str]:
            # The delivery setting is read on the main page the invoices are opened from.
            main = self._on(request.account)
            email, invoice_format = main.delivery()
            sent_as = _SENT_AS.get(invoice_format or "")
            if request.format is not None and request.format is not sent_as:
                raise OrderRefused(
                    f"the A1 cabinet e-mails the invoices of {request.account} as "
                    f"{invoice_format} (its delivery setting), not {request.format}"
                )
            main.go("Счета")
            return email, sent_as, InvoicesPage.arrive(self.session.page).send(request.period)

        email, sent_as, status = self._attempt(send, request.account)
        log.info("%s: %s", self.about(request), status)
        return self.placed(request, sent_as, email=email)

    def _call_details(self, request: OrderRequest) -> Order:
        if request.format not in (None, DocumentFormat.XLSX):
            raise OrderRefused(f"A1 sends call details as Excel (xlsx), not {request.format}")
        numbers = list(request.numbers) or [
            s.number
            for s in self._attempt(lambda: self._subscribers_of(request.account), request.account)
        ]
        if not numbers:
            raise OrderRefused(f"account {request.account} lists no subscribers at A1")

        def place() -> str:
            self._go(request.account, "Детализация на Email")
            page = DetailsPage.arrive(self.session.page)
            if len(numbers) <= TICK_AT_MOST:
                return page.by_list(request.period, numbers)
            with tempfile.TemporaryDirectory() as scratch:
                return page.by_file(request.period, _numbers_xlsx(numbers, Path(scratch)))

        log.info("%s: %s", self.about(request), self._attempt(place, request.account))
        delivery = self.delivery(request.account)
        return self.placed(
            request, DocumentFormat.XLSX, numbers=tuple(sorted(numbers)), email=delivery.emails[0]
        )

    def _reconciliation(self, request: OrderRequest) -> Order:
        start, end = request.period.first_day, min(request.period.last_day, clock.today())

        def place() -> str:
            self._go(request.account, "Акт сверки")
            return ReconciliationPage.arrive(self.session.page).order(
                start, end, self.cabinet.email
            )

        log.info("%s: %s", self.about(request), self._attempt(place, request.account))
        email = self.cabinet.email or self.delivery(request.account).emails[0]
        return self.placed(request, DocumentFormat.PDF, email=email)


def _numbers_xlsx(numbers: list[str], directory: Path) -> Path:
    """The upload A1 accepts: 12-digit numbers in one column, nothing else."""
    from openpyxl import Workbook  # type: ignore[import-untyped]  # 0.1 s, rarely needed

    book = Workbook()
    sheet = book.active
    for number in numbers:
        sheet.append([number])
    path = directory / "numbers.xlsx"
    book.save(path)
    return path


def _subscribers_in(data: bytes, account: str) -> list[Subscriber]:
    """The rows of «Выгрузка в Excel», read by their header names."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [[("" if v is None else str(v)).strip() for v in row] for row in sheet.values]
    if not rows or any(column not in rows[0] for column in _SUBSCRIBER_COLUMNS):
        raise ParseError(f"the A1 subscriber export has no columns {_SUBSCRIBER_COLUMNS}")
    at = {name: rows[0].index(name) for name in _SUBSCRIBER_COLUMNS}
    return [
        Subscriber(
            operator=Operator.A1,
            account=account,
            number=row[at["Номер"]].replace(" ", ""),
            name=row[at["Имя"]] or None,
            tariff=row[at["Тариф"]] or None,
        )
        for row in rows[1:]
        if row and row[at["Номер"]]
    ]
