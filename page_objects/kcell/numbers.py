"""«Управление номерами», a number's profile and its «Детализация» (files downloaded)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from playwright.sync_api import Locator

from page_objects.base import Controls, Fetched
from page_objects.kcell.common import Menu
from robots.domain import DocumentFormat
from robots.errors import OrderRefused, ParseError

if TYPE_CHECKING:  # documents.py imports this module
    from page_objects.kcell.documents import DocumentsPage

COLUMNS = ("Номер", "Лицевой счет", "Тарифный план", "Метод расчета", "Статус")
OUTPUTS = {DocumentFormat.PDF: "Файл формата PDF", DocumentFormat.XLS: "Файл формата XLS"}


@dataclass(frozen=True)
class NumberRow:
    number: str
    account: str
    tariff: str
    method: str
    status: str


class NumbersPage(Menu):
    """The company's numbers: «Номер», «Лицевой счет», «Тарифный план», ..."""

    heading: ClassVar[str] = "Управление номерами"

    def controls(self) -> Controls:
        documents = self.menu.get_by_role("link", name="Документы и отчеты", exact=True)
        return {
            "table of numbers": self.page.get_by_role("table"),
            "link to a number": self.page.get_by_role("table").get_by_role("link"),
            "field «Выбор компании»": self.field("Выбор компании"),
            "link «Документы и отчеты»": documents,
        }

    def numbers(self) -> list[NumberRow]:
        rows = self.table_rows(self.page.get_by_role("table"))
        try:
            return [NumberRow(*(cells[c] for c in COLUMNS)) for cells, _ in rows]
        except KeyError as exc:
            raise ParseError(f"the Kcell numbers table has no column {exc}") from None

    def open_number(self, number: str) -> NumberProfile:
        link = self.page.get_by_role("table").get_by_role("link", name=number, exact=True)
        if link.count() == 0:
            raise OrderRefused(f"number {number} is not in the Kcell company {self.company()!r}")
        with self.page.expect_navigation():
            link.click()
        return NumberProfile.arrive(self.page)

    def go_to_documents(self) -> DocumentsPage:
        from page_objects.kcell.documents import DocumentsPage

        with self.page.expect_navigation():
            self.menu.get_by_role("link", name="Документы и отчеты", exact=True).click()
        return DocumentsPage.arrive(self.page)


class NumberProfile(Menu):
    """«Информация по номеру»."""

    heading: ClassVar[str] = "Информация по номеру"

    @property
    def details(self) -> Locator:
        return self.page.get_by_role("link", name="Детализация", exact=True).or_(
            self.button("Детализация")
        )

    def controls(self) -> Controls:
        return {"link «Детализация»": self.details}

    def open_details(self) -> DetailsForm:
        with self.page.expect_navigation():
            self.details.first.click()
        return DetailsForm.arrive(self.page)


class DetailsForm(Menu):
    """«Детализация»: the period (last 90 days), «Вывод», «Запросить детализацию»."""

    heading: ClassVar[str] = "Детализация"

    def controls(self) -> Controls:
        return self.form_controls(
            fields=["Начало периода", "Конец периода"],
            radios=list(OUTPUTS.values()),
            buttons=["Запросить детализацию"],
        )

    def download(self, start: dt.date, end: dt.date, fmt: DocumentFormat) -> Fetched:
        if fmt not in OUTPUTS:
            raise OrderRefused(f"Kcell gives call details as PDF or XLS files, not {fmt}")
        self.fill_dates(start, end)
        self.page.get_by_role("radio", name=OUTPUTS[fmt], exact=True).check()
        return self.fetch("Запросить детализацию", "call details")
