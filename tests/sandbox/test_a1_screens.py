"""The sandbox A1 business cabinet over HTTP: the four login methods, the roles, the
Супервайзер's account switch, «Доставка счета», «Счета», «Детализация на Email» (list and
.xlsx upload), «Акт сверки», «Абоненты», the orders book, and the e-mails arriving in
Dovecot, read in the accessible (semantic) markup; then what the single-page markup the
cabinet serves by default writes instead (``test_a1_browser.py`` runs its script)."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents import DocumentSpec, render
from sandbox.mailserver import StoredMessage
from sandbox.stack import Sandbox

if TYPE_CHECKING:
    from tests.sandbox.conftest import A1Client

pytestmark = pytest.mark.integration

FIXED = "1234567890125"


@pytest.fixture
def a1(a1: A1Client) -> A1Client:
    """The A1 client on the accessible markup (headings, labels, roles, selects)."""
    a1.cabinet.set_markup("semantic")
    return a1


def wait_mail(sandbox: Sandbox) -> list[StoredMessage]:
    assert sandbox.outbox.wait_idle(20), "the outbox did not send everything"
    assert sandbox.outbox.failures == []
    return sandbox.mailbox.messages()


def attachments(message: StoredMessage) -> list[tuple[str, bytes]]:
    parts = message.message.iter_attachments()
    return [(str(p.get_filename()), p.get_payload(decode=True)) for p in parts]


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def orders(a1: A1Client) -> list[dict[str, Any]]:
    answer = a1.http.get("/_sandbox/orders")
    assert answer.status_code == 200
    result: list[dict[str, Any]] = answer.json()
    return result


# -- login -----------------------------------------------------------------------------------


def test_login_page_tabs_and_methods(a1: A1Client) -> None:
    page = a1.open("/")
    assert page.h1 == "Вход в аккаунт"
    assert "Выберите способ авторизации" in page.text
    assert 'role="tab"' in page.html
    for name in ("SMS", "Пароль", "Лицевой счет", "Email"):
        assert name in page.links
    assert 'aria-selected="true" aria-controls="method-panel" class="tab">Пароль' in page.html
    assert {"Номер телефона", "Пароль"} <= set(page.labels)
    assert page.buttons == ["Войти в аккаунт"] and "Забыли пароль" in page.links
    page = a1.open("/login", method="account")
    assert "Управление абонентами фиксированной связи" in page.text
    assert {"Лицевой счет", "Пароль"} <= set(page.labels)
    page = a1.open("/login", method="email")
    assert {"Email", "Пароль"} <= set(page.labels)
    page = a1.open("/login", method="sms")
    assert "SMS-код может быть использован только один раз" in page.text
    assert page.buttons == ["Выслать код подтверждения"]


@pytest.mark.parametrize(
    ("method", "login"),
    [("password", "291234567"), ("account", FIXED), ("email", "admin@a1-company.by")],
)
def test_password_methods_right_and_wrong(a1: A1Client, method: str, login: str) -> None:
    page = a1.login(method, login, "wrong")
    assert page.h1 == "Вход в аккаунт" and page.alerts == ["Неверные данные для входа"]
    page = a1.login(method, login)
    assert page.h1 == "Выберите способ входа" and page.url.endswith("/role")


def test_wrong_login_and_method_mismatch_are_refused(a1: A1Client) -> None:
    assert a1.login("password", "291234500").alerts == ["Неверные данные для входа"]
    assert a1.login("email", FIXED).alerts == ["Неверные данные для входа"]
    assert a1.login("account", "1234567890123").alerts == ["Неверные данные для входа"]


def test_sms_code_login(a1: A1Client) -> None:
    a1.open("/login", method="sms")
    page = a1.submit("/login", {"method": "sms", "phone": "291234567"})
    assert "Код подтверждения" in page.labels and page.buttons == ["Войти в аккаунт"]
    page = a1.submit("/login", {"method": "sms", "phone": "291234567", "step": "code", "code": "x"})
    assert page.alerts == ["Неверный код подтверждения"]
    code = a1.code()
    data = {"method": "sms", "phone": "291234567", "step": "code", "code": code}
    assert a1.submit("/login", data).h1 == "Выберите способ входа"


def test_sms_to_an_unknown_phone_is_refused(a1: A1Client) -> None:
    a1.open("/login", method="sms")
    page = a1.submit("/login", {"method": "sms", "phone": "291110000"})
    assert page.alerts == ["Неверные данные для входа"]


def test_roles(a1: A1Client) -> None:
    page = a1.login()
    assert page.buttons == ["Абонент", "Администратор", "Супервайзер"]
    assert "Управление услугами абонентов и финансовая информация по нескольким" in page.text
    assert a1.submit("/role", {"role": "subscriber"}).alerts == ["Роль недоступна для этого входа"]
    page = a1.submit("/role", {"role": "administrator"})
    assert page.h1 == "Главная" and "Лицевой счет 1234567890123" in page.text
    assert "account" not in page.options  # an Администратор has one account
    assert "Администратор" in page.text and "+375 29 123-45-67" in page.text
    for link in ("Главная", "Абоненты", "Счета", "Платежи", "Детализация на Email", "Акт сверки"):
        assert link in page.links
    assert 'aria-label="Главное меню"' in page.html and "Выход" in page.links


def test_fixed_line_login_is_only_administrator(a1: A1Client) -> None:
    a1.login("account")
    assert a1.submit("/role", {"role": "supervisor"}).alerts == ["Роль недоступна для этого входа"]
    page = a1.submit("/role", {"role": "administrator"})
    assert "Лицевой счет 1234567890125" in page.text


def test_supervisor_switches_accounts(a1: A1Client) -> None:
    page = a1.enter("supervisor")
    assert page.options["account"] == [
        ("1234567890123", "1234567890123 (мобильная связь)"),
        ("1234567890124", "1234567890124 (мобильная связь)"),
        ("1234567890125", "1234567890125 (фиксированная связь)"),
    ]
    assert "Выбрать" in page.buttons
    page = a1.switch("1234567890125", "/subscribers")
    assert page.h1 == "Абоненты" and "375172000001" in page.text
    assert a1.open("/main").h1 == "Главная" and "Лицевой счет 1234567890125" in a1.last.text
    a1.switch("9999999999999")  # not the role's: no change
    assert "Лицевой счет 1234567890125" in a1.last.text


def test_pages_need_login_and_role(a1: A1Client) -> None:
    page = a1.open("/main")
    assert page.url.endswith("/login?expired=1")
    assert page.alerts == ["Сессия истекла. Войдите снова."]
    a1.login()
    assert a1.open("/finance/invoices").h1 == "Выберите способ входа"


# -- «Главная», «Доставка счета» -------------------------------------------------------------


def test_main_page_and_delivery_edit(a1: A1Client, sandbox: Sandbox) -> None:
    page = a1.enter()
    for label in ("Баланс:", "К оплате:", "Начисления за предыдущий месяц:", "Статус:"):
        assert label in page.text
    assert f"Email адрес: {sandbox.mailbox.address}" in page.text and "Формат: PDF" in page.text
    assert "Изменить" in page.buttons
    page = a1.open("/main/delivery")
    assert page.h1 == "Доставка счета"
    assert {"Email адрес", "Формат"} <= set(page.labels)
    assert [v for v, _ in page.options["format"]] == ["PDF", "Excel", "txt"]
    assert {"Сохранить", "Отмена"} <= set(page.buttons)
    page = a1.submit("/main/delivery", {"email": "not-an-address", "format": "Excel"})
    assert page.alerts == ["Введите корректный адрес электронной почты"]
    page = a1.submit("/main/delivery", {"email": "buh@example.by", "format": "Excel"})
    assert page.h1 == "Главная" and page.statuses == ["Данные доставки счета изменены"]
    assert "Email адрес: buh@example.by" in page.text and "Формат: Excel" in page.text
    assert a1.open("/main").statuses == []


# -- «Счета» -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PDF", "Excel", "txt"])
def test_invoice_resent_in_the_delivery_format(a1: A1Client, sandbox: Sandbox, fmt: str) -> None:
    a1.enter()
    a1.open("/main/delivery")
    a1.submit("/main/delivery", {"email": sandbox.mailbox.address, "format": fmt})
    page = a1.open("/finance/invoices")
    assert page.h1 == "Счета" and page.options["period"][0] == ("2026-10", "Октябрь 2026")
    assert len(page.options["period"]) == 12 and page.options["period"][-1][0] == "2025-11"
    page = a1.submit("/finance/invoices", {"period": "2026-10"})
    assert page.statuses == [
        f"Счет за октябрь 2026 г. отправлен на адрес {sandbox.mailbox.address}"
    ]
    (message,) = wait_mail(sandbox)
    (name, data), *_ = attachments(message)
    ext = {"PDF": "pdf", "Excel": "xlsx", "txt": "txt"}[fmt]
    spec_fmt = DocumentFormat(ext)
    order = orders(a1)[-1]
    assert (order["kind"], order["method"], order["account"]) == (
        "invoice",
        "email",
        "1234567890123",
    )
    if fmt == "Excel":
        assert name == "Счет_1234567890123_10_2026.zip"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.namelist() == ["Счет_1234567890123_10_2026.xlsx"]
            inner = archive.read(archive.namelist()[0])
        load_workbook(io.BytesIO(inner))
    else:
        assert name == f"Счет_1234567890123_10_2026.{ext}"
        spec = DocumentSpec(
            Operator.A1, DocumentKind.INVOICE, spec_fmt, "1234567890123", Period.parse("2026-10")
        )
        assert data[:4] == render(spec)[:4]


# -- «Детализация на Email» --------------------------------------------------------------------


def test_details_by_list(a1: A1Client, sandbox: Sandbox) -> None:
    a1.enter()
    page = a1.open("/finance/details")
    assert page.h1 == "Детализация на Email"
    assert {"Год", "Месяц", "Файл xlsx"} <= set(page.labels)
    assert [v for v, _ in page.options["year"]] == ["2024", "2025", "2026"]
    assert page.options["month"][0] == ("1", "Январь")
    assert "Способ ввода абонента" in page.text  # the manual's words for the choice
    assert "Выбрать из списка" in page.text and "Загрузить файл" in page.text
    page = a1.details("2026", "11")
    assert page.alerts == ["Детализация за выбранный период недоступна"]
    page = a1.details("2026", "10")
    assert "Выбрать всех" in page.text and "Выбрано абонентов 0" in page.text
    assert 'aria-label="375291234567"' in page.html and page.buttons[-1] == "Продолжить"
    page = a1.submit("/finance/details/select", {"year": "2026", "month": "10"})
    assert page.alerts == ["Выберите абонентов"]
    page = a1.submit(
        "/finance/details/select",
        {"year": "2026", "month": "10", "numbers": ["375291234567", "375291234569"]},
    )
    assert 'role="dialog"' in page.html or "<dialog open" in page.html
    assert "Детализация будет отправлена на адрес электронной почты" in page.text
    assert {"Подтвердить", "Отмена"} <= set(page.buttons)
    page = a1.submit("/finance/details/confirm", {})
    assert page.statuses == ["Детализация заказана"]
    (message,) = wait_mail(sandbox)
    (_, data), *_ = attachments(message)
    book = load_workbook(io.BytesIO(data))
    assert "Детализация" in book.sheetnames
    order = orders(a1)[-1]
    assert order["kind"] == "call_details" and order["numbers"] == ["375291234567", "375291234569"]


def test_details_by_uploaded_xlsx(a1: A1Client, sandbox: Sandbox) -> None:
    a1.enter()
    a1.open("/finance/details")
    page = a1.upload("numbers.xlsx", xlsx([["375291234568"], [375291234567]]))
    assert page.alerts == [] and "<dialog open" in page.html
    page = a1.submit("/finance/details/confirm", {})
    assert page.statuses == ["Детализация заказана"]
    wait_mail(sandbox)
    assert orders(a1)[-1]["numbers"] == ["375291234568", "375291234567"]


@pytest.mark.parametrize(
    ("name", "data", "alert"),
    [
        ("numbers.csv", b"375291234567\n", "Загрузите файл в формате xlsx"),
        ("numbers.xlsx", b"not a zip", "Загрузите файл в формате xlsx"),
        (
            "numbers.xlsx",
            xlsx([["375291234567", "375291234568"]]),
            "Файл должен содержать только 12-значные номера абонентов в столбик",
        ),
        (
            "numbers.xlsx",
            xlsx([["29123456"]]),
            "Файл должен содержать только 12-значные номера абонентов в столбик",
        ),
        (
            "numbers.xlsx",
            xlsx([["Номер"], ["375291234567"]]),
            "Файл должен содержать только 12-значные номера абонентов в столбик",
        ),
        (
            "numbers.xlsx",
            xlsx([]),
            "Файл должен содержать только 12-значные номера абонентов в столбик",
        ),
        (
            "numbers.xlsx",
            xlsx([["375291234567"], ["375290000000"]]),
            "Номера не найдены на лицевом счете: 375290000000",
        ),
    ],
)
def test_refused_uploads(a1: A1Client, name: str, data: bytes, alert: str) -> None:
    a1.enter()
    a1.open("/finance/details")
    page = a1.upload(name, data)
    assert page.alerts == [alert]
    assert orders(a1) == []


# -- «Акт сверки» ------------------------------------------------------------------------------


def test_reconciliation_act_to_the_delivery_and_another_address(
    a1: A1Client, sandbox: Sandbox
) -> None:
    a1.enter()
    page = a1.open("/finance/reconciliation")
    assert page.h1 == "Акт сверки"
    assert {"Начало периода", "Конец периода", "Email"} <= set(page.labels)
    assert page.input("email")["value"] == sandbox.mailbox.address
    dates = {"date_from": "2023-11-09", "date_to": "2026-10-31"}
    page = a1.submit("/finance/reconciliation", {**dates, "email": sandbox.mailbox.address})
    assert page.alerts == ["Доступен период 3 года"]
    dates["date_from"] = "2026-01-01"
    page = a1.submit("/finance/reconciliation", {**dates, "email": "bad"})
    assert page.alerts == ["Введите корректный адрес электронной почты"]
    page = a1.submit("/finance/reconciliation", {**dates, "email": sandbox.mailbox.address})
    assert page.statuses == [f"Акт сверки будет отправлен на адрес {sandbox.mailbox.address}"]
    (message,) = wait_mail(sandbox)
    assert attachments(message)[0][0] == "Акт_сверки.pdf"
    other = sandbox.mail_server.mailbox()
    page = a1.submit("/finance/reconciliation", {**dates, "email": other.address})
    assert page.statuses == [f"Акт сверки будет отправлен на адрес {other.address}"]
    wait_mail(sandbox)
    assert len(other.messages()) == 1
    order = orders(a1)[-1]
    assert (order["kind"], order["period"], order["to"]) == (
        "reconciliation_act",
        "2026-01",
        [other.address],
    )


# -- «Абоненты» --------------------------------------------------------------------------------


def test_subscribers_search_filters_and_export(a1: A1Client) -> None:
    a1.enter()
    page = a1.open("/subscribers")
    assert page.h1 == "Абоненты" and {"Поиск", "Тариф", "Статус"} <= set(page.labels)
    assert page.options["tariff"][0] == ("", "Все") and "Выгрузка в Excel" in page.buttons
    assert "Абонент 3" in page.text and "Своё решение Лидер" in page.text
    page = a1.open("/subscribers", status="Ожидание активации")
    assert "375291234569" in page.text and "375291234568" not in page.text
    page = a1.open("/subscribers", q="8937501375291234568")
    assert "375291234568" in page.text and "375291234567" not in page.text
    answer = a1.http.get("/subscribers/export", params={"tariff": "Своё решение Новатор"})
    assert answer.headers["content-disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Номер", "Имя", "SIM", "Тариф", "Статус")
    assert [r[0] for r in rows[1:]] == ["375291234567", "375291234569"]
    assert orders(a1) == []


def test_robot_configuration_has_the_a1_login(sandbox: Sandbox) -> None:
    text = sandbox.config_path.read_text()
    entry = text.split('name = "a1-sandbox"')[1].split("[[cabinets]]")[0]
    a1 = sandbox.cabinet("a1")
    assert f'url = "{a1.url}"' in entry and 'login = "291234567"' in entry
    assert 'login_method = "password"' in entry and 'role = "supervisor"' in entry
    assert 'password_env = "CABINET_ROBOT_A1_PASSWORD"' in entry
    assert "/_sandbox/sms?phone={phone}" in entry
    assert '"1234567890125"' in entry
    assert sandbox.env["CABINET_ROBOT_A1_PASSWORD"] == a1.password
    assert isinstance(httpx.get(a1.url).status_code, int)
