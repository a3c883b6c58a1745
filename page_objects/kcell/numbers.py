"""«Управление номерами», a number's profile and its «Детализация» (files downloaded)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from playwright.sync_api import Locator

from page_objects.base import (
    Controls,
    Fetched,
    all_rows,
    answer_to,
    control_on,
    opener_on,
    rows_of,
)
from page_objects.kcell.common import COMPANY, PERIOD_ENDS, Menu
from robots.domain import DocumentFormat
from robots.errors import OrderRefused, ParseError

if TYPE_CHECKING:  # documents.py imports this module
    from page_objects.kcell.documents import DocumentsPage

COLUMNS = ("Номер", "Лицевой счет", "Тарифный план", "Метод расчета", "Статус")
OUTPUTS = {DocumentFormat.PDF: "Файл формата PDF", DocumentFormat.XLS: "Файл формата XLS"}
# The manual shows four numbers and no pagination; a list of more numbers is assumed to
# be paged, turned by an arrow titled «Следующая страница».
NEXT_PAGE = "Следующая страница"
PREVIOUS_PAGE = "Предыдущая страница"
NUMBER_LIKE = re.compile(r"^\s*7\d{10}\s*$")


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
    labels: ClassVar[tuple[str, ...]] = (COMPANY, "Документы и отчеты", NEXT_PAGE, PREVIOUS_PAGE)

    def table(self) -> Locator:
        return self.table_with(*COLUMNS)

    def controls(self) -> Controls:
        return {
            "table of numbers": self.table(),
            "a number in the table": self.table().get_by_text(NUMBER_LIKE).first,
            "choice «Выбор компании»": opener_on(self.page, COMPANY),
            "link «Документы и отчеты»": self.menu_link("Документы и отчеты"),
        }

    def numbers(self) -> list[NumberRow]:
        rows = all_rows(self.page, COLUMNS, NEXT_PAGE)
        try:
            return [NumberRow(*(cells[c] for c in COLUMNS)) for cells, _ in rows]
        except KeyError as exc:
            raise ParseError(f"the Kcell numbers table has no column {exc}") from None

    def _turn(self, name: str) -> bool:
        """Turn the list's page with the arrow ``name``; False when there is none to turn."""
        arrow = control_on(self.page, name)
        if not arrow.count() or not arrow.is_enabled():
            return False
        answer_to(self.page, arrow)
        return True

    def _row_of(self, number: str) -> Locator | None:
        """The row of ``number``, looked for from the list's first page to its last."""
        while self._turn(PREVIOUS_PAGE):
            pass
        while True:
            for cells, row in rows_of(self.table()):
                if cells.get("Номер") == number:
                    return row
            if not self._turn(NEXT_PAGE):
                return None

    def open_number(self, number: str) -> NumberProfile:
        """Click the number (a link, or its row of the list) for its profile."""
        row = self._row_of(number)
        if row is None:
            raise OrderRefused(f"number {number} is not in the Kcell company {self.company()!r}")
        answer_to(self.page, row.get_by_text(number, exact=True))
        return NumberProfile.arrive(self.page)

    def go_to_documents(self) -> DocumentsPage:
        from page_objects.kcell.documents import DocumentsPage

        answer_to(self.page, self.menu_link("Документы и отчеты"))
        return DocumentsPage.arrive(self.page)


class NumberProfile(Menu):
    """«Информация по номеру»."""

    heading: ClassVar[str] = "Информация по номеру"
    labels: ClassVar[tuple[str, ...]] = ("Детализация",)

    def controls(self) -> Controls:
        return {"button «Детализация»": self.button("Детализация")}

    def open_details(self) -> DetailsForm:
        self.press("Детализация")
        return DetailsForm.arrive(self.page)


class DetailsForm(Menu):
    """«Детализация»: the period (last 90 days), «Вывод», «Запросить детализацию»."""

    heading: ClassVar[str] = "Детализация"
    period_caption: ClassVar[str] = "Начало и конец периода"
    labels: ClassVar[tuple[str, ...]] = (
        period_caption,
        *PERIOD_ENDS,
        *OUTPUTS.values(),
        "Запросить детализацию",
        NumbersPage.heading,
    )

    def controls(self) -> Controls:
        return {"period «Начало и конец периода»": self.period_field()} | self.form_controls(
            radios=list(OUTPUTS.values()), buttons=["Запросить детализацию"]
        )

    def download(self, start: dt.date, end: dt.date, fmt: DocumentFormat) -> Fetched:
        if fmt not in OUTPUTS:
            raise OrderRefused(f"Kcell gives call details as PDF or XLS files, not {fmt}")
        self.fill_dates(start, end)
        self.button(OUTPUTS[fmt]).click()
        return self.fetch("Запросить детализацию", "call details")

    def back_to_numbers(self) -> NumbersPage:
        """«Управление номерами» of the top menu: the list again, in the company chosen."""
        answer_to(self.page, self.menu_link(NumbersPage.heading))
        return NumbersPage.arrive(self.page)
