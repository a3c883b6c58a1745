"""What every Kcell «Кабинет» screen shares: the fault screens, the top menu, the company,
the period of a form, a file asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import (
    Detour,
    Fetched,
    Screen,
    answer_to,
    choose_on,
    chosen_on,
    control_on,
    detours,
    offered,
    opener_on,
    period_into,
)
from robots.errors import OrderRefused

LOGIN_HEADING = "Вход в Kcell Business ID"
COMPANY = "Выбор компании"
# Where a form has a field for each end of its period (the accessible markup); the
# manual shows one range picker instead («26-01-2019 → 26-02-2019»).
PERIOD_ENDS = ("Начало периода", "Конец периода")


DETOURS = detours(
    "Kcell",
    maintenance="Технические работы",
    server_error="Ошибка сервера",
    refused="Ошибка",
    login=LOGIN_HEADING,
)


class KcellScreen(Screen):
    """A screen of the Kcell cabinet."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS
    # The caption of the screen's period, as the manual writes it.
    period_caption: ClassVar[str] = "Укажите начало и конец периода"

    def fill_dates(self, start: dt.date, end: dt.date) -> None:
        """The period, in the range picker (or the two date fields) of the form."""
        period_into(self.page, self.period_caption, start, end, PERIOD_ENDS)

    def period_field(self) -> Locator:
        """The period's field: the range picker, or the first of the two date fields."""
        return self.field(PERIOD_ENDS[0]).or_(self.field(self.period_caption)).first

    def fetch(self, button: str, what: str) -> Fetched:
        """Click ``button`` for a file: the file, or OrderRefused with the cabinet's words."""
        fetched = self.file_or_page(lambda: self.button(button).click())
        if fetched is None:
            said = self.alert() or self.news()
            raise OrderRefused(said or f"the Kcell cabinet gave no {what}")
        return fetched


class Menu(KcellScreen):
    """A screen with the top menu and «Выбор компании» (every screen after login)."""

    labels: ClassVar[tuple[str, ...]] = (COMPANY,)

    def menu_link(self, name: str) -> Locator:
        """A link of the top menu («Управление номерами», «Документы и отчеты»)."""
        return control_on(self.page, name)

    def company(self) -> str:
        return chosen_on(opener_on(self.page, COMPANY))

    def companies(self) -> list[str]:
        return offered(opener_on(self.page, COMPANY))

    def switch_company(self, name: str) -> None:
        """Work in company ``name`` (an administrator of several companies)."""
        if self.company() == name:
            return
        if name not in self.companies():
            shown = ", ".join(self.companies())
            raise OrderRefused(f"the Kcell login administers no company {name!r} (it has: {shown})")
        # Choosing another company sends the choice at once, as a person sees it do.
        answer_to(self.page, opener_on(self.page, COMPANY), lambda opener: choose_on(opener, name))
