"""The MTS page objects' own primitives on small pages written here (real Chromium):
radio buttons and checkboxes by the caption beside them, days typed the way the field
writes them, the working area found in a frame, and the detours seen there.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from playwright.sync_api import Page

from page_objects.mts import VirtualManager
from page_objects.mts.common import box_on
from page_objects.mts.document import _type_day
from robots.errors import CabinetMaintenance, SessionExpired

pytestmark = pytest.mark.integration

LEGACY_FORM = """
<table>
<tr><td>Формат данных</td><td><input type="radio" name="f" value="1" checked> PDF
  <input type="radio" name="f" value="2"> XML</td></tr>
<tr><td colspan="2"><input type="checkbox" name="r"> Я принимаю
  <a href="#">правила использования системы</a></td></tr>
<tr><td>Период с</td><td><input type="text" name="a" value="01.10.2026"></td>
  <td>по</td><td><input type="date" name="b" value="2026-10-31"></td></tr>
</table>
"""
# As ``restyle`` writes it: each field in wrappers of its own.
WRAPPED_FORM = re.sub(r"(<input[^>]*>)", r"<div><span>\1</span></div>", LEGACY_FORM)
SEMANTIC_FORM = """
<label><input type="radio" name="f" value="pdf"> PDF</label>
<label><input type="radio" name="f" value="xml"> XML</label>
<label><input type="checkbox" name="r"> Я принимаю правила использования системы</label>
"""


@pytest.mark.parametrize(
    "form", [LEGACY_FORM, WRAPPED_FORM, SEMANTIC_FORM], ids=["legacy", "wrapped", "semantic"]
)
def test_boxes_by_the_caption_beside_them_or_their_label(page: Page, form: str) -> None:
    page.set_content(form)
    box_on(page, "radio", "XML").check()
    assert page.locator("input[name=f]:checked").get_attribute("value") in ("2", "xml")
    box_on(page, "checkbox", "Я принимаю правила использования системы").check()
    assert page.locator("input[name=r]").is_checked()
    assert box_on(page, "radio", "HTML").count() == 0


def test_days_are_typed_as_the_field_writes_them(page: Page) -> None:
    page.set_content(LEGACY_FORM)
    _type_day(page.locator("input[name=a]"), dt.date(2026, 9, 5))
    _type_day(page.locator("input[name=b]"), dt.date(2026, 9, 30))
    assert page.locator("input[name=a]").input_value() == "05.09.2026"
    assert page.locator("input[name=b]").input_value() == "2026-09-30"


def framed(body: str) -> str:
    """A main screen whose working area is a frame showing ``body``."""
    return (
        "<table><tr><td><b>Виртуальный менеджер</b></td></tr>"
        "<tr><td><a href='#'>Операции с номерами</a></td></tr></table>"
        f'<iframe srcdoc="{html.escape(body)}"></iframe>'
    )


def test_the_working_area_is_the_frame_and_its_detours_are_seen_there(page: Page) -> None:
    page.set_content(framed("<b>Текущая выборка</b><span>Лицевой счет 277012345678</span>"))
    manager = VirtualManager(page)
    assert manager.is_here()
    assert manager.work != page.main_frame
    assert manager.accounts() == ["277012345678"]
    assert manager.summary() == "Текущая выборка"

    page.set_content(framed("<table><tr><td>Пароль:</td><td><input type=password></td></tr>"))
    with pytest.raises(SessionExpired):
        VirtualManager(page).accounts()
    page.set_content(framed("<table><tr><td><b>Технические работы</b></td></tr></table>"))
    with pytest.raises(CabinetMaintenance):
        VirtualManager(page).accounts()


def test_without_a_frame_the_working_area_is_the_page(page: Page) -> None:
    page.set_content("<h1>Виртуальный менеджер</h1><button>Операции с номерами</button>"
                     "<h2>Текущая выборка (2): один контракт</h2>")  # fmt: skip
    manager = VirtualManager(page)
    assert manager.work == page.main_frame
    assert manager.selected_count() == 2
