"""«Документы и отчеты»: acts and registers downloaded, reconciliation acts and reports
ordered to an e-mail address. Availability rules (after the 5th, from the 4th, after the
3rd; 12 and 3 months back) are the cabinet's: its refusals are passed on word for word.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, TypeVar

from playwright.sync_api import Locator

from page_objects.base import MONTHS, Controls, Fetched, month_text
from page_objects.kcell.common import Menu
from robots.domain import DocumentFormat, Period
from robots.errors import OrderRefused

WORK_ACT = "Акт выполненных работ и расшифровка к счету-фактуре"
DATES = ("Начало периода", "Конец периода")  # as ``fill_dates`` fills them


class DocumentForm(Menu):
    """A page of the section, opened by its ``link`` in the section's menu."""

    link: ClassVar[str]


F = TypeVar("F", bound=DocumentForm)


class DocumentsPage(Menu):
    """The section and its menu of documents and reports."""

    heading: ClassVar[str] = "Документы и отчеты"

    def link_to(self, form: type[DocumentForm]) -> Locator:
        side = self.page.get_by_role("navigation", name="Документы и отчеты")
        return side.get_by_role("link", name=form.link, exact=True)

    def controls(self) -> Controls:
        forms = (WorkActForm, RegisterForm, ReconciliationForm, NumbersReportForm)
        return {f"link «{f.link}»": self.link_to(f) for f in (*forms, PaymentsReportForm)}

    def open(self, form: type[F]) -> F:
        """Open the page of ``form`` (its menu link carries the page's name)."""
        with self.page.expect_navigation():
            self.link_to(form).click()
        return form.arrive(self.page)


class WorkActForm(DocumentForm):
    """«Акт выполненных работ и расшифровка к счету-фактуре»: PDF or Excel, by account."""

    heading: ClassVar[str] = WORK_ACT
    link: ClassVar[str] = WORK_ACT
    buttons: ClassVar = {
        DocumentFormat.PDF: "Загрузить в PDF",
        DocumentFormat.XLSX: "Загрузить в Excel",
    }

    def search_by_account(self) -> None:
        """The tab «Поиск по номеру лицевого счета» (it shows the field «Лицевой счет»)."""
        self.page.get_by_role("tab", name="Поиск по номеру лицевого счета", exact=True).click()

    def controls(self) -> Controls:
        """After ``search_by_account``."""
        return self.form_controls(
            fields=["Лицевой счет", "Год", "Месяц"], buttons=list(self.buttons.values())
        )

    def download(self, account: str, period: Period, fmt: DocumentFormat) -> Fetched:
        if fmt not in self.buttons:
            raise OrderRefused(f"Kcell gives work acts as PDF or Excel (xlsx), not {fmt}")
        self.search_by_account()
        self.field("Лицевой счет").fill(account)
        if not self.pick("Год", str(period.year)):
            raise OrderRefused(f"the Kcell cabinet offers no work acts for {period.year}")
        if not self.pick("Месяц", MONTHS[period.month - 1]):
            raise OrderRefused(f"the Kcell cabinet offers no work acts for {period}")
        return self.fetch(self.buttons[fmt], "work act")


class RegisterForm(DocumentForm):
    """«Реестр счетов-фактур» for a period of months."""

    heading: ClassVar[str] = "Реестр счетов-фактур"
    link: ClassVar[str] = "Реестр счетов-фактур"

    def controls(self) -> Controls:
        return self.form_controls(fields=["Начало периода", "Конец периода"], buttons=["Запросить"])

    def download(self, period: Period) -> Fetched:
        for label in ("Начало периода", "Конец периода"):
            if not self.pick(label, month_text(period)):
                raise OrderRefused(f"the Kcell cabinet offers no invoice register for {period}")
        return self.fetch("Запросить", "invoice register")


class ReconciliationForm(DocumentForm):
    """«Акт сверки»: a period of at most 12 months, sent to an e-mail address."""

    heading: ClassVar[str] = "Акт сверки (бета-режим)"
    link: ClassVar[str] = "Акт сверки"

    def controls(self) -> Controls:
        return self.form_controls(fields=[*DATES, "Электронная почта"], buttons=["Отправить"])

    def order(self, start: dt.date, end: dt.date, email: str) -> str:
        self.fill_dates(start, end)
        self.field("Электронная почта").fill(email)
        self.press("Отправить")
        return self.settle()


class NumbersReportForm(DocumentForm):
    """«Отчет по списку номеров», sent to an e-mail address."""

    heading: ClassVar[str] = "Отчет по списку номеров (бета-режим)"
    link: ClassVar[str] = "Отчет по списку номеров"

    def controls(self) -> Controls:
        return self.form_controls(fields=["Электронная почта"], buttons=["Запросить"])

    def order(self, email: str) -> str:
        self.field("Электронная почта").fill(email)
        self.press("Запросить")
        return self.settle()


class PaymentsReportForm(DocumentForm):
    """«Отчет по платежам»: at most 3 months back, sent to an e-mail address."""

    heading: ClassVar[str] = "Отчет по платежам (бета-режим)"
    link: ClassVar[str] = "Отчет по платежам"

    def controls(self) -> Controls:
        return self.form_controls(fields=[*DATES, "Электронная почта"], buttons=["Отправить"])

    def order(self, start: dt.date, end: dt.date, email: str) -> str:
        self.fill_dates(start, end)
        self.field("Электронная почта").fill(email)
        self.press("Отправить")
        return self.settle()
