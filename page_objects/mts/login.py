"""Logging in: number (+7 and ten digits) and password, then an SMS code if MTS asks."""

from __future__ import annotations

from typing import ClassVar, cast

from playwright.sync_api import Locator, Page

from page_objects.base import Controls, arrive_at, field_on
from page_objects.mts.common import PASSWORD, MtsScreen
from page_objects.mts.manager import VirtualManager
from robots.errors import CredentialsError, InteractionRequired

LOCKED_MARK = "заблокирован"  # «Вход заблокирован из-за неоднократного ввода неверного пароля»


class LoginPage(MtsScreen):
    """«ВИРТУАЛЬНЫЙ МЕНЕДЖЕР»: «Номер: +7 ... Например, 9161234567», «Пароль:», «Войти»."""

    heading: ClassVar[str] = "Виртуальный менеджер"  # the manual's block; not how it is found
    login: ClassVar[bool] = True
    refusals: ClassVar[tuple[str, ...]] = (
        "Неверный номер или пароль",
        "Введите номер в формате",
        LOCKED_MARK,
        "Войдите снова",  # after an SMS step that went wrong
    )
    labels: ClassVar[tuple[str, ...]] = ("Номер:", PASSWORD, "Войти")

    @classmethod
    def heading_on(cls, page: Page) -> Locator:
        """The login form, by its password field (the manual shows no title of its own)."""
        return field_on(page, PASSWORD)

    def controls(self) -> Controls:
        return self.form_controls(fields=["Номер:", PASSWORD], buttons=["Войти"])

    @staticmethod
    def open(page: Page, url: str) -> LoginPage | VirtualManager:
        """Open the cabinet: the login form, or the main screen when the session is alive."""
        page.goto(url)
        return cast("LoginPage | VirtualManager", arrive_at(page, LoginPage, VirtualManager))

    def log_in(self, number: str, password: str) -> VirtualManager | SmsCodePage:
        """Submit the credentials: the main screen, or the SMS step when MTS asks for it.

        Raises CredentialsError with the cabinet's message for a wrong password and for a
        locked login (never retried: more attempts would keep it locked). The password
        field is emptied again on failure, so nothing recorded later holds it.
        """
        self.field("Номер:").fill(number)
        self.field(PASSWORD).fill(password)
        self.press("Войти")
        landed = arrive_at(self.page, VirtualManager, SmsCodePage, LoginPage)
        if isinstance(landed, VirtualManager | SmsCodePage):
            return landed
        landed.field(PASSWORD).fill("")
        reason = landed.refusal() or "no reason shown"
        locked = (
            " (the login is locked: wait, then check the password)" if LOCKED_MARK in reason else ""
        )
        raise CredentialsError(f"the MTS cabinet refused the login: {reason}{locked}")


class SmsCodePage(MtsScreen):
    """«Подтверждение входа»: the code MTS sent by SMS."""

    heading: ClassVar[str] = "Подтверждение входа"
    login: ClassVar[bool] = True
    refusals: ClassVar[tuple[str, ...]] = ("Неверный код подтверждения",)
    labels: ClassVar[tuple[str, ...]] = ("Код из SMS:", "Подтвердить")

    def confirm(self, code: str) -> VirtualManager:
        """Enter the code; InteractionRequired with the cabinet's message if refused."""
        self.field("Код из SMS:").fill(code)
        self.press("Подтвердить")
        landed = arrive_at(self.page, VirtualManager, SmsCodePage, LoginPage)
        if isinstance(landed, VirtualManager):
            return landed
        raise InteractionRequired(
            f"the MTS cabinet refused the SMS code: {landed.refusal() or 'no reason shown'}"
        )
