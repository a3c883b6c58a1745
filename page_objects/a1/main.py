"""«Главная»: «Лицевой счет» and «Доставка счета» (its e-mail and format, editable)."""

from __future__ import annotations

import re
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.a1.common import A1Screen, Menu
from page_objects.base import Controls, arrive_at
from robots.errors import ParseError

FORMATS = ("PDF", "Excel", "txt")


class MainPage(Menu):
    heading: ClassVar[str] = "Главная"
    links: ClassVar[tuple[str, ...]] = ("Счета", "Детализация на Email", "Акт сверки", "Абоненты")

    def controls(self) -> Controls:
        found = {f"link «{name}»": self.menu_link(name) for name in self.links}
        found["button «Изменить» of «Доставка счета»"] = self._edit_delivery
        return found

    @property
    def _edit_delivery(self) -> Locator:
        region = self.page.get_by_role("region", name="Доставка счета")
        return region.get_by_role("button", name="Изменить").or_(
            region.get_by_role("link", name="Изменить")
        )

    def account(self) -> str:
        text = self.page.get_by_role("region", name="Лицевой счет").inner_text()
        match = re.search(r"Лицевой счет\s+(\d+)", text)
        if not match:
            raise ParseError("the A1 main page shows no personal account")
        return match[1]

    def delivery(self) -> tuple[str, str]:
        """(e-mail address, format) of «Доставка счета»."""
        text = " ".join(self.page.get_by_role("region", name="Доставка счета").inner_text().split())
        email = re.search(r"Email адрес:\s*(\S+)", text)
        fmt = re.search(r"Формат:\s*(\S+)", text)
        if not email or not fmt:
            raise ParseError(f"the A1 «Доставка счета» block changed: {text!r}")
        return email[1], fmt[1]

    def edit_delivery(self) -> DeliveryForm:
        with self.page.expect_navigation():
            self._edit_delivery.first.click()
        return DeliveryForm.arrive(self.page)


class DeliveryForm(A1Screen):
    heading: ClassVar[str] = "Доставка счета"

    def controls(self) -> Controls:
        return self.form_controls(fields=["Email адрес", "Формат"], buttons=["Сохранить"])

    def save(self, email: str | None, fmt: str | None) -> MainPage:
        if email is not None:
            self.field("Email адрес").fill(email)
        if fmt is not None:
            self.field("Формат").select_option(label=fmt)
        self.press("Сохранить")
        landed = arrive_at(self.page, MainPage, DeliveryForm)
        landed.settle()  # a refused address raises here with the cabinet's words
        return MainPage.arrive(self.page)
