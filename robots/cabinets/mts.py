"""The MTS «Виртуальный менеджер» robot: invoices of closed periods and call details,
e-mailed to the configured address. What each screen looks like is in
``page_objects.mts``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import ClassVar

from page_objects.base import Controls
from page_objects.mts import CALL_DETAILS, INVOICES, LoginPage, SmsCodePage, VirtualManager
from robots import clock
from robots.cabinets.base import CabinetRobot, OrderRequest
from robots.cabinets.walk import Stop
from robots.domain import (
    DocumentFormat,
    DocumentKind,
    Operator,
    Order,
    Period,
    Subscriber,
)
from robots.downloads import DownloadedFile
from robots.errors import OrderRefused, ParseError
from robots.otp import wait_for_code

log = logging.getLogger(__name__)


class MtsRobot(CabinetRobot):
    operator: ClassVar[Operator] = Operator.MTS

    # -- session --------------------------------------------------------------------------

    def _manager(self) -> VirtualManager:
        """The main screen, logging in (with the SMS step if asked) when needed."""
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        if isinstance(landed, VirtualManager):
            return landed
        password = self.password()
        asked_at = dt.datetime.now(dt.UTC)
        with self.session.unrecorded(password):
            after_password = landed.log_in(self.cabinet.login or "", password)
        if isinstance(after_password, SmsCodePage):
            manager = self._confirm(after_password, asked_at)
        else:
            manager = after_password
        self.session.save_login()
        log.info("%s: logged in", self.cabinet.name)
        return manager

    def _confirm(self, step: SmsCodePage, asked_at: dt.datetime) -> VirtualManager:
        phone = f"7{self.cabinet.login}"
        code = wait_for_code(self.cabinet.otp, phone, asked_at)
        with self.session.unrecorded(code):
            return step.confirm(code)

    def _session_alive(self) -> bool:
        landed = LoginPage.open(self.session.page, str(self.cabinet.url))
        return isinstance(landed, VirtualManager)

    def _home(self) -> VirtualManager:
        return self._manager()

    # -- the canary's walk ------------------------------------------------------------------

    def stops(self) -> list[Stop]:
        page, url = self.session.page, str(self.cabinet.url)
        return [
            Stop("Вход в Виртуальный менеджер", lambda: LoginPage.open(page, url).controls()),
            Stop("Виртуальный менеджер", lambda: self._manager().controls()),
            Stop(f"Документ: {INVOICES}", lambda: self._document_dialog(INVOICES)),
            Stop(f"Документ: {CALL_DETAILS}", lambda: self._document_dialog(CALL_DETAILS)),
        ]

    def _document_dialog(self, item: str) -> Controls:
        """The «Документ» dialog of ``item`` for an account in «Текущая выборка»."""
        manager = self._manager()
        offered = manager.accounts()
        if not offered:
            raise ParseError("the MTS hierarchy shows no personal account")
        configured = [a.id for a in self.cabinet.accounts if a.id in offered]
        manager.select_account((configured or offered)[0])
        return manager.order_document(item).controls(item)

    # -- reading ----------------------------------------------------------------------------

    def subscribers(self) -> list[Subscriber]:
        def read() -> list[Subscriber]:
            manager = self._manager()  # a fresh main screen: the selection is empty
            rows = []
            for account in manager.accounts():
                rows = manager.select_account(account)  # each row names its account
            return [
                Subscriber(
                    operator=self.operator,
                    account=row.folder,
                    number=row.number,
                    name=row.name or None,
                )
                for row in rows
            ]

        return self._attempt(read)

    # -- ordering ---------------------------------------------------------------------------

    def offers_download(self, kind: DocumentKind, period: Period) -> bool:
        return False  # the cabinet e-mails every document

    def _download(self, request: OrderRequest) -> list[DownloadedFile]:
        raise OrderRefused("the MTS cabinet e-mails its documents: order them instead")

    def _order(self, request: OrderRequest) -> Order:
        if request.kind not in (DocumentKind.INVOICE, DocumentKind.CALL_DETAILS):
            raise self.not_offered(request.kind)
        email = self.order_email()
        fmt = request.format or DocumentFormat.PDF  # PDF: what Tarifer prefers (manual)
        if request.kind is DocumentKind.INVOICE and fmt is not DocumentFormat.PDF:
            raise OrderRefused(f"MTS sends invoices as PDF only, not {fmt}")

        def place() -> tuple[str, tuple[str, ...]]:
            manager = self._manager()  # a fresh main screen: the selection is empty
            if request.numbers:
                chosen = manager.select_numbers(request.account, list(request.numbers))
            else:
                chosen = manager.select_account(request.account)
            if request.kind is DocumentKind.INVOICE:
                dialog = manager.order_document(INVOICES)
                dialog.invoice(request.period, email)
            else:
                start, end = _details_range(request.period)
                dialog = manager.order_document(CALL_DETAILS)
                dialog.call_details(start, end, email, fmt)
            status = dialog.submit()
            return status, tuple(sorted(row.number for row in chosen))

        status, numbers = self._attempt(place, request.account)
        log.info("%s: %s", self.about(request), status)
        narrowed = numbers if request.kind is DocumentKind.CALL_DETAILS else ()
        return self.placed(request, fmt, numbers=narrowed, email=email)


def _details_range(period: Period) -> tuple[dt.date, dt.date]:
    """The month ``period``, up to today when it is the current one."""
    today = clock.today()
    return period.first_day, min(period.last_day, today)
