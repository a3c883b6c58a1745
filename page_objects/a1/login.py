"""«Вход в аккаунт» by SMS, password, personal account or e-mail; then the role."""

from __future__ import annotations

from typing import ClassVar, cast

from playwright.sync_api import Locator, Page

from page_objects.a1.common import LOGIN_HEADING, A1Screen
from page_objects.a1.main import MainPage
from page_objects.base import Controls, arrive_at, title_on
from robots.errors import CredentialsError, InteractionRequired

TABS = {"password": "Пароль", "sms": "SMS", "account": "Лицевой счет", "email": "Email"}
ROLES = {"administrator": "Администратор", "supervisor": "Супервайзер"}
FIRST_FIELDS = {
    "password": "Номер телефона",
    "sms": "Номер телефона",
    "account": "Лицевой счет",
    "email": "Email",
}
# The manual shows no refusal of a login: the cabinet's words as the sandbox has them.
LOGIN_REFUSED = ("Неверные данные для входа", "Превышено количество попыток входа")
CODE_REFUSED = ("Неверный код подтверждения", "Срок действия кода истек")
ROLE_REFUSED = ("Роль недоступна для этого входа",)


class LoginPage(A1Screen):
    heading: ClassVar[str] = LOGIN_HEADING
    login: ClassVar[bool] = True
    labels: ClassVar[tuple[str, ...]] = (
        *TABS.values(),
        *FIRST_FIELDS.values(),
        "Пароль",
        "Выслать код подтверждения",
        "Код подтверждения",
        "Войти в аккаунт",
    )

    @staticmethod
    def open(page: Page, url: str) -> LoginPage | RolePage | MainPage:
        page.goto(url)
        return cast(
            "LoginPage | RolePage | MainPage", arrive_at(page, LoginPage, RolePage, MainPage)
        )

    def controls(self) -> Controls:
        return {f"tab «{name}»": self.button(name) for name in TABS.values()}

    def controls_for(self, method: str) -> Controls:
        """What ``log_in`` (``request_code`` for "sms") uses, once ``choose`` opened the tab."""
        if method == "sms":
            return self.form_controls(["Номер телефона"], ["Выслать код подтверждения"])
        return self.form_controls([FIRST_FIELDS[method], "Пароль"], ["Войти в аккаунт"])

    def _showing(self, method: str) -> bool:
        """Whether the tab of ``method`` is open (its fields show)."""
        if method == "sms":
            return (
                self.button("Выслать код подтверждения").is_visible()
                or self.field("Код подтверждения").is_visible()
            )
        if method == "password":
            return self.field("Номер телефона").is_visible() and self.field("Пароль").is_visible()
        return self.field(FIRST_FIELDS[method]).is_visible()

    def choose(self, method: str) -> None:
        """Open the tab of a login method («SMS», «Пароль», «Лицевой счет», «Email»)."""
        if not self._showing(method):
            self.button(TABS[method]).click()
        self.expect(self.field(FIRST_FIELDS[method]))

    def log_in(self, method: str, login: str, password: str) -> RolePage:
        """Password, personal account or e-mail login; CredentialsError if refused."""
        self.choose(method)
        self.field(FIRST_FIELDS[method]).fill(login)
        self.field("Пароль").fill(password)
        self.press("Войти в аккаунт")
        return self._role_or_refusal("Пароль", LOGIN_REFUSED)

    def request_code(self, phone: str) -> None:
        """SMS login, step 1: «Выслать код подтверждения»."""
        self.choose("sms")
        self.field("Номер телефона").fill(phone)
        self.press("Выслать код подтверждения")
        refusal = self.answer(self.field("Код подтверждения"), LOGIN_REFUSED)
        if refusal:
            raise CredentialsError(f"the A1 cabinet sent no code: {refusal}")

    def enter_code(self, code: str) -> RolePage:
        self.field("Код подтверждения").fill(code)
        self.press("Войти в аккаунт")
        try:
            return self._role_or_refusal("Код подтверждения", CODE_REFUSED + LOGIN_REFUSED)
        except CredentialsError as exc:
            raise InteractionRequired(str(exc)) from None

    def _role_or_refusal(self, secret_field: str, refused: tuple[str, ...]) -> RolePage:
        refusal = self.answer(RolePage.heading_on(self.page), refused)
        if refusal is None:
            return RolePage(self.page)
        if self.field(secret_field).count():
            self.field(secret_field).fill("")
        raise CredentialsError(f"the A1 cabinet refused the login: {refusal}")


class RolePage(A1Screen):
    """«Выберите способ входа»: Абонент, Администратор, Супервайзер."""

    heading: ClassVar[str] = "Выберите способ входа"
    login: ClassVar[bool] = True
    labels: ClassVar[tuple[str, ...]] = tuple(ROLES.values())

    def _choice(self, role: str) -> Locator:
        return self.button(ROLES[role])

    def controls(self) -> Controls:
        return {f"choice «{name}»": self._choice(role) for role, name in ROLES.items()}

    def choose(self, role: str) -> MainPage:
        self._choice(role).click()
        refusal = self.answer(title_on(self.page, MainPage.heading), ROLE_REFUSED)
        if refusal:
            raise CredentialsError(f"the A1 cabinet: {refusal}")
        return MainPage(self.page)
