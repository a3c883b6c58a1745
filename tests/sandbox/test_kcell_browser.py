"""The Kcell «Кабинет» in headless Chromium: what its script does («Выбор компании»
switches on change, «Отправить код повторно» is enabled when the countdown ends) and a
call-details file downloaded by the browser. Locators are the robot's: roles, labels,
visible texts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sandbox.stack import RunningCabinet, Sandbox

pytestmark = pytest.mark.integration


@pytest.fixture
def kcell_page(sandbox: Sandbox, page: Page) -> Page:
    """The browser's page, closed before the sandbox stops (no keep-alive to wait for)."""
    page.set_default_timeout(10_000)
    return page


def heading(page: Page, text: str) -> None:
    """Wait for the screen and for its script: the script is loaded at the end of the page,
    so a control used as soon as the heading shows could act before it is wired."""
    expect(page.get_by_role("heading", level=1, name=text, exact=True)).to_be_visible()
    page.wait_for_load_state()


def log_in(page: Page, kcell: RunningCabinet) -> None:
    page.goto(kcell.url)
    heading(page, "Вход в Kcell Business ID")
    page.get_by_label("Номер телефона", exact=True).fill(kcell.login)
    page.get_by_label("Ваш пароль", exact=True).fill(kcell.password)
    page.get_by_role("button", name="Войти").click()
    heading(page, "Управление номерами")


@pytest.mark.parametrize("markup", ["", "restyle,seed=4"])
def test_company_switch_on_change_and_a_downloaded_file(
    kcell_page: Page, sandbox: Sandbox, markup: str
) -> None:
    page, kcell = kcell_page, sandbox.cabinet("kcell")
    kcell.set_markup(markup)
    log_in(page, kcell)
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="77012223344", exact=True)).to_be_visible()
    page.get_by_label("Выбор компании", exact=True).select_option(label="Филиал TOO Кабинет")
    expect(table.get_by_role("link", name="77012223346", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="77012223344", exact=True)).to_have_count(0)

    table.get_by_role("link", name="77012223347", exact=True).click()
    heading(page, "Информация по номеру")
    page.get_by_role("button", name="Детализация", exact=True).click()
    heading(page, "Детализация")
    page.get_by_role("radio", name="Файл формата XLS").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Запросить детализацию").click()
    assert download.value.suggested_filename == "Детализация.xls"
    assert [o["numbers"] for o in kcell.orders()] == [["77012223347"]]


def test_resend_button_is_enabled_when_the_countdown_ends(
    kcell_page: Page, sandbox: Sandbox
) -> None:
    page, kcell = kcell_page, sandbox.cabinet("kcell")
    kcell.set_settings(resend_after_s=2)
    page.goto(kcell.url)
    page.get_by_role("link", name="Забыли пароль?").click()
    page.get_by_label("Номер телефона", exact=True).fill(kcell.login)
    page.get_by_role("button", name="Далее").click()
    resend = page.get_by_role("button", name="Отправить код повторно")
    expect(resend).to_be_disabled()
    expect(page.get_by_text(re.compile(r"Повторная отправка через \d сек\."))).to_be_visible()
    first = kcell.last_sms(kcell.login)
    expect(resend).to_be_enabled(timeout=5_000)
    resend.click()
    expect(page.get_by_role("status")).to_have_text("SMS код успешно выслан")
    second = kcell.last_sms(kcell.login)
    assert first is not None and second is not None and second["sent_at"] > first["sent_at"]
    expect(resend).to_be_disabled()


def test_work_act_search_tabs_switch_on_the_page(kcell_page: Page, sandbox: Sandbox) -> None:
    page, kcell = kcell_page, sandbox.cabinet("kcell")
    log_in(page, kcell)
    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Документы и отчеты"
    ).click()
    page.get_by_role("navigation", name="Документы и отчеты").get_by_role(
        "link", name="Акт выполненных работ и расшифровка к счету-фактуре"
    ).click()
    heading(page, "Акт выполненных работ и расшифровка к счету-фактуре")
    by_account = page.get_by_role("tab", name="Поиск по номеру лицевого счета")
    by_phone = page.get_by_role("tab", name="Поиск по номеру телефона")
    expect(by_account).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Номер телефона", exact=True)).to_be_hidden()
    by_phone.click()
    expect(by_phone).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Лицевой счет", exact=True)).to_be_hidden()
    page.get_by_label("Номер телефона", exact=True).fill("77012223345")
    page.get_by_label("Месяц", exact=True).select_option(label="Сентябрь")
    with page.expect_download() as download:
        page.get_by_role("button", name="Загрузить в Excel").click()
    assert download.value.suggested_filename == "Акт выполненных работ.xlsx"
    by_account.click()
    page.get_by_label("Лицевой счет", exact=True).fill("1040123457")  # the other company's
    page.get_by_role("button", name="Загрузить в PDF").click()
    expect(page.get_by_role("alert")).to_have_text("Лицевой счет не найден")
    (order,) = kcell.orders()
    assert (order["numbers"], order["format"]) == (["77012223345"], "xlsx")
    assert order["period"].endswith("-09")
