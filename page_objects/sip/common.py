"""What every SIP screen shares: the left menu, the fault screens, steps with Далее."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import Controls, Detour, Screen, detours
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

    def controls(self) -> Controls:
        return self.form_controls(fields=[ACCOUNT_LABEL], buttons=["Далее"])

    def accounts(self) -> list[str]:
        self.refuse_if_alerted()
        return [value for value, _ in self.options(self.field(ACCOUNT_LABEL)) if value]

    def choose_account(self, account: str) -> None:
        """Select ``account``; OrderRefused if the service is closed or the account unknown."""
        self.refuse_if_alerted()
        choose_option(self, ACCOUNT_LABEL, account, "personal account")
