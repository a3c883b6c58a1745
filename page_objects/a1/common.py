"""What every A1 business cabinet screen shares: fault screens, the menu, the account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import Detour, Screen, detours
from robots.errors import OrderRefused

LOGIN_HEADING = "Вход в аккаунт"


DETOURS = detours(
    "A1",
    maintenance="Технические работы",
    server_error="Ошибка сервера",
    refused="Ошибка",
    login=LOGIN_HEADING,
)


class A1Screen(Screen):
    """A screen of the A1 cabinet."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS


class Menu(A1Screen):
    """A screen after login: «Главное меню» and, for a supervisor, «Лицевой счет»."""

    def menu_link(self, link: str) -> Locator:
        menu = self.page.get_by_role("navigation", name="Главное меню")
        return menu.get_by_role("link", name=link, exact=True)

    def go(self, link: str) -> None:
        with self.page.expect_navigation():
            self.menu_link(link).click()

    @property
    def account_select(self) -> Locator:
        # The «Лицевой счет» block on the main page has the same name: ask for the select.
        return self.page.get_by_role("combobox", name="Лицевой счет", exact=True)

    def accounts(self) -> list[str]:
        """The personal accounts a supervisor can switch between (empty for an administrator)."""
        select = self.account_select
        return [value for value, _ in self.options(select)] if select.count() else []

    def switch_account(self, account: str) -> None:
        select = self.account_select
        if select.count() == 0:
            return  # an administrator has one account
        if select.input_value() == account:
            return
        if account not in self.accounts():
            raise OrderRefused(f"personal account {account} is not among {self.accounts()}")
        # Choosing another account sends the form at once, as a person sees it do.
        with self.page.expect_navigation():
            select.select_option(value=account)
