"""Logging in (by personal account and password), and the main menu it leads to."""

from __future__ import annotations

from typing import ClassVar, cast

from playwright.sync_api import Page

from page_objects.base import Controls, arrive_at
from page_objects.sip.bills import BillsSection
from page_objects.sip.common import LOGIN_HEADING, SipScreen
from robots.errors import CredentialsError


class MainMenu(SipScreen):
    """«Главное меню администратора»: the sections of the cabinet."""

    heading: ClassVar[str] = "Главное меню администратора"
    labels: ClassVar[tuple[str, ...]] = ("Счета", "Выход")

    def controls(self) -> Controls:
        return {"link «Счета»": self.menu_link("Счета")}

    def open_bills(self) -> BillsSection:
        """«Счета»: invoices, delivery of invoices, call details, current charges."""
        self.menu_link("Счета").click()
        return BillsSection.arrive(self.page)

    def log_out(self) -> LoginPage:
        self.menu_link("Выход").click()
        return LoginPage.arrive(self.page)


class LoginPage(SipScreen):
    """The login form: «Лицевой счет» and «Пароль»."""

    heading: ClassVar[str] = LOGIN_HEADING
    login: ClassVar[bool] = True
    labels: ClassVar[tuple[str, ...]] = ("Лицевой счет", "Пароль", "Войти")

    def controls(self) -> Controls:
        return self.form_controls(fields=["Лицевой счет", "Пароль"], buttons=["Войти"])

    @staticmethod
    def open(page: Page, url: str) -> LoginPage | MainMenu:
        """Open the cabinet: the login form, or the main menu when the session is alive."""
        page.goto(url)
        return cast("LoginPage | MainMenu", arrive_at(page, LoginPage, MainMenu))

    def log_in(self, account: str, password: str) -> MainMenu:
        """Submit the credentials; CredentialsError with the cabinet's message if refused.

        The password field is emptied again when the login fails, so that nothing
        recorded afterwards (a trace snapshot, a screenshot) holds it.
        """
        self.field("Лицевой счет").fill(account)
        password_field = self.field("Пароль")
        password_field.fill(password)
        self.press("Войти")
        landed = arrive_at(self.page, MainMenu, LoginPage)
        if isinstance(landed, MainMenu):
            return landed
        if landed.field("Пароль").count():
            landed.field("Пароль").fill("")
        raise CredentialsError(
            f"SIP cabinet refused the login: {landed.alert() or 'no reason shown'}"
        )
