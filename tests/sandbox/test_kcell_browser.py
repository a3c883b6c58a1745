"""The Kcell «Кабинет» in headless Chromium: what its script does in the accessible
markup («Выбор компании» switches on change, «Отправить код на телефон» is enabled when
the countdown ends, a call-details file downloaded by the browser; roles and labels) and
in the single-page markup it serves by default (screens changed without a page load,
custom drop-downs, the range picker, Blob downloads, toasts, paging; by visible texts)."""

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


@pytest.mark.parametrize("markup", ["semantic", "semantic,restyle,seed=4"])
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
    kcell.set_markup("semantic")
    kcell.set_settings(resend_after_s=2)
    page.goto(kcell.url)
    page.get_by_role("link", name="Забыли пароль?").click()
    page.get_by_label("Номер телефона", exact=True).fill(kcell.login)
    page.get_by_role("button", name="Далее").click()
    resend = page.get_by_role("button", name="Отправить код на телефон")
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
    kcell.set_markup("semantic")
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


# -- the single-page markup ------------------------------------------------------------------


def spa_title(page: Page, text: str) -> None:
    expect(page.get_by_text(text, exact=True).first).to_be_visible()


def spa_log_in(page: Page, kcell: RunningCabinet, *, opened: bool = False) -> None:
    if not opened:
        page.goto(kcell.url)
        spa_title(page, "Вход в Kcell Business ID")
        page.wait_for_load_state()
    page.locator("xpath=//*[text()='НОМЕР ТЕЛЕФОНА*']/following::input[1]").fill(kcell.login)
    page.locator("xpath=//*[text()='ВАШ ПАРОЛЬ']/following::input[1]").fill(kcell.password)
    page.get_by_role("button", name="Войти").click()
    spa_title(page, "Управление номерами")


def test_single_page_screens_change_without_a_page_load(kcell_page: Page, sandbox: Sandbox) -> None:
    page, kcell = kcell_page, sandbox.cabinet("kcell")
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    page.goto(kcell.url)
    page.wait_for_load_state()
    page.evaluate("window.firstLoad = true")  # gone if a page were loaded again
    page.get_by_role("button", name="Войти").click()  # empty: refused in a toast
    toast = page.get_by_text("Номер телефона в формате 77012223344", exact=True)
    expect(toast).to_be_visible()
    assert page.get_by_role("alert").count() == 0 and page.get_by_role("status").count() == 0
    spa_log_in(page, kcell, opened=True)
    expect(page).to_have_url(re.compile(r"/numbers$"))  # pushState
    assert page.get_by_role("heading").count() == 0 and page.locator("select").count() == 0

    company = page.get_by_text("TOO Кабинет", exact=True).filter(visible=True)
    company.click()
    page.locator("li", has_text="Филиал TOO Кабинет").click()
    expect(page.get_by_text("77012223346", exact=True)).to_be_visible()
    expect(page.get_by_text("77012223344", exact=True)).to_have_count(0)
    page.get_by_text("77012223347", exact=True).click()  # a clickable row
    spa_title(page, "Информация по номеру")
    expect(page).to_have_url(re.compile(r"/numbers/77012223347$"))
    assert page.get_by_title("Обновить").is_visible()
    page.go_back()
    spa_title(page, "Управление номерами")
    page.get_by_title("Мой профиль").click()
    spa_title(page, "Мой профиль")
    assert page.get_by_title("Изменить").first.is_visible()
    assert page.evaluate("window.firstLoad") is True
    assert len(loads) == 1, loads


@pytest.mark.parametrize("markup", ["", "restyle,seed=4"])
def test_single_page_range_picker_choice_buttons_and_a_blob_download(
    kcell_page: Page, sandbox: Sandbox, markup: str
) -> None:
    page, kcell = kcell_page, sandbox.cabinet("kcell")
    kcell.set_markup(markup)
    spa_log_in(page, kcell)
    page.get_by_text("77012223344", exact=True).click()
    page.get_by_role("button", name="Детализация").click()
    spa_title(page, "Детализация")
    picker = page.locator("xpath=//*[text()='НАЧАЛО И КОНЕЦ ПЕРИОДА']/following-sibling::input")
    expect(picker).to_have_value(re.compile(r"^\d{2}-\d{2}-\d{4} → \d{2}-\d{2}-\d{4}$"))
    picker.fill("1-10-2026 - 31-10-2026")
    picker.blur()
    expect(picker).to_have_value("01-10-2026 → 31-10-2026")  # the picker's own format
    picker.fill("октябрь")
    picker.blur()
    expect(picker).to_have_value("01-10-2026 → 31-10-2026")  # what it cannot read: as it was
    page.get_by_role("button", name="Файл формата XLS").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Запросить детализацию").click()
    assert download.value.url.startswith("blob:")
    assert download.value.suggested_filename == "Детализация.xls"
    (order,) = kcell.orders()
    assert (order["date_from"], order["date_to"], order["format"]) == (
        "2026-10-01",
        "2026-10-31",
        "xls",
    )
    picker.fill("01-01-2026 → 31-01-2026")  # more than 90 days back: refused in a toast
    picker.blur()
    page.get_by_role("button", name="Запросить детализацию").click()
    expect(
        page.get_by_text(re.compile("^Данные для выгрузки доступны за последние 90"))
    ).to_be_visible()
    assert len(kcell.orders()) == 1
