"""What every MTS «Виртуальный менеджер» screen shares: the fault screens and detours."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from playwright.sync_api import Locator, Page

from page_objects.base import Detour, Screen
from robots.errors import CabinetMaintenance, CabinetUnavailable, SessionExpired

LOGIN_HEADING = "Вход в Виртуальный менеджер"


def _text(page: Page) -> str:
    return " ".join(page.locator("body").inner_text().split())[:300]


DETOURS: Mapping[str, Detour] = {
    "Технические работы": lambda page: CabinetMaintenance(f"MTS cabinet: {_text(page)}"),
    "Ошибка сервера": lambda page: CabinetUnavailable(f"MTS cabinet: {_text(page)}"),
    "Ошибка": lambda page: SessionExpired(f"MTS cabinet refused the request: {_text(page)}"),
    LOGIN_HEADING: lambda page: SessionExpired("the MTS cabinet session ended"),
}


class MtsScreen(Screen):
    """A screen of the MTS cabinet."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def press(self, name: str) -> None:
        """Click the button that sends the form and wait for the answer page."""
        with self.page.expect_navigation():
            self.button(name).click()
