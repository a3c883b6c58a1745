"""«Детализация на E-mail»: call details of «SIP-соединение» subscribers, by e-mail.

Steps (manual): period (current or previous month) and type → Далее → tick the
subscribers with the tariff «SIP-соединение» → «Сформировать детализацию». The file
arrives «по истечении суток» at the address given in the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import Controls
from page_objects.sip.common import (
    REFUSALS,
    SipScreen,
    choose_month,
    choose_option,
    periods_in,
)
from robots.domain import DocumentFormat, Period
from robots.errors import OrderRefused, ParseError

PERIOD_LABEL = "Период:"
TYPE_LABEL = "Тип детализации:"
DETAIL_TYPES = {
    DocumentFormat.PDF: "Детализация звонков (PDF)",
    DocumentFormat.XLSX: "Детализация звонков (Excel)",
}
SIP_TARIFF = "SIP-соединение"
SUBMIT = "Сформировать детализацию"
COLUMNS = ("Абонент", "Лицевой счет", "Тарифный план")
# The manual's step 5: what the cabinet does with the order.
ORDERED = "По истечении суток детализация будет отправлена"


@dataclass(frozen=True)
class SubscriberRow:
    number: str
    account: str
    tariff: str
    selectable: bool


class DetailsPeriodStep(SipScreen):
    """Step 1: the period and the type of the details."""

    heading: ClassVar[str] = "Детализация на E-mail"
    labels: ClassVar[tuple[str, ...]] = (PERIOD_LABEL, TYPE_LABEL, "Далее")

    def controls(self) -> Controls:
        return self.form_controls(fields=[PERIOD_LABEL, TYPE_LABEL], buttons=["Далее"])

    def periods(self) -> list[Period]:
        return periods_in(self, PERIOD_LABEL)

    def choose(self, period: Period, fmt: DocumentFormat) -> DetailsSubscribersStep:
        if fmt not in DETAIL_TYPES:
            raise OrderRefused(f"the SIP cabinet sends call details as PDF or XLSX, not {fmt}")
        choose_month(self, PERIOD_LABEL, period, "the period")
        choose_option(self, TYPE_LABEL, DETAIL_TYPES[fmt], "the details type")
        self.press("Далее")
        step = DetailsSubscribersStep.arrive(self.page)
        step.button(SUBMIT).or_(step.refusal()).first.wait_for()
        step.refuse_if_alerted()
        return step


class DetailsSubscribersStep(SipScreen):
    """Step 2: the subscribers, of which «SIP-соединение» ones can be ticked."""

    heading: ClassVar[str] = "Детализация на E-mail"
    labels: ClassVar[tuple[str, ...]] = (SUBMIT,)

    def controls(self) -> Controls:
        table = self.table
        return {
            "table of subscribers": table,
            "a subscriber's checkbox": table.get_by_role("checkbox"),
        } | self.form_controls(buttons=[SUBMIT])

    @property
    def table(self) -> Locator:
        return self.table_with(*COLUMNS)

    def _rows(self) -> list[tuple[SubscriberRow, Locator]]:
        found = []
        for cells, row in self.table_rows(self.table):
            try:
                number, account, tariff = (cells[c] for c in COLUMNS)
            except KeyError as exc:
                raise ParseError(f"the SIP subscriber table changed: no column {exc}") from None
            box = row.get_by_role("checkbox")
            selectable = box.count() == 1 and box.is_enabled()
            found.append((SubscriberRow(number, account, tariff, selectable), box))
        return found

    def subscribers(self) -> list[SubscriberRow]:
        """Every listed subscriber, read by the table's column headers."""
        return [subscriber for subscriber, _ in self._rows()]

    def order(self, numbers: list[str]) -> str:
        """Tick ``numbers`` and submit; the cabinet's confirmation."""
        boxes = {subscriber.number: (subscriber, box) for subscriber, box in self._rows()}
        for number in numbers:
            subscriber, box = boxes.get(number, (None, None))
            if subscriber is None or box is None or not subscriber.selectable:
                raise OrderRefused(
                    f"subscriber {number} cannot be ticked: details are offered only for "
                    f"the tariff «{SIP_TARIFF}»"
                )
            box.check()
        self.press(SUBMIT)
        return self.settle(confirmed=(ORDERED,), refused=REFUSALS)
