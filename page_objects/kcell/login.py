"""Entering Kcell Business ID: the login, and «Забыли пароль?» for the first login.

The first login of an administrator has no password yet: the manual sends it through
«Забыли пароль?» (phone → SMS code → new password twice), after which the cabinet
opens the numbers page.
"""

from __future__ import annotations

from typing import ClassVar, cast

from playwright.sync_api import Page

from page_objects.base import Controls, arrive_at
from page_objects.kcell.common import LOGIN_HEADING, KcellScreen
from page_objects.kcell.numbers import NumbersPage
from robots.errors import CredentialsError, HumanActionRequired, InteractionRequired

FIRST_LOGIN_MARK = "Забыли пароль?"  # «Для первого входа воспользуйтесь функцией «Забыли пароль?»»


class FirstLoginRequired(CredentialsError):
    """The administrator has no password yet: the first login goes through recovery."""


class LoginPage(KcellScreen):
    """«Номер телефона», «Ваш пароль», «Войти»; «Забыли пароль?»."""

    heading: ClassVar[str] = LOGIN_HEADING

    def controls(self) -> Controls:
        forgot = self.page.get_by_role("link", name="Забыли пароль?", exact=True)
        return self.form_controls(fields=["Номер телефона", "Ваш пароль"], buttons=["Войти"]) | {
            "link «Забыли пароль?»": forgot
        }

    @staticmethod
    def open(page: Page, url: str) -> LoginPage | NumbersPage:
        page.goto(url)
        return cast("LoginPage | NumbersPage", arrive_at(page, LoginPage, NumbersPage))

    def log_in(self, phone: str, password: str) -> NumbersPage:
        """Submit; the numbers page, or the reason it was refused.

        Raises FirstLoginRequired when the cabinet says to use «Забыли пароль?»,
        HumanActionRequired when the password expired (a person chooses the next one),
        CredentialsError otherwise.
        """
        self.field("Номер телефона").fill(phone)
        self.field("Ваш пароль").fill(password)
        self.press("Войти")
        landed = arrive_at(self.page, NumbersPage, PasswordChangePage, LoginPage)
        if isinstance(landed, NumbersPage):
            return landed
        if isinstance(landed, PasswordChangePage):
            raise HumanActionRequired(
                f"the Kcell password has expired: {landed.alert() or 'change it'}; "
                "a person must choose a new one in the cabinet and in the robot's secret"
            )
        landed.field("Ваш пароль").fill("")
        reason = landed.alert() or "no reason shown"
        if FIRST_LOGIN_MARK in reason:
            raise FirstLoginRequired(f"the Kcell cabinet: {reason}")
        raise CredentialsError(f"the Kcell cabinet refused the login: {reason}")

    def forgot_password(self) -> RecoveryPhoneStep:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name="Забыли пароль?", exact=True).click()
        return RecoveryPhoneStep.arrive(self.page)


class PasswordChangePage(KcellScreen):
    """«Смена пароля»: shown instead of the numbers when the password expired."""

    heading: ClassVar[str] = "Смена пароля"


class _Recovery(KcellScreen):
    heading: ClassVar[str] = "Восстановление пароля"

    def _refused(self) -> None:
        message = self.alert()
        if message:
            raise InteractionRequired(f"Kcell password recovery: {message}")


class RecoveryPhoneStep(_Recovery):
    """Step 1: the administrator's number."""

    def send_code(self, phone: str) -> RecoveryCodeStep:
        self.field("Номер телефона").fill(phone)
        self.press("Далее")
        step = RecoveryCodeStep.arrive(self.page)
        self.expect(self.field("SMS код").or_(self.page.get_by_role("alert")))
        step._refused()
        return step


class RecoveryCodeStep(_Recovery):
    """Step 2: «Введите SMS код отправленный на ваш номер»."""

    def enter_code(self, code: str) -> RecoveryPasswordStep:
        self.field("SMS код").fill(code)
        self.press("Далее")
        step = RecoveryPasswordStep.arrive(self.page)
        self.expect(self.field("Новый пароль").or_(self.page.get_by_role("alert")))
        step._refused()
        return step


class RecoveryPasswordStep(_Recovery):
    """Step 3: the new password, twice; then the numbers page."""

    def set_password(self, password: str) -> NumbersPage:
        self.field("Новый пароль").fill(password)
        self.field("Повторите пароль").fill(password)
        self.press("Подтвердить")
        landed = arrive_at(self.page, NumbersPage, RecoveryPasswordStep)
        if isinstance(landed, NumbersPage):
            return landed
        for name in ("Новый пароль", "Повторите пароль"):
            landed.field(name).fill("")
        raise CredentialsError(
            f"the Kcell cabinet refused the new password: {landed.alert() or 'no reason shown'}"
        )
