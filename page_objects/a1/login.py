"""«Вход в аккаунт» by SMS, password, personal account or e-mail; then the role."""

from __future__ import annotations

from typing import ClassVar, cast

from playwright.sync_api import Locator, Page

from page_objects.a1.common import LOGIN_HEADING, A1Screen
from page_objects.a1.main import MainPage
from page_objects.base import Controls, arrive_at
from robots.errors import CredentialsError, InteractionRequired

TABS = {"password": "Пароль", "sms": "SMS", "account": "Лицевой счет", "email": "Email"}
ROLES = {"administrator": "Администратор", "supervisor": "Супервайзер"}
FIRST_FIELDS = {"password": "Номер телефона", "account": "Лицевой счет", "email": "Email"}


class LoginPage(A1Screen):
    heading: ClassVar[str] = LOGIN_HEADING

    @staticmethod
    def open(page: Page, url: str) -> LoginPage | RolePage | MainPage:
        page.goto(url)
        return cast(
            "LoginPage | RolePage | MainPage", arrive_at(page, LoginPage, RolePage, MainPage)
        )

    def controls(self) -> Controls:
        return {f"tab «{name}»": self._tab(method) for method, name in TABS.items()}

    def controls_for(self, method: str) -> Controls:
        """What ``log_in`` (``request_code`` for "sms") uses, once ``choose`` opened the tab."""
        if method == "sms":
            return self.form_controls(["Номер телефона"], ["Выслать код подтверждения"])
        return self.form_controls([FIRST_FIELDS[method], "Пароль"], ["Войти в аккаунт"])

    def _tab(self, method: str) -> Locator:
        return self.page.get_by_role("tab", name=TABS[method], exact=True)

    def choose(self, method: str) -> None:
        """Open the tab of a login method («SMS», «Пароль», «Лицевой счет», «Email»)."""
        tab = self._tab(method)
        if tab.get_attribute("aria-selected") != "true":
            tab.click()
        self.expect(self.button("Войти в аккаунт").or_(self.button("Выслать код подтверждения")))

    def log_in(self, method: str, login: str, password: str) -> RolePage:
        """Password, personal account or e-mail login; CredentialsError if refused."""
        self.choose(method)
        self.field(FIRST_FIELDS[method]).fill(login)
        self.field("Пароль").fill(password)
        self.press("Войти в аккаунт")
        return self._role_or_refusal("Пароль")

    def request_code(self, phone: str) -> None:
        """SMS login, step 1: «Выслать код подтверждения»."""
        self.choose("sms")
        self.field("Номер телефона").fill(phone)
        self.press("Выслать код подтверждения")
        landed = LoginPage.arrive(self.page)
        landed.expect(landed.field("Код подтверждения").or_(self.page.get_by_role("alert")))
        message = landed.alert()
        if message:
            raise CredentialsError(f"the A1 cabinet sent no code: {message}")

    def enter_code(self, code: str) -> RolePage:
        self.field("Код подтверждения").fill(code)
        self.press("Войти в аккаунт")
        try:
            return self._role_or_refusal("Код подтверждения")
        except CredentialsError as exc:
            raise InteractionRequired(str(exc)) from None

    def _role_or_refusal(self, secret_field: str) -> RolePage:
        landed = arrive_at(self.page, RolePage, LoginPage)
        if isinstance(landed, RolePage):
            return landed
        if landed.field(secret_field).count():
            landed.field(secret_field).fill("")
        raise CredentialsError(f"the A1 cabinet refused the login: {landed.alert() or 'no reason'}")


class RolePage(A1Screen):
    """«Выберите способ входа»: Абонент, Администратор, Супервайзер."""

    heading: ClassVar[str] = "Выберите способ входа"

    def _choice(self, role: str) -> Locator:
        return self.page.get_by_role("button", name=ROLES[role], exact=True).or_(
            self.page.get_by_role("link", name=ROLES[role], exact=True)
        )

    def controls(self) -> Controls:
        return {f"choice «{name}»": self._choice(role) for role, name in ROLES.items()}

    def choose(self, role: str) -> MainPage:
        with self.page.expect_navigation():
            self._choice(role).first.click()
        landed = arrive_at(self.page, MainPage, RolePage)
        if isinstance(landed, MainPage):
            return landed
        raise CredentialsError(f"the A1 cabinet: {landed.alert() or 'role not available'}")
