"""What every SIP screen shares: the menu of links, the fault screens, the cabinet's
messages, steps with «Далее».

The cabinet's pages are legacy ones (tables, bold titles, captions in the cell beside
their fields, links and ``<input type=button>`` as buttons, messages as plain coloured
text, no roles): everything is found by its words (``page_objects.base``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import (
    Controls,
    Detour,
    Screen,
    detours,
    month_of,
    month_text,
    tick_on,
    words,
)
from robots.domain import Period
from robots.errors import OrderRefused

LOGIN_HEADING = "Вход в личный кабинет"
ACCOUNT_LABEL = "Выберите лицевой счет:"

# The cabinet's refusals. The manual writes only the first (the «Счета» section: «Услуга
# не оказывается ... (с 1 по 3 число каждого месяца)»); the others are assumed, and serve
# only to quote the cabinet's reason: whether a step was refused is told by the screen
# that comes (the same form again), never by these words.
BILLING_DAYS = (
    "Услуга не оказывается в период формирования счетов за услуги связи "
    "(с 1 по 3 число каждого месяца)"
)
REFUSALS: tuple[str, ...] = (
    BILLING_DAYS,
    "Неверный лицевой счет или пароль",
    "Для лицевого счета не указан адрес электронной почты",
    "Неверные параметры запроса",
    "Отметьте хотя бы одного абонента",
    "Максимальная длина поля",
    "Адреса указываются через",
    "Неверный адрес e-mail",
)
# The cabinet's confirmation of an order by e-mail. The manual shows none: «Заказ принят»
# is assumed. A cabinet that says something else leaves the order unconfirmed (a person
# checks it), never ordered twice.
ORDER_TAKEN = "Заказ принят"

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

    def menu_link(self, name: str) -> Locator:
        """A section in the menu (the table of links on the left, or the main menu's)."""
        return self.button(name)

    def form_controls(
        self, fields: Sequence[str] = (), buttons: Sequence[str] = (), radios: Sequence[str] = ()
    ) -> Controls:
        """Fields by caption, buttons by name, radio buttons by the text beside them."""
        found = super().form_controls(fields=fields)
        found |= {f"radio button «{name}»": tick_on(self.page, name) for name in radios}
        return found | super().form_controls(buttons=buttons)

    def refusal(self) -> Locator:
        """Where the cabinet's refusal shows: an alert, or one of its refusal texts."""
        found = self.page.get_by_role("alert")
        for text in REFUSALS:  # a message that starts with one of them
            starts = re.compile(r"^\s*" + words(text, whole=False).pattern, re.IGNORECASE)
            found = found.or_(self.page.get_by_text(starts))
        return found.filter(visible=True)

    def alert(self) -> str | None:
        """The refusal or validation message shown, if any."""
        shown = self.refusal()
        if not shown.count():
            return None
        return " ".join(shown.first.inner_text().split())

    def settle_order(self, *confirmed: str) -> str:
        """After sending an order: the cabinet's confirmation (``ORDER_TAKEN`` and
        ``confirmed``), OrderRefused with its words, or OrderUnconfirmed."""
        return self.settle(confirmed=(ORDER_TAKEN, *confirmed), refused=REFUSALS)


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

    labels: ClassVar[tuple[str, ...]] = (ACCOUNT_LABEL, "Далее")

    def controls(self) -> Controls:
        return self.form_controls(fields=[ACCOUNT_LABEL], buttons=["Далее"])

    def accounts(self) -> list[str]:
        self.refuse_if_alerted()
        return [text for text in self.offered(ACCOUNT_LABEL) if text.strip(" -").isdigit()]

    def choose_account(self, account: str) -> None:
        """Select ``account``; OrderRefused if the service is closed or the account unknown."""
        self.refuse_if_alerted()
        choose_option(self, ACCOUNT_LABEL, account, "personal account")
