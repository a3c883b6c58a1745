"""The MTS «Виртуальный менеджер»: entry, login (lockout, optional SMS step), logout.

The main screen and its selection are in ``manager.py``, the «Документ» dialog's orders
and the files served by link in ``documents.py``. Where the manual is silent the sandbox
does what the real cabinet most plausibly does; those places say so.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from robots.domain import Operator
from sandbox.cabinets.auth import SmsChallenge, SmsVerdict, minutes_left
from sandbox.cabinets.base import Cabinet, CabinetSettings, ErrorTexts, Timings
from sandbox.cabinets.calendar import SandboxCalendar
from sandbox.cabinets.faults import FaultSpec
from sandbox.cabinets.markup import MarkupSpec
from sandbox.cabinets.mts import documents, manager, texts
from sandbox.cabinets.mts.company import MtsCompany
from sandbox.cabinets.sessions import Lookup, Session
from sandbox.documents import Customer
from sandbox.outbox import Outbox
from sandbox.world import SandboxAccount, accounts_of

__all__ = ["LOGIN_NUMBER", "MtsCabinet", "MtsSettings"]

HERE = Path(__file__).parent
LOGIN_NUMBER = "9161234567"  # the manual's example number: the part after +7
_NUMBER_RE = re.compile(r"^\d{10}$")
_FLASH = "flash"  # session data: an alert the next login page shows once


@dataclass(frozen=True)
class MtsSettings(CabinetSettings):
    """The MTS cabinet's knobs (``Sandbox(settings={"mts": MtsSettings(...)})``)."""

    sms_on_login: bool = False  # ask for a code sent by SMS after the right password
    max_attempts: int = 5  # wrong passwords in a row that lock the number
    lockout_s: float = 900.0  # how long a locked number stays locked
    sms_code_ttl_s: float = 300.0  # how long an SMS code is valid
    sms_max_attempts: int = 3  # wrong codes before the login starts over
    max_attachment_kb: int = 5000  # larger files are e-mailed as a link (KiB)
    link_ttl_s: float = 7 * 86400.0  # how long such a link works
    calls_per_number: int = 40  # size of call details: calls per number and month


class MtsCabinet(Cabinet):
    """The MTS cabinet, logged into by a number (ten digits after +7) and password.

    Args:
        password: the password of ``login``.
        calendar: the sandbox calendar.
        outbox: where invoices and call details are e-mailed from.
        login: the login number (ten digits, the part after +7).
        accounts: the company's MTS accounts (default: the sandbox world's).
        timings: back-office delays (``invoice_mail_delay_s``, ``details_delay_s``).
        faults: the initial fault spec.
        markup: the initial markup spec (``sandbox.cabinets.markup``).
        settings: lockout, SMS step, attachment limit, link validity, document size.
        customer: the company (name and tax id on its documents).
    """

    name = "mts"
    operator = Operator.MTS
    title = "МТС — Виртуальный менеджер"
    cookie_name = "VM_SESSION"
    era = "legacy"
    templates_dir = HERE / "templates"
    static_dir = HERE / "static"
    timezone = dt.timezone(dt.timedelta(hours=3))  # Moscow
    login_path = "/selfcare/"
    home_path = "/selfcare/vm"
    start_path = "/selfcare/"
    settings_type = MtsSettings
    asks_email = True  # «Отправить на»
    may_ask_sms = True  # with ``sms_on_login``
    errors = ErrorTexts(
        maintenance=(
            "Технические работы",
            "Виртуальный менеджер временно недоступен. Проводятся плановые технические работы. "
            "Попробуйте зайти позже.",
        ),
        server_error=("Ошибка сервера", "Произошла внутренняя ошибка. Повторите попытку позже."),
        csrf=("Ошибка", "Сеанс устарел. Обновите страницу и войдите снова."),
        not_found=("Страница не найдена", "Запрошенная страница не найдена."),  # not in manual
        gone=(  # not in the manual: a download link past its validity
            "Срок действия ссылки истек",
            "Файл больше недоступен для скачивания. Закажите документ повторно.",
        ),
        session_expired=texts.EXPIRED,
    )
    settings: MtsSettings

    def __init__(
        self,
        *,
        password: str,
        calendar: SandboxCalendar,
        outbox: Outbox,
        login: str = LOGIN_NUMBER,
        accounts: Sequence[SandboxAccount] | None = None,
        timings: Timings | None = None,
        faults: FaultSpec | str = "",
        markup: MarkupSpec | str = "",
        settings: MtsSettings | None = None,
        customer: Customer | None = None,
    ) -> None:
        if not _NUMBER_RE.match(login):
            raise ValueError(f"the MTS login is ten digits (after +7), not {login!r}")
        accounts = tuple(accounts if accounts is not None else accounts_of(Operator.MTS))
        self.company = MtsCompany(accounts, customer or Customer())
        super().__init__(
            login=login,
            password=password,
            calendar=calendar,
            outbox=outbox,
            timings=timings,
            faults=faults,
            markup=markup,
            settings=settings,
        )

    @property
    def phone(self) -> str:
        """The login number as SMS gateways write it: ``79161234567``."""
        return "7" + self.login

    def login_url(self, why: Lookup = Lookup.MISSING) -> str:
        """Every way of losing the session says so: the contract's ``?expired=1``."""
        return f"{self.login_path}?expired=1"

    def context(self, request: Request, session: Session | None) -> dict[str, Any]:
        logged_in = session is not None and session.login is not None
        return {"t": texts, "logged_in": logged_in, "phone_text": texts.phone_text(self.phone)}

    def login_page(
        self, request: Request, session: Session, alert: str = "", number: str = ""
    ) -> HTMLResponse:
        response = self.render(request, "login.html", session, alert=alert, number=number)
        self.set_cookie(response, session)
        return response

    def add_routes(self, app: FastAPI) -> None:
        self._add_entry_routes(app)
        self._add_sms_routes(app)
        manager.add_routes(app, self)
        documents.add_routes(app, self)

    def _add_entry_routes(self, app: FastAPI) -> None:
        @app.get("/")
        async def root() -> Response:
            return RedirectResponse(self.login_path, status_code=303)

        @app.get("/selfcare")
        async def selfcare_without_slash() -> Response:
            return RedirectResponse(self.login_path, status_code=303)

        @app.get("/selfcare/")
        async def login_page(request: Request, expired: str = "") -> Response:
            found = self.current_session(request)
            session = found if isinstance(found, Session) else self.sessions.create()
            if session.login is not None:  # already logged in
                return RedirectResponse(self.home_path, status_code=303)
            SmsChallenge.cancel(session)  # back on the login page: a pending code is void
            alert = session.data.pop(_FLASH, "") or (texts.EXPIRED if expired else "")
            return self.login_page(request, session, alert)

        @app.post("/selfcare/")
        async def login(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session):
                return self.login_redirect(found)
            form = await self.checked_form(request, found)
            number, password = form.get("number").strip(), form.get("password")
            if not _NUMBER_RE.match(number):
                return self.login_page(request, found, texts.BAD_NUMBER, number)
            settings = self.settings
            if (left := self.lockout.locked_for(number)) is not None:
                return self.login_page(
                    request, found, texts.locked_text(minutes_left(left)), number
                )
            good = secrets.compare_digest(number.encode(), self.login.encode())
            good &= secrets.compare_digest(password.encode(), self.password.encode())
            if not good:
                locked = self.lockout.failed(
                    number, max_attempts=settings.max_attempts, lockout_s=settings.lockout_s
                )
                alert = texts.locked_text(minutes_left(settings.lockout_s)) if locked else ""
                return self.login_page(request, found, alert or texts.BAD_LOGIN, number)
            self.lockout.succeeded(number)
            if settings.sms_on_login:
                SmsChallenge.issue(found, self.sms, phone=self.phone, login=number)
                return RedirectResponse("/selfcare/confirm", status_code=303)
            return self.log_in(found, number)

        @app.get("/selfcare/logout")
        async def logout(request: Request) -> Response:
            return self.log_out(request)

        @app.get("/selfcare/rules")
        async def rules(request: Request) -> Response:
            found = self.current_session(request)
            session = found if isinstance(found, Session) else None
            return self.render(request, "rules.html", session)

    def _add_sms_routes(self, app: FastAPI) -> None:
        def sms_page(request: Request, session: Session, alert: str = "") -> Response:
            pending = SmsChallenge.pending(session)
            if pending is None:
                return self.login_redirect()
            phone = texts.phone_text(pending[1])
            return self.render(request, "sms.html", session, alert=alert, phone=phone)

        def start_over(session: Session, alert: str) -> Response:
            session.data[_FLASH] = alert
            return RedirectResponse(self.login_path, status_code=303)

        @app.get("/selfcare/confirm")
        async def confirm_page(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session):
                return self.login_redirect(found)
            return sms_page(request, found)

        @app.post("/selfcare/confirm")
        async def confirm(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session):
                return self.login_redirect(found)
            form = await self.checked_form(request, found)
            pending = SmsChallenge.pending(found)
            settings = self.settings
            verdict = SmsChallenge.check(
                found,
                form.get("code"),
                ttl_s=settings.sms_code_ttl_s,
                max_attempts=settings.sms_max_attempts,
            )
            if verdict is SmsVerdict.RIGHT and pending is not None:
                return self.log_in(found, pending[0])
            if verdict is SmsVerdict.WRONG:
                return sms_page(request, found, texts.SMS_WRONG)
            if verdict is SmsVerdict.EXHAUSTED:
                return start_over(found, texts.SMS_TOO_MANY)
            if verdict is SmsVerdict.EXPIRED:
                return start_over(found, texts.SMS_EXPIRED)
            return self.login_redirect()
