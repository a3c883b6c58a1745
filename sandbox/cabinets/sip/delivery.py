"""«Изменить способ/адрес доставки»: the account's delivery method, address and
invoice format. Changes are settings, not orders: nothing is recorded in the book.

Screens: account → current method and address → method (Получает сам / E-mail) →
«Текущий адрес» → new address, or new format. After a change the cabinet redirects to
the screen that shows it, with a status message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from sandbox.cabinets.sessions import Session
from sandbox.cabinets.sip import texts
from sandbox.cabinets.sip.company import EMAIL, INVOICE_FORMATS, SELF, address_error

if TYPE_CHECKING:
    from sandbox.cabinets.sip.cabinet import SipCabinet

_METHOD_REQUIRED = "Выберите способ доставки"  # not in the manual: nothing was chosen
_FORMAT_TEXTS = {"PDF": "pdf"}


def add_routes(app: FastAPI, cab: SipCabinet) -> None:
    """Every screen of the delivery settings."""
    company = cab.company

    def see(path: str, account: str, changed: str = "") -> RedirectResponse:
        query = f"?account={cab.option_id('account', account)}"
        query += f"&changed={changed}" if changed else ""
        return RedirectResponse(f"/bills/delivery/{path}{query}", status_code=303)

    def step1(request: Request, session: Session, alert: str = "") -> Response:
        return cab.page(request, "delivery_account.html", session, alert=alert)

    def screen(request: Request, template: str, account: str | None, **variables: Any) -> Response:
        """A screen of ``account`` (as the server knows it; None: the page named none)."""
        session = cab.require_login(request)
        if account is None:
            return step1(request, session, texts.BAD_REQUEST)
        delivery = company.delivery(account)
        return cab.page(request, template, session, account=account, delivery=delivery, **variables)

    def method_screen(request: Request, account: str | None, alert: str = "") -> Response:
        return screen(
            request,
            "delivery_method.html",
            account,
            methods=[(SELF, SELF), (EMAIL, EMAIL)],
            email_help=texts.DELIVERY_EMAIL_HELP,
            self_help=texts.DELIVERY_SELF_HELP,
            alert=alert,
        )

    def address_screen(
        request: Request, account: str | None, alert: str = "", value: str = ""
    ) -> Response:
        return screen(
            request,
            "delivery_address.html",
            account,
            alert=alert,
            value=value,
            hint=texts.ADDRESS_HINT,
        )

    @app.get("/bills/delivery")
    async def delivery(request: Request) -> Response:
        return step1(request, cab.require_login(request))

    @app.get("/bills/delivery/current")
    async def current(request: Request, account: str = "", changed: str = "") -> Response:
        status = texts.METHOD_CHANGED if changed == "method" else ""
        return screen(request, "delivery_current.html", cab.account_in(account), status=status)

    @app.get("/bills/delivery/method")
    async def method(request: Request, account: str = "") -> Response:
        return method_screen(request, cab.account_in(account))

    @app.post("/bills/delivery/method")
    async def change_method(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        account = cab.account_in(form.get("account"))
        if account is None:
            return step1(request, session, texts.BAD_REQUEST)
        chosen = form.get("method")
        if chosen == SELF:
            company.set_method(account, SELF)
            return see("current", account, "method")
        if chosen == EMAIL:  # becomes the method once an address is confirmed
            return see("email", account)
        return method_screen(request, account, _METHOD_REQUIRED)

    @app.get("/bills/delivery/email")
    async def current_address(request: Request, account: str = "", changed: str = "") -> Response:
        status = {"address": texts.ADDRESS_CHANGED, "format": texts.FORMAT_CHANGED}
        changed_text = status.get(changed, "")
        return screen(request, "delivery_email.html", cab.account_in(account), status=changed_text)

    @app.get("/bills/delivery/address")
    async def address(request: Request, account: str = "") -> Response:
        return address_screen(request, cab.account_in(account))

    @app.post("/bills/delivery/address")
    async def change_address(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        account = cab.account_in(form.get("account"))
        if account is None:
            return step1(request, session, texts.BAD_REQUEST)
        value = form.get("email")
        error = address_error(value)
        if error:
            return address_screen(request, account, error, value)
        company.set_emails(account, value)
        return see("email", account, "address")

    @app.get("/bills/delivery/format")
    async def invoice_format(request: Request, account: str = "") -> Response:
        # The manual's format screen writes «Формат счёта: pdf»; the others write «PDF».
        formats = cab.options(
            "format", ((name, _FORMAT_TEXTS.get(name, name)) for name in INVOICE_FORMATS)
        )
        return screen(request, "delivery_format.html", cab.account_in(account), formats=formats)

    @app.post("/bills/delivery/format")
    async def change_format(request: Request) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        account = cab.account_in(form.get("account"))
        chosen = cab.chosen("format", form.get("format"), INVOICE_FORMATS)
        if account is None or chosen is None:
            return step1(request, session, texts.BAD_REQUEST)
        company.set_format(account, chosen)
        return see("email", account, "format")
