"""The «Документ» window: period, «Отправить на», «Формат данных», the rules, «Заказать».

It is found by its title «Документ» together with its field «Отправить на», whatever
element draws it (a dialog, a positioned block of a legacy page). Its messages are
read by the cabinet's words (``CONFIRMED``, ``REFUSED``), shown as plain text or not.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import (
    Controls,
    choose_on,
    control_on,
    field_on,
    label_shown,
    month_text,
    offered,
    words,
)
from page_objects.mts.common import MtsScreen, box_on
from robots.domain import DocumentFormat, Period
from robots.errors import OrderRefused, ParseError

_SELECTED = re.compile(r"Выбрано\s+(\d+)\s+номер")
_DOTTED = re.compile(r"\d{2}\.\d{2}\.\d{4}")
FORMATS = {DocumentFormat.PDF: "PDF", DocumentFormat.XML: "XML", DocumentFormat.HTML: "HTML"}
# The items of «Заказать документ» the robot orders.
INVOICES = "Сформированные счета закрытых расчётных периодов"
CALL_DETAILS = "Детализация разговоров"
RULES = "Я принимаю правила использования системы"
WINDOW = "Документ"  # the order window's title, a caption in it (a label, not a screen's title)
SEND_TO = "Отправить на"
# The cabinet's answers to «Заказать» (a part of each is enough). The manual shows none:
# these are the cabinet's messages the robot was written against.
CONFIRMED = ("Документ заказан",)
REFUSED = (
    "Выберите номера в текущей выборке",
    "Необходимо принять правила использования системы",
    "Укажите корректный адрес электронной почты",
    "Период детализации должен быть",
    "Дата начала периода не может быть позже",
    "Счет за выбранный период недоступен",
    "Выберите формат данных",
)


class DocumentDialog:
    """The window «Документ» for the numbers in «Текущая выборка»."""

    labels: ClassVar[tuple[str, ...]] = (
        WINDOW,
        "Период",
        "Период с",
        "по",
        SEND_TO,
        *FORMATS.values(),
        RULES,
        "Заказать",
    )

    def __init__(self, screen: MtsScreen) -> None:
        self.screen = screen  # the screen under the window: its detours apply
        work = screen.work
        title = work.get_by_text(words(label_shown(work, WINDOW))).filter(visible=True)
        # The innermost block holding both the title and the field: the window itself.
        blocks = work.locator("dialog, div").filter(has=title)
        self.root = blocks.filter(has=work.get_by_text(words(label_shown(work, SEND_TO)))).last

    def controls(self, item: str) -> Controls:
        """What ``invoice`` (item INVOICES) or ``call_details`` fills, then «Заказать»."""
        fields = ["Период"] if item == INVOICES else ["Период с", "по"]
        formats = ["PDF"] if item == INVOICES else list(FORMATS.values())
        found = {f"field «{label}»": field_on(self.root, label) for label in [*fields, SEND_TO]}
        for name in formats:
            found[f"radio button «{name}»"] = box_on(self.root, "radio", name)
        found[f"checkbox «{RULES}»"] = box_on(self.root, "checkbox", RULES)
        found["button «Заказать»"] = control_on(self.root, "Заказать")
        return found

    def selected(self) -> int:
        """«Выбрано N номеров»."""
        match = _SELECTED.search(self.root.inner_text())
        if not match:
            raise ParseError("the MTS «Документ» window does not say how many numbers are chosen")
        return int(match[1])

    def invoice(self, period: Period, email: str) -> None:
        """Fill in a closed-period invoice (PDF is the only format MTS offers for it)."""
        period_choice = field_on(self.root, "Период")
        if not choose_on(period_choice, month_text(period)):
            shown = ", ".join(t for t in offered(period_choice) if t)
            raise OrderRefused(f"MTS offers no invoice for {period} (closed periods: {shown})")
        self._common(email, DocumentFormat.PDF)

    def call_details(self, start: dt.date, end: dt.date, email: str, fmt: DocumentFormat) -> None:
        """Fill in call details from ``start`` to ``end``."""
        _type_day(field_on(self.root, "Период с"), start)
        _type_day(field_on(self.root, "по"), end)
        self._common(email, fmt)

    def _common(self, email: str, fmt: DocumentFormat) -> None:
        if fmt not in FORMATS:
            raise OrderRefused(f"MTS sends documents as PDF, XML or HTML, not {fmt}")
        field_on(self.root, SEND_TO).fill(email)
        box_on(self.root, "radio", FORMATS[fmt]).check()
        box_on(self.root, "checkbox", RULES).check()  # «Я принимаю правила ...»

    def submit(self) -> str:
        """«Заказать»: the confirmation; OrderRefused with the window's message."""
        control_on(self.root, "Заказать").click()
        status, alert = self.screen.outcome(within=self.root, confirmed=CONFIRMED, refused=REFUSED)
        if alert:
            raise OrderRefused(alert)
        return status or ""


def _type_day(field: Locator, day: dt.date) -> None:
    """Type ``day`` the way the field shows its own: a date field takes ISO, a text field
    the day as it is written in it (``01.10.2026``)."""
    shown = field.input_value()
    dotted = field.get_attribute("type") != "date" and _DOTTED.fullmatch(shown.strip())
    field.fill(day.strftime("%d.%m.%Y") if dotted else day.isoformat())
