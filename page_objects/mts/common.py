"""What every MTS «Виртуальный менеджер» screen shares: the fault screens and detours,
the working area (the page, or the frame a legacy page draws it in), and the primitives
its forms need beyond ``page_objects.base``.

The manual shows no title of the login page of its own (its block reads «ВИРТУАЛЬНЫЙ
МЕНЕДЖЕР», as the main screen's title does): the login page is told by its password
field, from every screen and frame.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import ClassVar

from playwright.sync_api import Frame, Locator

from page_objects.base import (
    Detour,
    Scope,
    Screen,
    as_configured,
    control_on,
    detours,
    field_on,
    label_shown,
    raise_detour,
    screen_timeout,
    text_on,
    title_on,
)
from robots.errors import SessionExpired

PASSWORD = "Пароль:"
_NO_TITLE = "\0"  # the login detour is found by PASSWORD, not by a title
DETOURS: Mapping[str, Detour] = {
    title: meaning
    for title, meaning in detours(
        "MTS",
        maintenance="Технические работы",
        server_error="Ошибка сервера",
        refused="Ошибка",
        login=_NO_TITLE,
    ).items()
    if title != _NO_TITLE
}


class MtsScreen(Screen):
    """A screen of the MTS cabinet; its controls are looked for in ``work``."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS
    # The cabinet's own words for a refusal on this screen (a part is enough): shown as
    # plain coloured text on the legacy pages, so read by their words.
    refusals: ClassVar[Sequence[str]] = ()

    @property
    def work(self) -> Frame:
        """Where the screen's controls are: the page's own frame here."""
        return self.page.main_frame

    def button(self, name: str) -> Locator:
        return control_on(self.work, name)

    def field(self, label: str) -> Locator:
        return field_on(self.work, label)

    def refusal(self) -> str | None:
        """The refusal shown: an alert, or one of ``refusals`` as plain text."""
        shown = self.alert()
        if shown:
            return shown
        found = text_on(self.work, self.refusals)
        if found is None or not found.count():
            return None
        return " ".join(found.first.inner_text().split())

    def expect(self, locator: Locator) -> Locator:
        """Wait for ``locator`` in ``work``; raise what a detour there means instead: an
        error page, or the login page (the session ended) by its password field."""
        work, detours = self.work, self.detours_from_here()
        detour = functools.reduce(
            Locator.or_, [title_on(work, title) for title in detours], field_on(work, PASSWORD)
        )
        locator.or_(detour).first.wait_for(timeout=screen_timeout(self.page))
        if detour.count():  # one query on the way the step went as expected
            raise_detour(self.page, detours, work)
            if not locator.count():  # the login page: its password field
                raise SessionExpired("the MTS cabinet session ended")
        return locator


def box_on(scope: Scope, kind: str, caption: str) -> Locator:
    """A radio button or checkbox (``kind``) by its label, or by the caption written
    right after it («<input type=radio> PDF») or around it in its cell («<input
    type=checkbox> Я принимаю <a>правила ...</a>»), wrapped in other elements or not."""
    text = " ".join(label_shown(scope, caption).split())
    # XPath: a caption in a text node beside the box has no element of its own to find.
    beside = (
        f"xpath=.//input[@type='{kind}']"
        f"[normalize-space(following::text()[normalize-space()][1])='{text}'"
        f" or normalize-space(ancestor::*[normalize-space()][1])='{text}']"
    )
    found = scope.get_by_role("radio" if kind == "radio" else "checkbox", name=text, exact=True)
    found = found.or_(scope.locator(beside))
    return found.filter(visible=True).first.describe(f"the {kind} {as_configured(caption, text)}")
