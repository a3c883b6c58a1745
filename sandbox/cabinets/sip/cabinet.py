"""The SIP operator's ISSA-style administrator cabinet: login, main menu, sections.

The screens of the «Счета» section are in ``bills.py``. Where the manuals are silent
the sandbox does what such a cabinet most plausibly does; those places say so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.cabinets.base import Cabinet, ErrorTexts, Timings
from sandbox.cabinets.calendar import SandboxCalendar
from sandbox.cabinets.faults import FaultSpec
from sandbox.cabinets.markup import MarkupSpec
from sandbox.cabinets.sessions import Session
from sandbox.cabinets.sip import delivery, details, invoices, texts
from sandbox.cabinets.sip.company import SipCompany
from sandbox.documents import Customer, DocumentSpec
from sandbox.outbox import Outbox
from sandbox.world import SandboxAccount, accounts_of

__all__ = ["SipCabinet", "opaque_id"]

HERE = Path(__file__).parent
_LOGOUT = ("Выход", "/logout")


def opaque_id(kind: str, value: str) -> str:
    """The id a legacy page names the option ``value`` of a ``kind`` choice by: six digits,
    the same in every run (so that recorded scenarios replay)."""
    digest = hashlib.blake2b(f"{kind}\0{value}".encode(), digest_size=4).digest()
    return str(100000 + int.from_bytes(digest) % 900000)


class SipCabinet(Cabinet):
    """The SIP cabinet, logged into by the company's first personal account.

    Args:
        password: the cabinet password of the first account.
        calendar: the sandbox calendar.
        outbox: where invoices, call details and charges are e-mailed from.
        delivery_email: every account's initial invoice delivery address.
        contract_email: the contract's address (call details and charges); by default
            ``delivery_email``.
        accounts: the company's SIP accounts (default: the sandbox world's).
        timings: back-office delays.
        faults: the initial fault spec.
        markup: the initial markup spec (``sandbox.cabinets.markup``).
        customer: the company (name and tax id on its documents).
    """

    name = "sip"
    operator = Operator.SIP
    title = "Личный кабинет"
    cookie_name = "ISSA_SESSION"
    era = "legacy"
    templates_dir = HERE / "templates"
    static_dir = HERE / "static"
    timezone = dt.timezone(dt.timedelta(hours=3))  # Minsk
    errors = ErrorTexts(
        maintenance=(
            "Технические работы",
            "Личный кабинет временно недоступен в связи с проведением технических работ. "
            "Приносим извинения за неудобства.",
        ),
        server_error=(
            "Внутренняя ошибка",
            "Произошла ошибка при обработке запроса. Повторите попытку позже.",
        ),
        csrf=("Ошибка", "Недействительный запрос. Обновите страницу и повторите попытку."),
        not_found=("Страница не найдена", "Запрошенная страница не найдена."),  # not in manual
    )

    def __init__(
        self,
        *,
        password: str,
        calendar: SandboxCalendar,
        outbox: Outbox,
        delivery_email: str,
        contract_email: str | None = None,
        accounts: Sequence[SandboxAccount] | None = None,
        timings: Timings | None = None,
        faults: FaultSpec | str = "",
        markup: MarkupSpec | str = "",
        customer: Customer | None = None,
    ) -> None:
        accounts = tuple(accounts if accounts is not None else accounts_of(Operator.SIP))
        self.company = SipCompany(
            accounts,
            delivery_email=delivery_email,
            contract_email=contract_email or delivery_email,
            customer=customer or Customer(),
        )
        super().__init__(
            login=accounts[0].id,
            password=password,
            calendar=calendar,
            outbox=outbox,
            timings=timings,
            faults=faults,
            markup=markup,
        )
        self.jobs = invoices.LinkJobs()

    # -- helpers of the screens ------------------------------------------------------------

    def page(
        self, request: Request, template: str, session: Session, **variables: Any
    ) -> HTMLResponse:
        """A logged-in page; every one may offer the company's accounts."""
        accounts = self.options("account", self.company.account_options())
        return self.render(request, template, session, accounts=accounts, **variables)

    # -- what option values say ------------------------------------------------------------
    #
    # The legacy pages name their options by opaque ids of the cabinet's database, as the
    # real cabinet's do (the manual shows only display texts); the server maps them back.
    # The semantic pages keep the readable values.

    def option_id(self, kind: str, value: str) -> str:
        """The value ``value`` of a ``kind`` choice (account, period, ...) has in the page."""
        return opaque_id(kind, value) if self.style == "legacy" else value

    def options(self, kind: str, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """(value, text) options as the page writes them."""
        return [(self.option_id(kind, value), text) for value, text in pairs]

    def chosen(self, kind: str, posted: str, values: Iterable[str]) -> str | None:
        """The one of ``values`` that ``posted`` names, if any (forms can be forged)."""
        return next((v for v in values if self.option_id(kind, v) == posted), None)

    def period_in(self, posted: str, allowed: Sequence[Period]) -> Period | None:
        """The period among ``allowed`` that ``posted`` names, if any."""
        value = self.chosen("period", posted, (str(p) for p in allowed))
        return None if value is None else Period.parse(value)

    def billing_days(self) -> bool:
        """From the 1st to the 3rd the cabinet forms invoices and takes no invoice orders."""
        return self.calendar.today().day <= 3

    def current_period(self) -> Period:
        return Period.of(self.calendar.today())

    def order_by_mail(
        self,
        kind: DocumentKind,
        account: str,
        period: Period,
        fmt: DocumentFormat,
        to: tuple[str, ...],
        delay_s: float,
        numbers: tuple[str, ...] = (),
    ) -> None:
        """Record an e-mail order and post its document (``numbers``: only those subscribers)."""
        order = self.accept_order(
            kind=kind,
            method="email",
            account=account,
            period=period,
            fmt=fmt,
            numbers=numbers,
            to=to,
        )
        covered = numbers or self.company.accounts[account].numbers
        spec = DocumentSpec(self.operator, kind, fmt, account, period, covered)
        self.mail_document(order, spec, self.company.customer, delay_s)

    def account_in(self, value: str) -> str | None:
        """The company's account ``value`` names, if any (forms can be forged)."""
        return self.chosen("account", value, self.company.accounts)

    def context(self, request: Request, session: Session | None) -> dict[str, Any]:
        """The left menu when logged in; the Счета sub-links inside that section."""
        if session is None or session.login is None:
            return {"nav": [], "ref": self.option_id}
        path = request.url.path
        nav = []
        for label, href, _ in texts.SECTIONS:
            children = []
            if href == "/bills" and path.startswith("/bills"):
                children = [
                    {"label": sub, "href": sub_href, "current": path.startswith(sub_href)}
                    for sub, sub_href, _ in texts.BILL_SUBSECTIONS
                ]
            nav.append(
                {"label": label, "href": href, "current": path == href, "children": children}
            )
        nav.append({"label": _LOGOUT[0], "href": _LOGOUT[1], "current": False, "children": []})
        return {"nav": nav, "ref": self.option_id}

    def add_routes(self, app: FastAPI) -> None:
        self._add_entry_routes(app)
        self._add_section_routes(app)
        invoices.add_routes(app, self)
        delivery.add_routes(app, self)
        details.add_routes(app, self)

    def _add_entry_routes(self, app: FastAPI) -> None:
        @app.get("/")
        async def root(request: Request) -> Response:
            self.require_login(request)
            return RedirectResponse(self.home_path, status_code=303)

        @app.get("/login")
        async def login_page(request: Request, expired: str = "") -> Response:
            found = self.current_session(request)
            session = found if isinstance(found, Session) else self.sessions.create()
            if session.login is not None:  # already logged in
                return RedirectResponse(self.home_path, status_code=303)
            response = self.render(
                request, "login.html", session, alert=texts.EXPIRED if expired else ""
            )
            self.set_cookie(response, session)
            return response

        @app.post("/login")
        async def login(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session):
                return self.login_redirect(found)
            form = await self.checked_form(request, found)
            account, password = form.get("account").strip(), form.get("password")
            good = secrets.compare_digest(account.encode(), self.login.encode())
            good &= secrets.compare_digest(password.encode(), self.password.encode())
            if not good:
                return self.render(request, "login.html", found, alert=texts.BAD_LOGIN)
            return self.log_in(found, account)

        @app.get("/logout")
        async def logout(request: Request) -> Response:
            return self.log_out(request)

    def _add_section_routes(self, app: FastAPI) -> None:
        @app.get("/menu")
        async def menu(request: Request) -> Response:
            session = self.require_login(request)
            return self.render(request, "menu.html", session, sections=texts.SECTIONS)

        @app.get("/info")
        async def info(request: Request) -> Response:
            session = self.require_login(request)
            company = self.company
            deliveries = [(a, company.delivery(a)) for a in company.accounts]
            return self.render(
                request,
                "info.html",
                session,
                heading=texts.SECTIONS[0][0],
                description=texts.SECTIONS[0][2],
                customer=company.customer,
                deliveries=deliveries,
            )

        for title, href, description in texts.SECTIONS[1:]:
            if href != "/bills":
                self._add_plain_section(app, title, href, description)

    def _add_plain_section(self, app: FastAPI, title: str, href: str, description: str) -> None:
        """A section the robot never uses: its heading and the manual's description."""

        async def section(request: Request) -> Response:
            session = self.require_login(request)
            return self.render(
                request, "section.html", session, heading=title, description=description
            )

        app.add_api_route(href, section, methods=["GET"])
