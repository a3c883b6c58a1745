"""``tick_on``: a radio button or a checkbox by its label, or by the text written right
after it as legacy pages have them. Real Chromium, small pages written here."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from page_objects.base import tick_on

pytestmark = pytest.mark.integration

LEGACY = """
<table><tr><td>Выберите формат файла:</td>
<td><input type="radio" name="f" value="31" checked> PDF
<input type="radio" name="f" value="32"> XLS</td></tr>
<tr><td><input type="checkbox" name="n" value="7"> 375172345678</td>
<td><input type="checkbox" name="n" value="8" disabled> 375172345682</td></tr></table>
"""
SEMANTIC = """
<fieldset><legend>Выберите формат файла:</legend>
<label><input type="radio" name="f" value="pdf" checked> PDF</label>
<label><input type="radio" name="f" value="xls"> XLS</label></fieldset>
<input type="checkbox" id="a" value="7"><label for="a">375172345678</label>
"""


def test_a_radio_button_and_a_checkbox_by_the_text_after_them(page: Page) -> None:
    page.set_content(LEGACY)
    tick_on(page, "XLS").check()
    assert page.locator("input[value='32']").is_checked()
    assert not page.locator("input[value='31']").is_checked()
    tick_on(page, "375172345678").check()
    assert page.locator("input[value='7']").is_checked()
    assert not tick_on(page, "375172345682").is_enabled()
    assert tick_on(page, "DOC").count() == 0
    assert tick_on(page, "PD").count() == 0  # the whole text, not a part of it


def test_a_radio_button_and_a_checkbox_by_their_labels(page: Page) -> None:
    page.set_content(SEMANTIC)
    tick_on(page, "xls").check()  # as ``fold`` compares
    assert page.locator("input[value='xls']").is_checked()
    tick_on(page, "375172345678").check()
    assert page.locator("#a").is_checked()
