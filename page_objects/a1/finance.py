"""«Финансы»: «Счета» (re-send an invoice), «Детализация на Email», «Акт сверки»."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from page_objects.a1.common import Menu
from page_objects.base import MONTHS, Controls, month_text
from robots.domain import Period
from robots.errors import OrderRefused

FROM_LIST = "Из списка лицевого счета"
FROM_FILE = "Загрузить файл"


class InvoicesPage(Menu):
    """«Счета»: choose the period, «Отправить счет» (to the delivery e-mail)."""

    heading: ClassVar[str] = "Счета"

    def controls(self) -> Controls:
        return self.form_controls(fields=["Период"], buttons=["Отправить счет"])

    def send(self, period: Period) -> str:
        if not self.pick("Период", month_text(period)):
            raise OrderRefused(f"the A1 cabinet offers no invoice for {period}")
        self.press("Отправить счет")
        return self.settle()


class DetailsPage(Menu):
    """«Детализация на Email»: year and month, then the subscribers, then confirm."""

    heading: ClassVar[str] = "Детализация на Email"

    def controls(self) -> Controls:
        """The first step: the period and how the subscribers are given."""
        return self.form_controls(
            fields=["Год", "Месяц"], radios=[FROM_LIST, FROM_FILE], buttons=["Далее"]
        )

    def list_controls(self) -> Controls:
        """The list of ``from_list``: the subscribers to tick and «Продолжить»."""
        tick = self.page.get_by_role("checkbox")
        return {"a subscriber's checkbox": tick} | self.form_controls(buttons=["Продолжить"])

    def _period(self, period: Period) -> None:
        if not self.pick("Год", str(period.year)):
            raise OrderRefused(f"the A1 cabinet offers call details for three years, not {period}")
        if not self.pick("Месяц", MONTHS[period.month - 1]):
            raise OrderRefused(f"the A1 cabinet offers no call details for {period}")

    def from_list(self, period: Period) -> DetailsPage:
        """The period, «Из списка лицевого счета», «Далее»: the account's list to tick."""
        self._period(period)
        self.page.get_by_role("radio", name=FROM_LIST, exact=True).check()
        self.press("Далее")
        step = DetailsPage.arrive(self.page)
        step.expect(step.button("Продолжить").or_(self.page.get_by_role("alert")))
        step.refuse_if_alerted()
        return step

    def by_list(self, period: Period, numbers: list[str]) -> str:
        """Tick ``numbers`` in the account's list."""
        step = self.from_list(period)
        for number in numbers:
            box = self.page.get_by_role("checkbox", name=number, exact=True)
            if box.count() == 0:
                raise OrderRefused(f"number {number} is not in the account's list at A1")
            box.check()
        step.button("Продолжить").click()
        return step._confirm()

    def by_file(self, period: Period, xlsx: Path) -> str:
        """Upload ``xlsx`` (12-digit numbers in one column)."""
        self._period(period)
        self.page.get_by_role("radio", name=FROM_FILE, exact=True).check()
        self.field("Файл xlsx").set_input_files(xlsx)
        self.button("Далее").click()
        return self._confirm()

    def _confirm(self) -> str:
        dialog = self.page.get_by_role("dialog", name="Подтверждение")
        self.expect(dialog.or_(self.page.get_by_role("alert")))
        self.refuse_if_alerted()
        with self.page.expect_navigation():
            dialog.get_by_role("button", name="Подтвердить", exact=True).click()
        return DetailsPage.arrive(self.page).settle()


class ReconciliationPage(Menu):
    """«Акт сверки»: a period (three years back) and the address (delivery e-mail by default)."""

    heading: ClassVar[str] = "Акт сверки"

    def controls(self) -> Controls:
        fields = ["Начало периода", "Конец периода", "Email"]
        return self.form_controls(fields=fields, buttons=["Далее"])

    def order(self, start: dt.date, end: dt.date, email: str | None) -> str:
        self.field("Начало периода").fill(start.isoformat())
        self.field("Конец периода").fill(end.isoformat())
        if email:
            self.field("Email").fill(email)
        self.press("Далее")
        return self.settle()
