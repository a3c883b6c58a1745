"""The SIP cabinet over HTTP, as the screen contract describes it: login, CSRF, the
invoice screens, delivery settings, call details and charges, and the e-mails that
arrive in Dovecot. Read in the semantic markup (headings, labels, roles, readable option
values); the legacy markup served by default has its own tests (``test_sip_legacy``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import openpyxl
import pytest

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents import Customer, DocumentSpec, render
from sandbox.mailserver import MailServer, StoredMessage
from sandbox.stack import Sandbox
from sandbox.world import accounts_of

if TYPE_CHECKING:
    from tests.sandbox.conftest import CabinetClient

pytestmark = pytest.mark.integration

ACCOUNT_1, ACCOUNT_2 = (a.id for a in accounts_of(Operator.SIP)[:2])
BILLING_DAYS = (
    "Услуга не оказывается в период формирования счетов за услуги связи "
    "(с 1 по 3 число каждого месяца)."
)
CSRF_ALERT = "Недействительный запрос. Обновите страницу и повторите попытку."


def attachments(message: StoredMessage) -> list[tuple[str, bytes]]:
    parts = message.message.iter_attachments()
    return [(str(p.get_filename()), bytes(p.get_content())) for p in parts]


@pytest.fixture(autouse=True)
def semantic(sandbox: Sandbox) -> None:
    sandbox.cabinet("sip").set_markup("semantic")


def wait_mail(sandbox: Sandbox) -> None:
    assert sandbox.outbox.wait_idle(20), "the outbox did not send everything"
    assert sandbox.outbox.failures == []


# -- login, sessions, CSRF -----------------------------------------------------------------


def test_login_page_and_right_credentials(sip: CabinetClient) -> None:
    page = sip.open("/login")
    assert page.h1 == "Вход в личный кабинет"
    assert {"Лицевой счет", "Пароль"} <= set(page.labels)
    assert page.input("password")["type"] == "password"
    assert page.buttons == ["Войти"]
    menu = sip.login()
    assert menu.url.endswith("/menu")
    assert menu.h1 == "Главное меню администратора"
    assert menu.links["Счета"] == "/bills"
    assert menu.links["Выход"] == "/logout"


def test_wrong_password_and_wrong_account_are_refused(sip: CabinetClient) -> None:
    for account, password in ((None, "not-the-password"), ("1100029999", None)):
        page = sip.login(account, password)
        assert page.url.endswith("/login")
        assert page.h1 == "Вход в личный кабинет"
        assert page.alerts == ["Неверный лицевой счет или пароль"]
    assert sip.http.get("/menu", follow_redirects=False).status_code == 303


def test_logged_out_access_redirects_to_login(sip: CabinetClient) -> None:
    for path in ("/", "/menu", "/bills", "/bills/email", "/bills/link/abc", "/info"):
        response = sip.http.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path
    response = sip.http.post("/bills/charges", data={"account": ACCOUNT_1}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_session_cookie_is_http_only_and_logout_ends_the_session(sip: CabinetClient) -> None:
    sip.open("/login")
    response = sip.http.post(
        "/login",
        data={
            "csrf_token": sip.last.csrf,
            "account": sip.cabinet.login,
            "password": sip.cabinet.password,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/menu"
    assert "httponly" in response.headers["set-cookie"].lower()
    old_cookies = dict(sip.http.cookies)
    assert sip.open("/logout").url.endswith("/login")
    sip.http.cookies.clear()
    sip.http.cookies.update(old_cookies)  # the old session id is dead on the server
    assert sip.http.get("/menu", follow_redirects=False).headers["location"] == "/login"


def test_post_without_the_session_token_is_refused(
    sip: CabinetClient, sandbox: Sandbox, new_client: Callable[[], CabinetClient]
) -> None:
    sip.login()
    sip.open("/bills/charges")
    for token in ("forged", ""):
        page = sip.submit("/bills/charges", {"account": ACCOUNT_1}, csrf=token)
        assert page.status_code == 403
        assert page.h1 == "Ошибка"
        assert page.alerts == [CSRF_ALERT]
    assert sandbox.cabinet("sip").orders() == []
    other = new_client().open("/login").csrf  # a token of another session
    assert sip.submit("/bills/charges", {"account": ACCOUNT_1}, csrf=other).status_code == 403


def test_login_form_needs_its_token_too(sip: CabinetClient) -> None:
    sip.open("/login")
    page = sip.submit(
        "/login", {"account": sip.cabinet.login, "password": sip.cabinet.password}, csrf="x"
    )
    assert page.status_code == 403 and page.h1 == "Ошибка"


# -- navigation ------------------------------------------------------------------------------


def test_bills_section_lists_subsections_and_nav_shows_them(sip: CabinetClient) -> None:
    sip.login()
    page = sip.open("/bills")
    assert page.h1 == "Счета"
    assert "(с 1 по 3 число каждого месяца)" in page.text
    for name in (
        "Заказать счет на E-mail",
        "Загрузить счет по ссылке",
        "Изменить способ/адрес доставки",
        "Детализация на E-mail",
        "Начисления за текущий период",
        "В меню",
        "Персональная информация",
        "Информация по рассрочке",
        "Выбор абонента",
        "Обратная связь",
        "Переименование абонента",
        "Действия с услугами по списку абонентов",
        "Выход",
    ):
        assert name in page.links, name
    for title, path in (("Платежи", "/payments"), ("Выбор абонента", "/subscriber")):
        assert sip.open(path).h1 == title
    info = sip.open("/info")
    assert info.h1 == "Персональная информация"
    assert "УНП" in info.text and "E-mail: PDF" in info.text


# -- invoice to e-mail -----------------------------------------------------------------------


def test_invoice_ordered_by_email_arrives_as_the_rendered_pdf(
    sip: CabinetClient, sandbox: Sandbox
) -> None:
    sip.login()
    step1 = sip.open("/bills/email")
    assert step1.h1 == "Заказать счет на E-mail"
    assert "Выберите лицевой счет:" in step1.labels
    assert step1.options["account"] == [(ACCOUNT_1, ACCOUNT_1), (ACCOUNT_2, ACCOUNT_2)]
    assert step1.buttons == ["В меню", "Далее"]
    step2 = sip.open("/bills/email/period", account=ACCOUNT_1)
    assert step2.h1 == "Заказ счета на E-mail"
    assert "Выберите период счета" in step2.labels
    periods = step2.options["period"]
    assert len(periods) == 12
    assert periods[0] == ("2026-10", "Октябрь 2026") and periods[-1] == ("2025-11", "Ноябрь 2025")
    done = sip.submit("/bills/email/order", {"account": ACCOUNT_1, "period": "2026-10"})
    assert done.statuses == [
        "Заказ принят. Счет за октябрь 2026 г. будет отправлен на адрес электронной почты, "
        "указанный в Личном кабинете."
    ]
    (order,) = sandbox.cabinet("sip").orders()
    assert order["kind"] == "invoice" and order["method"] == "email"
    assert (order["account"], order["period"], order["format"]) == (ACCOUNT_1, "2026-10", "pdf")
    assert order["to"] == [sandbox.mailbox.address] and order["numbers"] == []
    assert dt.datetime.fromisoformat(order["ordered_at"]).date() == dt.date(2026, 11, 10)
    wait_mail(sandbox)
    (message,) = sandbox.mailbox.messages()
    assert message.message["From"].addresses[0].domain == "siptelecom.by"
    expected = render(
        DocumentSpec(
            Operator.SIP,
            DocumentKind.INVOICE,
            DocumentFormat.PDF,
            ACCOUNT_1,
            Period.parse("2026-10"),
            accounts_of(Operator.SIP)[0].numbers,
            customer=Customer(email=sandbox.mailbox.address),
        )
    )
    assert attachments(message) == [("invoice_1100023456_202610.pdf", expected)]


def test_invoice_goes_to_every_delivery_address_in_the_delivery_format(
    sip: CabinetClient, sandbox: Sandbox, mail_server: MailServer
) -> None:
    first, second = mail_server.mailbox(), mail_server.mailbox()
    sip.login()
    sip.open("/bills/delivery/address", account=ACCOUNT_2)
    changed = sip.submit(
        "/bills/delivery/address",
        {"account": ACCOUNT_2, "email": f"{first.address};{second.address}"},
    )
    assert changed.h1 == "Текущий адрес" and changed.statuses == ["Адрес доставки изменен"]
    sip.open("/bills/delivery/format", account=ACCOUNT_2)
    changed = sip.submit("/bills/delivery/format", {"account": ACCOUNT_2, "format": "Excel"})
    assert changed.statuses == ["Формат счёта изменен"]
    assert "Формат счёта: Excel" in changed.text
    sip.open("/bills/email/period", account=ACCOUNT_2)
    sip.submit("/bills/email/order", {"account": ACCOUNT_2, "period": "2026-09"})
    wait_mail(sandbox)
    assert sandbox.cabinet("sip").orders()[0]["format"] == "xls"
    for box in (first, second):
        (message,) = box.messages()
        assert [name for name, _ in attachments(message)] == ["invoice_1100023457_202609.xls"]
    assert sandbox.mailbox.count() == 0


@pytest.mark.parametrize("day", [1, 2, 3])
def test_no_invoice_orders_from_the_1st_to_the_3rd(
    sip: CabinetClient, sandbox: Sandbox, day: int
) -> None:
    sip.login()
    token = sip.open("/bills/email/period", account=ACCOUNT_1).csrf  # from a working day
    sandbox.cabinet("sip").set_today(dt.date(2026, 11, day))
    for path in ("/bills/email", "/bills/link"):
        page = sip.open(path)
        assert page.alerts == [BILLING_DAYS]
        assert "account" not in page.options and "Далее" not in page.buttons
    for path in ("/bills/email/order", "/bills/link"):
        refused = sip.submit(path, {"account": ACCOUNT_1, "period": "2026-10"}, csrf=token)
        assert refused.alerts == [BILLING_DAYS]
    assert sandbox.cabinet("sip").orders() == []
    sandbox.cabinet("sip").set_today(dt.date(2026, 11, 4))
    assert sip.open("/bills/email").alerts == []


def test_invoice_for_an_account_that_gets_no_email(sip: CabinetClient, sandbox: Sandbox) -> None:
    sip.login()
    method = sip.open("/bills/delivery/method", account=ACCOUNT_1)
    assert method.h1 == "Изменение способа/адреса доставки"
    assert {"Получает сам", "E-mail"} <= set(method.labels)
    page = sip.submit("/bills/delivery/method", {"account": ACCOUNT_1, "method": "Получает сам"})
    assert page.statuses == ["Способ доставки изменен"]
    assert "Получает сам —" in page.text
    page = sip.open("/bills/email/period", account=ACCOUNT_1)
    assert page.alerts == [
        "Для лицевого счета не указан адрес электронной почты для доставки счетов"
    ]
    assert sandbox.cabinet("sip").orders() == []


# -- invoice by link -------------------------------------------------------------------------


def test_invoice_by_link_becomes_ready_and_downloads(sip: CabinetClient, sandbox: Sandbox) -> None:
    sip.invoices_take_a_while()
    sip.login()
    form = sip.open("/bills/link")
    assert form.h1 == "Загрузить счет по ссылке"
    assert "Просмотр счета возможен за предыдущие два месяца." in form.text
    assert form.options["period"] == [("2026-10", "Октябрь 2026"), ("2026-09", "Сентябрь 2026")]
    assert "checked" in form.input("format", "pdf")
    assert {"PDF", "XLS", "Выберите лицевой счет:"} <= set(form.labels)
    job = sip.submit("/bills/link", {"account": ACCOUNT_2, "period": "2026-09", "format": "xls"})
    assert job.url.split("/")[-2:-1] == ["link"]
    assert job.h1 == "Загрузить счет по ссылке"
    assert job.statuses == ["Счет формируется"] and "Скачать счет" not in job.links
    early = sip.http.get(f"{job.url}/file")
    assert early.status_code == 409
    assert sip.status_when_ready(job.url)["status"] == "Счет сформирован"
    ready = sip.open(job.url)
    assert ready.statuses == ["Счет сформирован"]
    download = sip.http.get(ready.links["Скачать счет"])
    assert download.headers["content-disposition"] == (
        'attachment; filename="invoice_1100023457_202609.xls"'
    )
    assert download.headers["content-type"] == "application/vnd.ms-excel"
    expected = DocumentSpec(
        Operator.SIP,
        DocumentKind.INVOICE,
        DocumentFormat.XLS,
        ACCOUNT_2,
        Period.parse("2026-09"),
        accounts_of(Operator.SIP)[1].numbers,
    )
    assert download.content == render(expected)
    (order,) = sandbox.cabinet("sip").orders()
    assert (order["method"], order["format"], order["to"]) == ("download", "xls", [])


# -- delivery settings -----------------------------------------------------------------------


def test_delivery_screens_and_every_address_validation_message(
    sip: CabinetClient, sandbox: Sandbox
) -> None:
    sip.login()
    step1 = sip.open("/bills/delivery")
    assert (
        step1.h1 == "Изменение способа/адреса доставки" and "Выберите лицевой счет:" in step1.labels
    )
    current = sip.open("/bills/delivery/current", account=ACCOUNT_1)
    assert "Текущий способ доставки Текущий адрес доставки" in current.text
    assert f"E-mail: PDF {sandbox.mailbox.address}" in current.text
    assert current.buttons == ["В меню", "Изменить"]
    sip.open("/bills/delivery/method", account=ACCOUNT_1)
    address_screen = sip.submit(
        "/bills/delivery/method", {"account": ACCOUNT_1, "method": "E-mail"}
    )
    assert address_screen.h1 == "Текущий адрес"
    assert f"Текущий e-mail: {sandbox.mailbox.address}" in address_screen.text
    assert address_screen.buttons == ["Назад", "Изменить текущий e-mail", "Изменить формат счёта"]
    form = sip.open("/bills/delivery/address", account=ACCOUNT_1)
    assert form.h1 == "Выберите адрес доставки"
    assert "Введите адрес e-mail для доставки счетов:" in form.labels
    cases = {
        "": "Введите адрес e-mail",
        "a" * 190 + "@example.com": "Максимальная длина поля-200 символов",
        "a@example.com; b@example.com": 'Адреса указываются через ";" без пробела',
        " a@example.com": 'Адреса указываются через ";" без пробела',
        "a@example.com;not an address": "Неверный адрес e-mail: not an address",
        "a@example.com;b@": "Неверный адрес e-mail: b@",
        "robot.example.com": "Неверный адрес e-mail: robot.example.com",
    }
    for value, alert in cases.items():
        page = sip.submit("/bills/delivery/address", {"account": ACCOUNT_1, "email": value})
        assert (page.h1, page.alerts) == ("Выберите адрес доставки", [alert]), value
    ok = sip.submit(
        "/bills/delivery/address", {"account": ACCOUNT_1, "email": "a@example.com;b@example.by"}
    )
    assert ok.statuses == ["Адрес доставки изменен"]
    assert "Текущий e-mail: a@example.com;b@example.by" in ok.text
    formats = sip.open("/bills/delivery/format", account=ACCOUNT_1)
    assert formats.h1 == "Выберите формат счёта"
    # «Формат счёта: pdf», as the manual's format screen writes it.
    assert [text for _, text in formats.options["format"]] == ["pdf", "Excel", "Excel с разбивкой"]
    assert sandbox.cabinet("sip").orders() == []  # settings are not orders


# -- call details and charges ---------------------------------------------------------------


def test_call_details_for_ticked_sip_numbers_one_mail_per_account_to_the_contract_address(
    sip: CabinetClient, sandbox: Sandbox, mail_server: MailServer
) -> None:
    elsewhere = mail_server.mailbox()
    sip.login()
    sip.open("/bills/delivery/address", account=ACCOUNT_1)
    sip.submit("/bills/delivery/address", {"account": ACCOUNT_1, "email": elsewhere.address})
    step1 = sip.open("/bills/details")
    assert step1.h1 == "Детализация на E-mail"
    assert step1.options["period"] == [("2026-11", "Ноябрь 2026"), ("2026-10", "Октябрь 2026")]
    assert [t for _, t in step1.options["kind"]] == [
        "Детализация звонков (PDF)",
        "Детализация звонков (Excel)",
    ]
    assert {"Период:", "Тип детализации:"} <= set(step1.labels)
    step2 = sip.open("/bills/details/subscribers", period="2026-10", kind="xlsx")
    assert "Отметьте абонента с тарифным планом «SIP-соединение»." in step2.text
    assert "Абонент Лицевой счет Тарифный план" in step2.text
    assert "375172345682 1100023457 Аналоговая линия" in step2.text
    assert "disabled" in step2.input("number", "375172345682")
    assert "disabled" not in step2.input("number", "375172345678")
    nothing = sip.submit("/bills/details", {"period": "2026-10", "kind": "xlsx"})
    assert nothing.alerts == ["Отметьте хотя бы одного абонента с тарифным планом «SIP-соединение»"]
    ticked = ["375172345679", "375172345678", "375172345680", "375172345682"]  # + an analog line
    done = sip.submit("/bills/details", {"period": "2026-10", "kind": "xlsx", "number": ticked})
    assert done.statuses[0].startswith("Заявка принята. По истечении суток детализация")
    orders = sandbox.cabinet("sip").orders()
    assert [(o["kind"], o["account"], o["numbers"], o["format"]) for o in orders] == [
        ("call_details", ACCOUNT_1, ["375172345678", "375172345679"], "xlsx"),
        ("call_details", ACCOUNT_2, ["375172345680"], "xlsx"),
    ]
    wait_mail(sandbox)
    messages = sandbox.mailbox.messages()
    assert sorted(name for m in messages for name, _ in attachments(m)) == [
        "calls_1100023456_202610.xlsx",
        "calls_1100023457_202610.xlsx",
    ]
    assert elsewhere.count() == 0
    for message in messages:
        ((_, data),) = attachments(message)
        text = " ".join(
            str(c)
            for row in openpyxl.load_workbook(io.BytesIO(data)).active.values
            for c in row
            if c
        )
        assert "375172345682" not in text


def test_charges_for_the_current_month_to_the_contract_address(
    sip: CabinetClient, sandbox: Sandbox
) -> None:
    sip.login()
    form = sip.open("/bills/charges")
    assert form.h1 == "Начисления за текущий период"
    assert form.buttons == ["В меню", "Далее"]
    done = sip.submit("/bills/charges", {"account": ACCOUNT_2})
    assert done.statuses == [
        "Заказ принят. Информация о начислениях будет отправлена на адрес электронной почты "
        "клиента."
    ]
    (order,) = sandbox.cabinet("sip").orders()
    assert (order["kind"], order["period"], order["format"]) == ("charges", "2026-11", "xlsx")
    wait_mail(sandbox)
    (message,) = sandbox.mailbox.messages()
    assert [n for n, _ in attachments(message)] == ["charges_1100023457_202611.xlsx"]
