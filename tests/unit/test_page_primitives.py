"""The tolerant primitives of ``page_objects.base`` against the markup real cabinets have:
legacy tables without ARIA, links and ``<input type=button>`` as buttons, labels in the
neighbouring cell, opaque option values, custom drop-downs, Blob downloads, single-page
screen changes and paginated tables. Real Chromium, small pages written here.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest
from playwright.sync_api import Page, Route

from page_objects.base import (
    Screen,
    all_rows,
    arrive_at,
    file_from,
    fold,
    month_of,
    month_text,
    period_into,
    title_on,
)
from robots.domain import Period
from robots.errors import OrderRefused, OrderUnconfirmed, UnexpectedScreen

pytestmark = pytest.mark.integration

LEGACY = """
<table width="100%"><tr><td class="t"><b>ВЫБЕРИТЕ АДРЕС ДОСТАВКИ:</b></td></tr>
<tr><td><table>
  <tr><td>Введите адрес e-mail для доставки счетов:</td><td><input name="a1"></td></tr>
  <tr><td><font>Период *</font></td>
      <td><select name="p"><option value="8812">Июнь 2020</option>
          <option value="8813">Июль 2020</option></select></td></tr>
</table></td></tr></table>
<a href="#" onclick="document.body.dataset.pressed='link'">Далее</a>
<input type="button" value="В меню" onclick="document.body.dataset.pressed='input'">
<img src="data:," alt="Изменить" title="Изменить" width="10" height="10"
     onclick="document.body.dataset.pressed='icon'">
"""


class Chosen(Screen):
    heading: ClassVar[str] = "Выберите адрес доставки"


class Other(Screen):
    heading: ClassVar[str] = "Текущий адрес"


def test_a_title_in_a_bold_cell_is_the_screen_folded(page: Page) -> None:
    page.set_content(LEGACY)
    assert Chosen(page).is_here()  # «ВЫБЕРИТЕ АДРЕС ДОСТАВКИ:» as «Выберите адрес доставки»
    assert not Other(page).is_here()
    assert isinstance(arrive_at(page, Other, Chosen), Chosen)
    assert fold(" Ёлка  ПЕРИОД*: ") == "елка период"
    page.set_content("<table><tr><td><b>Изменение способа/адреса доставки</b></td></tr></table>")
    assert title_on(page, "Изменение способа/адреса доставки").count() == 1


def test_a_link_an_input_button_and_an_icon_are_pressed_by_name(page: Page) -> None:
    page.set_content(LEGACY)
    screen = Chosen(page)
    for name, pressed in [("Далее", "link"), ("В меню", "input"), ("Изменить", "icon")]:
        screen.button(name).click()
        assert page.locator("body").get_attribute("data-pressed") == pressed


def test_a_field_captioned_in_the_neighbouring_cell(page: Page) -> None:
    page.set_content(LEGACY)
    Chosen(page).field("Введите адрес e-mail для доставки счетов:").fill("a@example.com")
    assert page.locator("[name=a1]").input_value() == "a@example.com"


def test_an_option_by_its_text_whatever_its_value(page: Page) -> None:
    page.set_content(LEGACY)
    screen = Chosen(page)
    assert screen.offered("Период") == ["Июнь 2020", "Июль 2020"]
    assert screen.pick("Период", "июль 2020")
    assert page.locator("[name=p]").input_value() == "8813"
    assert not screen.pick("Период", "Август 2020")
    assert month_text(Period(year=2020, month=7)) == "Июль 2020" and month_of(
        "Июль 2020"
    ) == Period(year=2020, month=7)


CUSTOM = """
<h2>Счета</h2>
<div class="row"><span>ПЕРИОД*</span>
  <div class="dd" tabindex="0" onclick="document.querySelector('.menu').hidden = false">
    Выберите период</div></div>
<ul class="menu" hidden>
  <li onclick="pick(this)">Январь 2026</li><li onclick="pick(this)">Февраль 2026</li>
</ul>
<script>
function pick(li) {
  document.querySelector('.dd').textContent = li.textContent;
  document.querySelector('.menu').hidden = true;
}
</script>
"""


def test_a_custom_drop_down_is_opened_and_its_item_clicked(page: Page) -> None:
    page.set_content(CUSTOM)
    screen = Chosen(page)
    assert screen.pick("Период", "Февраль 2026")
    assert " ".join(page.locator(".dd").inner_text().split()) == "Февраль 2026"


SPA = """
<div id="app"><h3>Вход</h3><button onclick="go()">Войти</button></div>
<script>
function go() {
  setTimeout(() => {
    document.getElementById('app').innerHTML =
      '<div class="crumb">ТЕКУЩИЙ АДРЕС</div><div class="toast">Адрес доставки изменен</div>';
  }, 300);
}
</script>
"""


def test_a_single_page_screen_change_and_a_toast_without_a_role(page: Page) -> None:
    page.set_content(SPA)
    Chosen(page).button("Войти").click()  # no page load follows
    landed = arrive_at(page, Other)
    assert landed.settle(confirmed=["Адрес доставки изменен"]) == "Адрес доставки изменен"


def test_neither_confirmation_nor_refusal_is_unconfirmed(page: Page) -> None:
    page.set_content("<b>Текущий адрес</b><p>Спасибо</p>")
    page.set_default_timeout(500)
    with pytest.raises(OrderUnconfirmed, match="neither a confirmation nor a refusal"):
        Other(page).settle(confirmed=["Заказ принят"], refused=["Ошибка заказа"])


BLOB = """
<h1>Документы</h1>
<a href="#" onclick="save(); return false">Загрузить в Excel</a>
<script>
function save() {
  setTimeout(() => {
    const blob = new Blob(['Акт сверки'], {type: 'application/octet-stream'});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'akt.xlsx';
    document.body.appendChild(a);
    a.click();
  }, 100);
}
</script>
"""


def test_a_javascript_blob_download_is_the_file(page: Page) -> None:
    page.set_content(BLOB)
    screen = Chosen(page)
    fetched = file_from(page, lambda: screen.button("Загрузить в Excel").click())
    assert (fetched.name, fetched.data) == ("akt.xlsx", "Акт сверки".encode())


PAGED = """
<div class="grid"><table><tr><td><b>Номер</b></td><td><b>Лицевой счет</b></td></tr></table>
<table id="t"><tr><td>Номер</td><td>Лицевой счет</td></tr></table></div>
<a href="#" id="next" onclick="turn(); return false">Следующая</a>
<script>
const pages = [[['7701', '1'], ['7702', '1']], [['7703', '2']]];
let at = 0;
function show() {
  const t = document.getElementById('t');
  while (t.rows.length > 1) t.deleteRow(1);
  for (const [n, a] of pages[at]) { const r = t.insertRow(); r.insertCell().textContent = n;
    r.insertCell().textContent = a; }
  document.getElementById('next').style.display = at + 1 < pages.length ? '' : 'none';
}
function turn() { at += 1; setTimeout(show, 100); }
show();
</script>
"""


def test_a_table_by_its_header_texts_on_every_page(page: Page) -> None:
    page.set_content(PAGED)
    rows = all_rows(page, ["Номер", "Лицевой счет"], next_page="Следующая")
    assert [cells for cells, _ in rows] == [
        {"Номер": "7701", "Лицевой счет": "1"},
        {"Номер": "7702", "Лицевой счет": "1"},
        {"Номер": "7703", "Лицевой счет": "2"},
    ]


def test_headers_drawn_as_a_table_of_their_own_yield_to_the_table_with_rows(
    page: Page,
) -> None:
    page.set_content(
        "<table><tr><td><b>Номер</b></td><td><b>Тариф</b></td></tr></table>"
        "<table><tr><td>Номер</td><td>Тариф</td></tr><tr><td>7701</td><td>Бизнес</td></tr>"
        "</table>"
    )
    assert [c for c, _ in all_rows(page, ["Номер", "Тариф"])] == [
        {"Номер": "7701", "Тариф": "Бизнес"}
    ]
    page.set_content("<table><tr><th>Номер</th><th>Тариф</th></tr></table>")
    assert all_rows(page, ["Номер", "Тариф"]) == []  # no rows yet: the table all the same


def test_a_table_inside_a_frame_is_found(page: Page) -> None:
    page.set_content(
        '<h1>Виртуальный менеджер</h1><iframe srcdoc="<table><tr><th>Абонентский номер</th>'
        '<th>ФИО</th></tr><tr><td>79161234567</td><td>Иванов</td></tr></table>"></iframe>'
    )
    page.frames[-1].wait_for_load_state()
    assert [c for c, _ in all_rows(page, ["Абонентский номер", "ФИО"])] == [
        {"Абонентский номер": "79161234567", "ФИО": "Иванов"}
    ]


def test_the_products_name_in_the_site_header_is_not_a_screen(page: Page) -> None:
    page.set_content(
        '<header><span class="product">Текущий адрес</span></header>'
        "<main><h1>Выберите адрес доставки</h1></main>"
    )
    assert isinstance(arrive_at(page, Other, Chosen), Chosen)
    assert not Other(page).is_here()


def test_a_title_shown_as_a_kicker_yields_to_the_pages_heading(page: Page) -> None:
    page.set_content("<div>ТЕКУЩИЙ АДРЕС</div><h1>Выберите адрес доставки</h1>")
    assert isinstance(arrive_at(page, Other, Chosen), Chosen)


# A single-page app on a made-up host: «Отправить» is sent with fetch and the screen the
# server renders (the same title, a toast) replaces the body; no page is loaded.
APP = "http://cabinet.test"
FORM = """<html><body><div class="title">Акт сверки</div>
<p>Сформированный отчет будет отправлен на указанный Вами email.</p>
<p>Внимание! Акты сверки за прошедший учетный месяц доступны после 3 числа месяца.</p>
{toast}<button data-send>Отправить</button>
<script>
document.addEventListener("click", e => {{
  if (!e.target.matches("[data-send]")) return;
  fetch("/send", {{method: "POST"}}).then(r => r.text()).then(html => setTimeout(() => {{
    document.body.replaceWith(new DOMParser().parseFromString(html, "text/html").body);
  }}, 300));
}});
</script></body></html>"""


class Act(Screen):
    heading: ClassVar[str] = "Акт сверки"


def single_page_app(page: Page, toast: str) -> None:
    def answer(route: Route) -> None:
        sent = route.request.url.endswith("/send")
        body = FORM.format(toast=f'<div class="toast">{toast}</div>' if sent else "")
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    page.route(f"{APP}/**", answer)
    page.goto(f"{APP}/act")


def test_press_waits_for_the_screen_a_single_page_app_swaps_in(page: Page) -> None:
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    single_page_app(page, "Акт сверки будет отправлен на адрес robot@example.com")
    act = Act.arrive(page)
    act.press("Отправить")  # the answer has the same title: only the swap says it came
    assert act.news() == "Акт сверки будет отправлен на адрес robot@example.com"
    assert loads == [f"{APP}/act"]


def test_a_warning_always_shown_is_no_refusal_until_the_answer_repeats_it(page: Page) -> None:
    single_page_app(page, "Акт сверки будет отправлен на адрес robot@example.com")
    act = Act.arrive(page)
    act.press("Отправить")
    said = act.settle(confirmed=["будет отправлен"], refused=["доступны после 3 числа месяца"])
    assert said == "Акт сверки будет отправлен на адрес robot@example.com"

    page.unroute(f"{APP}/**")
    refusal = "Акты сверки за прошедший учетный месяц доступны после 3 числа месяца."
    single_page_app(page, refusal)
    act.press("Отправить")
    with pytest.raises(OrderRefused, match="доступны после 3 числа месяца"):
        act.settle(confirmed=["будет отправлен"], refused=["доступны после 3 числа месяца"])


RANGE = """
<div class="label">НАЧАЛО И КОНЕЦ ПЕРИОДА</div><input value="26-01-2019 → 26-02-2019">
<div class="label">Укажите начало и конец периода</div><input value="Сентябрь 2020 - Сентябрь 2020">
<div class="label">Период</div><input value="01.09.2020 — 30.09.2020" data-refuses>
<p><label for="a">Начало периода</label><input id="a" type="date"></p>
<p><label for="b">Конец периода</label><input id="b" type="date"></p>
<script>
document.querySelector("[data-refuses]").addEventListener("change", e => {
  e.target.value = e.target.defaultValue;  // a picker that takes nothing typed
});
</script>
"""


def test_a_period_is_typed_in_the_range_pickers_own_format_and_read_back(page: Page) -> None:
    page.set_content(RANGE)
    october = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert period_into(page, "Начало и конец периода", *october) == ("01-10-2026", "31-10-2026")
    assert page.locator("input").first.input_value() == "01-10-2026 → 31-10-2026"
    months = period_into(page, "Укажите начало и конец периода", *october)
    assert months == ("Октябрь 2026", "Октябрь 2026")
    with pytest.raises(UnexpectedScreen, match=r"shows '01\.09\.2020 — 30\.09\.2020'"):
        period_into(page, "Период", *october)
    ends = period_into(page, "Период", *october, parts=["Начало периода", "Конец периода"])
    assert ends == ("2026-10-01", "2026-10-31")


# «Выгрузить» fetches the file and saves it from a Blob at once, as Kcell's and A1's
# scripts do: the download's event can come before the fetch's response is seen, and
# Chromium starts no download at all for about one click in ten of a row of them.
EXPORT = """<html><body><div class="title">Детализация</div>
<button data-export>Выгрузить</button>
<script>
document.addEventListener("click", e => {
  if (!e.target.matches("[data-export]")) return;
  fetch("/export").then(r => r.blob()).then(blob => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "details.pdf";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
});
</script></body></html>"""


class Details(Screen):
    heading: ClassVar[str] = "Детализация"


def test_a_blob_download_right_after_its_answer_is_never_missed(page: Page) -> None:
    def answer(route: Route) -> None:
        if route.request.url.endswith("/export"):
            disposition = {"Content-Disposition": 'attachment; filename="details.pdf"'}
            route.fulfill(status=200, headers=disposition, body=b"%PDF-1.4 details")
        else:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=EXPORT)

    page.route(f"{APP}/**", answer)
    page.goto(f"{APP}/details")
    page.set_default_timeout(3_000)  # a missed download fails after this long
    details = Details.arrive(page)
    for _ in range(12):  # Chromium drops about one download in ten of such a row
        fetched = details.file_or_page(lambda: details.button("Выгрузить").click())
        assert fetched is not None
        assert (fetched.name, fetched.data) == ("details.pdf", b"%PDF-1.4 details")
