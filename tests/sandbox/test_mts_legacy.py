"""The MTS «Виртуальный менеджер» in the legacy markup it serves by default: every page
without ARIA, headings, <label>, <button> or HTML5 drag and drop (in the HTML and after
the script ran), the working area in a frame, the hierarchy dragged with the mouse,
opaque option values and days written ``01.10.2026``, messages as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Frame, Locator, Page, expect

from robots.domain import Operator, Period
from sandbox.cabinets.mts.company import period_id
from sandbox.stack import RunningCabinet, Sandbox
from sandbox.world import accounts_of

if TYPE_CHECKING:
    from tests.sandbox.conftest import MtsClient

pytestmark = pytest.mark.integration

BIG, SINGLE, PAIR = accounts_of(Operator.MTS)
OCTOBER_2026 = Period(year=2026, month=10)  # the last closed month of the sandbox's day
# What the legacy markup never has: ARIA, headings, labels, <button>, HTML5 widgets.
MODERN = re.compile(
    r"\s(role|aria-[a-z]+|draggable|hidden)[=\s>]|<(h[1-6]|label|button|dialog|section|nav"
    r"|header|main|footer)[\s>]",
    re.IGNORECASE,
)
# Every role or aria-* attribute in a document, as the browser has it after the script ran.
ARIA_IN_DOM = """() => Array.from(document.querySelectorAll('*')).flatMap(e =>
    Array.from(e.attributes).map(a => a.name)
        .filter(n => n === 'role' || n.startsWith('aria-') || n === 'draggable')
        .map(n => e.tagName + '[' + n + ']'))"""


def modern_markup(html: str) -> list[str]:
    return [m[0].strip() for m in MODERN.finditer(html)]


def test_every_legacy_page_is_written_without_aria_headings_or_labels(
    mts: MtsClient, sandbox: Sandbox
) -> None:
    cabinet = sandbox.cabinet("mts")
    assert cabinet.cabinet.style == "legacy"  # served by default
    pages = {"login": mts.open("/selfcare/"), "refused": mts.login(password="wrong")}
    assert "Неверный номер или пароль" in pages["refused"].text
    pages["main"] = mts.login()
    assert '<iframe name="work" src="/selfcare/vm/work?tab=1"' in pages["main"].html
    pages["work"] = mts.open("/selfcare/vm/work")
    pages["other tab"] = mts.open("/selfcare/vm/work", tab="2")
    pages["rules"] = mts.open("/selfcare/rules")
    cabinet.set_faults("maintenance=mts")
    pages["maintenance"] = mts.open("/selfcare/vm")
    cabinet.set_faults("")
    pages["not found"] = mts.open("/selfcare/nowhere")
    for name, page in pages.items():
        assert modern_markup(page.html) == [], name
        assert page.h1 == "" and page.alerts == [] and page.labels == [] and page.buttons == []
    assert "<b>ВИРТУАЛЬНЫЙ МЕНЕДЖЕР</b>" in pages["login"].html
    assert "Номер: +7 Например, 9161234567" in pages["login"].text
    assert '<input type="submit" value="Войти">' in pages["login"].html
    assert '<td>Пароль:</td><td><input type="password"' in pages["login"].html
    assert "<b>Виртуальный менеджер</b>" in pages["main"].html
    for tab in ("Операции с номерами", "История действий", "Обращения"):
        assert tab in pages["main"].links
    assert "Нет данных для отображения." in pages["other tab"].text
    assert "<b>Технические работы</b>" in pages["maintenance"].html
    assert pages["maintenance"].status_code == 503


def test_the_working_area_has_the_manual_words_opaque_periods_and_dotted_days(
    mts: MtsClient,
) -> None:
    mts.login()
    work = mts.open("/selfcare/vm/work")
    html = work.html
    for text in ("Иерархия", "Биллинговая", "Текущая выборка", "Заказать документ",
                 "Сформированные счета закрытых расчётных периодов", "Детализация разговоров",
                 "Документ", "Выбрано 0 номеров", "Период с", "Отправить на", "Формат данных",
                 "Я принимаю правила использования системы"):  # fmt: skip
        assert text in work.text, text
    assert "Очистить выборку" not in work.text and "Закрыть" not in work.text  # not in the manual
    assert (
        f'<span class="node" data-drag data-account="{BIG.id}">Лицевой счет {BIG.id}</span>' in html
    )
    assert '<a href="#" class="toggle" data-toggle>+</a>' in html
    for column in ("Тип", "Абонентский номер", "Папка", "ФИО"):
        assert f"<td><b>{column}</b></td>" in html
    assert work.options["period"][0] == (period_id(OCTOBER_2026), "Октябрь 2026")
    assert all(not re.fullmatch(r"\d{4}-\d{2}", value) for value, _ in work.options["period"])
    assert (work.input("date_from")["value"], work.input("date_to")["value"]) == (
        "01.10.2026",
        "31.10.2026",
    )
    assert mts.open("/selfcare/vm/work").status_code == 200
    script = mts.http.get("/static/vm.js").text
    for event in ("mousedown", "mousemove", "mouseup"):
        assert event in script


def test_legacy_orders_take_the_opaque_period_and_dotted_days(
    mts: MtsClient, sandbox: Sandbox
) -> None:
    email = sandbox.mailbox.address
    mts.login()
    mts.open("/selfcare/vm/work")
    mts.select(account=SINGLE.id)
    base = {"email": email, "format": "pdf", "rules": True}
    iso = mts.order(document="invoice", period=str(OCTOBER_2026), **base)
    assert iso.json() == {"alert": "Счет за выбранный период недоступен"}  # not its ids
    assert mts.order(document="invoice", period=period_id(OCTOBER_2026), **base).status_code == 200
    details = mts.order(
        document="call_details", date_from="01.10.2026", date_to="31.10.2026", **base
    )
    assert details.status_code == 200, details.text
    orders = sandbox.cabinet("mts").orders()
    assert [(o["kind"], o["period"]) for o in orders] == [
        ("invoice", "2026-10"),
        ("call_details", "2026-10"),
    ]
    assert (orders[1]["date_from"], orders[1]["date_to"]) == ("2026-10-01", "2026-10-31")
    assert sandbox.outbox.wait_idle(20)


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture
def legacy_page(sandbox: Sandbox, page: Page) -> Iterator[Page]:
    page.set_default_timeout(10_000)
    yield page


def log_in(page: Page, mts: RunningCabinet) -> Frame:
    """Log in by the texts beside the fields; the working area's frame."""
    page.goto(mts.url)
    row = page.locator("tr", has=page.get_by_text("Пароль:", exact=True))
    page.locator("tr", has=page.get_by_text("Номер:", exact=True)).last.locator("input").fill(
        mts.login
    )
    row.last.locator("input").fill(mts.password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_text("Операции с номерами")).to_be_visible()
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    page.wait_for_load_state()  # the frame's script is loaded last
    return frame


def caption(frame: Frame) -> Locator:
    return frame.get_by_text(re.compile(r"^Текущая выборка"))


def mouse_drag(page: Page, source: Locator, target: Locator) -> None:
    """Press, move in steps and release the mouse, as a person drags."""
    start, end = source.bounding_box(), target.bounding_box()
    assert start and end
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(end["x"] + 5, end["y"] + 5, steps=5)
    page.mouse.up()


def test_mouse_drag_in_the_frame_then_order_call_details(
    legacy_page: Page, sandbox: Sandbox
) -> None:
    page, mts = legacy_page, sandbox.cabinet("mts")
    work = log_in(page, mts)
    expect(caption(work)).to_have_text("Текущая выборка")

    mouse_drag(page, work.get_by_text(f"Лицевой счет {BIG.id}"), caption(work))
    expect(caption(work)).to_have_text("Текущая выборка (3): один контракт, однотиповая")
    branch = work.locator("li", has=work.get_by_text(f"Лицевой счет {PAIR.id}"))
    number = branch.get_by_text(PAIR.numbers[1], exact=True)
    expect(number).to_be_hidden()
    branch.get_by_role("link", name="+").click()  # unfolds the account's numbers
    expect(branch.get_by_role("link", name="-")).to_be_visible()
    number.drag_to(caption(work))  # Playwright's drag: mouse down, move, up
    expect(caption(work)).to_have_text("Текущая выборка (4): несколько контрактов")

    work.get_by_role("link", name="Заказать документ").click()
    work.get_by_role("link", name="Детализация разговоров").click()
    window = work.locator("div", has=work.get_by_text("Документ", exact=True)).last
    expect(window).to_contain_text("«Детализация разговоров»")
    expect(window).to_contain_text("Выбрано 4 номера")
    dates = window.locator("input[type=text]")
    expect(dates.nth(0)).to_have_value("01.10.2026")
    dates.nth(0).fill("31.10.2026")
    dates.nth(1).fill("01.10.2026")
    dates.nth(2).fill(sandbox.mailbox.address)
    window.locator("input[type=radio]").nth(1).check()  # XML
    window.locator("input[type=checkbox]").check()
    window.get_by_role("button", name="Заказать").click()
    refusal = window.get_by_text("Дата начала периода не может быть позже даты окончания")
    expect(refusal).to_be_visible()
    assert refusal.evaluate("e => e.tagName") == "FONT"  # plain coloured text
    dates.nth(1).fill("05.11.2026")
    window.get_by_role("button", name="Заказать").click()
    expect(window.get_by_text("Документ заказан и будет отправлен на адрес")).to_be_visible()
    assert page.evaluate(ARIA_IN_DOM) == [] and work.evaluate(ARIA_IN_DOM) == []

    orders = mts.orders()
    assert [(o["account"], o["numbers"], o["format"]) for o in orders] == [
        (BIG.id, list(BIG.numbers), "xml"),
        (PAIR.id, [PAIR.numbers[1]], "xml"),
    ]
    assert {(o["date_from"], o["date_to"]) for o in orders} == {("2026-10-31", "2026-11-05")}
    assert sandbox.outbox.wait_idle(20)


def test_an_ended_session_shows_the_login_page_in_the_frame(
    legacy_page: Page, sandbox: Sandbox
) -> None:
    page, mts = legacy_page, sandbox.cabinet("mts")
    work = log_in(page, mts)
    mts.expire_sessions()
    work.get_by_text(f"Лицевой счет {BIG.id}").drag_to(caption(work))  # its call answers 401
    expect(work.get_by_text("Сеанс работы завершен. Войдите снова.")).to_be_visible()
    expect(work.locator("input[type=password]")).to_be_visible()
    assert work.url.endswith("/selfcare/?expired=1")
