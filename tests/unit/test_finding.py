"""How the survey says a control was found (``page_objects.finding``), on small pages
written here in real Chromium: the accessible way, each tolerant rule by name, the page
object's own locator, and what is closest to a word not found."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page

from page_objects.base import control_on, field_on, set_overrides, tick_on
from page_objects.finding import How, clear_winner, closest_on, finding_of, title_finding

pytestmark = pytest.mark.integration

PAGE = """
<h1>Счета</h1>
<table><tr><td><b>Заказ счета</b></td></tr>
  <tr><td>Лицевой счет:</td><td><input name="a"></td></tr></table>
<label>Email <input name="e"></label>
<button>Отправить счет</button>
<a onclick="go()">Выслать детализацию</a>
<input type="radio" name="f"> PDF
<a href="/help">Помощь</a>
"""


def found(page: Page, description: str, locator: Locator) -> tuple[How, str]:
    finding = finding_of(page, description, locator)
    return finding.how, finding.rule


def test_each_control_is_named_by_the_rule_that_finds_it(page: Page) -> None:
    page.set_content(PAGE)

    assert found(page, "button «Отправить счет»", control_on(page, "Отправить счет")) == (
        How.EXACT, "role button",
    )  # fmt: skip
    assert found(page, "field «Email»", field_on(page, "Email")) == (How.EXACT, "its label")
    assert found(page, "field «Лицевой счет»", field_on(page, "Лицевой счет")) == (
        How.TOLERANT, "a caption just before it",
    )  # fmt: skip
    assert found(page, "radio button «PDF»", tick_on(page, "PDF")) == (
        How.TOLERANT, "the text just after it",
    )  # fmt: skip
    # Not by its word, but by the page object's own rule: the first link of the page.
    assert found(page, "the first link", page.locator("a").first) == (
        How.OWN, "the page object's own locator",
    )  # fmt: skip
    assert found(page, "button «Заказать»", control_on(page, "Заказать"))[0] is How.MISSING


def test_a_word_configured_for_the_cabinet_is_looked_for_as_configured(page: Page) -> None:
    page.set_content(PAGE)
    set_overrides(page, {"Заказать": "Отправить счет"}, {"Выбор счета": "Счета"})

    finding = finding_of(page, "button «Заказать»", control_on(page, "Заказать"))

    assert (finding.how, finding.word, finding.shown) == (How.EXACT, "Заказать", "Отправить счет")
    title = title_finding(page, "Выбор счета")
    assert (title.how, title.rule, title.shown) == (How.EXACT, "a heading <h1>", "Счета")
    assert title_finding(page, "Заказ счета").rule == "text in <td>"  # the cell holding <b>


def test_what_is_not_found_gets_the_closest_texts_of_its_kind(page: Page) -> None:
    page.set_content(PAGE)

    controls = closest_on(page, "Отправить детализацию", "control")
    fields = closest_on(page, "Лицевой счёт", "field")
    titles = closest_on(page, "Заказ счёта", "title")

    # Each shares one word of two with it: as close as each other.
    assert {c.text for c in controls[:2]} == {"Выслать детализацию", "Отправить счет"}
    assert controls[0].score == controls[1].score
    assert fields[0].text == "Лицевой счет:" and fields[0].score == 1.0  # «ё», «:» aside
    assert titles[0].text == "Заказ счета" and "Помощь" not in [c.text for c in titles]
    # One clear choice is taken; two as close are left to a person.
    assert clear_winner(titles, 0.75) == titles[0]
    assert clear_winner(controls, 0.75) is None
