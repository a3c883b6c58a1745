"""«Документы и отчеты»: acts and registers downloaded, reconciliation acts and reports
ordered to an e-mail address. Availability rules (after the 5th, from the 4th, after the
3rd; 12 and 3 months back) are the cabinet's: its refusals are passed on word for word.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, TypeVar

from playwright.sync_api import Locator

from page_objects.base import MONTHS, Controls, Fetched, answer_to, control_on, opener_on
from page_objects.kcell.common import PERIOD_ENDS, KcellScreen, Menu
from robots.domain import DocumentFormat, Period
from robots.errors import OrderRefused, UnexpectedScreen

WORK_ACT = "Акт выполненных работ и расшифровка к счету-фактуре"
EMAIL = "Электронная почта"
# The manual shows no confirmation of an order by e-mail; its pages say the report "будет
# отправлен на указанный Вами email", and the confirmation is assumed to say so too.
SENT = ("будет отправлен",)
# The manual's limits, which a refusal repeats («Внимание! ...» shows on the page anyway).
LIMITS = (
    "доступны после 3 числа месяца",
    "Максимальный период запроса 12 месяцев",
    "Максимальный период запроса 3 месяца",
)


class DocumentForm(Menu):
    """A page of the section, opened by its ``link`` in the section's menu."""

    link: ClassVar[str]


F = TypeVar("F", bound=DocumentForm)


class DocumentsPage(Menu):
    """The section and its menu of documents and reports."""

    heading: ClassVar[str] = "Документы и отчеты"

    def link_to(self, form: type[DocumentForm]) -> Locator:
        return control_on(self.page, form.link)

    def controls(self) -> Controls:
        forms = (WorkActForm, RegisterForm, ReconciliationForm, NumbersReportForm)
        return {f"link «{f.link}»": self.link_to(f) for f in (*forms, PaymentsReportForm)}

    def open(self, form: type[F]) -> F:
        """Open the page of ``form`` (its menu link carries the page's name)."""
        answer_to(self.page, self.link_to(form))
        return form.arrive(self.page)


class WorkActForm(DocumentForm):
    """«Акт выполненных работ и расшифровка к счету-фактуре»: PDF or Excel, by account."""

    heading: ClassVar[str] = WORK_ACT
    link: ClassVar[str] = WORK_ACT
    buttons: ClassVar = {
        DocumentFormat.PDF: "Загрузить в PDF",
        DocumentFormat.XLSX: "Загрузить в Excel",
    }
    labels: ClassVar[tuple[str, ...]] = (
        link,
        "Поиск по номеру лицевого счета",
        "Лицевой счет",
        "Год",
        "Месяц",
        *buttons.values(),
    )

    def search_by_account(self) -> None:
        """The tab «Поиск по номеру лицевого счета» (it shows the field «Лицевой счет»)."""
        self.button("Поиск по номеру лицевого счета").click()

    def controls(self) -> Controls:
        """After ``search_by_account``."""
        choices = {f"choice «{label}»": opener_on(self.page, label) for label in ("Год", "Месяц")}
        return (
            self.form_controls(fields=["Лицевой счет"])
            | choices
            | self.form_controls(buttons=list(self.buttons.values()))
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
    labels: ClassVar[tuple[str, ...]] = (
        link,
        KcellScreen.period_caption,
        *PERIOD_ENDS,
        "Запросить",
    )

    def controls(self) -> Controls:
        return {"period «Укажите начало и конец периода»": self.period_field()} | (
            self.form_controls(buttons=["Запросить"])
        )

    def download(self, period: Period) -> Fetched:
        """The register of the month ``period`` (a period of months from it to itself)."""
        try:
            self.fill_dates(period.first_day, period.last_day)
        except UnexpectedScreen:
            offered = f"the Kcell cabinet offers no invoice register for {period}"
            raise OrderRefused(offered) from None
        return self.fetch("Запросить", "invoice register")


class ReconciliationForm(DocumentForm):
    """«Акт сверки»: a period of at most 12 months, sent to an e-mail address."""

    heading: ClassVar[str] = "Акт сверки (бета-режим)"
    link: ClassVar[str] = "Акт сверки"
    labels: ClassVar[tuple[str, ...]] = (
        link,
        KcellScreen.period_caption,
        *PERIOD_ENDS,
        EMAIL,
        "Отправить",
    )

    def controls(self) -> Controls:
        return {"period «Укажите начало и конец периода»": self.period_field()} | (
            self.form_controls(fields=[EMAIL], buttons=["Отправить"])
        )

    def order(self, start: dt.date, end: dt.date, email: str) -> str:
        self.fill_dates(start, end)
        self.field(EMAIL).fill(email)
        self.press("Отправить")
        return self.settle(confirmed=SENT, refused=LIMITS)


class NumbersReportForm(DocumentForm):
    """«Отчет по списку номеров», sent to an e-mail address."""

    heading: ClassVar[str] = "Отчет по списку номеров (бета-режим)"
    link: ClassVar[str] = "Отчет по списку номеров"
    labels: ClassVar[tuple[str, ...]] = (link, EMAIL, "Запросить")

    def controls(self) -> Controls:
        return self.form_controls(fields=[EMAIL], buttons=["Запросить"])

    def order(self, email: str) -> str:
        self.field(EMAIL).fill(email)
        self.press("Запросить")
        return self.settle(confirmed=SENT, refused=LIMITS)


class PaymentsReportForm(DocumentForm):
    """«Отчет по платежам»: at most 3 months back, sent to an e-mail address."""

    heading: ClassVar[str] = "Отчет по платежам (бета-режим)"
    link: ClassVar[str] = "Отчет по платежам"
    labels: ClassVar[tuple[str, ...]] = (
        link,
        KcellScreen.period_caption,
        *PERIOD_ENDS,
        EMAIL,
        "Отправить",
    )

    def controls(self) -> Controls:
        return {"period «Укажите начало и конец периода»": self.period_field()} | (
            self.form_controls(fields=[EMAIL], buttons=["Отправить"])
        )

    def order(self, start: dt.date, end: dt.date, email: str) -> str:
        self.fill_dates(start, end)
        self.field(EMAIL).fill(email)
        self.press("Отправить")
        return self.settle(confirmed=SENT, refused=LIMITS)
