"""«Финансы»: «Счета» (re-send an invoice), «Детализация на Email», «Акт сверки»."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.a1.common import Menu
from page_objects.base import MONTHS, Controls, control_on, month_text, rows_of, table_on, words
from robots.domain import Period
from robots.errors import OrderRefused, UnexpectedScreen

FROM_LIST = "Выбрать из списка"
FROM_FILE = "Загрузить файл"
LIST_COLUMNS = ("Номер", "Тариф", "Статус")
# The turn to the next 10 rows of a long list: the manual shows none; a control titled so
# is assumed, and a list without it is read as one page.
NEXT_PAGE = "Следующая страница"
# The manual shows neither confirmations nor refusals of these orders: the cabinet's
# words as the sandbox has them (a refusal matches from the start of the message).
INVOICE_SENT = ("Счет за",)  # «Счет за октябрь 2026 г. отправлен на адрес …»
DETAILS_ORDERED = ("Детализация заказана",)
ACT_SENT = ("Акт сверки будет отправлен",)
PERIOD_REFUSED = ("Детализация за выбранный период недоступна",)
LIST_REFUSED = ("Выберите абонентов",)
FILE_REFUSED = (
    "Загрузите файл в формате xlsx",
    "Файл должен содержать только 12-значные номера",
    "Номера не найдены на лицевом счете",
)
ACT_REFUSED = ("Доступен период 3 года", "Введите корректный адрес электронной почты")
_PART = r"([0-9A-Za-zА-Яа-я]{1,4})"  # 01, 2026, ДД, MM, ГГГГ
_DATE = re.compile(rf"{_PART}([./-]){_PART}\2{_PART}")


class InvoicesPage(Menu):
    """«Счета»: choose the period, «Отправить счет» (to the delivery e-mail)."""

    heading: ClassVar[str] = "Счета"
    labels: ClassVar[tuple[str, ...]] = ("Период", "Отправить счет")

    def controls(self) -> Controls:
        return {
            "choice «Период»": self.opener("Период"),
            "button «Отправить счет»": self.button("Отправить счет"),
        }

    def send(self, period: Period) -> str:
        if not self.pick("Период", month_text(period)):
            raise OrderRefused(f"the A1 cabinet offers no invoice for {period}")
        self.press("Отправить счет")
        return self.confirmed(INVOICE_SENT, PERIOD_REFUSED)


class DetailsPage(Menu):
    """«Детализация на Email»: year and month, then the subscribers, then confirm."""

    heading: ClassVar[str] = "Детализация на Email"
    labels: ClassVar[tuple[str, ...]] = (
        "Год",
        "Месяц",
        FROM_LIST,
        FROM_FILE,
        "Далее",
        "Продолжить",
        NEXT_PAGE,
        "Файл xlsx",
        "Подтвердить",
    )

    def controls(self) -> Controls:
        """The first step: the period and how the subscribers are given."""
        return {
            "choice «Год»": self.opener("Год"),
            "choice «Месяц»": self.opener("Месяц"),
            f"choice «{FROM_LIST}»": self._way(FROM_LIST),
            f"choice «{FROM_FILE}»": self._way(FROM_FILE),
            "button «Далее»": self.button("Далее"),
        }

    def list_controls(self) -> Controls:
        """The list of ``from_list``: the subscribers to tick and «Продолжить»."""
        return {
            "the list of subscribers": table_on(self.page, LIST_COLUMNS),
            "button «Продолжить»": self.button("Продолжить"),
        }

    def _way(self, text: str) -> Locator:
        """A way of giving the subscribers: a radio button, or an option to click."""
        radio = self.page.get_by_role("radio", name=words(text))
        return radio.or_(control_on(self.page, text)).filter(visible=True).first

    def _period(self, period: Period) -> None:
        if not self.pick("Год", str(period.year)):
            raise OrderRefused(f"the A1 cabinet offers call details for three years, not {period}")
        if not self.pick("Месяц", MONTHS[period.month - 1]):
            raise OrderRefused(f"the A1 cabinet offers no call details for {period}")

    def from_list(self, period: Period) -> DetailsPage:
        """The period, «Выбрать из списка», «Далее»: the account's list to tick."""
        self._period(period)
        self._way(FROM_LIST).click()
        self.press("Далее")
        refusal = self.answer(self.button("Продолжить"), PERIOD_REFUSED)
        if refusal:
            raise OrderRefused(refusal)
        return self

    def by_list(self, period: Period, numbers: list[str]) -> str:
        """Tick ``numbers`` in the account's list."""
        step = self.from_list(period)
        step._tick(numbers)
        step.press("Продолжить")
        return step._confirm()

    def _tick(self, numbers: list[str]) -> None:
        """Tick each of ``numbers`` (a checkbox, or a row that ticks when clicked), page
        after page of the list."""
        left = set(numbers)
        for _ in range(100):
            table = table_on(self.page, LIST_COLUMNS)
            table.wait_for()
            for cells, row in rows_of(table):
                number = "".join(cells.get("Номер", "").split())
                if number not in left or not row.is_visible():
                    continue
                box = row.get_by_role("checkbox")
                if box.count():
                    box.check()
                else:
                    row.click()
                left.discard(number)
            turn = control_on(self.page, NEXT_PAGE)
            if not left or not turn.count() or not turn.is_enabled():
                break
            turn.click()
        if left:
            raise OrderRefused(f"numbers {sorted(left)} are not in the account's list at A1")
        # «Выбрано абонентов N» follows the ticks.
        self.expect(self.page.get_by_text(words(f"Выбрано абонентов {len(numbers)}")))

    def by_file(self, period: Period, xlsx: Path) -> str:
        """Upload ``xlsx`` (12-digit numbers in one column)."""
        self._period(period)
        self._way(FROM_FILE).click()
        self.field("Файл xlsx").set_input_files(xlsx)
        self.press("Далее")
        return self._confirm()

    def _confirm(self) -> str:
        """The confirmation window: «Подтвердить»."""
        refused = PERIOD_REFUSED + LIST_REFUSED + FILE_REFUSED
        refusal = self.answer(self.button("Подтвердить"), refused)
        if refusal:
            raise OrderRefused(refusal)
        self.press("Подтвердить")
        return self.confirmed(DETAILS_ORDERED, LIST_REFUSED)


class ReconciliationPage(Menu):
    """«Акт сверки»: a period (three years back) and the address (delivery e-mail by default)."""

    heading: ClassVar[str] = "Акт сверки"
    labels: ClassVar[tuple[str, ...]] = (
        "Начало периода",
        "Конец периода",
        "Период",
        "Email",
        "Далее",
    )

    def controls(self) -> Controls:
        return {
            "field «Период»": self._period_field(),
            "field «Email»": self.field("Email"),
            "button «Далее»": self.button("Далее"),
        }

    def _period_field(self) -> Locator:
        """The start date, or the one range field «Период»."""
        return self.field("Начало периода").or_(self.field("Период")).first

    def order(self, start: dt.date, end: dt.date, email: str | None) -> str:
        if self.field("Начало периода").count():  # two date inputs
            self.field("Начало периода").fill(start.isoformat())
            self.field("Конец периода").fill(end.isoformat())
        else:  # one range, written the way it shows
            field = self.field("Период")
            shown = field.input_value() or field.get_attribute("placeholder") or ""
            typed = range_like(shown, start, end)
            field.fill(typed)
            read = field.input_value()
            if _digits(read) != _digits(typed):  # a picker that took the dates otherwise
                raise UnexpectedScreen(f"the A1 «Период» reads {read!r} after {typed!r}")
        if email:
            self.field("Email").fill(email)
        self.press("Далее")
        return self.confirmed(ACT_SENT, ACT_REFUSED)


def range_like(shown: str, start: dt.date, end: dt.date) -> str:
    """``start`` and ``end`` written as the range ``shown`` is: its order of day, month and
    year, its separators and what stands between the dates (``01/10/2026 – 31/10/2026``, or
    a placeholder ``ДД.ММ.ГГГГ - ДД.ММ.ГГГГ``); ``dd.mm.yyyy – dd.mm.yyyy`` when it shows none."""
    dates = list(_DATE.finditer(shown))
    if not dates:
        return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"
    first = dates[0]
    parts, sep = [first[1], first[3], first[4]], first[2]
    order = [_part_kind(p) for p in parts]
    if sorted(order) != ["d", "m", "y"]:
        order = ["y", "m", "d"] if order[0] == "y" else ["d", "m", "y"]
    between = shown[first.end() : dates[1].start()] if len(dates) > 1 else " – "

    def written(day: dt.date) -> str:
        values = {"d": f"{day.day:02d}", "m": f"{day.month:02d}", "y": f"{day.year:04d}"}
        return sep.join(values[kind] for kind in order)

    return f"{written(start)}{between}{written(end)}"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _part_kind(part: str) -> str:
    """«ДД», «MM», «ГГГГ» (letters) or digits: day, month or year."""
    letter = part[0].casefold()
    if letter in "дd":
        return "d"
    if letter in "мm":
        return "m"
    if letter in "гy" or len(part) == 4:
        return "y"
    return "?"
