"""The «Документ» dialog: period, «Отправить на», «Формат данных», the rules, «Заказать»."""

from __future__ import annotations

import datetime as dt
import re

from page_objects.base import Controls, Screen, choose_on, field_on, month_text, offered
from robots.domain import DocumentFormat, Period
from robots.errors import OrderRefused, ParseError

_SELECTED = re.compile(r"Выбрано\s+(\d+)\s+номер")
FORMATS = {DocumentFormat.PDF: "PDF", DocumentFormat.XML: "XML", DocumentFormat.HTML: "HTML"}
# The items of «Заказать документ» the robot orders.
INVOICES = "Сформированные счета закрытых расчётных периодов"
CALL_DETAILS = "Детализация разговоров"
RULES = "Я принимаю правила использования системы"


class DocumentDialog:
    """The dialog «Документ» for the numbers in «Текущая выборка»."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen  # the screen under the dialog: its detours apply
        self.root = screen.page.get_by_role("dialog", name="Документ")

    def controls(self, item: str) -> Controls:
        """What ``invoice`` (item INVOICES) or ``call_details`` fills, then «Заказать»."""
        fields = ["Период"] if item == INVOICES else ["Период с", "по"]
        formats = ["PDF"] if item == INVOICES else list(FORMATS.values())
        found = {f"field «{label}»": self.root.get_by_label(label, exact=True) for label in fields}
        found["field «Отправить на»"] = self.root.get_by_label("Отправить на", exact=True)
        for name in formats:
            found[f"radio button «{name}»"] = self.root.get_by_role("radio", name=name, exact=True)
        found[f"checkbox «{RULES}»"] = self.root.get_by_role("checkbox", name=RULES)
        found["button «Заказать»"] = self.root.get_by_role("button", name="Заказать", exact=True)
        return found

    def selected(self) -> int:
        """«Выбрано N номеров»."""
        match = _SELECTED.search(self.root.inner_text())
        if not match:
            raise ParseError("the MTS «Документ» dialog does not say how many numbers are chosen")
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
        self.root.get_by_label("Период с", exact=True).fill(start.isoformat())
        self.root.get_by_label("по", exact=True).fill(end.isoformat())
        self._common(email, fmt)

    def _common(self, email: str, fmt: DocumentFormat) -> None:
        if fmt not in FORMATS:
            raise OrderRefused(f"MTS sends documents as PDF, XML or HTML, not {fmt}")
        self.root.get_by_label("Отправить на", exact=True).fill(email)
        self.root.get_by_role("radio", name=FORMATS[fmt], exact=True).check()
        self.root.get_by_role("checkbox", name=RULES).check()  # «Я принимаю правила ...»

    def submit(self) -> str:
        """«Заказать»: the confirmation; OrderRefused with the dialog's message."""
        self.root.get_by_role("button", name="Заказать", exact=True).click()
        status, alert = self.screen.outcome(within=self.root)
        if alert:
            raise OrderRefused(alert)
        return status or ""

    def close(self) -> None:
        self.root.get_by_role("button", name="Закрыть", exact=True).click()
