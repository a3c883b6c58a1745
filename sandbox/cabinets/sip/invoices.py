"""«Счета», its invoice screens: the section page, «Заказать счет на E-mail» and
«Загрузить счет по ссылке» (generated asynchronously, then downloaded).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from robots.domain import DocumentFormat, DocumentKind, Period
from sandbox.cabinets.sessions import Session
from sandbox.cabinets.sip import texts
from sandbox.cabinets.sip.company import INVOICE_FORMATS, month_option, months_back
from sandbox.documents import DocumentSpec, render
from sandbox.documents.model import month_phrase
from sandbox.mails import operator_filename

if TYPE_CHECKING:
    from sandbox.cabinets.sip.cabinet import SipCabinet

_LINK_FORMATS = {"pdf": "PDF", "xls": "XLS"}


@dataclass
class LinkJob:
    """An invoice being generated for download by link."""

    id: str
    account: str
    period: Period
    format: DocumentFormat
    ready_at: float  # time.monotonic()
    data: bytes | None = None

    @property
    def ready(self) -> bool:
        return time.monotonic() >= self.ready_at


class LinkJobs:
    """The download-by-link jobs, by id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, LinkJob] = {}

    def add(self, account: str, period: Period, fmt: DocumentFormat, ready_in: float) -> LinkJob:
        job = LinkJob(secrets.token_hex(8), account, period, fmt, time.monotonic() + ready_in)
        with self._lock:
            self._jobs[job.id] = job
        return job

    def get(self, job_id: str) -> LinkJob:
        """The job, or a 404 page."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise HTTPException(404)
        return job


def add_routes(app: FastAPI, cab: SipCabinet) -> None:
    """The section page and both invoice screens."""
    company = cab.company

    @app.get("/bills")
    async def bills(request: Request) -> Response:
        session = cab.require_login(request)
        return cab.page(
            request,
            "bills.html",
            session,
            description=texts.BILLS_DESCRIPTION,
            subsections=texts.BILL_SUBSECTIONS,
        )

    # -- Заказать счет на E-mail ----------------------------------------------------------

    def closed_months() -> list[Period]:
        return months_back(cab.current_period().previous(), 12)

    def email_step1(
        request: Request, session: Session, alert: str = "", account: str = ""
    ) -> Response:
        refused = cab.billing_days()
        alert = texts.BILLING_DAYS if refused else alert
        selected = cab.option_id("account", account) if account else ""
        return cab.page(
            request, "email_account.html", session, refused=refused, alert=alert, selected=selected
        )

    @app.get("/bills/email")
    async def email_account(request: Request) -> Response:
        return email_step1(request, cab.require_login(request))

    @app.get("/bills/email/period")
    async def email_period(request: Request, account: str = "") -> Response:
        session = cab.require_login(request)
        chosen = cab.account_in(account)
        if cab.billing_days() or chosen is None:
            return email_step1(request, session, texts.BAD_REQUEST)
        if not company.delivery(chosen).recipients:
            return email_step1(request, session, texts.NO_DELIVERY_EMAIL, chosen)
        periods = cab.options("period", (month_option(p) for p in closed_months()))
        return cab.page(request, "email_period.html", session, account=chosen, periods=periods)

    @app.post("/bills/email/order")
    async def email_order(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        account = cab.account_in(form.get("account"))
        period = cab.period_in(form.get("period"), closed_months())
        if cab.billing_days() or account is None or period is None:
            return email_step1(request, session, texts.BAD_REQUEST)
        delivery = company.delivery(account)
        if not delivery.recipients:
            return email_step1(request, session, texts.NO_DELIVERY_EMAIL, account)
        fmt, delay = INVOICE_FORMATS[delivery.format], cab.timings.invoice_mail_delay_s
        cab.order_by_mail(DocumentKind.INVOICE, account, period, fmt, delivery.recipients, delay)
        message = texts.INVOICE_ORDERED.format(month=month_phrase(period))
        return cab.page(
            request, "done.html", session, heading="Заказ счета на E-mail", message=message
        )

    # -- Загрузить счет по ссылке --------------------------------------------------------

    def link_months() -> list[Period]:
        return months_back(cab.current_period().previous(), 2)

    def link_form(request: Request, session: Session, alert: str = "") -> Response:
        refused = cab.billing_days()
        return cab.page(
            request,
            "link.html",
            session,
            refused=refused,
            alert=texts.BILLING_DAYS if refused else alert,
            intro=texts.LINK_INTRO,
            periods=cab.options("period", (month_option(p) for p in link_months())),
            formats=list(_LINK_FORMATS.items()),
        )

    def job_page(request: Request, session: Session, job: LinkJob, **variables: object) -> Response:
        return cab.page(
            request,
            "link_job.html",
            session,
            job=job,
            wait=texts.LINK_WAIT,
            pending=texts.LINK_PENDING,
            ready=texts.LINK_READY,
            **variables,
        )

    @app.get("/bills/link")
    async def link(request: Request) -> Response:
        return link_form(request, cab.require_login(request))

    @app.post("/bills/link")
    async def link_order(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        account = cab.account_in(form.get("account"))
        period = cab.period_in(form.get("period"), link_months())
        fmt = form.get("format", "pdf")
        if cab.billing_days() or account is None or period is None or fmt not in _LINK_FORMATS:
            return link_form(request, session, texts.BAD_REQUEST)
        document_format = DocumentFormat(fmt)
        cab.accept_order(
            kind=DocumentKind.INVOICE,
            method="download",
            account=account,
            period=period,
            fmt=document_format,
        )
        job = cab.jobs.add(account, period, document_format, cab.timings.invoice_ready_s)
        return RedirectResponse(f"/bills/link/{job.id}", status_code=303)

    @app.get("/bills/link/{job_id}")
    async def link_job(request: Request, job_id: str) -> Response:
        session = cab.require_login(request)
        return job_page(request, session, cab.jobs.get(job_id), alert="")

    @app.get("/bills/link/{job_id}/status")
    async def link_job_status(request: Request, job_id: str) -> Response:
        cab.require_login(request)
        ready = cab.jobs.get(job_id).ready
        return JSONResponse(
            {"ready": ready, "status": texts.LINK_READY if ready else texts.LINK_PENDING}
        )

    @app.get("/bills/link/{job_id}/file")
    async def link_job_file(request: Request, job_id: str) -> Response:
        session = cab.require_login(request)
        job = cab.jobs.get(job_id)
        if not job.ready:  # not in the manual: a link opened before it is offered
            return job_page(request, session, job, alert=texts.LINK_NOT_READY, status_code=409)
        if job.data is None:
            numbers = company.accounts[job.account].numbers
            spec = DocumentSpec(
                cab.operator,
                DocumentKind.INVOICE,
                job.format,
                job.account,
                job.period,
                numbers,
                customer=company.customer,
            )
            job.data = await run_in_threadpool(render, spec)
        name = operator_filename(
            cab.operator, DocumentKind.INVOICE, job.format, account=job.account, period=job.period
        )
        return cab.download(name, job.data)
