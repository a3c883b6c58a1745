"""The Kcell «Кабинет» robot: per-number call details, work acts and invoice registers
downloaded; reconciliation acts and reports ordered by e-mail; the numbers list read for
the subscriber inventory. An administrator of several companies works in each company
its configuration names. What each screen looks like is in ``page_objects.kcell``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import ClassVar, TypeVar

from page_objects.base import Fetched
from page_objects.kcell import (
    DocumentsPage,
    FirstLoginRequired,
    LoginPage,
    NumbersPage,
    NumbersReportForm,
    PaymentsReportForm,
    ReconciliationForm,
    RegisterForm,
    WorkActForm,
)
from robots.cabinets.base import CabinetRobot, OrderRequest
from robots.domain import (
    DocumentFormat,
    DocumentKind,
    Operator,
    Order,
    Period,
    Subscriber,
)
from robots.downloads import DownloadedFile
from robots.errors import OrderRefused
from robots.otp import wait_for_code

log = logging.getLogger(__name__)
T = TypeVar("T")

DOWNLOADS = (DocumentKind.CALL_DETAILS, DocumentKind.WORK_ACT, DocumentKind.INVOICE_REGISTER)
BY_EMAIL = (
    DocumentKind.RECONCILIATION_ACT,
    DocumentKind.NUMBERS_REPORT,
    DocumentKind.PAYMENTS_REPORT,
)


class KcellRobot(CabinetRobot):
    operator: ClassVar[Operator] = Operator.KCELL

    # -- session --------------------------------------------------------------------------

    def _numbers(self) -> NumbersPage:
        """The numbers page, logging in when needed (the first login sets the password)."""
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        if isinstance(landed, NumbersPage):
            return landed
        password = self.password()
        try:
            with self.session.unrecorded(password):
                numbers = landed.log_in(self.cabinet.login or "", password)
        except FirstLoginRequired:
            numbers = self._first_login(landed, password)
        self.session.save_login()
        log.info("%s: logged in", self.cabinet.name)
        return numbers

    def _first_login(self, login: LoginPage, password: str) -> NumbersPage:
        """«Забыли пароль?»: the SMS code, then the configured password becomes the cabinet's."""
        phone = self.cabinet.login or ""
        log.info(
            "%s: first login: setting the password through «Забыли пароль?»", self.cabinet.name
        )
        asked_at = dt.datetime.now(dt.UTC)
        code_step = login.forgot_password().send_code(phone)
        code = wait_for_code(self.cabinet.otp, phone, asked_at)
        with self.session.unrecorded(code, password):
            return code_step.enter_code(code).set_password(password)

    def _session_alive(self) -> bool:
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        return isinstance(landed, NumbersPage)

    def _home(self) -> NumbersPage:
        return self._numbers()

    def _companies(self, numbers: NumbersPage) -> list[str]:
        return list(self.cabinet.companies) or [numbers.company()]

    def _in_company_of(self, account: str) -> NumbersPage:
        """The numbers page of the configured company that holds ``account``."""
        numbers = self._numbers()
        for company in self._companies(numbers):
            numbers.switch_company(company)
            numbers = NumbersPage.arrive(numbers.page)
            if any(row.account == account for row in numbers.numbers()):
                return numbers
        raise OrderRefused(
            f"personal account {account} is in none of the Kcell companies "
            f"{', '.join(self._companies(numbers))}"
        )

    # -- reading ----------------------------------------------------------------------------

    def subscribers(self) -> list[Subscriber]:
        def read() -> list[Subscriber]:
            numbers = self._numbers()
            found: list[Subscriber] = []
            for company in self._companies(numbers):
                numbers.switch_company(company)
                numbers = NumbersPage.arrive(numbers.page)
                found += [
                    Subscriber(
                        operator=self.operator,
                        account=row.account,
                        number=row.number,
                        tariff=row.tariff or None,
                    )
                    for row in numbers.numbers()
                ]
            return found

        return self._attempt(read)

    # -- downloads --------------------------------------------------------------------------

    def offers_download(self, kind: DocumentKind, period: Period) -> bool:
        return kind in DOWNLOADS

    def download(self, request: OrderRequest) -> list[DownloadedFile]:
        if request.kind is DocumentKind.CALL_DETAILS:
            return self._call_details(request)
        if request.kind is DocumentKind.WORK_ACT:
            fmt = request.format or DocumentFormat.PDF
            return [
                self._document(
                    request.account,
                    lambda docs: docs.open(WorkActForm).download(
                        request.account, request.period, fmt
                    ),
                )
            ]
        if request.kind is DocumentKind.INVOICE_REGISTER:
            return [
                self._document(
                    request.account, lambda docs: docs.open(RegisterForm).download(request.period)
                )
            ]
        raise OrderRefused(
            f"the Kcell cabinet gives {', '.join(DOWNLOADS)} as files, not {request.kind}"
        )

    def _document(self, account: str, fetch: Callable[[DocumentsPage], Fetched]) -> DownloadedFile:
        def run() -> DownloadedFile:
            return self.downloaded(fetch(self._in_company_of(account).go_to_documents()))

        return self._attempt(run)

    def _call_details(self, request: OrderRequest) -> list[DownloadedFile]:
        """One file per number of the account (or of ``request.numbers``)."""
        fmt = request.format or DocumentFormat.PDF
        start, end = _month_so_far(request.period)

        def run() -> list[DownloadedFile]:
            numbers_page = self._in_company_of(request.account)
            wanted = list(request.numbers) or [
                row.number for row in numbers_page.numbers() if row.account == request.account
            ]
            files = []
            for number in wanted:
                form = NumbersPage.arrive(numbers_page.page).open_number(number).open_details()
                file = form.download(start, end, fmt)
                files.append(
                    DownloadedFile(file.data, file.name, f"{self.cabinet.name} {file.url}")
                )
                numbers_page = self._in_company_of(request.account)
            return files

        return self._attempt(run)

    # -- e-mail orders ----------------------------------------------------------------------

    def order(self, request: OrderRequest) -> Order:
        if request.kind not in BY_EMAIL:
            raise OrderRefused(
                f"the Kcell cabinet e-mails {', '.join(BY_EMAIL)}; {request.kind} is a download"
            )
        email = self.order_email()
        start, end = _month_so_far(request.period)

        def place() -> str:
            docs = self._in_company_of(request.account).go_to_documents()
            if request.kind is DocumentKind.RECONCILIATION_ACT:
                return docs.open(ReconciliationForm).order(start, end, email)
            if request.kind is DocumentKind.PAYMENTS_REPORT:
                return docs.open(PaymentsReportForm).order(start, end, email)
            return docs.open(NumbersReportForm).order(email)

        status = self._attempt(place)
        log.info("%s: %s", self.cabinet.name, status)
        return self.placed(request, None, email=email)


def _month_so_far(period: Period) -> tuple[dt.date, dt.date]:
    """The month ``period``, up to today when it is the current one."""
    return period.first_day, min(period.last_day, dt.date.today())
