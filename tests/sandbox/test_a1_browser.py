"""The A1 business cabinet's single-page markup in headless Chromium: what its script
does. Screens change without a page load (the address follows, «Назад» of the browser
too), custom drop-downs, toasts without a role, the wizard of «Детализация на Email»
keeping its address up to a positioned confirmation window, tables of 10 rows a page, and
the subscribers' export saved from a Blob. Locators are the robot's primitives: what a
person reads."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from page_objects.base import choose_on, control_on, field_on, opener_on, title_on
from robots.domain import Operator
from sandbox.mailserver import MailServer
from sandbox.stack import RunningCabinet, Sandbox
from sandbox.world import SandboxAccount

pytestmark = pytest.mark.integration

TODAY = dt.date(2026, 11, 10)


@pytest.fixture
def a1_page(sandbox: Sandbox, page: Page) -> Page:
    """The browser's page, closed before the sandbox stops (no keep-alive to wait for)."""
    page.set_default_timeout(10_000)
    return page


def log_in(page: Page, a1: RunningCabinet, role: str = "Супервайзер") -> None:
    page.goto(a1.url)
    expect(title_on(page, "Вход в аккаунт")).to_be_visible()
    field_on(page, "Номер телефона").fill(a1.login)
    field_on(page, "Пароль").fill(a1.password)
    control_on(page, "Войти в аккаунт").click()
    expect(title_on(page, "Выберите способ входа")).to_be_visible()
    control_on(page, role).click()
    expect(title_on(page, "Главная")).to_be_visible()


def loaded_once(page: Page) -> bool:
    """Whether the page is still the one marked by ``mark``: no page was loaded since."""
    return bool(page.evaluate("() => window.markedPage === true"))


def mark(page: Page) -> None:
    page.evaluate("() => { window.markedPage = true; }")


@pytest.mark.parametrize("markup", ["", "restyle,seed=4"])
def test_screens_change_without_a_page_load(a1_page: Page, sandbox: Sandbox, markup: str) -> None:
    page, a1 = a1_page, sandbox.cabinet("a1")
    a1.set_markup(markup)
    page.goto(a1.url)
    mark(page)
    field_on(page, "Номер телефона").fill(a1.login)
    field_on(page, "Пароль").fill("wrong-password")
    control_on(page, "Войти в аккаунт").click()
    toast = page.get_by_text("Неверные данные для входа", exact=True)
    expect(toast).to_be_visible()
    assert toast.get_attribute("role") is None
    control_on(page, "Email").click()  # a tab opens its panel at once
    expect(field_on(page, "Email")).to_be_visible()
    expect(field_on(page, "Номер телефона")).to_be_hidden()
    control_on(page, "Пароль").click()
    field_on(page, "Номер телефона").fill(a1.login)
    field_on(page, "Пароль").fill(a1.password)
    control_on(page, "Войти в аккаунт").click()
    expect(title_on(page, "Выберите способ входа")).to_be_visible()
    assert page.url.endswith("/role")
    control_on(page, "Супервайзер").click()
    expect(title_on(page, "Главная")).to_be_visible()

    assert choose_on(opener_on(page, "Лицевой счет"), "1234567890124 (мобильная связь)")
    expect(page.get_by_text("Лицевой счет 1234567890124", exact=True)).to_be_visible()
    control_on(page, "Счета").click()
    expect(title_on(page, "Счета")).to_be_visible()
    assert page.url.endswith("/finance/invoices")
    assert choose_on(opener_on(page, "Период"), "Сентябрь 2026")
    assert not choose_on(opener_on(page, "Период"), "Ноябрь 2026")  # not closed yet
    control_on(page, "Отправить счет").click()
    expect(page.get_by_text("Счет за сентябрь 2026 г. отправлен на адрес")).to_be_visible()
    page.go_back()
    expect(title_on(page, "Главная")).to_be_visible()

    assert loaded_once(page)
    assert page.locator("select, dialog, label, h1, h2, nav, main, [role]").count() == 0
    ((account, period),) = [(o["account"], o["period"]) for o in a1.orders()]
    assert (account, period) == ("1234567890124", "2026-09")


def test_the_details_wizard_keeps_its_address_and_asks_in_a_window(
    a1_page: Page, sandbox: Sandbox
) -> None:
    page, a1 = a1_page, sandbox.cabinet("a1")
    log_in(page, a1)
    mark(page)
    control_on(page, "Детализация на Email").click()
    expect(title_on(page, "Детализация на Email")).to_be_visible()
    assert choose_on(opener_on(page, "Год"), "2026")
    assert choose_on(opener_on(page, "Месяц"), "Сентябрь")
    control_on(page, "Загрузить файл").click()
    expect(field_on(page, "Файл xlsx")).to_be_visible()
    control_on(page, "Выбрать из списка").click()
    expect(field_on(page, "Файл xlsx")).to_be_hidden()
    control_on(page, "Далее").click()
    expect(control_on(page, "Продолжить")).to_be_visible()
    assert page.url.endswith("/finance/details")
    page.get_by_role("row").filter(has_text="375291234568").click()
    expect(page.get_by_text("Выбрано абонентов 1", exact=True)).to_be_visible()
    control_on(page, "Продолжить").click()
    window = title_on(page, "Подтверждение")
    expect(window).to_be_visible()
    assert page.get_by_role("dialog").count() == 0
    assert page.url.endswith("/finance/details")
    control_on(page, "Подтвердить").click()
    expect(page.get_by_text("Детализация заказана", exact=True)).to_be_visible()
    assert loaded_once(page)
    assert [o["numbers"] for o in a1.orders()] == [["375291234568"]]


@pytest.fixture
def crowded(mail_server: MailServer, tmp_path: Path) -> Iterator[RunningCabinet]:
    """The A1 cabinet of a client with one account of 25 subscribers."""
    numbers = tuple(f"3752955{i:05d}" for i in range(25))
    account = SandboxAccount(Operator.A1, "1234567899999", numbers)
    with Sandbox(
        tmp_path / "crowded", mail_server=mail_server, today=TODAY,
        accounts={Operator.A1: (account,)},
    ) as box:  # fmt: skip
        yield box.cabinet("a1")


def test_ten_rows_a_page_and_the_export_from_a_blob(page: Page, crowded: RunningCabinet) -> None:
    page.set_default_timeout(10_000)
    log_in(page, crowded, role="Администратор")
    control_on(page, "Абоненты").click()
    expect(title_on(page, "Абоненты")).to_be_visible()
    rows = page.locator("tbody tr").filter(visible=True)
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text("375295500000")
    turn = control_on(page, "Следующая страница")
    turn.click()
    expect(rows.first).to_contain_text("375295500010")
    turn.click()
    expect(rows).to_have_count(5)
    expect(turn).to_be_disabled()
    rows.first.click()  # a row reacts to a click (the card is not simulated)

    with page.expect_download() as started:
        control_on(page, "Выгрузка в Excel").click()
    download = started.value
    assert download.url.startswith("blob:")
    assert download.suggested_filename == "Абоненты_1234567899999.xlsx"
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    assert sheet.max_row == 26  # the header and every subscriber, not one page
