"""What every SIP screen shares: the left menu, the fault screens, steps with Далее."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import Controls, Detour, Screen, detours, month_of, month_text
from robots.domain import Period
from robots.errors import (
    OrderRefused,
)

LOGIN_HEADING = "Вход в личный кабинет"
ACCOUNT_LABEL = "Выберите лицевой счет:"


DETOURS = detours(
    "SIP",
    maintenance="Технические работы",
    server_error="Внутренняя ошибка",
    refused="Ошибка",
    login=LOGIN_HEADING,
)


class SipScreen(Screen):
    """A screen of the SIP cabinet."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS

    @property
    def menu(self) -> Locator:
        """The administrator's menu on the left of every screen."""
        return self.page.get_by_role("navigation", name="Главное меню")

    def menu_link(self, name: str) -> Locator:
        return self.menu.get_by_role("link", name=name, exact=True)


def choose_option(screen: SipScreen, label: str, text: str, what: str) -> None:
    """Choose ``text`` (as the cabinet shows it) in ``label``; OrderRefused if not offered."""
    if not screen.pick(label, text):
        shown = ", ".join(t for t in screen.offered(label) if t) or "nothing"
        raise OrderRefused(f"the SIP cabinet does not offer {what} {text} (it offers: {shown})")


def choose_month(screen: SipScreen, label: str, period: Period, what: str) -> None:
    """Choose ``period``, shown as «Июнь 2020»."""
    choose_option(screen, label, month_text(period), what)


def periods_in(screen: SipScreen, label: str) -> list[Period]:
    """The months a period choice offers («Июнь 2020»)."""
    return [p for text in screen.offered(label) if (p := month_of(text))]


class AccountChoice(SipScreen):
    """A screen that starts with «Выберите лицевой счет:»."""

    def controls(self) -> Controls:
        return self.form_controls(fields=[ACCOUNT_LABEL], buttons=["Далее"])

    def accounts(self) -> list[str]:
        self.refuse_if_alerted()
        return [text for text in self.offered(ACCOUNT_LABEL) if text.strip(" -").isdigit()]

    def choose_account(self, account: str) -> None:
        """Select ``account``; OrderRefused if the service is closed or the account unknown."""
        self.refuse_if_alerted()
        choose_option(self, ACCOUNT_LABEL, account, "personal account")
