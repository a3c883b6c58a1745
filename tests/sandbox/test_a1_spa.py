"""The A1 business cabinet's single-page markup (served by default) over HTTP: what the
server writes for its script to draw (``test_a1_browser.py`` runs it): no roles, no
``aria-*``, no native select, heading, label or dialog in any screen; drop-downs as lists
with a hidden value; the login's four methods as panels of one screen; messages left for
toasts; one range field «Период» on «Акт сверки»; the export as a file for a Blob."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.sandbox.conftest import A1Client, Page

pytestmark = pytest.mark.integration

# What the accessible markup has and the single-page one must not.
_ACCESSIBLE = re.compile(r"\srole=|\saria-|<select|<dialog|<nav|<label|<h[1-6]|<main|<section")


def toasts(page: Page) -> list[tuple[str, str]]:
    """(kind, text) of the messages the page leaves to its script's toasts."""
    return re.findall(r'data-toast="(\w+)" hidden>([^<]*)<', page.html)


def titles(page: Page) -> list[str]:
    return re.findall(r'class="screen-title">([^<]*)<', page.html)


def items(page: Page, name: str) -> list[tuple[str, str]]:
    """(value, text) of the drop-down whose hidden input is ``name``."""
    found = re.search(
        r'<ul class="dropdown-list" data-dd-list hidden>((?:(?!</ul>).)*)</ul>\s*'
        rf'<input type="hidden" name="{name}" value="([^"]*)"',
        page.html,
        re.S,
    )
    assert found, f"no drop-down {name!r}"
    return re.findall(r'data-value="([^"]*)">([^<]*)<', found[1])


def chosen(page: Page, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)" data-dd-value', page.html)
    assert found, f"no drop-down {name!r}"
    return found[1]


def test_no_screen_has_roles_headings_labels_or_selects(a1: A1Client) -> None:
    seen = [a1.open("/login"), a1.open("/password/forgot"), a1.open("/nowhere")]
    a1.open("/login")
    seen.append(a1.login("password", "291234567", "wrong"))
    seen += [a1.login(), a1.submit("/role", {"role": "supervisor"})]
    for path in ("/main/delivery", "/finance/invoices", "/finance/payments", "/subscribers"):
        seen.append(a1.open(path))
    seen += [a1.open("/finance/reconciliation"), a1.open("/finance/details")]
    seen.append(a1.details("2026", "10"))
    seen.append(a1.submit("/finance/details/select", {"year": "2026", "month": "10",
                                                       "numbers": ["375291234567"]}))  # fmt: skip
    for page in seen:
        assert page.status_code in (200, 404), page.url
        assert _ACCESSIBLE.findall(page.html) == [], page.url
        assert "data-app" in page.html and "/static/a1-spa.js" in page.html
    assert "Страница не найдена" in titles(seen[2])
    assert toasts(seen[3]) == [("error", "Неверные данные для входа")]
    assert titles(seen[-1]) == ["Детализация на Email"]
    assert "Подтверждение" in seen[-1].text and "Подтвердить" in seen[-1].buttons


def test_login_methods_are_panels_of_one_screen(a1: A1Client) -> None:
    page = a1.open("/login", method="email")
    assert titles(page) == ["Вход в аккаунт"]
    tabs = re.findall(r'<a class="tab" data-tab="(\w+)"( data-active)?>([^<]*)<', page.html)
    assert tabs == [
        ("sms", "", "SMS"),
        ("password", "", "Пароль"),
        ("account", "", "Лицевой счет"),
        ("email", " data-active", "Email"),
    ]
    panels = re.findall(r'data-panel="(\w+)"( hidden)?', page.html)
    assert panels == [("sms", " hidden"), ("password", " hidden"), ("account", " hidden"),
                      ("email", "")]  # fmt: skip
    # Captions beside their fields, in capitals by the stylesheet, «*» when required.
    assert '<span class="caption">Номер телефона<i class="req">*</i></span>' in page.html
    assert (
        page.buttons.count("Войти в аккаунт") == 3 and "Выслать код подтверждения" in page.buttons
    )
    page = a1.submit("/login", {"method": "sms", "phone": "291234567"})
    assert 'name="code"' in page.html and 'data-panel="sms" novalidate' in page.html


def test_roles_and_the_account_chooser(a1: A1Client) -> None:
    page = a1.login()
    assert re.findall(r'data-submit-value="(\w+)">([^<]*)<', page.html) == [
        ("subscriber", "Абонент"),
        ("administrator", "Администратор"),
        ("supervisor", "Супервайзер"),
    ]
    assert toasts(a1.submit("/role", {"role": "subscriber"})) == [
        ("error", "Роль недоступна для этого входа")
    ]
    page = a1.submit("/role", {"role": "supervisor"})
    assert titles(page) == ["Главная"] and "Лицевой счет 1234567890123" in page.text
    assert items(page, "account") == [
        ("1234567890123", "1234567890123 (мобильная связь)"),
        ("1234567890124", "1234567890124 (мобильная связь)"),
        ("1234567890125", "1234567890125 (фиксированная связь)"),
    ]
    assert chosen(page, "account") == "1234567890123" and "data-submit" in page.html
    # «Изменить» of «Доставка счета» is an icon with its name as a title.
    assert 'title="Изменить" data-go="/main/delivery">✎</button>' in page.html
    page = a1.switch("1234567890124")
    assert "Лицевой счет 1234567890124" in page.text


def test_drop_downs_toasts_and_the_confirmation_window(a1: A1Client) -> None:
    a1.enter()
    page = a1.open("/finance/invoices")
    assert items(page, "period")[0] == ("2026-10", "Октябрь 2026")
    assert chosen(page, "period") == "2026-10"
    page = a1.submit("/finance/invoices", {"period": "2026-10"})
    ((kind, text),) = toasts(page)
    assert kind == "ok" and text.startswith("Счет за октябрь 2026 г. отправлен на адрес")
    page = a1.open("/finance/details")
    assert items(page, "year") == [("2024", "2024"), ("2025", "2025"), ("2026", "2026")]
    assert items(page, "month")[9] == ("10", "Октябрь") and chosen(page, "month") == "10"
    assert re.findall(r'data-choice="(\w+)"( data-chosen)?>([^<]*)<', page.html) == [
        ("list", " data-chosen", "Выбрать из списка"),
        ("file", "", "Загрузить файл"),
    ]
    assert "Способ ввода абонента" in page.text
    page = a1.details("2026", "11")
    assert toasts(page) == [("error", "Детализация за выбранный период недоступна")]
    page = a1.details("2026", "10")
    assert page.buttons == ["Продолжить", "‹", "›"] and "Выбрано абонентов 0" in page.text
    assert len(re.findall(r"<tr data-tick>", page.html)) == 3
    assert 'data-pages="choice" data-tickable' in page.html and 'data-pager="choice"' in page.html
    page = a1.submit("/finance/details/select", {"year": "2026", "month": "10"})
    assert toasts(page) == [("error", "Выберите абонентов")]
    data = {"year": "2026", "month": "10", "numbers": ["375291234567"]}
    page = a1.submit("/finance/details/select", data)
    assert 'class="shade"' in page.html and "Выбрано абонентов 1" in page.text
    assert toasts(a1.submit("/finance/details/confirm", {})) == [("ok", "Детализация заказана")]


def test_reconciliation_takes_one_range(a1: A1Client) -> None:
    a1.enter()
    page = a1.open("/finance/reconciliation")
    assert page.input("period")["value"] == "01/10/2026 – 31/10/2026"
    assert page.input("period")["placeholder"] == "ДД/ММ/ГГГГ – ДД/ММ/ГГГГ"
    assert "date_from" not in page.html
    for wrong in ("2026-01-01 – 2026-10-31", "01/11/2023 – 31/10/2026", "31/10/2026 – 01/10/2026"):
        page = a1.submit("/finance/reconciliation", {"period": wrong, "email": "buh@example.by"})
        assert toasts(page) == [("error", "Доступен период 3 года")], wrong
        assert page.input("period")["value"] == wrong
    page = a1.submit(
        "/finance/reconciliation", {"period": "01/01/2026 - 31/10/2026", "email": "buh@example.by"}
    )
    assert toasts(page) == [("ok", "Акт сверки будет отправлен на адрес buh@example.by")]
    order = a1.http.get("/_sandbox/orders").json()[-1]
    assert (order["date_from"], order["date_to"]) == ("2026-01-01", "2026-10-31")


def test_subscribers_paged_and_exported_for_a_blob(a1: A1Client) -> None:
    a1.enter()
    page = a1.open("/subscribers", tariff="Своё решение Новатор")
    assert (
        items(page, "tariff")[0] == ("", "Все") and chosen(page, "tariff") == "Своё решение Новатор"
    )
    assert (
        'data-pages="subscribers"' in page.html
        and len(re.findall("<tr data-pick>", page.html)) == 2
    )
    export = re.search(r'data-download="([^"]*)">Выгрузка в Excel<', page.html)
    assert export
    answer = a1.http.get(export[1].replace("&amp;", "&"))
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.content[:2] == b"PK"
