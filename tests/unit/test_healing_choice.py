"""Self-healing of a renamed control (``page_objects.healing``): which candidate is close
enough, and the bounds that keep a heal from ever pressing the wrong thing. Real
Chromium, small pages written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest
from playwright.sync_api import Page

from page_objects.base import Screen, arrive_at, control_on
from page_objects.healing import (
    HealingPolicy,
    barred,
    candidates_for,
    clear_heals,
    disable_healing,
    enable_healing,
    heals_on,
    irreversible,
    similarity,
)

pytestmark = pytest.mark.integration

SUBMIT = "Сформировать детализацию"
POLICY = HealingPolicy(threshold=0.75, wait_ms=300)


def _links(*texts: str) -> str:
    return "".join(
        f"<p><a href='#' onclick=\"document.body.dataset.pressed='{t}'\">{t}</a></p>" for t in texts
    )


@pytest.fixture
def healing(page: Page) -> Iterator[Page]:
    enable_healing(page, POLICY)
    yield page
    disable_healing(page)
    clear_heals(page)


def test_words_are_compared_not_letters() -> None:
    assert similarity(SUBMIT, "Сформировать детализацию звонков") == 0.8
    assert similarity(SUBMIT, "СФОРМИРОВАТЬ  ДЕТАЛИЗАЦИИ:") == 0.95  # an ending, case, «:»
    assert similarity("Скачать счет", "Скачать счёт") == 1.0
    assert similarity(SUBMIT, "Заказать") == 0.0
    # A changed word is another control, however alike it is spelled.
    assert similarity("Следующая страница", "Предыдущая страница") == 0.5
    assert similarity("Загрузить в PDF", "Загрузить в Excel") < 0.75
    assert similarity("+", "+") == 0.0


def test_the_one_close_control_is_used_and_the_heal_recorded(healing: Page) -> None:
    healed = "Сформировать детализацию звонков"
    healing.set_content("<h1>Детализация</h1>" + _links("Выход", healed))
    control_on(healing, SUBMIT).click()
    assert healing.evaluate("document.body.dataset.pressed") == "Сформировать детализацию звонков"
    (heal,) = heals_on(healing)
    assert (heal.kind, heal.expected, heal.used, heal.score) == (
        "control",
        SUBMIT,
        "Сформировать детализацию звонков",
        0.8,
    )
    assert heal.note == f"healed: «{SUBMIT}» → «Сформировать детализацию звонков» (0.80)"
    assert heal.override == f'labels = {{ "{SUBMIT}" = "Сформировать детализацию звонков" }}'
    assert heal.screenshot is not None and heal.screenshot.startswith(b"\x89PNG")
    control_on(healing, SUBMIT).click()  # the same heal again: recorded once
    assert len(heals_on(healing)) == 1


def test_without_healing_a_renamed_control_is_not_found(page: Page) -> None:
    page.set_content(_links("Сформировать детализацию звонков"))
    assert control_on(page, SUBMIT).count() == 0
    assert heals_on(page) == []


def test_a_control_with_nothing_close_is_not_healed(healing: Page) -> None:
    healing.set_content(_links("Выход", "Заказать"))
    assert control_on(healing, "Следующая страница").count() == 0
    assert control_on(healing, SUBMIT).count() == 0
    assert heals_on(healing) == []


def test_a_control_that_shows_is_not_healed(healing: Page) -> None:
    healing.set_content(_links(SUBMIT, "Сформировать детализацию звонков"))
    control_on(healing, SUBMIT).click()
    assert healing.evaluate("document.body.dataset.pressed") == SUBMIT
    assert heals_on(healing) == []


def test_two_close_controls_are_not_healed(healing: Page) -> None:
    healing.set_content(
        _links("Сформировать детализацию звонков", "Сформировать детализацию абонентов")
    )
    assert control_on(healing, SUBMIT).count() == 0
    assert heals_on(healing) == []
    found = candidates_for(healing, SUBMIT, "control")
    assert [c.score for c in found] == [0.8, 0.8]


def test_an_irreversible_action_is_never_healed_onto(page: Page) -> None:
    enable_healing(page, HealingPolicy(threshold=0.5, wait_ms=300))  # low: it would be close
    page.set_content(_links("Удалить детализацию", "Выход"))
    (closest, *_) = candidates_for(page, SUBMIT, "control")
    assert (closest.text, closest.score) == ("Удалить детализацию", 0.5)
    assert control_on(page, SUBMIT).count() == 0
    assert heals_on(page) == []
    assert irreversible("Заблокировать номер") and irreversible("Замена SIM-карты")
    assert irreversible("Прекращение обслуживания") and irreversible("Смена тарифа")
    assert not irreversible(SUBMIT) and not irreversible("Далее")


def test_nothing_in_a_login_form_is_healed(healing: Page) -> None:
    healing.set_content(
        "<form><input name='login'><input type='password' name='p'>"
        "<input type='submit' value='Войти в аккаунт А1'></form>"
    )
    assert similarity("Войти в аккаунт", "Войти в аккаунт А1") >= POLICY.threshold
    assert control_on(healing, "Войти в аккаунт").count() == 0
    assert heals_on(healing) == []


class CodeStep(Screen):
    heading: ClassVar[str] = "Подтверждение входа"
    login: ClassVar[bool] = True


def test_nothing_on_a_step_of_logging_in_is_healed(healing: Page) -> None:
    healing.set_content("<h1>Подтверждение входа</h1>" + _links("Выслать код подтверждения снова"))
    arrive_at(healing, CodeStep)
    assert control_on(healing, "Выслать код подтверждения").count() == 0
    assert heals_on(healing) == []


def test_the_robots_word_for_another_control_is_never_a_heal(page: Page) -> None:
    enable_healing(page, POLICY, known=["Запросить детализацию звонков"])
    page.set_content(_links("Запросить детализацию звонков"))
    assert control_on(page, "Запросить детализацию").count() == 0
    assert heals_on(page) == []


def test_a_barred_operation_heals_nothing(healing: Page) -> None:
    healing.set_content(_links("Сформировать детализацию звонков"))
    with barred(healing, "the document costs money"):
        assert control_on(healing, SUBMIT).count() == 0
    assert heals_on(healing) == []
    assert control_on(healing, SUBMIT).count() == 1  # outside: healed


def test_field_candidates_are_listed_by_their_captions(page: Page) -> None:
    page.set_content(
        "<table><tr><td>Период детализации:</td><td><input name='p'></td></tr>"
        "<tr><td>Адрес</td><td><input name='a'></td></tr></table>"
    )
    (best, *_) = candidates_for(page, "Период:", "field")
    assert best.text == "Период детализации:" and best.score == 0.67
    best.locator.fill("x")
    assert page.locator("input[name=p]").input_value() == "x"
