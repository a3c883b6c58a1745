"""«Финансы»: «Счета» (an invoice re-sent to the delivery e-mail in its format; Excel
comes zipped, as A1 sends it), «Платежи» (shown only), «Детализация на Email» (the
account's subscribers ticked in a list or uploaded as an .xlsx of 12-digit numbers, a
confirmation dialog, the A1 call details XLSX to the delivery e-mail) and «Акт сверки»
(three years back; the delivery e-mail or another address).

Everything concerns the account the session works in; e-mails go through the outbox
after the sandbox's timings (``A1Settings.mail_delay_s`` overrides them).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from robots.domain import DocumentFormat, DocumentKind, Period
from sandbox.cabinets.a1 import texts
from sandbox.cabinets.a1.company import (
    NUMBER_RE,
    closed_months,
    details_years,
    month_option,
    parse_date,
    parse_range,
    three_years_before,
)
from sandbox.cabinets.sessions import Session
from sandbox.cabinets.web import Form, Upload, is_email_address
from sandbox.documents import Customer, DocumentSpec
from sandbox.documents.model import month_phrase
from sandbox.world import SandboxAccount

if TYPE_CHECKING:
    from sandbox.cabinets.a1.cabinet import A1Cabinet

# «Формат» of «Доставка счета» → the invoice's format (Excel: an .xlsx, e-mailed zipped).
INVOICE_FORMATS = {
    "PDF": DocumentFormat.PDF,
    "Excel": DocumentFormat.XLSX,
    "txt": DocumentFormat.TXT,
}
_PENDING = "a1_details"  # session data: (account, period, numbers) awaiting «Подтвердить»
CUSTOMER = Customer(name="ООО «Клиент А1»", tax_id="190000001")  # not in the manual


class Refused(Exception):
    """The page's alert for a request it does not take."""

    def __init__(self, alert: str) -> None:
        super().__init__(alert)
        self.alert = alert


def numbers_in_xlsx(upload: Upload) -> list[str]:
    """The 12-digit numbers of an uploaded .xlsx: one column, nothing else.

    Raises:
        Refused: not an .xlsx (``NOT_XLSX``), or anything but 12-digit numbers in one
            column (``BAD_FILE``).
    """
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # slow: only when used

    if not upload.filename.lower().endswith(".xlsx") or not zipfile.is_zipfile(
        io.BytesIO(upload.data)
    ):
        raise Refused(texts.NOT_XLSX)
    try:
        book = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise Refused(texts.NOT_XLSX) from exc
    numbers: list[str] = []
    column: int | None = None
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue
                    index = getattr(cell, "column", None)
                    if column is None:
                        column = index
                    text = str(value).strip() if not isinstance(value, float) else ""
                    if isinstance(value, bool) or index != column or not NUMBER_RE.match(text):
                        raise Refused(texts.BAD_FILE)
                    numbers.append(text)
    finally:
        book.close()
    if not numbers:
        raise Refused(texts.BAD_FILE)
    return list(dict.fromkeys(numbers))


def add_routes(app: FastAPI, cab: A1Cabinet) -> None:
    """The «Финансы» pages."""

    def spec_of(
        kind: DocumentKind, fmt: DocumentFormat, account: SandboxAccount, period: Period,
        numbers: tuple[str, ...],
    ) -> DocumentSpec:  # fmt: skip
        return DocumentSpec(
            cab.operator,
            kind,
            fmt,
            account.id,
            period,
            numbers,
            customer=CUSTOMER,
            calls_per_number=cab.settings.calls_per_number,
        )

    # -- «Счета» ---------------------------------------------------------------------------

    def invoices_page(
        request: Request, session: Session, selected: str = "", **variables: Any
    ) -> Response:
        months = closed_months(cab.calendar.today())
        return cab.page(
            request,
            session,
            "invoices.html",
            months=[month_option(p) for p in months],
            selected=selected or str(months[0]),
            **variables,
        )

    @app.get("/finance/invoices")
    async def invoices(request: Request) -> Response:
        return invoices_page(request, cab.require_role(request))

    @app.post("/finance/invoices")
    async def send_invoice(request: Request) -> Response:
        session = cab.require_role(request)
        form = await cab.checked_form(request, session)
        offered = {str(p): p for p in closed_months(cab.calendar.today())}
        period = offered.get(form.get("period"))
        if period is None:  # not in the contract: a month the list lacks
            return invoices_page(request, session, alert=texts.PERIOD_UNAVAILABLE)
        account = cab.account(session)
        delivery = cab.client.delivery(account.id)
        fmt = INVOICE_FORMATS[delivery.format]
        order = cab.accept_order(
            kind=DocumentKind.INVOICE,
            method="email",
            account=account.id,
            period=period,
            fmt=fmt,
            to=(delivery.email,),
        )
        spec = spec_of(DocumentKind.INVOICE, fmt, account, period, ())
        delay = cab.mail_delay_s(cab.timings.invoice_mail_delay_s)
        cab.mail_document(order, spec, CUSTOMER, delay, zipped=fmt is DocumentFormat.XLSX)
        status = texts.INVOICE_SENT.format(month=month_phrase(period), email=delivery.email)
        return invoices_page(request, session, str(period), status=status)

    # -- «Платежи» (not used by the robot) -------------------------------------------------

    @app.get("/finance/payments")
    async def payments(request: Request) -> Response:
        session = cab.require_role(request)
        today = cab.calendar.today()
        paid_on = Period.of(today).first_day + dt.timedelta(days=min(today.day, 7) - 1)
        seed = sum(map(ord, cab.account(session).id))
        rows = [(f"{paid_on:%d.%m.%Y}", f"{seed * 3 / 10:.2f} руб.".replace(".", ","), "ЕРИП")]
        return cab.page(request, session, "payments.html", rows=rows)

    # -- «Детализация на Email» ------------------------------------------------------------

    def details_page(
        request: Request, session: Session, form: Form | None = None, **variables: Any
    ) -> Response:
        today = cab.calendar.today()
        previous = Period.of(today).previous()
        return cab.page(
            request,
            session,
            "details.html",
            years=details_years(today),
            year=form.get("year") if form else str(previous.year),
            month=form.get("month") if form else str(previous.month),
            choice=(form.get("choice") if form else "") or "list",
            **variables,
        )

    def period_of(form: Form) -> Period:
        today = cab.calendar.today()
        try:
            year, month = int(form.get("year")), int(form.get("month"))
            period = Period(year=year, month=month)
        except ValueError as exc:
            raise Refused(texts.PERIOD_UNAVAILABLE) from exc
        if year not in details_years(today) or not period < Period.of(today):
            raise Refused(texts.PERIOD_UNAVAILABLE)
        return period

    def confirm_page(
        request: Request, session: Session, account: SandboxAccount, period: Period,
        numbers: tuple[str, ...],
    ) -> Response:  # fmt: skip
        session.data[_PENDING] = (account.id, str(period), numbers)
        return details_page(request, session, dialog=True, count=len(numbers))

    def list_page(
        request: Request, session: Session, period: Period, alert: str = "",
        ticked: tuple[str, ...] = (),
    ) -> Response:  # fmt: skip
        account = cab.account(session)
        return cab.page(
            request,
            session,
            "details_list.html",
            alert=alert,
            period=period,
            rows=cab.client.subscribers(account),
            ticked=ticked,
        )

    @app.get("/finance/details")
    async def details(request: Request) -> Response:
        session = cab.require_role(request)
        session.data.pop(_PENDING, None)  # «Отмена» of the dialog comes back here
        return details_page(request, session)

    @app.post("/finance/details")
    async def details_next(request: Request) -> Response:
        session = cab.require_role(request)
        form, files = await cab.checked_multipart(request, session)
        account = cab.account(session)
        try:
            period = period_of(form)
            if form.get("choice") != "file":
                return list_page(request, session, period)
            upload = files.get("file")
            if upload is None or not upload.data:
                raise Refused(texts.NOT_XLSX)
            numbers = await run_in_threadpool(numbers_in_xlsx, upload)
            strangers = [n for n in numbers if n not in account.numbers]
            if strangers:
                raise Refused(texts.NOT_ON_ACCOUNT.format(numbers=", ".join(strangers)))
        except Refused as refused:
            return details_page(request, session, form, alert=refused.alert)
        return confirm_page(request, session, account, period, tuple(numbers))

    @app.post("/finance/details/select")
    async def details_select(request: Request) -> Response:
        session = cab.require_role(request)
        form = await cab.checked_form(request, session)
        try:
            period = period_of(form)
        except Refused as refused:
            return details_page(request, session, form, alert=refused.alert)
        account = cab.account(session)
        if form.get("all"):  # «Выбрать всех» without the page's script
            ticked = account.numbers
        else:
            ticked = tuple(n for n in account.numbers if n in set(form.getlist("numbers")))
        if not ticked:
            return list_page(request, session, period, texts.NONE_SELECTED)
        return confirm_page(request, session, account, period, ticked)

    @app.post("/finance/details/confirm")
    async def details_confirm(request: Request) -> Response:
        session = cab.require_role(request)
        await cab.checked_form(request, session)
        pending = session.data.pop(_PENDING, None)
        account = cab.account(session)
        if not isinstance(pending, tuple) or pending[0] != account.id:
            # Not in the contract: nothing awaits confirmation (or the account changed).
            return details_page(request, session, alert=texts.NONE_SELECTED)
        _, month, numbers = pending
        period = Period.parse(month)
        delivery = cab.client.delivery(account.id)
        order = cab.accept_order(
            kind=DocumentKind.CALL_DETAILS,
            method="email",
            account=account.id,
            period=period,
            fmt=DocumentFormat.XLSX,
            numbers=numbers,
            to=(delivery.email,),
        )
        spec = spec_of(DocumentKind.CALL_DETAILS, DocumentFormat.XLSX, account, period, numbers)
        cab.mail_document(order, spec, CUSTOMER, cab.mail_delay_s(cab.timings.details_delay_s))
        return details_page(request, session, status=texts.DETAILS_ORDERED)

    # -- «Акт сверки» ----------------------------------------------------------------------

    def reconciliation_page(
        request: Request, session: Session, form: Form | None = None, **variables: Any
    ) -> Response:
        previous = Period.of(cab.calendar.today()).previous()
        delivery = cab.client.delivery(cab.account(session).id)
        start, end = previous.first_day, previous.last_day
        shown_range = texts.RANGE_FORMAT.format(start=start, end=end)
        return cab.page(
            request,
            session,
            "reconciliation.html",
            date_from=form.get("date_from") if form else start.isoformat(),
            date_to=form.get("date_to") if form else end.isoformat(),
            period_text=form.get("period") if form else shown_range,
            email=form.get("email") if form else delivery.email,
            **variables,
        )

    @app.get("/finance/reconciliation")
    async def reconciliation_form(request: Request) -> Response:
        return reconciliation_page(request, cab.require_role(request))

    @app.post("/finance/reconciliation")
    async def reconciliation(request: Request) -> Response:
        session = cab.require_role(request)
        form = await cab.checked_form(request, session)
        today = cab.calendar.today()
        if cab.style == "spa":  # one range field «Период»
            start, end = parse_range(form.get("period"))
        else:
            start, end = parse_date(form.get("date_from")), parse_date(form.get("date_to"))
        # Not in the manual: an empty date, a start after the end or an end in the future
        # get the same alert as a start more than three years back.
        if start is None or end is None or start > end or end > today:
            return reconciliation_page(request, session, form, alert=texts.THREE_YEARS)
        if start < three_years_before(today):
            return reconciliation_page(request, session, form, alert=texts.THREE_YEARS)
        email = form.get("email").strip()
        if not is_email_address(email):
            return reconciliation_page(request, session, form, alert=texts.BAD_EMAIL)
        account = cab.account(session)
        period = Period.of(start)
        order = cab.accept_order(
            kind=DocumentKind.RECONCILIATION_ACT,
            method="email",
            account=account.id,
            period=period,
            fmt=DocumentFormat.PDF,
            to=(email,),
            date_from=start,
            date_to=end,
        )
        spec = spec_of(DocumentKind.RECONCILIATION_ACT, DocumentFormat.PDF, account, period, ())
        cab.mail_document(order, spec, CUSTOMER, cab.mail_delay_s(cab.timings.report_delay_s))
        status = texts.RECONCILIATION_SENT.format(email=email)
        return reconciliation_page(request, session, form, status=status)
