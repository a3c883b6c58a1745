"""«Заказать документ»: the «Документ» dialog's order (a JSON call of the page's script)
and the files e-mailed as links (``/selfcare/files/<token>``).

``POST /selfcare/api/order`` takes ``{"document": "invoice" | "call_details", "period":
"2026-10", "date_from": "2026-10-01", "date_to": "2026-10-31", "email", "format": "pdf" |
"xml" | "html", "rules": true}`` (from the legacy page: the period's opaque option value,
``company.period_id``, and days as ``01.10.2026``) and answers ``{"status": "Документ
заказан ..."}`` or 422 ``{"alert": "..."}`` (the dialog shows it and stays open). Each
personal account among the selected numbers gets its own order and its own e-mail.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from robots.domain import DocumentFormat, DocumentKind, Period
from sandbox.cabinets.mts import texts
from sandbox.cabinets.mts.company import (
    Subscriber,
    closed_months,
    details_window,
    period_of_id,
)
from sandbox.cabinets.sessions import Session
from sandbox.cabinets.web import is_email_address
from sandbox.documents import DocumentSpec

if TYPE_CHECKING:
    from sandbox.cabinets.mts.cabinet import MtsCabinet

FILES_PATH = "/selfcare/files"
_FORMATS = {"pdf": DocumentFormat.PDF, "xml": DocumentFormat.XML, "html": DocumentFormat.HTML}


class Refused(Exception):
    """The dialog's alert for an order it does not take."""

    def __init__(self, alert: str) -> None:
        super().__init__(alert)
        self.alert = alert


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    return value.strip() if isinstance(value, str) else ""


def _day(text: str, *, legacy: bool = False) -> dt.date | None:
    """An ISO day; the legacy page's text fields write it ``31.10.2026``."""
    try:
        if legacy and len(text) == 10 and text[2] + text[5] == "..":
            return dt.datetime.strptime(text, "%d.%m.%Y").date()
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def add_routes(app: FastAPI, cab: MtsCabinet) -> None:
    """The order endpoint and the linked files."""
    company = cab.company

    def checked_common(body: dict[str, Any], session: Session) -> tuple[list[Subscriber], str]:
        """The refusals every document shares: selection, rules, e-mail."""
        selected = company.selection(session)
        if not selected:
            raise Refused(texts.EMPTY_SELECTION)
        if body.get("rules") is not True:
            raise Refused(texts.RULES_NOT_ACCEPTED)
        email = _text(body, "email")
        if not is_email_address(email):
            raise Refused(texts.BAD_EMAIL)
        return selected, email

    def order_invoices(request: Request, body: dict[str, Any], session: Session) -> str:
        selected, email = checked_common(body, session)
        if _text(body, "format").lower() != "pdf":  # MTS offers its invoices as PDF only
            raise Refused(texts.BAD_FORMAT)
        wanted = _text(body, "period")
        closed = closed_months(cab.calendar.today())
        if cab.style == "legacy":  # its options' values are opaque ids
            period = period_of_id(wanted, closed)
        else:
            period = next((p for p in closed if str(p) == wanted), None)
        if period is None:
            raise Refused(texts.NO_INVOICE)
        for account, numbers in company.by_account(selected).items():
            order = cab.accept_order(
                kind=DocumentKind.INVOICE,
                method="email",
                account=account,
                period=period,
                fmt=DocumentFormat.PDF,
                numbers=numbers,
                to=(email,),
            )
            every = company.accounts[account].numbers  # an invoice is the whole account's
            spec = DocumentSpec(
                cab.operator, DocumentKind.INVOICE, DocumentFormat.PDF, account, period, every
            )
            cab.mail_document(order, spec, company.customer, cab.timings.invoice_mail_delay_s)
        return email

    def order_details(request: Request, body: dict[str, Any], session: Session) -> str:
        selected, email = checked_common(body, session)
        fmt = _FORMATS.get(_text(body, "format").lower())
        if fmt is None:
            raise Refused(texts.BAD_FORMAT)
        legacy = cab.style == "legacy"
        start = _day(_text(body, "date_from"), legacy=legacy)
        end = _day(_text(body, "date_to"), legacy=legacy)
        if start is None or end is None:
            raise Refused(texts.PERIOD_RANGE)
        if start > end:
            raise Refused(texts.START_AFTER_END)
        earliest, latest = details_window(cab.calendar.today())
        if start < earliest or end > latest:
            raise Refused(texts.PERIOD_RANGE)
        settings = cab.settings
        link = cab.link_offer(
            str(request.base_url),
            FILES_PATH,
            max_bytes=settings.max_attachment_kb * 1024,
            ttl_s=settings.link_ttl_s,
        )
        # The sandbox's call details cover whole months: the file is the month of the
        # start date (the order records the exact days).
        period = Period.of(start)
        for account, numbers in company.by_account(selected).items():
            order = cab.accept_order(
                kind=DocumentKind.CALL_DETAILS,
                method="email",
                account=account,
                period=period,
                fmt=fmt,
                numbers=numbers,
                to=(email,),
                date_from=start,
                date_to=end,
            )
            spec = DocumentSpec(
                cab.operator,
                DocumentKind.CALL_DETAILS,
                fmt,
                account,
                period,
                numbers,
                calls_per_number=settings.calls_per_number,
            )
            cab.mail_document(order, spec, company.customer, cab.timings.details_delay_s, link)
        return email

    handlers = {"invoice": order_invoices, "call_details": order_details}

    @app.post("/selfcare/api/order")
    async def order(request: Request) -> Response:
        session = cab.require_login_json(request)
        body = await cab.checked_json(request, session)
        handler = handlers.get(_text(body, "document"))
        if handler is None:  # not in the manual: a forged request
            return JSONResponse({"error": "unknown document"}, status_code=400)
        try:
            email = handler(request, body, session)
        except Refused as refused:
            return JSONResponse({"alert": refused.alert}, status_code=422)
        return JSONResponse({"status": texts.ORDERED.format(email=email)})

    @app.get(FILES_PATH + "/{token}")
    async def linked_file(request: Request, token: str) -> Response:
        # Not behind the login: the link in the e-mail is all a mail client has.
        return cab.file_response(request, token)
