"""The Kcell «Кабинет» (Kcell Business ID): entry, login (first login, expired password),
the company switch, the profile, logout.

«Забыли пароль?» is in ``recovery.py``, «Управление номерами» (numbers, a number's
profile, «Детализация») in ``numbers.py``, «Документы и отчеты» in ``documents.py``.
Where the manual is silent the sandbox does what the real cabinet most plausibly does;
those places say so.

The administrator's password: ``password`` is the one the robot's configuration holds
(``CABINET_ROBOT_KCELL_PASSWORD``). With ``first_login`` the administrator has set none
yet: every login is refused until «Забыли пароль?» sets one. A password set through
«Забыли пароль?» or «Смена пароля» replaces it (``password_now``) and is never expired.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from robots.domain import Operator
from sandbox.cabinets.auth import PasswordProblem, new_password_problem
from sandbox.cabinets.base import Cabinet, CabinetSettings, ErrorTexts, Timings
from sandbox.cabinets.calendar import SandboxCalendar
from sandbox.cabinets.faults import FaultSpec
from sandbox.cabinets.kcell import documents, numbers, recovery, texts
from sandbox.cabinets.kcell.company import PHONE_RE, Company, KcellCompanies
from sandbox.cabinets.markup import MarkupSpec
from sandbox.cabinets.sessions import Lookup, Session
from sandbox.outbox import Outbox
from sandbox.world import SandboxAccount, SandboxCompany, accounts_of, companies_of

__all__ = ["ADMIN_PHONE", "KcellCabinet", "KcellSettings", "new_password"]

HERE = Path(__file__).parent
ADMIN_PHONE = "77012223344"  # the administrator: also a number of the first company
_CHANGE = "password_change"  # session data: the login whose expired password must change
_FLASH = "flash"  # session data: an alert the next login page shows once
# Pages a company switch returns to (the others go to the list of numbers).
_BACK = frozenset(["/numbers", "/profile", "/documents", *(href for _, href, _ in texts.SECTIONS)])


@dataclass(frozen=True)
class KcellSettings(CabinetSettings):
    """The Kcell cabinet's knobs (``Sandbox(settings={"kcell": KcellSettings(...)})``)."""

    first_login: bool = False  # no password set yet: the robot must use «Забыли пароль?»
    password_expired: bool = False  # the right password leads to «Смена пароля»
    resend_after_s: float = 60.0  # «Отправить код на телефон» is enabled after this
    sms_code_ttl_s: float = 300.0  # how long a recovery code is valid
    sms_max_attempts: int = 5  # wrong codes before the recovery starts over
    calls_per_number: int = 40  # size of call details: calls per number and month
    # How long an e-mailed act or report takes; None: the sandbox Timings' report_delay_s.
    mail_delay_s: float | None = None


def new_password() -> str:
    """A random password the cabinet's rules accept (letters and digits, 16 characters)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if new_password_problem(password, password) is None:
            return password


class KcellCabinet(Cabinet):
    """The Kcell cabinet, logged into by the administrator's phone number and password.

    Args:
        password: the administrator's password (with ``first_login``: the one the robot
            is to set through «Забыли пароль?»).
        calendar: the sandbox calendar.
        outbox: where acts and reports ordered to e-mail go.
        login: the administrator's phone number (11 digits, ``7...``).
        companies: the administrator's companies (default: the sandbox world's).
        accounts: their Kcell personal accounts (default: the sandbox world's).
        timings: back-office delays (``report_delay_s``).
        faults: the initial fault spec.
        markup: the initial markup spec (``sandbox.cabinets.markup``).
        settings: first login, expired password, SMS resend delay, document size.
    """

    name = "kcell"
    operator = Operator.KCELL
    title = "Kcell Business — Кабинет"
    cookie_name = "KCELL_SESSION"
    era = "spa"
    templates_dir = HERE / "templates"
    static_dir = HERE / "static"
    timezone = dt.timezone(dt.timedelta(hours=5))  # Almaty
    login_path = "/login"
    home_path = "/numbers"
    start_path = "/login"
    settings_type = KcellSettings
    asks_email = True  # «Электронная почта» of the acts and reports
    may_ask_sms = True  # «Забыли пароль?» sends a code by SMS
    errors = ErrorTexts(
        maintenance=(
            "Технические работы",
            "Сервис временно недоступен. Ведутся технические работы.",
        ),
        server_error=("Ошибка сервера", "Произошла ошибка. Повторите попытку позже."),
        csrf=("Ошибка", "Запрос отклонен. Обновите страницу и повторите попытку."),
        not_found=("Страница не найдена", "Запрошенная страница не найдена."),  # not in manual
        session_expired=texts.EXPIRED,
    )
    settings: KcellSettings

    def __init__(
        self,
        *,
        password: str,
        calendar: SandboxCalendar,
        outbox: Outbox,
        login: str = ADMIN_PHONE,
        companies: Sequence[SandboxCompany] | None = None,
        accounts: Sequence[SandboxAccount] | None = None,
        timings: Timings | None = None,
        faults: FaultSpec | str = "",
        markup: MarkupSpec | str = "",
        settings: KcellSettings | None = None,
    ) -> None:
        if not PHONE_RE.fullmatch(login):
            raise ValueError(f"the Kcell login is a phone number 7XXXXXXXXXX, not {login!r}")
        self.companies = KcellCompanies(
            tuple(companies if companies is not None else companies_of(Operator.KCELL)),
            tuple(accounts if accounts is not None else accounts_of(Operator.KCELL)),
        )
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
        self._changed_password: str | None = None  # set through the cabinet
        self.blocked: set[str] = set()  # numbers blocked through «Блокировка»

    # -- the administrator's password ------------------------------------------------------

    @property
    def password_now(self) -> str | None:
        """The password that logs in now; ``None`` before the first one is set."""
        if self._changed_password is not None:
            return self._changed_password
        return None if self.settings.first_login else self.password

    @property
    def password_is_expired(self) -> bool:
        return self.settings.password_expired and self._changed_password is None

    def set_password(self, password: str) -> None:
        """The administrator set a new password (recovery or «Смена пароля»)."""
        self._changed_password = password

    def phone_known(self, phone: str) -> bool:
        return secrets.compare_digest(phone.encode(), self.login.encode())

    # -- helpers of the screens ------------------------------------------------------------

    def login_url(self, why: Lookup = Lookup.MISSING) -> str:
        """Every way of losing the session says so: the contract's ``?expired=1``."""
        return f"{self.login_path}?expired=1"

    def company(self, session: Session) -> Company:
        """The company the session works in."""
        return self.companies.current(session)

    def mail_delay_s(self) -> float:
        delay = self.settings.mail_delay_s
        return self.timings.report_delay_s if delay is None else delay

    def context(self, request: Request, session: Session | None) -> dict[str, Any]:
        logged_in = session is not None and session.login is not None
        variables: dict[str, Any] = {"t": texts, "logged_in": logged_in}
        if session is not None and logged_in:
            path = request.url.path
            variables.update(
                menu=[(label, href, path.startswith(href)) for label, href in texts.MENU],
                company_options=self.companies.options(),
                company_key=self.company(session).key,
                here=path,
            )
        return variables

    def anonymous_page(
        self, request: Request, session: Session, template: str, **variables: Any
    ) -> HTMLResponse:
        """A page before login; the session cookie is (re)set with it."""
        response = self.render(request, template, session, **variables)
        self.set_cookie(response, session)
        return response

    def anonymous_session(self, request: Request) -> Session:
        """The browser's session, or a new one (pages before login need a CSRF token)."""
        found = self.current_session(request)
        return found if isinstance(found, Session) else self.sessions.create()

    def add_routes(self, app: FastAPI) -> None:
        self._add_entry_routes(app)
        self._add_change_routes(app)
        self._add_company_routes(app)
        recovery.add_routes(app, self)
        numbers.add_routes(app, self)
        documents.add_routes(app, self)

    def _add_entry_routes(self, app: FastAPI) -> None:
        def login_page(
            request: Request, session: Session, alert: str = "", phone: str = ""
        ) -> HTMLResponse:
            return self.anonymous_page(request, session, "login.html", alert=alert, phone=phone)

        @app.get("/")
        async def root() -> Response:
            return RedirectResponse(self.login_path, status_code=303)

        @app.get("/login")
        async def login_form(request: Request, expired: str = "") -> Response:
            session = self.anonymous_session(request)
            if session.login is not None:  # already logged in
                return RedirectResponse(self.home_path, status_code=303)
            alert = session.data.pop(_FLASH, "") or (texts.EXPIRED if expired else "")
            return login_page(request, session, alert)

        @app.post("/login")
        async def login(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session):
                return self.login_redirect(found)
            form = await self.checked_form(request, found)
            phone, password = form.get("phone").strip(), form.get("password")
            if not PHONE_RE.fullmatch(phone):
                return login_page(request, found, texts.BAD_PHONE, phone)
            if not self.phone_known(phone):
                return login_page(request, found, texts.BAD_LOGIN, phone)
            current = self.password_now
            if current is None:  # the manual: «Для первого входа ... «Забыли пароль?»»
                return login_page(request, found, texts.FIRST_LOGIN, phone)
            if not secrets.compare_digest(password.encode(), current.encode()):
                return login_page(request, found, texts.BAD_LOGIN, phone)
            if self.password_is_expired:
                found.data[_CHANGE] = phone
                return RedirectResponse("/password/change", status_code=303)
            return self.log_in(found, phone)

        @app.get("/logout")
        async def logout(request: Request) -> Response:
            return self.log_out(request)

        @app.get("/register")
        async def register(request: Request) -> Response:
            # Not in the contract: the robot never registers; the page says whom to ask.
            session = self.anonymous_session(request)
            return self.anonymous_page(request, session, "signup.html")

    def _add_change_routes(self, app: FastAPI) -> None:
        """«Смена пароля» after a right but expired password (the robot stops there: a
        person must choose the new password)."""

        def change_page(request: Request, session: Session, alert: str) -> Response:
            return self.anonymous_page(request, session, "change.html", alert=alert)

        @app.get("/password/change")
        async def change_form(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session) or _CHANGE not in found.data:
                return RedirectResponse(self.login_path, status_code=303)
            return change_page(request, found, texts.PASSWORD_EXPIRED)

        @app.post("/password/change")
        async def change(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session):
                return self.login_redirect(found)
            form = await self.checked_form(request, found)
            phone = found.data.get(_CHANGE)
            current = self.password_now
            if not isinstance(phone, str) or current is None:
                return RedirectResponse(self.login_path, status_code=303)
            if not secrets.compare_digest(form.get("password").encode(), current.encode()):
                return change_page(request, found, texts.WRONG_PASSWORD)
            new = form.get("new_password")
            problem = new_password_problem(new, form.get("repeat_password"))
            if problem is not None:
                alert = texts.MISMATCH if problem is PasswordProblem.MISMATCH else texts.WEAK
                return change_page(request, found, alert)
            self.set_password(new)
            del found.data[_CHANGE]
            return self.log_in(found, phone)

    def _add_company_routes(self, app: FastAPI) -> None:
        @app.post("/company")
        async def choose_company(request: Request) -> Response:
            session = self.require_login(request)
            form = await self.checked_form(request, session)
            self.companies.choose(session, form.get("company"))  # an unknown one: no change
            # Back to the page the choice was made on; from a number's pages (a number of
            # the other company now) or anything else to the list of numbers.
            back = form.get("next")
            return RedirectResponse(back if back in _BACK else self.home_path, status_code=303)

        @app.get("/profile")
        async def profile(request: Request) -> Response:
            session = self.require_login(request)
            return self.render(
                request,
                "profile.html",
                session,
                phone=self.login,
                companies=self.companies.companies,
            )
