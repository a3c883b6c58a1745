"""The Kcell «Кабинет» robot: per-number call details, work acts and invoice registers
downloaded; reconciliation acts and reports ordered by e-mail; the numbers list read for
the subscriber inventory. An administrator of several companies works in each company
its configuration names. What each screen looks like is in ``page_objects.kcell``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import ClassVar, TypeVar

from page_objects.base import Controls, Fetched
from page_objects.kcell import (
    DocumentForm,
    DocumentsPage,
    FirstLoginRequired,
    LoginPage,
    NumberProfile,
    NumberRow,
    NumbersPage,
    NumbersReportForm,
    PaymentsReportForm,
    ReconciliationForm,
    RegisterForm,
    WorkActForm,
)
from robots import clock
from robots.cabinets.base import CabinetRobot, OrderRequest
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
T = TypeVar("T")

DOWNLOADS = (DocumentKind.CALL_DETAILS, DocumentKind.WORK_ACT, DocumentKind.INVOICE_REGISTER)
BY_EMAIL = (
    DocumentKind.RECONCILIATION_ACT,
    DocumentKind.NUMBERS_REPORT,
    DocumentKind.PAYMENTS_REPORT,
)


class KcellRobot(CabinetRobot):
    operator: ClassVar[Operator] = Operator.KCELL
    # Kcell has no invoice to order: the work act and the invoice register stand for it.
    default_kinds: ClassVar[tuple[DocumentKind, ...]] = (
        DocumentKind.CALL_DETAILS,
        DocumentKind.WORK_ACT,
        DocumentKind.INVOICE_REGISTER,
        DocumentKind.RECONCILIATION_ACT,
    )

    @classmethod
    def available_from(cls, kind: DocumentKind, period: Period, today: dt.date) -> dt.date:
        day = super().available_from(kind, period, today)
        if day.replace(day=1) == period.next().first_day:
            # Last month's: acts "после 5 числа", the register "с 4 числа", reconciliation
            # acts "после 3 числа" («Документы и отчеты»).
            first = {
                DocumentKind.WORK_ACT: 6,
                DocumentKind.INVOICE_REGISTER: 4,
                DocumentKind.RECONCILIATION_ACT: 4,
            }.get(kind, 1)
            day = max(day, day.replace(day=first))
        return day

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

    # -- the canary's walk ------------------------------------------------------------------

    def stops(self) -> list[Stop]:
        page, url = self.session.page, str(self.cabinet.url)
        documents = "Документы и отчеты"
        forms = (RegisterForm, ReconciliationForm, NumbersReportForm, PaymentsReportForm)
        return [
            Stop("Вход в Kcell Business ID", lambda: LoginPage.open(page, url).controls()),
            Stop("Управление номерами", lambda: self._numbers().controls()),
            Stop("Информация по номеру", lambda: self._number_profile().controls()),
            Stop("Детализация", lambda: self._number_profile().open_details().controls()),
            Stop(documents, lambda: self._numbers().go_to_documents().controls()),
            Stop(f"{documents}: {WorkActForm.heading}", self._work_act_controls),
            *(Stop(f"{documents}: {f.heading}", partial(self._form_controls, f)) for f in forms),
        ]

    def _number_profile(self) -> NumberProfile:
        numbers = self._numbers()
        rows = numbers.numbers()
        if not rows:
            raise ParseError("«Управление номерами» lists no number")
        return numbers.open_number(rows[0].number)

    def _form_controls(self, form: type[DocumentForm]) -> Controls:
        return self._numbers().go_to_documents().open(form).controls()

    def _work_act_controls(self) -> Controls:
        form = self._numbers().go_to_documents().open(WorkActForm)
        form.search_by_account()
        return form.controls()

    def _each_company(self) -> Iterator[_Company]:
        """Each configured company's numbers (else the login's one company), switched to
        in turn; the company shown first is read where it is."""
        numbers = self._numbers()
        shown = numbers.company()
        for company in list(self.cabinet.companies) or [shown]:
            if company != shown:
                numbers.switch_company(company)
                numbers = NumbersPage.arrive(numbers.page)
                shown = company
            yield _Company(numbers, company, numbers.numbers())

    def _in_company_of(self, account: str) -> _Company:
        """The company that holds ``account``, its numbers page shown."""
        seen = []
        for company in self._each_company():
            if any(row.account == account for row in company.rows):
                return company
            seen.append(company.name)
        raise OrderRefused(
            f"personal account {account} is in none of the Kcell companies {', '.join(seen)}"
        )

    # -- reading ----------------------------------------------------------------------------

    def subscribers(self) -> list[Subscriber]:
        def read() -> list[Subscriber]:
            return [
                Subscriber(
                    operator=self.operator,
                    account=row.account,
                    number=row.number,
                    tariff=row.tariff or None,
                )
                for company in self._each_company()
                for row in company.rows
            ]

        return self._attempt(read)

    # -- downloads --------------------------------------------------------------------------

    def offers_download(self, kind: DocumentKind, period: Period) -> bool:
        return kind in DOWNLOADS

    def _download(self, request: OrderRequest) -> list[DownloadedFile]:
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
            return self.downloaded(fetch(self._in_company_of(account).page.go_to_documents()))

        return self._attempt(run, account)

    def _call_details(self, request: OrderRequest) -> list[DownloadedFile]:
        """One file per number of the account (or of ``request.numbers``)."""
        fmt = request.format or DocumentFormat.PDF
        start, end = _month_so_far(request.period)

        def run() -> list[DownloadedFile]:
            company = self._in_company_of(request.account)
            numbers_page = company.page
            wanted = list(request.numbers) or [
                row.number for row in company.rows if row.account == request.account
            ]
            files = []
            for number in wanted:
                form = numbers_page.open_number(number).open_details()
                file = form.download(start, end, fmt)
                files.append(
                    DownloadedFile(file.data, file.name, f"{self.cabinet.name} {file.url}")
                )
                if len(files) < len(wanted):  # back by the menu: one page, not the start
                    numbers_page = form.back_to_numbers()
                    if numbers_page.company() != company.name:  # it forgot the choice
                        numbers_page = self._in_company_of(request.account).page
            return files

        return self._attempt(run, request.account)

    # -- e-mail orders ----------------------------------------------------------------------

    def _order(self, request: OrderRequest) -> Order:
        if request.kind not in BY_EMAIL:
            raise OrderRefused(
                f"the Kcell cabinet e-mails {', '.join(BY_EMAIL)}; {request.kind} is a download"
            )
        email = self.order_email()
        start, end = _month_so_far(request.period)
        ordered_for: set[str] = set()

        def place() -> str:
            company = self._in_company_of(request.account)
            # These forms have no account field: the company's every account is ordered.
            ordered_for.update(row.account for row in company.rows)
            docs = company.page.go_to_documents()
            if request.kind is DocumentKind.RECONCILIATION_ACT:
                return docs.open(ReconciliationForm).order(start, end, email)
            if request.kind is DocumentKind.PAYMENTS_REPORT:
                return docs.open(PaymentsReportForm).order(start, end, email)
            return docs.open(NumbersReportForm).order(email)

        status = self._attempt(place, request.account)
        log.info("%s: %s", self.about(request), status)
        return self.placed(request, None, email=email, also_for=tuple(sorted(ordered_for)))


@dataclass(frozen=True)
class _Company:
    """One company of the login: its numbers page, shown; its name; its numbers as read."""

    page: NumbersPage
    name: str
    rows: list[NumberRow]


def _month_so_far(period: Period) -> tuple[dt.date, dt.date]:
    """The month ``period``, up to today when it is the current one."""
    return period.first_day, min(period.last_day, clock.today())
