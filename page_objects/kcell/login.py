"""Entering Kcell Business ID: the login, and «Забыли пароль?» for the first login.

The first login of an administrator has no password yet: the manual sends it through
«Забыли пароль?» (phone → SMS code → new password twice), after which the cabinet
opens the numbers page.
"""

from __future__ import annotations

from typing import ClassVar, cast

from playwright.sync_api import Page

from page_objects.base import Controls, answer_to, arrive_at
from page_objects.kcell.common import LOGIN_HEADING, KcellScreen
from page_objects.kcell.numbers import NumbersPage
from robots.errors import CredentialsError, HumanActionRequired, InteractionRequired

FIRST_LOGIN_MARK = "Забыли пароль"  # «Для первого входа воспользуйтесь функцией «Забыли пароль?»»
# The manual writes the step 3 fields «НОВЫЙ ПАРОЛЬ» and «ПОДТВЕРЖДЕНИЕ ПАРОЛЯ».
NEW_PASSWORD = ("Новый пароль", "Подтверждение пароля")


class FirstLoginRequired(CredentialsError):
    """The administrator has no password yet: the first login goes through recovery."""


class LoginPage(KcellScreen):
    """«Номер телефона», «Ваш пароль», «Войти»; «Забыли пароль?»."""

    heading: ClassVar[str] = LOGIN_HEADING
    login: ClassVar[bool] = True
    labels: ClassVar[tuple[str, ...]] = ("Номер телефона", "Ваш пароль", "Войти", "Забыли пароль?")

    def controls(self) -> Controls:
        forgot = self.button("Забыли пароль?")
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
        reason = landed.alert() or landed.news() or "no reason shown"
        if FIRST_LOGIN_MARK in reason:
            raise FirstLoginRequired(f"the Kcell cabinet: {reason}")
        raise CredentialsError(f"the Kcell cabinet refused the login: {reason}")

    def forgot_password(self) -> RecoveryPhoneStep:
        answer_to(self.page, self.button("Забыли пароль?"))
        return RecoveryPhoneStep.arrive(self.page)


class PasswordChangePage(KcellScreen):
    """«Смена пароля»: shown instead of the numbers when the password expired."""

    heading: ClassVar[str] = "Смена пароля"
    login: ClassVar[bool] = True


class _Recovery(KcellScreen):
    heading: ClassVar[str] = "Восстановление пароля"
    login: ClassVar[bool] = True

    def _unless_shown(self, field: str) -> None:
        """After a step is sent: the next step shows ``field``, or the step was refused."""
        if not self.field(field).count():
            said = self.alert() or self.news() or "the next step did not show"
            raise InteractionRequired(f"Kcell password recovery: {said}")


class RecoveryPhoneStep(_Recovery):
    """Step 1: the administrator's number."""

    labels: ClassVar[tuple[str, ...]] = ("Номер телефона", "Далее")

    def send_code(self, phone: str) -> RecoveryCodeStep:
        self.field("Номер телефона").fill(phone)
        self.press("Далее")
        step = RecoveryCodeStep.arrive(self.page)
        step._unless_shown("SMS код")
        return step


class RecoveryCodeStep(_Recovery):
    """Step 2: «Введите SMS код отправленный на ваш номер»."""

    labels: ClassVar[tuple[str, ...]] = ("SMS код", "Далее")

    def enter_code(self, code: str) -> RecoveryPasswordStep:
        self.field("SMS код").fill(code)
        self.press("Далее")
        step = RecoveryPasswordStep.arrive(self.page)
        step._unless_shown(NEW_PASSWORD[0])
        return step


class RecoveryPasswordStep(_Recovery):
    """Step 3: the new password, twice; then the numbers page."""

    labels: ClassVar[tuple[str, ...]] = (*NEW_PASSWORD, "Подтвердить")

    def set_password(self, password: str) -> NumbersPage:
        for name in NEW_PASSWORD:
            self.field(name).fill(password)
        self.press("Подтвердить")
        landed = arrive_at(self.page, NumbersPage, RecoveryPasswordStep)
        if isinstance(landed, NumbersPage):
            return landed
        for name in NEW_PASSWORD:
            landed.field(name).fill("")
        said = landed.alert() or landed.news() or "no reason shown"
        raise CredentialsError(f"the Kcell cabinet refused the new password: {said}")
