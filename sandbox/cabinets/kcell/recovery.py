"""«Забыли пароль?» (``/recovery``), the manual's three steps, with the shared
``PasswordRecovery`` (``sandbox.cabinets.auth``):

1. the administrator's number → a 6-digit code "sent" by SMS to that number (read it at
   ``GET /_sandbox/sms?phone=77012223344``);
2. the code; «Отправить код на телефон» is disabled until ``resend_after_s`` passed since
   the last code (the page counts down; the server refuses an early resend too);
3. the new password twice (8 characters or more, letters and digits): it is set, the
   administrator is logged in and lands on «Управление номерами».

It is also how the first password is set (``KcellSettings.first_login``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from sandbox.cabinets.auth import (
    PasswordProblem,
    PasswordRecovery,
    SmsVerdict,
    new_password_problem,
)
from sandbox.cabinets.kcell import texts
from sandbox.cabinets.kcell.company import PHONE_RE
from sandbox.cabinets.sessions import Session

if TYPE_CHECKING:
    from sandbox.cabinets.kcell.cabinet import KcellCabinet

_SENT = "recovery_sent"  # session data: say «SMS код успешно выслан» on the next page
_FLASH = "recovery_flash"  # session data: an alert step 1 shows once (start over)


def add_routes(app: FastAPI, cab: KcellCabinet) -> None:
    """The three steps of «Забыли пароль?»."""

    def step_page(
        request: Request, session: Session, step: int, alert: str = "", **variables: object
    ) -> Response:
        return cab.anonymous_page(
            request, session, "recovery.html", step=step, alert=alert, **variables
        )

    def step1(request: Request, session: Session, alert: str = "", phone: str = "") -> Response:
        return step_page(request, session, 1, alert, phone=phone)

    def step2(request: Request, session: Session, alert: str = "") -> Response:
        wait = PasswordRecovery.resend_in(session, after_s=cab.settings.resend_after_s)
        if wait is None:  # no code pending: start over
            return RedirectResponse("/recovery", status_code=303)
        sent = texts.CODE_SENT if session.data.pop(_SENT, False) and not alert else ""
        seconds = math.ceil(wait)
        return step_page(request, session, 2, alert, sent=sent, resend_in=seconds)

    def start_over(session: Session, alert: str) -> Response:
        session.data[_FLASH] = alert
        return RedirectResponse("/recovery", status_code=303)

    @app.get("/recovery")
    async def recovery_form(request: Request) -> Response:
        session = cab.anonymous_session(request)
        if session.login is not None:  # logged in: nothing to recover
            return RedirectResponse(cab.home_path, status_code=303)
        return step1(request, session, session.data.pop(_FLASH, ""))

    @app.post("/recovery")
    async def send_code(request: Request) -> Response:
        found = cab.current_session(request)
        if not isinstance(found, Session):
            return cab.login_redirect(found)
        form = await cab.checked_form(request, found)
        phone = form.get("phone").strip()
        if not PHONE_RE.fullmatch(phone):
            return step1(request, found, texts.BAD_PHONE, phone)
        if not cab.phone_known(phone):
            return step1(request, found, texts.UNKNOWN_PHONE, phone)
        PasswordRecovery.start(found, cab.sms, phone=phone, login=phone)
        found.data[_SENT] = True
        return RedirectResponse("/recovery/code", status_code=303)

    @app.get("/recovery/code")
    async def code_form(request: Request) -> Response:
        found = cab.current_session(request)
        if not isinstance(found, Session):
            return RedirectResponse("/recovery", status_code=303)
        return step2(request, found)

    @app.post("/recovery/code")
    async def check_code(request: Request) -> Response:
        found = cab.current_session(request)
        if not isinstance(found, Session):
            return cab.login_redirect(found)
        form = await cab.checked_form(request, found)
        settings = cab.settings
        verdict = PasswordRecovery.verify(
            found,
            form.get("code"),
            ttl_s=settings.sms_code_ttl_s,
            max_attempts=settings.sms_max_attempts,
        )
        if verdict is SmsVerdict.RIGHT:
            return RedirectResponse("/recovery/password", status_code=303)
        if verdict is SmsVerdict.WRONG:
            return step2(request, found, texts.WRONG_CODE)
        if verdict is SmsVerdict.EXHAUSTED:
            return start_over(found, texts.CODE_TOO_MANY)
        if verdict is SmsVerdict.EXPIRED:
            return start_over(found, texts.CODE_EXPIRED)
        return RedirectResponse("/recovery", status_code=303)

    @app.post("/recovery/resend")
    async def resend(request: Request) -> Response:
        found = cab.current_session(request)
        if not isinstance(found, Session):
            return cab.login_redirect(found)
        await cab.checked_form(request, found)
        # Too early (a forged click on the disabled button): the page counts down again.
        if PasswordRecovery.resend(found, cab.sms, after_s=cab.settings.resend_after_s):
            found.data[_SENT] = True
        return RedirectResponse("/recovery/code", status_code=303)

    @app.get("/recovery/password")
    async def password_form(request: Request) -> Response:
        found = cab.current_session(request)
        if not isinstance(found, Session) or PasswordRecovery.verified(found) is None:
            return RedirectResponse("/recovery", status_code=303)
        return step_page(request, found, 3)

    @app.post("/recovery/password")
    async def set_password(request: Request) -> Response:
        found = cab.current_session(request)
        if not isinstance(found, Session):
            return cab.login_redirect(found)
        form = await cab.checked_form(request, found)
        login = PasswordRecovery.verified(found)
        if login is None:
            return RedirectResponse("/recovery", status_code=303)
        new = form.get("new_password")
        problem = new_password_problem(new, form.get("repeat_password"))
        if problem is not None:
            alert = texts.MISMATCH if problem is PasswordProblem.MISMATCH else texts.WEAK
            return step_page(request, found, 3, alert)
        cab.set_password(new)
        PasswordRecovery.finish(found)
        return cab.log_in(found, login)
