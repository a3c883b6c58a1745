"""Orders e-mailed to the contract address: «Детализация на E-mail» (call details of
ticked «SIP-соединение» subscribers, one e-mail per personal account) and «Начисления
за текущий период» (current-period charges of an account).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response

from robots.domain import DocumentFormat, DocumentKind, Period
from sandbox.cabinets.sessions import Session
from sandbox.cabinets.sip import texts
from sandbox.cabinets.sip.company import month_option, months_back

if TYPE_CHECKING:
    from sandbox.cabinets.sip.cabinet import SipCabinet

_DETAIL_TYPES = {"pdf": "Детализация звонков (PDF)", "xlsx": "Детализация звонков (Excel)"}


def add_routes(app: FastAPI, cab: SipCabinet) -> None:
    """Call details and charges."""
    company = cab.company

    def periods() -> list[Period]:
        """The current and the previous month."""
        return months_back(cab.current_period(), 2)

    def details_step1(request: Request, session: Session, alert: str = "") -> Response:
        return cab.page(
            request,
            "details.html",
            session,
            intro=texts.DETAILS_INTRO,
            alert=alert,
            periods=cab.options("period", (month_option(p) for p in periods())),
            types=cab.options("kind", _DETAIL_TYPES.items()),
        )

    def details_step2(
        request: Request, session: Session, period: Period, kind: str, alert: str = ""
    ) -> Response:
        return cab.page(
            request,
            "details_subscribers.html",
            session,
            period=str(period),
            kind=kind,
            subscribers=company.subscribers(),
            tick=texts.DETAILS_TICK,
            alert=alert,
        )

    @app.get("/bills/details")
    async def details(request: Request) -> Response:
        return details_step1(request, cab.require_login(request))

    @app.get("/bills/details/subscribers")
    async def subscribers(request: Request, period: str = "", kind: str = "") -> Response:
        session = cab.require_login(request)
        chosen, kind_chosen = (
            cab.period_in(period, periods()),
            cab.chosen("kind", kind, _DETAIL_TYPES),
        )
        if chosen is None or kind_chosen is None:
            return details_step1(request, session, texts.BAD_REQUEST)
        return details_step2(request, session, chosen, kind_chosen)

    @app.post("/bills/details")
    async def order_details(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        period = cab.period_in(form.get("period"), periods())
        kind = cab.chosen("kind", form.get("kind"), _DETAIL_TYPES)
        if period is None or kind is None:
            return details_step1(request, session, texts.BAD_REQUEST)
        ticked = set(form.getlist("number"))
        chosen = [s for s in company.subscribers() if s.orderable and s.number in ticked]
        if not chosen:
            return details_step2(request, session, period, kind, texts.DETAILS_NONE_TICKED)
        fmt, to = DocumentFormat(kind), (company.contract_email,)
        for account in dict.fromkeys(s.account for s in chosen):
            numbers = tuple(sorted(s.number for s in chosen if s.account == account))
            delay = cab.timings.details_delay_s
            cab.order_by_mail(DocumentKind.CALL_DETAILS, account, period, fmt, to, delay, numbers)
        return cab.page(
            request,
            "done.html",
            session,
            heading="Детализация на E-mail",
            message=texts.DETAILS_ORDERED,
        )

    def charges_form(request: Request, session: Session, alert: str = "") -> Response:
        return cab.page(request, "charges.html", session, intro=texts.CHARGES_INTRO, alert=alert)

    @app.get("/bills/charges")
    async def charges(request: Request) -> Response:
        return charges_form(request, cab.require_login(request))

    @app.post("/bills/charges")
    async def order_charges(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        account = cab.account_in(form.get("account"))
        if account is None:
            return charges_form(request, session, texts.BAD_REQUEST)
        period, fmt, to = cab.current_period(), DocumentFormat.XLSX, (company.contract_email,)
        cab.order_by_mail(
            DocumentKind.CHARGES, account, period, fmt, to, cab.timings.charges_delay_s
        )
        return cab.page(
            request,
            "done.html",
            session,
            heading="Начисления за текущий период",
            message=texts.CHARGES_ORDERED,
        )
