"""The A1 business cabinet («Личный кабинет для юридических лиц»): the login (four
methods: SMS code, password, personal account, e-mail), the role choice, the account a
Супервайзер works in, «Главная» with «Доставка счета», logout.

«Финансы» (Счета, Платежи, Детализация на Email, Акт сверки) is in ``finance.py``,
«Абоненты» in ``subscribers.py``. Where the manual is silent the sandbox does what the
real cabinet most plausibly does; those places say so.

Every login of the client's one person takes the same password (``password``, the one
the robot's configuration holds in ``CABINET_ROBOT_A1_PASSWORD``): the administrator's
phone (by password, or by a code sent through the SMS gateway), the e-mail login and the
fixed-line account login.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from robots.domain import Operator
from sandbox.cabinets.a1 import finance, subscribers, texts
from sandbox.cabinets.a1.company import (
    ADMIN_EMAIL,
    ADMIN_PHONE,
    A1Client,
    amounts,
    money,
)
from sandbox.cabinets.auth import SmsChallenge, SmsVerdict, minutes_left
from sandbox.cabinets.base import Cabinet, CabinetSettings, ErrorTexts, Timings
from sandbox.cabinets.calendar import SandboxCalendar
from sandbox.cabinets.faults import FaultSpec
from sandbox.cabinets.markup import MarkupSpec
from sandbox.cabinets.sessions import Lookup, Session
from sandbox.cabinets.web import Form, Redirect, is_email_address
from sandbox.outbox import Outbox
from sandbox.world import SandboxAccount, accounts_of

__all__ = ["ADMIN_EMAIL", "ADMIN_PHONE", "A1Cabinet", "A1Settings"]

HERE = Path(__file__).parent
_FLASH = "flash"  # session data: a status the next page shows once
# Pages an account switch returns to (anything else goes to «Главная»).
_BACK = frozenset(href for _, href in texts.MENU)
LOCKED = "Превышено количество попыток входа. Повторите через {minutes} мин."  # not in contract


@dataclass(frozen=True)
class A1Settings(CabinetSettings):
    """The A1 cabinet's knobs (``Sandbox(settings={"a1": A1Settings(...)})``)."""

    sms_code_ttl_s: float = 300.0  # how long a login code is valid
    sms_max_attempts: int = 5  # wrong codes before a new one must be sent
    max_attempts: int = 5  # wrong passwords in a row before the login is locked
    lockout_s: float = 900.0
    calls_per_number: int = 40  # size of call details: calls per number and month
    # How long the e-mails take; None: the sandbox Timings' (invoice_mail_delay_s for
    # invoices, details_delay_s for call details, report_delay_s for the act).
    mail_delay_s: float | None = None


class A1Cabinet(Cabinet):
    """The A1 business cabinet of one client (three personal accounts).

    Args:
        password: the password of every login.
        calendar: the sandbox calendar.
        outbox: where invoices, call details and acts go.
        delivery_email: each account's «Доставка счета» address until changed.
        accounts: the client's A1 accounts (default: the sandbox world's).
        timings: back-office delays.
        faults: the initial fault spec.
        markup: the initial markup spec (``sandbox.cabinets.markup``).
        settings: SMS code, lockout, document size, mail delay.
    """

    name = "a1"
    operator = Operator.A1
    title = "A1 — Личный кабинет для юридических лиц"
    cookie_name = "A1_SESSION"
    era = "spa"
    templates_dir = HERE / "templates"
    static_dir = HERE / "static"
    timezone = dt.timezone(dt.timedelta(hours=3))  # Minsk
    login_path = "/login"
    home_path = "/main"
    start_path = "/login"
    settings_type = A1Settings
    may_ask_sms = True  # the «SMS» login method
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
    settings: A1Settings
    phone = ADMIN_PHONE  # where the SMS codes go (``/_sandbox/sms?phone=``)

    def __init__(
        self,
        *,
        password: str,
        calendar: SandboxCalendar,
        outbox: Outbox,
        delivery_email: str,
        accounts: Sequence[SandboxAccount] | None = None,
        timings: Timings | None = None,
        faults: FaultSpec | str = "",
        markup: MarkupSpec | str = "",
        settings: A1Settings | None = None,
    ) -> None:
        self.client = A1Client(
            tuple(accounts if accounts is not None else accounts_of(Operator.A1)), delivery_email
        )
        super().__init__(
            login=ADMIN_PHONE[3:],  # what the robot types after «+375»
            password=password,
            calendar=calendar,
            outbox=outbox,
            timings=timings,
            faults=faults,
            markup=markup,
            settings=settings,
        )

    # -- helpers of the screens ------------------------------------------------------------

    def login_url(self, why: Lookup = Lookup.MISSING) -> str:
        """Every way of losing the session says so: the contract's ``?expired=1``."""
        return f"{self.login_path}?expired=1"

    def mail_delay_s(self, default: float) -> float:
        delay = self.settings.mail_delay_s
        return default if delay is None else delay

    def require_role(self, request: Request) -> Session:
        """The logged-in session that has chosen its role, or a redirect (login, /role)."""
        session = self.require_login(request)
        if self.client.role(session) is None:
            raise Redirect("/role")
        return session

    def account(self, session: Session) -> SandboxAccount:
        """The account the session works in."""
        return self.client.current(session)

    def flash(self, session: Session, status: str) -> None:
        session.data[_FLASH] = status

    def context(self, request: Request, session: Session | None) -> dict[str, Any]:
        variables: dict[str, Any] = {"t": texts, "logged_in": False}
        if session is None or session.login is None:
            return variables
        role = self.client.role(session)
        login = self.client.login_of(session)
        variables.update(logged_in=True, shown_login=login.shown if login else "")
        if role is None:
            variables.update(role_name="", menu=[], account_options=[], account_id="")
            return variables
        path = request.url.path
        allowed = self.client.accounts_of(session)
        variables.update(
            role_name=next(name for key, name, _ in texts.ROLES if key == role),
            menu=[(label, href, path.startswith(href)) for label, href in texts.MENU],
            account_options=(
                [(a.id, self.client.option_text(a)) for a in allowed]
                if role == "supervisor"
                else []
            ),
            account_id=self.account(session).id,
            here=path,
        )
        return variables

    def page(self, request: Request, session: Session, template: str, **variables: Any) -> Response:
        """A page after login, with its alert and status (a flashed status shown once)."""
        variables.setdefault("alert", "")
        variables.setdefault("status", session.data.pop(_FLASH, ""))
        return self.render(request, template, session, **variables)

    def anonymous_session(self, request: Request) -> Session:
        """The browser's session, or a new one (pages before login need a CSRF token)."""
        found = self.current_session(request)
        return found if isinstance(found, Session) else self.sessions.create()

    def enter(self, previous: Session, key: str) -> RedirectResponse:
        """A new session for the login ``key`` (no fixation), on to the role choice."""
        self.sessions.delete(previous.id)
        response = RedirectResponse("/role", status_code=303)
        self.set_cookie(response, self.sessions.create(key))
        return response

    def add_routes(self, app: FastAPI) -> None:
        self._add_login_routes(app)
        self._add_role_routes(app)
        self._add_main_routes(app)
        finance.add_routes(app, self)
        subscribers.add_routes(app, self)

    # -- «Вход в аккаунт» ------------------------------------------------------------------

    def _add_login_routes(self, app: FastAPI) -> None:
        methods = dict(texts.METHODS)

        def login_page(
            request: Request,
            session: Session,
            method: str,
            alert: str = "",
            **values: str,
        ) -> HTMLResponse:
            pending = SmsChallenge.pending(session)
            response = self.render(
                request,
                "login.html",
                session,
                method=method,
                alert=alert,
                code_step=method == "sms" and pending is not None,
                phone=values.get("phone", pending[1][3:] if pending else ""),
                account=values.get("account", ""),
                email=values.get("email", ""),
            )
            self.set_cookie(response, session)
            return response

        def refuse(
            request: Request, session: Session, method: str, key: str, **values: str
        ) -> Response:
            """A wrong password: counted against ``key``; the login may lock."""
            limits = self.settings
            self.lockout.failed(key, max_attempts=limits.max_attempts, lockout_s=limits.lockout_s)
            return login_page(request, session, method, texts.BAD_LOGIN, **values)

        def phone_of(form: Form) -> str:
            """The 9 digits typed after «+375» (12 digits with 375 are taken too)."""
            digits = "".join(c for c in form.get("phone") if c.isdigit())
            return digits[3:] if len(digits) == 12 and digits.startswith("375") else digits

        @app.get("/")
        async def root() -> Response:
            return RedirectResponse(self.login_path, status_code=303)

        @app.get("/login")
        async def login_form(request: Request, expired: str = "", method: str = "") -> Response:
            session = self.anonymous_session(request)
            if session.login is not None:  # already logged in
                return RedirectResponse(self.home_path, status_code=303)
            method = method if method in methods else texts.DEFAULT_METHOD
            return login_page(request, session, method, texts.EXPIRED if expired else "")

        @app.post("/login")
        async def login(request: Request) -> Response:
            found = self.current_session(request)
            if not isinstance(found, Session):
                return self.login_redirect(found)
            form = await self.checked_form(request, found)
            method = form.get("method")
            method = method if method in methods else texts.DEFAULT_METHOD
            password = form.get("password")
            if method == "sms":
                return sms(request, found, form)
            if method == "password":
                typed = phone_of(form)
                key, values = f"phone:375{typed}", {"phone": typed}
            elif method == "account":
                typed = form.get("account").strip()
                key, values = f"account:{typed}", {"account": typed}
            else:
                typed = form.get("email").strip().lower()
                key, values = f"email:{typed}", {"email": form.get("email").strip()}
            if (left := self.lockout.locked_for(typed)) is not None:
                alert = LOCKED.format(minutes=minutes_left(left))
                return login_page(request, found, method, alert, **values)
            # The fixed-line account logs in only by «Лицевой счет», the phone only by
            # «Пароль»/«SMS», the e-mail only by «Email».
            if key not in self.client.logins or not secrets.compare_digest(
                password.encode(), self.password.encode()
            ):
                return refuse(request, found, method, typed, **values)
            self.lockout.succeeded(typed)
            return self.enter(found, key)

        def sms(request: Request, session: Session, form: Form) -> Response:
            settings = self.settings
            if form.get("step") == "code" and SmsChallenge.pending(session) is not None:
                pending = SmsChallenge.pending(session)
                verdict = SmsChallenge.check(
                    session,
                    form.get("code"),
                    ttl_s=settings.sms_code_ttl_s,
                    max_attempts=settings.sms_max_attempts,
                )
                if verdict is SmsVerdict.RIGHT and pending is not None:
                    return self.enter(session, pending[0])
                alert = texts.WRONG_CODE if verdict is SmsVerdict.WRONG else texts.CODE_EXPIRED
                return login_page(request, session, "sms", alert)
            typed = phone_of(form)
            key = f"phone:375{typed}"
            if key not in self.client.logins:
                SmsChallenge.cancel(session)
                return login_page(request, session, "sms", texts.BAD_LOGIN, phone=typed)
            SmsChallenge.issue(session, self.sms, phone=f"375{typed}", login=key)
            return login_page(request, session, "sms")

        @app.get("/password/forgot")
        async def forgot(request: Request) -> Response:
            # Not in the contract: the robot never recovers a password.
            session = self.anonymous_session(request)
            response = self.render(request, "forgot.html", session)
            self.set_cookie(response, session)
            return response

        @app.get("/logout")
        async def logout(request: Request) -> Response:
            return self.log_out(request)

    # -- «Выберите способ входа» -----------------------------------------------------------

    def _add_role_routes(self, app: FastAPI) -> None:
        def role_page(request: Request, session: Session, alert: str = "") -> Response:
            return self.render(request, "role.html", session, alert=alert)

        @app.get("/role")
        async def role_form(request: Request) -> Response:
            return role_page(request, self.require_login(request))

        @app.post("/role")
        async def role(request: Request) -> Response:
            session = self.require_login(request)
            form = await self.checked_form(request, session)
            # «Абонент» is not a role of these logins (the robot never uses it).
            if not self.client.choose_role(session, form.get("role")):
                return role_page(request, session, texts.ROLE_UNAVAILABLE)
            return RedirectResponse(self.home_path, status_code=303)

        @app.post("/account")
        async def choose_account(request: Request) -> Response:
            session = self.require_role(request)
            form = await self.checked_form(request, session)
            self.client.switch(session, form.get("account"))  # not allowed: no change
            back = form.get("next")
            return RedirectResponse(back if back in _BACK else self.home_path, status_code=303)

    # -- «Главная», «Доставка счета» -------------------------------------------------------

    def _add_main_routes(self, app: FastAPI) -> None:
        @app.get("/main")
        async def main(request: Request) -> Response:
            session = self.require_role(request)
            account = self.account(session)
            balance, to_pay, charges = amounts(account)
            return self.page(
                request,
                session,
                "main.html",
                account=account,
                rows=[
                    (texts.BALANCE, money(balance)),
                    (texts.TO_PAY, money(to_pay)),
                    (texts.LAST_MONTH, money(charges)),
                    (texts.STATUS, texts.ACTIVE),
                    (texts.PAYMENT_FORM, texts.NO_PREPAYMENT),
                ],
                delivery=self.client.delivery(account.id),
            )

        def delivery_page(
            request: Request, session: Session, form: Form | None = None, alert: str = ""
        ) -> Response:
            delivery = self.client.delivery(self.account(session).id)
            return self.page(
                request,
                session,
                "delivery.html",
                alert=alert,
                email=form.get("email") if form else delivery.email,
                fmt=form.get("format") if form else delivery.format,
            )

        @app.get("/main/delivery")
        async def delivery_form(request: Request) -> Response:
            return delivery_page(request, self.require_role(request))

        @app.post("/main/delivery")
        async def delivery(request: Request) -> Response:
            session = self.require_role(request)
            form = await self.checked_form(request, session)
            email = form.get("email").strip()
            if not is_email_address(email):
                return delivery_page(request, session, form, texts.BAD_EMAIL)
            fmt = form.get("format")
            fmt = fmt if fmt in texts.FORMATS else "PDF"  # a forged format: the default
            self.client.set_delivery(self.account(session).id, email, fmt)
            self.flash(session, texts.DELIVERY_SAVED)
            return RedirectResponse(self.home_path, status_code=303)
