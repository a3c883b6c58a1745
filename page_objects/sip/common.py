"""What every SIP screen shares: the left menu, the fault screens, steps with Далее."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from playwright.sync_api import Locator, Page

from page_objects.base import Detour, Screen
from robots.domain import Period
from robots.errors import (
    CabinetMaintenance,
    CabinetUnavailable,
    OrderRefused,
    SessionExpired,
)

LOGIN_HEADING = "Вход в личный кабинет"
ACCOUNT_LABEL = "Выберите лицевой счет:"


def _text(page: Page) -> str:
    return " ".join(page.locator("body").inner_text().split())[:300]


# The screens the cabinet shows instead of the expected one, and what each means.
DETOURS: Mapping[str, Detour] = {
    "Технические работы": lambda page: CabinetMaintenance(f"SIP cabinet: {_text(page)}"),
    "Внутренняя ошибка": lambda page: CabinetUnavailable(f"SIP cabinet: {_text(page)}"),
    # A refused form token means the server no longer knows the session.
    "Ошибка": lambda page: SessionExpired(f"SIP cabinet refused the form: {_text(page)}"),
    LOGIN_HEADING: lambda page: SessionExpired("the SIP cabinet session ended"),
}


class SipScreen(Screen):
    """A screen of the SIP cabinet."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS

    @property
    def menu(self) -> Locator:
        """The administrator's menu on the left of every screen."""
        return self.page.get_by_role("navigation", name="Главное меню")

    def menu_link(self, name: str) -> Locator:
        return self.menu.get_by_role("link", name=name, exact=True)

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def press(self, name: str) -> None:
        """Click the button that sends the form and wait for the cabinet's answer page.

        Waiting for the navigation matters: the next screen often has the same heading
        as this one, so "the heading is visible" alone would be true too early.
        """
        with self.page.expect_navigation():
            self.button(name).click()

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def refuse_if_alerted(self) -> None:
        """The cabinet's own refusal, as OrderRefused."""
        message = self.alert()
        if message:
            raise OrderRefused(message)

    def settle(self) -> tuple[str | None, str | None]:
        """After submitting: the confirmation, or OrderRefused with the cabinet's message."""
        status, alert = self.outcome()
        if alert:
            raise OrderRefused(alert)
        return status, alert


def choose_option(screen: SipScreen, label: str, value: str, what: str) -> None:
    """Select ``value`` in the select labelled ``label``; OrderRefused if not offered."""
    select = screen.field(label)
    offered = screen.options(select)
    if value not in {v for v, _ in offered}:
        shown = ", ".join(text for _, text in offered) or "nothing"
        raise OrderRefused(f"the SIP cabinet does not offer {what} {value} (it offers: {shown})")
    select.select_option(value=value)


def periods_in(screen: SipScreen, label: str) -> list[Period]:
    """The months a period select offers (values are ``YYYY-MM``)."""
    return [Period.parse(value) for value, _ in screen.options(screen.field(label)) if value]


class AccountChoice(SipScreen):
    """A screen that starts with «Выберите лицевой счет:»."""

    def accounts(self) -> list[str]:
        self.refuse_if_alerted()
        return [value for value, _ in self.options(self.field(ACCOUNT_LABEL)) if value]

    def choose_account(self, account: str) -> None:
        """Select ``account``; OrderRefused if the service is closed or the account unknown."""
        self.refuse_if_alerted()
        choose_option(self, ACCOUNT_LABEL, account, "personal account")
