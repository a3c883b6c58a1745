"""A cabinet's own words for the manual's (``labels``, ``titles``): checked at load
against the words the page objects look for, and used by the tolerant primitives of the
page they are set on. Real Chromium, small pages written here."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import ClassVar

import pytest
from playwright.sync_api import Page
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from config.models import RobotConfig
from page_objects.base import Screen, arrive_at, control_on, field_on, set_overrides, tick_on
from page_objects.sip import DetailsSubscribersStep, MainMenu
from page_objects.sip.delivery import CurrentAddress
from page_objects.vocabulary import vocabulary
from robots.browser import translated_errors
from robots.domain import Operator
from robots.errors import ConfigurationError, UnexpectedScreen

SIP_CABINET = """
[mail]
host = "127.0.0.1"
security = "plain"
username = "robot"
password_env = "TEST_MAIL_PW"

[tarifer]
inbox = "inbox"

[[cabinets]]
name = "sip-main"
operator = "sip"
"""


def load(tmp_path: Path, lines: str) -> RobotConfig:
    path = tmp_path / "cabinet-robot.toml"
    path.write_text(SIP_CABINET + lines, encoding="utf-8")
    return load_config(path)


def test_the_words_known_are_those_the_screens_declare() -> None:
    sip = vocabulary(Operator.SIP)
    assert set(DetailsSubscribersStep.labels) <= sip.labels
    assert "Сформировать детализацию" in sip.labels and "Далее" in sip.labels
    assert MainMenu.heading in sip.titles and "Технические работы" in sip.titles
    assert "Заказать документ" not in sip.labels  # an MTS word
    assert "Заказать документ" in vocabulary(Operator.MTS).labels


def test_overrides_of_known_words_load_folded_as_the_robot_compares(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        'labels = { "Сформировать детализацию" = "Заказать", "формат счета" = "Формат" }\n'
        'titles = { "Главное меню администратора" = "Меню" }\n',
    )
    (cabinet,) = config.cabinets
    assert cabinet.labels["Сформировать детализацию"] == "Заказать"
    assert cabinet.titles == {"Главное меню администратора": "Меню"}


def test_an_unknown_word_is_refused_with_the_closest_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as info:
        load(tmp_path, 'labels = { "Сформировать детализацыю" = "Заказать" }\n')
    message = str(info.value)
    assert "cabinets[0] (sip-main)" in message and "'Сформировать детализацыю'" in message
    assert "did you mean 'Сформировать детализацию'?" in message
    assert len(message.splitlines()) == 1


def test_a_label_is_not_a_title(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="titles 'Далее' is not a word") as info:
        load(tmp_path, 'titles = { "Далее" = "Продолжить" }\n')
    assert "did you mean" in str(info.value)


def test_an_empty_override_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="labels 'Далее' is empty"):
        load(tmp_path, 'labels = { "Далее" = " " }\n')


def test_config_check_shows_the_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_MAIL_PW", "secret")
    path = tmp_path / "cabinet-robot.toml"
    path.write_text(SIP_CABINET + 'labels = { "Далее" = "Продолжить" }\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "check", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "labels: «Далее» → «Продолжить»" in result.output


class Step(Screen):
    heading: ClassVar[str] = "Выберите период"


FORM = """
<table><tr><td><b>Период отчета</b></td></tr></table>
<table><tr><td>Месяц отчета:</td><td><input name="m"></td></tr></table>
<input type="radio" name="f" value="1"> Формат PDF
<a href="#" onclick="document.body.dataset.pressed='yes'">Продолжить</a>
"""


def test_the_primitives_look_for_the_cabinets_word(page: Page) -> None:
    page.set_content(FORM)
    assert not control_on(page, "Далее").count()
    set_overrides(
        page,
        labels={"Далее": "Продолжить", "Месяц:": "Месяц отчета", "PDF": "Формат PDF"},
        titles={"Выберите период": "Период отчета"},
    )
    control_on(page, "далее").click()  # folded as the robot compares
    assert page.evaluate("document.body.dataset.pressed") == "yes"
    field_on(page, "Месяц:").fill("Июнь 2020")
    assert page.locator("input[name=m]").input_value() == "Июнь 2020"
    tick_on(page, "PDF").check()
    assert isinstance(arrive_at(page, Step), Step)
    # Set on one page, the words are that page's only.
    other = page.context.new_page()
    other.set_content(FORM)
    assert not control_on(other, "Далее").count()
    other.close()


def test_a_control_not_found_is_named_by_both_words(page: Page) -> None:
    page.set_content("<a href='#'>Далее</a>")
    set_overrides(page, labels={"Далее": "Продолжить"}, titles={"Выберите период": "Период"})
    with pytest.raises(UnexpectedScreen) as info, translated_errors(page):
        control_on(page, "Далее").click(timeout=300)
    assert "«Далее», configured as «Продолжить»" in str(info.value)
    with pytest.raises(UnexpectedScreen) as arrived, translated_errors(page):
        page.set_default_timeout(300)
        arrive_at(page, Step)
    assert "«Выберите период», configured as «Период»" in str(arrived.value)


def test_a_word_configured_for_one_cabinet_does_not_name_another_cabinets_error(
    page: Page,
) -> None:
    # Two cabinets in one process: only the first configures «Далее» as «Продолжить»;
    # the second's own word happens to be «Продолжить» as the manual's.
    set_overrides(page, labels={"Далее": "Продолжить"}, titles={})
    other = page.context.new_page()
    other.set_content("<a href='#'>Назад</a>")
    set_overrides(other, labels={}, titles={})
    with pytest.raises(UnexpectedScreen) as info, translated_errors(other):
        control_on(other, "Продолжить").click(timeout=300)
    assert "the control «Продолжить»" in str(info.value)
    assert "configured as" not in str(info.value)
    other.close()


def test_a_caption_read_beside_its_value_is_the_cabinets_word(page: Page) -> None:
    page.set_default_timeout(500)
    page.set_content(
        "<h1>Текущий адрес</h1><p>Адрес для счетов: bills@example.ru</p><p>Формат счёта: PDF</p>"
    )
    set_overrides(page, labels={"Текущий e-mail:": "Адрес для счетов"}, titles={})
    current = CurrentAddress(page)
    assert current.emails() == ("bills@example.ru",)
    assert current.invoice_format() == "PDF"


# The primitives and screen methods that find something by the manual's word, and which
# of their arguments is the word.
_WORD_ARGUMENT = {
    "button": 0, "field": 0, "press": 0, "pick": 0, "offered": 0, "opener": 0,
    "menu_link": 0, "go": 0, "control_on": 1, "field_on": 1, "opener_on": 1, "tick_on": 1,
    "box_on": 2, "choose_option": 1, "choose_month": 1, "periods_in": 1,
}  # fmt: skip


def _words_looked_for(source: str) -> set[str]:
    """The words a page objects module passes to the primitives: literals, and names of
    the module's own string constants (tuples of them for ``form_controls``)."""
    tree = ast.parse(source)
    constants: dict[str, ast.expr] = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def strings(node: ast.expr) -> list[str]:
        if isinstance(node, ast.Name) and node.id in constants:
            node = constants[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.List | ast.Tuple):
            return [s for item in node.elts for s in strings(item)]
        return []

    found: set[str] = set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = getattr(call.func, "attr", getattr(call.func, "id", ""))
        if name == "form_controls":
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                found.update(strings(argument))
        elif name in _WORD_ARGUMENT and len(call.args) > _WORD_ARGUMENT[name]:
            found.update(strings(call.args[_WORD_ARGUMENT[name]]))
    return found


@pytest.mark.parametrize("operator", list(Operator))
def test_every_word_the_page_objects_look_for_is_declared(operator: Operator) -> None:
    """A word looked for but not declared in a screen's ``labels`` could not be
    overridden: the declared words must not drift from the code."""
    package = Path(__file__).parents[2] / "page_objects" / str(operator)
    known = vocabulary(operator)
    undeclared = {
        f"{path.name}: {word}"
        for path in package.glob("*.py")
        for word in _words_looked_for(path.read_text(encoding="utf-8"))
        if word not in known.labels
    }
    assert not undeclared, f"declare these in their screen's labels: {sorted(undeclared)}"
