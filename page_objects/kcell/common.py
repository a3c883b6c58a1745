"""What every Kcell «Кабинет» screen shares: the fault screens, the top menu, the company."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import Detour, Fetched, Screen, detours
from robots.errors import OrderRefused

LOGIN_HEADING = "Вход в Kcell Business ID"


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

    def fill_dates(self, start: dt.date, end: dt.date) -> None:
        """«Начало периода» and «Конец периода»."""
        self.field("Начало периода").fill(start.isoformat())
        self.field("Конец периода").fill(end.isoformat())

    def fetch(self, button: str, what: str) -> Fetched:
        """Click ``button`` for a file: the file, or OrderRefused with the cabinet's words."""
        download = self.file_or_page(lambda: self.button(button).click())
        if download is None:
            status, alert = self.outcome()
            raise OrderRefused(alert or f"the Kcell cabinet gave no {what}: {status}")
        return Fetched(download.path().read_bytes(), download.suggested_filename, download.url)


class Menu(KcellScreen):
    """A screen with the top menu and «Выбор компании» (every screen after login)."""

    @property
    def menu(self) -> Locator:
        return self.page.get_by_role("navigation", name="Главное меню")

    def company(self) -> str:
        select = self.field("Выбор компании")
        chosen = select.locator("option:checked")  # the selected <option>: by state, no role
        return chosen.inner_text().strip() if chosen.count() else ""

    def companies(self) -> list[str]:
        return [text for _, text in self.options(self.field("Выбор компании"))]

    def switch_company(self, name: str) -> None:
        """Work in company ``name`` (an administrator of several companies)."""
        if self.company() == name:
            return
        if name not in self.companies():
            shown = ", ".join(self.companies())
            raise OrderRefused(f"the Kcell login administers no company {name!r} (it has: {shown})")
        # Choosing another company sends the form at once, as a person sees it do.
        with self.page.expect_navigation():
            self.field("Выбор компании").select_option(label=name)
