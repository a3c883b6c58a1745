"""What every A1 business cabinet screen shares: fault screens, the menu, the account,
and how an answer is awaited.

The cabinet is a single-page app: a form is sent with fetch and its answer swapped into
the page (or, in its accessible variant, a new page is loaded), so a press never waits
for a navigation. Each action waits instead for what only its answer shows: the next
screen's title or control, the cabinet's confirmation, or one of its refusals, shown as
a toast without a role or as a ``role=alert`` message. Refusals are matched from the
start of a message, and so are confirmations, so a screen's own text mentioning the
same words (the intro «…(доступен период 3 года)… Акт сверки будет отправлен на адрес…»)
is taken for neither.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar

from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from page_objects.base import (
    Detour,
    Screen,
    choose_on,
    detours,
    offered,
    opener_on,
    page_text,
    words,
)
from robots.errors import OrderRefused, OrderUnconfirmed

LOGIN_HEADING = "Вход в аккаунт"
ACCOUNT_CHOICE = "Лицевой счет"
_NUMBER_FIRST = re.compile(r"^\s*\d{6,}")
_ACCOUNT_TITLE = re.compile(r"^\s*Лицевой сч[её]т\s+(\d+)\s*$", re.IGNORECASE)


DETOURS = detours(
    "A1",
    maintenance="Технические работы",
    server_error="Ошибка сервера",
    refused="Ошибка",
    login=LOGIN_HEADING,
)


def starting_with(text: str) -> re.Pattern[str]:
    """A message that begins with ``text`` (compared as ``fold`` does)."""
    body = words(text, whole=False).pattern
    return re.compile(rf"^\s*{body}", re.IGNORECASE)


class A1Screen(Screen):
    """A screen of the A1 cabinet."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS

    def press(self, name: str) -> None:
        """Click the control ``name``; the caller waits for what the answer shows (this
        cabinet swaps its screens without a page load: no navigation to wait for)."""
        self.button(name).click()

    def opener(self, label: str) -> Locator:
        """The choice ``label``: a select, or a custom drop-down's opener (``opener_on``)."""
        return opener_on(self.page, label)

    def refusal(self, refused: Sequence[str]) -> Locator:
        """Where one of the cabinet's refusals ``refused`` shows: a message beginning with
        its words (a toast, plain text) or a ``role=alert`` message."""
        found = self.page.get_by_role("alert")
        for text in refused:
            found = found.or_(self.page.get_by_text(starting_with(text)))
        return found.filter(visible=True)

    def refused_with(self, refused: Sequence[str]) -> str | None:
        """The refusal shown now, if any."""
        shown = self.refusal(refused)
        return " ".join(shown.first.inner_text().split()) if shown.count() else None

    def answer(self, expected: Locator, refused: Sequence[str]) -> str | None:
        """Wait for ``expected`` or a refusal: the refusal's words, None when ``expected``
        came."""
        self.expect(expected.or_(self.refusal(refused)))
        return self.refused_with(refused)

    def confirmed(self, confirmed: Sequence[str], refused: Sequence[str]) -> str:
        """After sending an order: the confirmation; OrderRefused with the cabinet's words;
        OrderUnconfirmed when neither shows (the order may have been taken).

        Confirmations too are matched from the start of a message: «Акт сверки» says in
        its intro what its confirmation says («…Акт сверки будет отправлен на адрес…»)."""
        said = self.page.get_by_role("status")
        for text in confirmed:
            said = said.or_(self.page.get_by_text(starting_with(text)))
        said = said.filter(visible=True)
        try:
            refusal = self.answer(said, refused)
        except PlaywrightTimeout:
            shown = page_text(self.page)
            raise OrderUnconfirmed(
                f"the A1 cabinet showed neither a confirmation nor a refusal: {shown}"
            ) from None
        if refusal:
            raise OrderRefused(refusal)
        return " ".join(said.first.inner_text().split())


class Menu(A1Screen):
    """A screen after login: the menu and, for a supervisor, the «Лицевой счет» chooser."""

    labels: ClassVar[tuple[str, ...]] = (ACCOUNT_CHOICE,)

    def menu_link(self, link: str) -> Locator:
        return self.button(link)

    def go(self, link: str) -> None:
        """Open the menu's ``link`` (the caller waits for its screen)."""
        self.menu_link(link).click()

    @property
    def account_choice(self) -> Locator:
        """The supervisor's «Лицевой счет» chooser (a select or a custom drop-down)."""
        # The «Лицевой счет NNN» block of «Главная» may have the same name: the chooser is
        # the one that shows account numbers.
        return opener_on(self.page, ACCOUNT_CHOICE).filter(has_text=_NUMBER_FIRST)

    def accounts(self) -> list[str]:
        """The personal accounts a supervisor can switch between (empty for an administrator)."""
        choice = self.account_choice
        if not choice.count():
            return []
        return [found[0] for text in offered(choice) if (found := re.match(r"\d+", text))]

    def shown_account(self) -> str | None:
        """The account of the «Лицевой счет NNN» block, if the screen shows one."""
        title = self.page.get_by_text(_ACCOUNT_TITLE).filter(visible=True)
        if not title.count():
            return None
        found = _ACCOUNT_TITLE.match(title.first.inner_text())
        return found[1] if found else None

    def switch_account(self, account: str) -> None:
        """Work in ``account`` (a supervisor's choice; an administrator has one account)."""
        choice = self.account_choice
        if not choice.count() or self.shown_account() == account:
            return
        texts = offered(choice)
        text = next((t for t in texts if re.match(rf"{account}\b", t)), None)
        if text is None or not choose_on(self.account_choice, text):
            raise OrderRefused(f"personal account {account} is not among {texts}")
        # Choosing another account sends the choice at once: its block shows next.
        self.expect(self.page.get_by_text(re.compile(rf"^\s*Лицевой сч[её]т\s+{account}\s*$")))
