"""«Документы и отчеты»: the side menu and every page of it.

- downloaded directly (Content-Disposition attachment): «Акт выполненных работ и
  расшифровка к счету-фактуре» (PDF or XLSX, by account or by number) and «Реестр
  счетов-фактур» (XLSX; several months: a ZIP of the monthly files);
- ordered to e-mail: «Акт сверки» (PDF), «Отчет по списку номеров» and «Отчет по
  платежам» (XLSX), sent after ``KcellCabinet.mail_delay_s()``; «Отчет по
  зарегистрированным устройствам» is acknowledged but sends nothing (the sandbox has
  no devices report, and the robot does not need one);
- shown on the page: «История платежей», «Поиск мобильного номера по номеру
  счета-фактуры», «История действий» (the cabinet's orders).

Which months are ready follows the sandbox calendar (``company.py``). A company's
documents are those of its personal account(s): one order and one file or e-mail each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from robots.domain import DocumentFormat, DocumentKind, Period
from sandbox.cabinets.kcell import texts
from sandbox.cabinets.kcell.company import (
    EARLIEST_WORK_ACT,
    Company,
    default_details_range,
    month_option,
    month_range,
    months_before,
    payments_refusal,
    reconciliation_refusal,
    register_months,
    register_refusal,
    typed_dates,
    typed_months,
    work_act_refusal,
)
from sandbox.cabinets.sessions import Session
from sandbox.cabinets.web import Form, is_email_address
from sandbox.documents import DocumentSpec, render
from sandbox.mails import operator_filename, zip_bytes
from sandbox.world import SandboxAccount

if TYPE_CHECKING:
    from sandbox.cabinets.kcell.cabinet import KcellCabinet

_ACT_FORMATS = {"pdf": DocumentFormat.PDF, "xlsx": DocumentFormat.XLSX}
_ACTIONS = {  # «История действий»: what each order kind was
    DocumentKind.CALL_DETAILS: "Запрос детализации по номеру",
    DocumentKind.WORK_ACT: "Запрос акта выполненных работ",
    DocumentKind.INVOICE_REGISTER: "Запрос реестра счетов-фактур",
    DocumentKind.RECONCILIATION_ACT: "Заказ акта сверки",
    DocumentKind.NUMBERS_REPORT: "Заказ отчета по списку номеров",
    DocumentKind.PAYMENTS_REPORT: "Заказ отчета по платежам",
}


class Refused(Exception):
    """The page's alert for a request it does not take."""

    def __init__(self, alert: str) -> None:
        super().__init__(alert)
        self.alert = alert


def _paths() -> dict[str, tuple[str, str]]:
    """Each page's path: (side menu link, heading)."""
    return {href: (link, heading) for link, href, heading in texts.SECTIONS}


def add_routes(app: FastAPI, cab: KcellCabinet) -> None:
    """The «Документы и отчеты» pages."""
    pages = _paths()

    def page(request: Request, session: Session, template: str, **variables: Any) -> Response:
        """A page of the section: its heading and the side menu."""
        path = request.url.path
        heading = pages[path][1] if path in pages else texts.DOCUMENTS_HEADING
        variables.setdefault("alert", "")
        variables.setdefault("status", "")
        return cab.render(
            request,
            template,
            session,
            heading=heading,
            sections=[(link, href, href == path) for link, href, _ in texts.SECTIONS],
            **variables,
        )

    def email_of(form: Form) -> str:
        email = form.get("email").strip()
        if not is_email_address(email):
            raise Refused(texts.BAD_EMAIL)
        return email

    def dates_of(form: Form) -> tuple[dt.date, dt.date]:
        _, _, start, end = typed_dates(form)
        if start is None or end is None:  # not in the contract: an empty or bad date
            raise Refused(texts.PERIOD_PROMPT)
        return start, end

    def spec_of(
        kind: DocumentKind,
        fmt: DocumentFormat,
        account: SandboxAccount,
        period: Period,
        company: Company,
    ) -> DocumentSpec:
        return DocumentSpec(
            cab.operator, kind, fmt, account.id, period, account.numbers, customer=company.customer
        )

    def mail_each_account(
        session: Session,
        kind: DocumentKind,
        fmt: DocumentFormat,
        period: Period,
        email: str,
        dates: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        """Order ``kind`` by e-mail for each account of the session's company."""
        company = cab.company(session)
        date_from, date_to = dates if dates is not None else (None, None)
        for account in company.accounts:
            order = cab.accept_order(
                kind=kind,
                method="email",
                account=account.id,
                period=period,
                fmt=fmt,
                numbers=account.numbers,
                to=(email,),
                date_from=date_from,
                date_to=date_to,
            )
            spec = spec_of(kind, fmt, account, period, company)
            cab.mail_document(order, spec, company.customer, cab.mail_delay_s())

    @app.get("/documents")
    async def documents(request: Request) -> Response:
        session = cab.require_login(request)
        return page(request, session, "documents.html")

    # -- a) «Акт выполненных работ и расшифровка к счету-фактуре» --------------------------

    def work_act_page(
        request: Request, session: Session, form: Form | None = None, alert: str = ""
    ) -> Response:
        today = cab.calendar.today()
        by = form.get("by") if form else request.query_params.get("by", "account")
        by = by if by in ("account", "phone") else "account"
        company = cab.company(session)
        previous = Period.of(today).previous()
        return page(
            request,
            session,
            "work_act.html",
            alert=alert,
            by=by,
            account=form.get("account") if form else company.accounts[0].id,
            phone=form.get("phone") if form else "",
            years=[(str(y), str(y)) for y in range(EARLIEST_WORK_ACT.year, today.year + 1)],
            months=[(str(i), name) for i, name in enumerate(texts.MONTH_NAMES, 1)],
            year=form.get("year") if form else str(previous.year),
            month=form.get("month") if form else str(previous.month),
        )

    @app.get("/documents/work-act")
    async def work_act_form(request: Request) -> Response:
        return work_act_page(request, cab.require_login(request))

    @app.post("/documents/work-act")
    async def work_act(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        company = cab.company(session)
        searched: tuple[str, ...] = ()
        if form.get("by") == "phone":
            number = form.get("phone").strip()
            account = company.account_of(number) if number else None
            searched = (number,)
        else:
            account = company.account(form.get("account").strip())
        if account is None:
            return work_act_page(request, session, form, texts.ACCOUNT_NOT_FOUND)
        try:
            period = Period(year=int(form.get("year")), month=int(form.get("month")))
        except ValueError:  # not in the manual: a forged year or month
            return work_act_page(request, session, form, texts.WORK_ACT_SINCE)
        refusal = work_act_refusal(period, cab.calendar.today())
        if refusal is not None:
            return work_act_page(request, session, form, refusal)
        fmt = _ACT_FORMATS.get(form.get("format"), DocumentFormat.PDF)
        cab.accept_order(
            kind=DocumentKind.WORK_ACT,
            method="download",
            account=account.id,
            period=period,
            fmt=fmt,
            numbers=searched,
        )
        return await cab.document_download(
            spec_of(DocumentKind.WORK_ACT, fmt, account, period, company)
        )

    # -- b) «Реестр счетов-фактур» ---------------------------------------------------------

    def register_page(
        request: Request, session: Session, form: Form | None = None, alert: str = ""
    ) -> Response:
        today = cab.calendar.today()
        previous = str(Period.of(today).previous())
        return page(
            request,
            session,
            "invoice_register.html",
            alert=alert,
            months=[month_option(p) for p in register_months(today)],
            start=typed_months(form)[0] if form else previous,
            end=typed_months(form)[1] if form else previous,
            typed=form.get("period") if form else "",
        )

    def register_file(company: Company, months: list[Period]) -> tuple[str, bytes]:
        """The register of one month (XLSX), or a ZIP of the monthly files."""
        files = []
        for account in company.accounts:
            for period in months:
                spec = spec_of(
                    DocumentKind.INVOICE_REGISTER, DocumentFormat.XLSX, account, period, company
                )
                name = operator_filename(cab.operator, spec.kind, spec.format)
                stem, ext = name.rsplit(".", 1)
                files.append((f"{stem}_{account.id}_{period}.{ext}", render(spec)))
        if len(files) == 1:
            return operator_filename(cab.operator, DocumentKind.INVOICE_REGISTER,
                                     DocumentFormat.XLSX), files[0][1]  # fmt: skip
        stem = operator_filename(cab.operator, DocumentKind.INVOICE_REGISTER, DocumentFormat.ZIP)
        return stem, zip_bytes(files)

    @app.get("/documents/invoice-register")
    async def register_form(request: Request) -> Response:
        return register_page(request, cab.require_login(request))

    @app.post("/documents/invoice-register")
    async def register(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        today = cab.calendar.today()
        offered = {str(p): p for p in register_months(today)}
        start_key, end_key = typed_months(form)
        start, end = offered.get(start_key), offered.get(end_key)
        if start is None or end is None:  # not in the manual: a month the list lacks
            return register_page(request, session, form, texts.REGISTER_NOT_READY)
        refusal = register_refusal(start, end, today)
        if refusal is not None:
            return register_page(request, session, form, refusal)
        company = cab.company(session)
        months = month_range(start, end)
        for account in company.accounts:
            for period in months:
                cab.accept_order(
                    kind=DocumentKind.INVOICE_REGISTER,
                    method="download",
                    account=account.id,
                    period=period,
                    fmt=DocumentFormat.XLSX,
                )
        name, data = await run_in_threadpool(register_file, company, months)
        return cab.download(name, data)

    async def send_dated_report(
        request: Request,
        show: Callable[..., Response],
        refusal_of: Callable[[dt.date, dt.date, dt.date], str | None],
        document: tuple[DocumentKind, DocumentFormat],
        sent: str,
    ) -> Response:
        """A report for a period, e-mailed: what «Акт сверки» and «Отчет по платежам» share."""
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        try:
            start, end = dates_of(form)
            refusal = refusal_of(start, end, cab.calendar.today())
            if refusal is not None:
                raise Refused(refusal)
            email = email_of(form)
        except Refused as refused:
            return show(request, session, form, alert=refused.alert)
        kind, fmt = document
        mail_each_account(session, kind, fmt, Period.of(start), email, (start, end))
        return show(request, session, form, status=sent.format(email=email))

    # -- c) «Акт сверки» -------------------------------------------------------------------

    def reconciliation_page(
        request: Request, session: Session, form: Form | None = None, **variables: str
    ) -> Response:
        previous = Period.of(cab.calendar.today()).previous()
        return page(
            request,
            session,
            "reconciliation.html",
            date_from=form.get("date_from") if form else previous.first_day.isoformat(),
            date_to=form.get("date_to") if form else previous.last_day.isoformat(),
            email=form.get("email") if form else "",
            typed=form.get("period") if form else "",
            **variables,
        )

    @app.get("/documents/reconciliation-act")
    async def reconciliation_form(request: Request) -> Response:
        return reconciliation_page(request, cab.require_login(request))

    @app.post("/documents/reconciliation-act")
    async def reconciliation(request: Request) -> Response:
        return await send_dated_report(
            request,
            reconciliation_page,
            reconciliation_refusal,
            (DocumentKind.RECONCILIATION_ACT, DocumentFormat.PDF),
            texts.RECONCILIATION_SENT,
        )

    # -- d) «Отчет по списку номеров», f) «Отчет по зарегистрированным устройствам» ----------

    def email_report_page(
        request: Request, session: Session, form: Form | None = None, **variables: str
    ) -> Response:
        devices = request.url.path.endswith("devices-report")
        return page(
            request,
            session,
            "email_report.html",
            intro=texts.DEVICES_INTRO if devices else texts.NUMBERS_REPORT_INTRO,
            preparing="" if devices else texts.NUMBERS_REPORT_PREPARING,
            email=form.get("email") if form else "",
            typed=form.get("period") if form else "",
            **variables,
        )

    @app.get("/documents/numbers-report")
    @app.get("/documents/devices-report")
    async def email_report_form(request: Request) -> Response:
        return email_report_page(request, cab.require_login(request))

    @app.post("/documents/numbers-report")
    @app.post("/documents/devices-report")
    async def email_report(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        try:
            email = email_of(form)
        except Refused as refused:
            return email_report_page(request, session, form, alert=refused.alert)
        if request.url.path.endswith("numbers-report"):
            period = Period.of(cab.calendar.today())
            mail_each_account(
                session, DocumentKind.NUMBERS_REPORT, DocumentFormat.XLSX, period, email
            )
        status = texts.REPORT_SENT.format(email=email)
        return email_report_page(request, session, form, status=status)

    # -- e) «Отчет по платежам» ------------------------------------------------------------

    def payments_page(
        request: Request, session: Session, form: Form | None = None, **variables: str
    ) -> Response:
        start, end = default_details_range(cab.calendar.today())
        return page(
            request,
            session,
            "payments_report.html",
            date_from=form.get("date_from") if form else start.isoformat(),
            date_to=form.get("date_to") if form else end.isoformat(),
            payment_type=form.get("payment_type") if form else "all",
            email=form.get("email") if form else "",
            typed=form.get("period") if form else "",
            **variables,
        )

    @app.get("/documents/payments-report")
    async def payments_form(request: Request) -> Response:
        return payments_page(request, cab.require_login(request))

    @app.post("/documents/payments-report")
    async def payments(request: Request) -> Response:
        return await send_dated_report(
            request,
            payments_page,
            payments_refusal,
            (DocumentKind.PAYMENTS_REPORT, DocumentFormat.XLSX),
            texts.REPORT_SENT,
        )

    # -- g) the pages the robot does not use -----------------------------------------------

    @app.get("/documents/payments-history")
    async def payments_history(request: Request) -> Response:
        session = cab.require_login(request)
        today = cab.calendar.today()
        start, end = months_before(today, 1), today
        rows = []
        for account in cab.company(session).accounts:  # a payment on the 7th of each month
            for period in month_range(Period.of(start), Period.of(end)):
                paid_on = period.first_day + dt.timedelta(days=6)
                if start <= paid_on <= end:
                    amount = Decimal(sum(map(ord, account.id + str(period))) * 37) / 10
                    rows.append((f"{paid_on:%d.%m.%Y}", account.id, f"{amount:.2f} ₸"))
        return page(
            request,
            session,
            "history.html",
            date_from=start.isoformat(),
            date_to=end.isoformat(),
            rows=rows,
        )

    @app.get("/documents/invoice-number")
    async def invoice_number(request: Request) -> Response:
        session = cab.require_login(request)
        return page(request, session, "section.html", intro=texts.INVOICE_NUMBER_INTRO)

    @app.get("/documents/actions")
    async def actions(request: Request) -> Response:
        session = cab.require_login(request)
        accounts = {a.id for a in cab.company(session).accounts}
        admin = cab.login
        rows = [
            (
                f"{_ACTIONS[o.kind]} за {month_option(o.period)[1].lower()}, "
                f"лицевой счет {o.account}",
                texts.SUCCESS,
                f"{o.ordered_at:%d.%m.%Y %H:%M:%S}",
                admin,
            )
            for o in reversed(cab.orders.all())
            if o.account in accounts
        ]
        return page(request, session, "actions.html", rows=rows)
