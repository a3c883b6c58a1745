"""«Главная»: «Лицевой счет» and «Доставка счета» (its e-mail and format, editable)."""

from __future__ import annotations

import re
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.a1.common import A1Screen, Menu
from page_objects.base import Controls, title_on
from robots.errors import OrderRefused, ParseError

FORMATS = ("PDF", "Excel", "txt")
# The manual shows no refusal of an address: the cabinet's words as the sandbox has them.
ADDRESS_REFUSED = ("Введите корректный адрес электронной почты",)


class MainPage(Menu):
    heading: ClassVar[str] = "Главная"
    links: ClassVar[tuple[str, ...]] = ("Счета", "Детализация на Email", "Акт сверки", "Абоненты")
    labels: ClassVar[tuple[str, ...]] = (*links, "Изменить")

    def controls(self) -> Controls:
        found = {f"link «{name}»": self.menu_link(name) for name in self.links}
        found["button «Изменить» of «Доставка счета»"] = self._edit_delivery
        return found

    @property
    def _edit_delivery(self) -> Locator:
        # A button or an icon titled «Изменить»: the one of the screen.
        return self.button("Изменить")

    def account(self) -> str:
        shown = self.shown_account()
        if shown is None:
            raise ParseError("the A1 main page shows no personal account")
        return shown

    def delivery(self) -> tuple[str, str]:
        """(e-mail address, format) of «Доставка счета»."""
        text = " ".join(self.page.locator("body").inner_text().split())
        email = re.search(r"Email адрес:\s*(\S+)", text)
        fmt = re.search(r"Формат:\s*(\S+)", text)
        if not email or not fmt:
            raise ParseError(f"the A1 «Доставка счета» block changed: {text[:300]!r}")
        return email[1], fmt[1]

    def edit_delivery(self) -> DeliveryForm:
        self._edit_delivery.click()
        # «Доставка счета» is this screen's block too: the form is there when its field is.
        form = DeliveryForm(self.page)
        form.expect(form.field("Email адрес"))
        return form


class DeliveryForm(A1Screen):
    heading: ClassVar[str] = "Доставка счета"
    labels: ClassVar[tuple[str, ...]] = ("Email адрес", "Формат", "Сохранить")

    def controls(self) -> Controls:
        found = self.form_controls(fields=["Email адрес"])
        found["choice «Формат»"] = self.opener("Формат")
        return found | self.form_controls(buttons=["Сохранить"])

    def save(self, email: str | None, fmt: str | None) -> MainPage:
        if email is not None:
            self.field("Email адрес").fill(email)
        if fmt is not None and not self.pick("Формат", fmt):
            raise OrderRefused(f"the A1 «Доставка счета» offers no format {fmt}")
        self.press("Сохранить")
        refusal = self.answer(title_on(self.page, MainPage.heading), ADDRESS_REFUSED)
        if refusal:
            raise OrderRefused(refusal)
        return MainPage.arrive(self.page)
