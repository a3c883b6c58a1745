"""The SIP cabinet's legacy markup, served by default: tables for layout, titles as bold
text, captions in the cell beside their fields, links and ``<input type=button|submit>``
as buttons, plain coloured messages, options named by opaque ids; and never a heading,
a ``<label for>``, a role or an ``aria-*`` attribute."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from robots.domain import Operator
from sandbox.stack import Sandbox
from sandbox.world import accounts_of

if TYPE_CHECKING:
    from tests.sandbox.conftest import CabinetClient, Page

pytestmark = pytest.mark.integration

ACCOUNT_1, ACCOUNT_2 = (a.id for a in accounts_of(Operator.SIP)[:2])


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the ``<a>`` texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.link_texts: list[str] = []
        self._link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._link = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.link_texts.append(" ".join("".join(self._link).split()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.append(data)


def tags_of(html: str) -> _Tags:
    reader = _Tags()
    reader.feed(html)
    reader.close()
    return reader


def input_buttons(page: Page) -> list[tuple[str | None, str | None]]:
    """(type, value) of every ``<input type=button|submit>``."""
    return [
        (i.get("type"), i.get("value"))
        for i in page.inputs
        if i.get("type") in ("button", "submit")
    ]


def option_of(page: Page, select: str, text: str) -> str:
    """The value of the option showing ``text``."""
    return next(value for value, shown in page.options[select] if shown == text)


def red_and_green(html: str) -> list[str]:
    """The texts written in colour: the cabinet's refusals and confirmations."""
    return [
        " ".join(re.sub(r"<[^>]+>", "", t).split())
        for t in re.findall(r"<font color=\"#[0-9a-f]{6}\">(.*?)</font>", html, re.S)
    ]


def every_screen(sip: CabinetClient) -> list[Page]:
    """Every screen the robot walks through, and a refusal and an error page, in order."""
    pages = [sip.open("/login"), sip.login("1100029999", "wrong")]
    pages.append(sip.login())
    for path in ("/info", "/bills", "/bills/email", "/bills/link", "/bills/delivery"):
        pages.append(sip.open(path))
    account = option_of(sip.open("/bills/email"), "account", ACCOUNT_1)
    pages.append(sip.open("/bills/email/period", account=account))
    for path in ("current", "method", "email", "address", "format"):
        pages.append(sip.open(f"/bills/delivery/{path}", account=account))
    details = sip.open("/bills/details")
    pages.append(details)
    period = details.options["period"][0][0]
    kind = details.options["kind"][0][0]
    pages.append(sip.open("/bills/details/subscribers", period=period, kind=kind))
    pages.append(sip.open("/bills/charges"))
    pages.append(sip.submit("/bills/charges", {"account": account}, csrf="forged"))
    return pages


def test_no_heading_label_role_or_aria_on_any_legacy_page(sip: CabinetClient) -> None:
    for page in every_screen(sip):
        assert page.status_code in (200, 403), page.url
        tags = tags_of(page.html).tags
        names = {tag for tag, _ in tags}
        assert not names & {
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "nav",
            "main",
            "header",
            "label",
            "button",
        }, page.url
        attributes = {name for _, attrs in tags for name in attrs}
        assert "role" not in attributes, page.url
        assert not [a for a in attributes if a.startswith("aria-")], page.url
        assert "table" in names, page.url


def test_titles_are_bold_cells_and_the_menu_is_a_table_of_links(sip: CabinetClient) -> None:
    menu = sip.login()
    assert "<td><b>Главное меню администратора</b></td>" in menu.html
    assert "<title>Главное меню администратора</title>" in menu.html  # the window's title
    reader = tags_of(menu.html)
    assert {"Счета", "Персональная информация", "Выход"} <= set(reader.link_texts)
    assert menu.links["Счета"] == "/bills"
    bills = sip.open("/bills")
    assert "<td><b>Счета</b></td>" in bills.html
    info = sip.open("/info")
    assert "<title>Персональная информация</title>" in info.html
    for name in ("Заказать счет на E-mail", "Загрузить счет по ссылке", "Детализация на E-mail"):
        assert name in bills.links, name


def test_buttons_are_links_or_inputs_as_the_manual_shows(sip: CabinetClient) -> None:
    sip.login()
    email = sip.open("/bills/email")
    assert {"В меню", "Далее"} <= set(email.links) and input_buttons(email) == []
    assert "document.forms['step'].submit()" in email.html
    delivery = sip.open("/bills/delivery")
    assert input_buttons(delivery) == [("button", "В меню"), ("button", "Далее")]
    link = sip.open("/bills/link")
    assert input_buttons(link) == [("button", "В меню"), ("submit", "Далее")]
    account = option_of(delivery, "account", ACCOUNT_1)
    current = sip.open("/bills/delivery/email", account=account)
    assert {"Назад", "Изменить текущий e-mail", "Изменить формат счёта"} <= set(current.links)
    address = sip.open("/bills/delivery/address", account=account)
    assert {"Назад", "Далее"} <= set(address.links)
    # The caption is the text of the cell before the field.
    assert '<td class="caption">Введите адрес e-mail для доставки счетов:</td>' in address.html


def test_options_are_opaque_ids_the_server_maps_back(sip: CabinetClient, sandbox: Sandbox) -> None:
    sip.login()
    step1 = sip.open("/bills/email")
    shown = [text for _, text in step1.options["account"]]
    assert shown == [ACCOUNT_1, ACCOUNT_2]
    assert all(value.isdigit() and value not in shown for value, _ in step1.options["account"])
    step2 = sip.open("/bills/email/period", account=option_of(step1, "account", ACCOUNT_1))
    assert step2.options["period"][0][1] == "Октябрь 2026"
    assert "2026-10" not in [value for value, _ in step2.options["period"]]
    refused = sip.submit("/bills/email/order", {"account": ACCOUNT_1, "period": "2026-10"})
    assert red_and_green(refused.html) == ["Неверные параметры запроса. Повторите выбор."]
    assert sandbox.cabinet("sip").orders() == []
    sip.open("/bills/email/period", account=option_of(step1, "account", ACCOUNT_1))
    period = option_of(sip.last, "period", "Октябрь 2026")
    account = sip.last.input("account")["value"]
    done = sip.submit("/bills/email/order", {"account": account, "period": period})
    assert "<td><b>Заказ счета на E-mail</b></td>" in done.html
    assert red_and_green(done.html) == [
        "Заказ принят. Счет за октябрь 2026 г. будет отправлен на адрес электронной почты, "
        "указанный в Личном кабинете."
    ]
    (order,) = sandbox.cabinet("sip").orders()
    assert (order["account"], order["period"]) == (ACCOUNT_1, "2026-10")


def test_the_format_screen_writes_pdf_as_the_manual_does(sip: CabinetClient) -> None:
    sip.login()
    account = option_of(sip.open("/bills/delivery"), "account", ACCOUNT_1)
    formats = sip.open("/bills/delivery/format", account=account)
    assert [text for _, text in formats.options["format"]] == ["pdf", "Excel", "Excel с разбивкой"]
    excel = option_of(formats, "format", "Excel")
    changed = sip.submit("/bills/delivery/format", {"account": account, "format": excel})
    assert "Формат счёта: Excel" in changed.text
    assert red_and_green(changed.html) == ["Формат счёта изменен"]


def test_the_billing_days_refusal_is_plain_red_text(sip: CabinetClient, sandbox: Sandbox) -> None:
    sip.login()
    sandbox.cabinet("sip").set_today(sandbox.cabinet("sip").cabinet.calendar.today().replace(day=2))
    for path in ("/bills/email", "/bills/link"):
        page = sip.open(path)
        assert red_and_green(page.html) == [
            "Услуга не оказывается в период формирования счетов за услуги связи "
            "(с 1 по 3 число каждого месяца)."
        ]
        assert "account" not in page.options


def test_restyled_and_renamed_legacy_pages_keep_their_words_and_forms(
    sip: CabinetClient, sandbox: Sandbox
) -> None:
    cabinet = sandbox.cabinet("sip")
    sip.login()
    plain = sip.open("/bills/link")
    cabinet.set_markup("restyle,seed=5,rename=Далее=>Продолжить")
    changed = sip.open("/bills/link")
    assert input_buttons(changed) == [("button", "В меню"), ("submit", "Продолжить")]
    assert "Для получения счета нажмите Далее" in changed.text  # a longer text: not renamed
    assert changed.options == plain.options and changed.links == plain.links
    classes = {a.get("class") for _, a in tags_of(plain.html).tags if a.get("class")}
    assert classes and not classes & {a.get("class") for _, a in tags_of(changed.html).tags}
    sip.invoices_take_a_while()
    job = sip.submit(
        "/bills/link",
        {
            "account": option_of(changed, "account", ACCOUNT_2),
            "period": option_of(changed, "period", "Сентябрь 2026"),
            "format": "xls",
        },
    )
    assert "Счет формируется" in job.text and 'data-status-url="' in job.html
    assert sip.status_when_ready(job.url)["status"] == "Счет сформирован"
    (order,) = cabinet.orders()
    assert (order["account"], order["period"], order["format"]) == (ACCOUNT_2, "2026-09", "xls")
