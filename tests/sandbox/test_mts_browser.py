"""The MTS «Виртуальный менеджер» in its accessible markup (``semantic``; the legacy one
is in ``test_mts_legacy``) in headless Chromium: real HTML5 drag and drop into
«Текущая выборка» (Playwright's ``drag_to``), the «Заказать документ» menu, the
«Документ» dialog, and what the page's script does when the session ends or the
cabinet fails under it. Locators are the robot's: roles, labels, visible texts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from robots.domain import Operator
from sandbox.stack import RunningCabinet, Sandbox
from sandbox.world import accounts_of

pytestmark = pytest.mark.integration

BIG, SINGLE, PAIR = accounts_of(Operator.MTS)
RULES = "Я принимаю правила использования системы"


@pytest.fixture
def mts_page(sandbox: Sandbox, page: Page) -> Page:
    """The browser's page, closed before the sandbox stops (no keep-alive to wait for)."""
    page.set_default_timeout(10_000)
    sandbox.cabinet("mts").set_markup("semantic")  # these read roles; legacy: test_mts_legacy
    return page


def log_in(page: Page, mts: RunningCabinet) -> None:
    page.goto(mts.url)
    expect(page.get_by_role("heading", name="Вход в Виртуальный менеджер")).to_be_visible()
    page.get_by_label("Номер:", exact=True).fill(mts.login)
    page.get_by_label("Пароль:", exact=True).fill(mts.password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Виртуальный менеджер", exact=True)).to_be_visible()
    page.wait_for_load_state()  # the tree's drag and drop is the page's script, loaded last


def account_item(page: Page, account: str) -> Locator:
    tree = page.get_by_role("region", name="Иерархия").get_by_role("tree")
    return tree.get_by_role("treeitem", name=re.compile(rf"Лицевой счет {account}\b")).first


def zone(page: Page) -> Locator:
    return page.get_by_role("region", name="Текущая выборка")


@pytest.mark.parametrize("markup", ["", "restyle,seed=7"])
def test_drag_and_drop_then_order_call_details(
    mts_page: Page, sandbox: Sandbox, markup: str
) -> None:
    page, mts = mts_page, sandbox.cabinet("mts")
    mts.set_markup(f"semantic,{markup}" if markup else "semantic")
    log_in(page, mts)
    selection = zone(page)
    expect(selection.get_by_role("heading")).to_have_text("Текущая выборка")

    account_item(page, BIG.id).drag_to(selection)
    expect(selection.get_by_role("heading")).to_have_text(
        "Текущая выборка (3): один контракт, однотиповая"
    )
    pair = account_item(page, PAIR.id)
    pair.click()  # unfolds the account's numbers
    expect(pair).to_have_attribute("aria-expanded", "true")
    pair.get_by_role("treeitem", name=PAIR.numbers[1], exact=True).drag_to(selection)
    expect(selection.get_by_role("heading")).to_have_text(
        "Текущая выборка (4): несколько контрактов"
    )
    rows = selection.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(5)  # the header and four numbers
    expect(rows.nth(4)).to_have_text(re.compile(rf"GSM\s*{PAIR.numbers[1]}\s*{PAIR.id}\s*Волкова"))

    page.get_by_role("button", name="Заказать документ").click()
    page.get_by_role("menuitem", name="Детализация разговоров", exact=True).click()
    dialog = page.get_by_role("dialog", name="Документ")
    expect(dialog.get_by_role("heading")).to_have_text("«Детализация разговоров»")
    expect(dialog).to_contain_text("Выбрано 4 номера")
    expect(dialog.get_by_label("Период с", exact=True)).to_have_value("2026-10-01")
    expect(dialog.get_by_label("по", exact=True)).to_have_value("2026-10-31")
    dialog.get_by_label("Период с", exact=True).fill("2026-10-31")
    dialog.get_by_label("по", exact=True).fill("2026-10-01")
    dialog.get_by_label("Отправить на", exact=True).fill(sandbox.mailbox.address)
    dialog.get_by_role("radio", name="XML", exact=True).check()
    dialog.get_by_role("checkbox", name=RULES).check()
    dialog.get_by_role("button", name="Заказать", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "Дата начала периода не может быть позже даты окончания"
    )
    dialog.get_by_label("по", exact=True).fill("2026-11-05")
    dialog.get_by_role("button", name="Заказать", exact=True).click()
    expect(dialog.get_by_role("status")).to_have_text(
        f"Документ заказан и будет отправлен на адрес {sandbox.mailbox.address}"
    )
    expect(dialog.get_by_role("alert")).to_have_count(0)
    dialog.get_by_role("button", name="Закрыть", exact=True).click()
    expect(dialog).to_be_hidden()

    orders = mts.orders()
    assert [(o["account"], o["numbers"], o["format"]) for o in orders] == [
        (BIG.id, list(BIG.numbers), "xml"),
        (PAIR.id, [PAIR.numbers[1]], "xml"),
    ]
    assert {(o["date_from"], o["date_to"]) for o in orders} == {("2026-10-31", "2026-11-05")}
    selection.get_by_role("button", name="Очистить выборку").click()
    expect(selection.get_by_role("heading", name="Текущая выборка", exact=True)).to_be_visible()
    expect(rows).to_have_count(1)
    assert sandbox.outbox.wait_idle(20)


def test_the_invoice_dialog_with_and_without_a_selection(mts_page: Page, sandbox: Sandbox) -> None:
    page, mts = mts_page, sandbox.cabinet("mts")
    log_in(page, mts)
    page.get_by_role("button", name="Заказать документ").click()
    menu = page.get_by_role("menu")
    expect(menu.get_by_role("menuitem")).to_have_text(
        ["Сформированные счета закрытых расчётных периодов", "Детализация разговоров"]
    )
    menu.get_by_role("menuitem", name="Сформированные счета закрытых расчётных периодов").click()
    dialog = page.get_by_role("dialog", name="Документ")
    expect(dialog.get_by_role("alert")).to_have_text("Выберите номера в текущей выборке")
    expect(dialog).to_contain_text("Выбрано 0 номеров")
    expect(dialog.get_by_role("radio", name="PDF")).to_be_checked()
    expect(dialog.get_by_role("radio", name="XML")).to_be_disabled()
    expect(dialog.get_by_role("radio", name="HTML")).to_be_disabled()
    expect(dialog.get_by_role("checkbox", name=RULES)).not_to_be_checked()
    expect(dialog.get_by_label("Отправить на", exact=True)).to_have_value("")
    dialog.get_by_role("button", name="Отмена").click()
    expect(dialog).to_be_hidden()

    account_item(page, SINGLE.id).drag_to(zone(page))
    expect(zone(page).get_by_role("heading")).to_have_text(re.compile(r"\(1\)"))
    page.get_by_role("button", name="Заказать документ").click()
    page.get_by_role("menuitem", name="Сформированные счета закрытых расчётных периодов").click()
    expect(dialog.get_by_role("alert")).to_have_count(0)
    expect(dialog).to_contain_text("Выбрано 1 номер")
    dialog.get_by_label("Период", exact=True).select_option(label="Сентябрь 2026")
    dialog.get_by_label("Отправить на", exact=True).fill(sandbox.mailbox.address)
    dialog.get_by_role("button", name="Заказать", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "Необходимо принять правила использования системы"
    )
    dialog.get_by_role("checkbox", name=RULES).check()
    dialog.get_by_role("button", name="Заказать", exact=True).click()
    expect(dialog.get_by_role("status")).to_be_visible()
    (order,) = mts.orders()
    assert (order["kind"], order["account"], order["period"]) == ("invoice", SINGLE.id, "2026-09")
    assert sandbox.outbox.wait_idle(20)


def test_the_script_follows_an_ended_session_and_shows_error_pages(
    mts_page: Page, sandbox: Sandbox
) -> None:
    page, mts = mts_page, sandbox.cabinet("mts")
    log_in(page, mts)
    mts.expire_sessions()
    account_item(page, BIG.id).drag_to(zone(page))  # the drop's call answers 401
    expect(page.get_by_role("heading", name="Вход в Виртуальный менеджер")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text("Сеанс работы завершен. Войдите снова.")
    assert page.url.endswith("/selfcare/?expired=1")

    log_in(page, mts)
    mts.set_faults("maintenance=mts")
    try:
        zone(page).get_by_role("button", name="Очистить выборку").click()
        expect(page.get_by_role("heading", name="Технические работы")).to_be_visible()
    finally:
        mts.set_faults("")


def test_the_sms_step_in_the_browser(mts_page: Page, sandbox: Sandbox) -> None:
    page, mts = mts_page, sandbox.cabinet("mts")
    mts.set_settings(sms_on_login=True)
    page.goto(mts.url)
    page.get_by_label("Номер:", exact=True).fill(mts.login)
    page.get_by_label("Пароль:", exact=True).fill(mts.password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Подтверждение входа")).to_be_visible()
    sms = mts.last_sms("79161234567")
    assert sms is not None
    page.get_by_label("Код из SMS:", exact=True).fill(sms["code"])
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_role("heading", name="Виртуальный менеджер", exact=True)).to_be_visible()
