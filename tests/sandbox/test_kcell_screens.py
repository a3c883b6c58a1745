"""The Kcell «Кабинет» over HTTP, as the screen contract describes it: login (number
format, wrong password, first login, expired password), «Забыли пароль?» with the code
from the SMS gateway, the company switch, numbers and search, a number's call details
(the 90-day rule, PDF and XLS files), every page of «Документы и отчеты» with its
refusals by the sandbox calendar, the files downloaded and the reports e-mailed.

These read the accessible markup (labels, roles, selects); the single-page markup the
cabinet serves by default has its own tests at the end (``kcell_spa``)."""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse
import zipfile
from typing import TYPE_CHECKING

import httpx
import openpyxl  # type: ignore[import-untyped]
import pytest
import xlrd
from pypdf import PdfReader

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents import Customer, DocumentSpec, render
from sandbox.mailserver import StoredMessage
from sandbox.stack import Sandbox
from sandbox.world import accounts_of, companies_of

if TYPE_CHECKING:
    from tests.sandbox.conftest import KcellClient, Page

pytestmark = pytest.mark.integration

MAIN, BRANCH = accounts_of(Operator.KCELL)  # 1040123456 (TOO Кабинет), 1040123457 (Филиал)
FIRST, SECOND = companies_of(Operator.KCELL)
ADMIN = "77012223344"
OCTOBER = Period(year=2026, month=10)
LOGIN_HEADING = "Вход в Kcell Business ID"
BAD_PHONE = "Номер телефона в формате 77012223344"
BAD_LOGIN = "Неверный номер телефона или пароль"
FIRST_LOGIN = "Для первого входа воспользуйтесь функцией «Забыли пароль?»"
EXPIRED = "Сессия истекла. Войдите снова."
WEAK = "Пароль должен содержать не менее 8 символов, буквы и цифры"
DETAILS_RANGE = "Данные для выгрузки доступны за последние 90 дней, включая текущий"
WORK_ACT = "/documents/work-act"
REGISTER = "/documents/invoice-register"
RECONCILIATION = "/documents/reconciliation-act"
PAYMENTS = "/documents/payments-report"


@pytest.fixture(autouse=True)
def _semantic(request: pytest.FixtureRequest, sandbox: Sandbox) -> None:
    if "kcell_spa" not in request.fixturenames:
        sandbox.cabinet("kcell").set_markup("semantic")


@pytest.fixture
def kcell_spa(kcell: KcellClient) -> KcellClient:
    """The client of the Kcell cabinet serving its single-page markup."""
    kcell.cabinet.set_markup("spa")
    return kcell


def customer(company: int = 0, email: str = "robot@example.com") -> Customer:
    found = companies_of(Operator.KCELL)[company]
    return Customer(name=found.legal_name, tax_id=found.tax_id, email=email)


def filename(response: httpx.Response) -> str:
    """The downloaded file's name (RFC 6266 ``filename*``)."""
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;"), disposition
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    assert match, disposition
    return urllib.parse.unquote(match[1])


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def wait_mail(sandbox: Sandbox) -> list[StoredMessage]:
    assert sandbox.outbox.wait_idle(20), "the outbox did not send everything"
    assert sandbox.outbox.failures == []
    return sandbox.mailbox.messages()


def attachments(message: StoredMessage) -> list[tuple[str, bytes]]:
    parts = message.message.iter_attachments()
    return [(str(p.get_filename()), p.get_payload(decode=True)) for p in parts]


def choose_company(kcell: KcellClient, company: int, back: str = "/numbers") -> Page:
    """«Выбор компании» on the last page (or on ``/numbers`` if it has none)."""
    key = companies_of(Operator.KCELL)[company].tax_id
    if not kcell.last.csrf:
        kcell.open("/numbers")
    return kcell.submit("/company", {"company": key, "next": back})


# -- login -----------------------------------------------------------------------------------


def test_login_page_and_right_credentials(kcell: KcellClient) -> None:
    assert kcell.http.get("/", follow_redirects=False).headers["location"] == "/login"
    page = kcell.open("/login")
    assert page.h1 == LOGIN_HEADING
    assert "Kcell РУССКИЙ ▾ Вход в Kcell Business ID" in page.text
    assert {"Номер телефона", "Ваш пароль"} <= set(page.labels)
    assert "* Номер телефона в формате 77012223344" in page.text
    assert page.input("password")["type"] == "password"
    assert page.links["Забыли пароль?"] == "/recovery"
    assert page.links["Регистрация"] == "/register"
    assert page.buttons == ["Войти"] and page.alerts == []
    assert kcell.open("/register").h1 == "Регистрация"
    home = kcell.login()
    assert home.url.endswith("/numbers") and home.h1 == "Управление номерами"
    assert '<nav class="top-nav" aria-label="Главное меню">' in home.html
    for link, href in (
        ("Управление номерами", "/numbers"),
        ("Документы и отчеты", "/documents"),
        ("Мой профиль", "/profile"),
        ("Выход", "/logout"),
    ):
        assert home.links[link] == href
    assert "Выбор компании" in home.labels and "Выбрать" in home.buttons
    assert home.options["company"] == [(FIRST.tax_id, FIRST.name), (SECOND.tax_id, SECOND.name)]
    assert f'<option value="{FIRST.tax_id}" selected>' in home.html
    assert kcell.open("/login").url.endswith("/numbers")  # already logged in
    profile = kcell.open("/profile")
    assert profile.h1 == "Мой профиль" and ADMIN in profile.text
    assert "Филиал ТОО «Кабинет»" in profile.text
    assert kcell.open("/logout").h1 == LOGIN_HEADING and kcell.last.alerts == []


def test_the_number_must_be_eleven_digits_starting_with_7(kcell: KcellClient) -> None:
    for phone in ("7012223344", "87012223344", "+77012223344", "", "7701222334x", "770122233440"):
        page = kcell.login(phone)
        assert (page.h1, page.alerts) == (LOGIN_HEADING, [BAD_PHONE]), phone
        assert page.input("phone")["value"] == phone


def test_wrong_password_or_unknown_number_is_refused(kcell: KcellClient) -> None:
    for phone, password in ((None, "wrong-password1"), ("77019999999", None)):
        page = kcell.login(phone, password)
        assert (page.h1, page.alerts) == (LOGIN_HEADING, [BAD_LOGIN])
        assert page.input("password").get("value") is None  # never sent back
    assert kcell.http.get("/numbers", follow_redirects=False).status_code == 303


def test_logged_out_and_expired_sessions_go_to_the_login_page(
    kcell: KcellClient, sandbox: Sandbox
) -> None:
    for path in ("/numbers", "/documents", "/numbers/77012223344/details", WORK_ACT):
        response = kcell.http.get(path, follow_redirects=False)
        assert response.headers["location"] == "/login?expired=1", path
    assert kcell.open("/login?expired=1").alerts == [EXPIRED]
    kcell.login()
    sandbox.cabinet("kcell").expire_sessions()
    page = kcell.open("/numbers")
    assert (page.h1, page.alerts) == (LOGIN_HEADING, [EXPIRED])
    kcell.open("/login")
    refused = kcell.submit("/login", {"phone": ADMIN, "password": "x"}, csrf="forged")
    assert (refused.status_code, refused.h1) == (403, "Ошибка")


def test_error_pages_of_the_cabinet(kcell: KcellClient, sandbox: Sandbox) -> None:
    kcell.login()
    cabinet = sandbox.cabinet("kcell")
    cabinet.set_faults("maintenance=kcell")
    page = kcell.open("/numbers")
    assert (page.status_code, page.h1) == (503, "Технические работы")
    assert page.alerts == ["Сервис временно недоступен. Ведутся технические работы."]
    cabinet.set_faults("error_rate=1")
    assert (kcell.open("/documents").status_code, kcell.last.h1) == (500, "Ошибка сервера")
    cabinet.set_faults("")
    assert kcell.open("/numbers/77019999999").status_code == 404
    kcell.open("/numbers")
    refused = kcell.submit("/company", {"company": SECOND.tax_id}, csrf="forged")
    assert (refused.status_code, refused.h1) == (403, "Ошибка")


def test_expired_password_leads_to_the_change_page(kcell: KcellClient, sandbox: Sandbox) -> None:
    cabinet = sandbox.cabinet("kcell")
    cabinet.set_settings(password_expired=True)
    assert kcell.login(password="wrong-password1").alerts == [BAD_LOGIN]
    page = kcell.login()
    assert page.url.endswith("/password/change")
    assert page.h1 == "Смена пароля"
    assert page.alerts == ["Срок действия пароля истек. Вам необходимо изменить пароль."]
    assert page.labels == ["Ваш пароль", "Ваш новый пароль", "Повторите ваш новый пароль"]
    assert page.buttons[-1] == "Сохранить"
    assert kcell.http.get("/numbers", follow_redirects=False).status_code == 303  # not in
    change = {"password": cabinet.password, "new_password": "Fresh2026pass"}
    assert kcell.submit("/password/change", {**change, "password": "nope"}).alerts == [
        "Неверный пароль"
    ]
    assert kcell.submit(
        "/password/change", {**change, "repeat_password": "Fresh2026pasS"}
    ).alerts == ["Пароли не совпадают"]
    weak = {**change, "new_password": "short1", "repeat_password": "short1"}
    assert kcell.submit("/password/change", weak).alerts == [WEAK]
    home = kcell.submit("/password/change", {**change, "repeat_password": "Fresh2026pass"})
    assert home.h1 == "Управление номерами"
    kcell.open("/logout")
    assert kcell.login(password="Fresh2026pass").h1 == "Управление номерами"  # not expired
    kcell.open("/logout")
    assert kcell.login().alerts == [BAD_LOGIN]  # the old password is gone


# -- «Забыли пароль?» ------------------------------------------------------------------------


def test_first_login_through_forgotten_password_with_the_sms_code(
    kcell: KcellClient, sandbox: Sandbox
) -> None:
    cabinet = sandbox.cabinet("kcell")
    cabinet.set_settings(first_login=True)
    for password in (cabinet.password, "anything1"):
        assert kcell.login(password=password).alerts == [FIRST_LOGIN]
    assert kcell.login("77019999999").alerts == [BAD_LOGIN]

    step1 = kcell.open(kcell.last.links["Забыли пароль?"])
    assert step1.h1 == "Восстановление пароля"
    assert "Для восстановления пароля следуйте указанным инструкциям" in step1.text
    assert step1.labels == ["Номер телефона"] and step1.buttons == ["Далее"]
    assert kcell.submit("/recovery", {"phone": "7701"}).alerts == [BAD_PHONE]
    assert kcell.submit("/recovery", {"phone": "77019999999"}).alerts == [
        "Номер не зарегистрирован"
    ]
    assert kcell.http.get("/_sandbox/sms", params={"phone": ADMIN}).status_code == 404

    before = dt.datetime.now(dt.UTC)
    step2 = kcell.submit("/recovery", {"phone": ADMIN})
    assert step2.url.endswith("/recovery/code") and step2.h1 == "Восстановление пароля"
    assert "Введите SMS код отправленный на ваш номер" in step2.text
    assert step2.labels == ["SMS код"] and step2.statuses == ["SMS код успешно выслан"]
    assert step2.buttons == ["Отправить код на телефон", "Далее", "Отмена"]
    assert re.search(r"<button [^>]*disabled[^>]*>Отправить код на телефон</button>", step2.html)
    assert "Повторная отправка через 60 сек." in step2.text
    sms = kcell.http.get("/_sandbox/sms", params={"phone": ADMIN}).json()
    assert sms["phone"] == ADMIN and re.fullmatch(r"\d{6}", sms["code"])
    assert before <= dt.datetime.fromisoformat(sms["sent_at"]) <= dt.datetime.now(dt.UTC)

    wrong = "000000" if sms["code"] != "000000" else "111111"
    refused = kcell.submit("/recovery/code", {"code": wrong})
    assert (refused.h1, refused.alerts, refused.statuses) == (
        "Восстановление пароля",
        ["Неверный SMS код"],
        [],
    )
    early = kcell.submit("/recovery/resend", {})  # the button is disabled: a forged click
    assert early.url.endswith("/recovery/code") and early.statuses == []
    assert kcell.code() == sms["code"]  # nothing new was sent
    assert kcell.open("/recovery/password").url.endswith("/recovery")  # no code, no step 3
    kcell.submit("/recovery", {"phone": ADMIN})

    cabinet.set_settings(resend_after_s=0)
    old = kcell.code()
    page = kcell.open("/recovery/code")
    assert "disabled" not in page.html.split("Отправить код на телефон")[0].rsplit("<button", 1)[1]
    resent = kcell.submit("/recovery/resend", {})
    assert resent.statuses == ["SMS код успешно выслан"]
    new = kcell.code()
    if new != old:  # one chance in a million that the new code is the old one
        assert kcell.submit("/recovery/code", {"code": old}).alerts == ["Неверный SMS код"]

    step3 = kcell.submit("/recovery/code", {"code": new})
    assert step3.url.endswith("/recovery/password") and step3.h1 == "Восстановление пароля"
    assert "Вам необходимо изменить пароль, чтобы активировать Вашу учетную запись" in step3.text
    assert step3.labels == ["Новый пароль", "Подтверждение пароля"]
    assert step3.buttons == ["Подтвердить"]
    password = cabinet.password  # what the robot's configuration holds
    for new_password, repeat, alert in (
        (password, password + "x", "Пароли не совпадают"),
        ("abc123", "abc123", WEAK),
        ("onlyletters", "onlyletters", WEAK),
        ("1234567890", "1234567890", WEAK),
    ):
        page = kcell.submit(
            "/recovery/password", {"new_password": new_password, "repeat_password": repeat}
        )
        assert (page.h1, page.alerts) == ("Восстановление пароля", [alert])
    same = {"new_password": password, "repeat_password": password}
    home = kcell.submit("/recovery/password", same)
    assert home.url.endswith("/numbers") and home.h1 == "Управление номерами"
    kcell.open("/logout")
    assert kcell.login().h1 == "Управление номерами"  # the password is set now
    assert sandbox.cabinet("kcell").orders() == []


def test_a_code_expires_and_wrong_codes_run_out(kcell: KcellClient, sandbox: Sandbox) -> None:
    cabinet = sandbox.cabinet("kcell")
    cabinet.set_settings(sms_code_ttl_s=0)
    kcell.open("/recovery")
    kcell.submit("/recovery", {"phone": ADMIN})
    page = kcell.submit("/recovery/code", {"code": kcell.code()})
    assert page.url.endswith("/recovery") and page.labels == ["Номер телефона"]
    assert page.alerts == ["Срок действия SMS кода истек. Запросите код повторно."]
    cabinet.set_settings(sms_code_ttl_s=300, sms_max_attempts=2)
    kcell.submit("/recovery", {"phone": ADMIN})
    code = kcell.code()
    wrong = "000000" if code != "000000" else "111111"
    assert kcell.submit("/recovery/code", {"code": wrong}).alerts == ["Неверный SMS код"]
    page = kcell.submit("/recovery/code", {"code": wrong})
    assert page.alerts == ["Превышено количество попыток ввода SMS кода. Запросите код повторно."]
    assert kcell.submit("/recovery/code", {"code": code}).url.endswith("/recovery")  # void
    assert kcell.open("/recovery").alerts == []  # said once


# -- companies and numbers -------------------------------------------------------------------


def numbers_on(page: Page) -> list[str]:
    return [text for text, href in page.links.items() if href == f"/numbers/{text}"]


def test_company_switching_changes_the_numbers_list(kcell: KcellClient) -> None:
    page = kcell.login()
    for column in ("Номер", "Лицевой счет", "Тарифный план", "Метод расчета", "Статус",
                   "Доступные средства"):  # fmt: skip
        assert f'<th scope="col">{column}</th>' in page.html
    assert numbers_on(page) == list(MAIN.numbers)
    row = "<td>1040123456</td>\n<td>Карт Бланш+ 1000</td>\n<td>Кредитный</td>\n<td>Активный</td>"
    assert row in page.html and "<td>893 ₸</td>" in page.html
    assert kcell.open("/numbers/77012223346").status_code == 404  # the other company's

    branch = choose_company(kcell, 1)
    assert branch.url.endswith("/numbers")
    assert numbers_on(branch) == list(BRANCH.numbers)
    assert f'<option value="{SECOND.tax_id}" selected>' in branch.html
    assert "<td>Авансовый</td>" in branch.html and "<td>9970.33 ₸</td>" in branch.html
    assert kcell.open("/numbers/77012223344").status_code == 404
    assert kcell.open("/numbers/77012223346").h1 == "Информация по номеру"

    kcell.open(WORK_ACT)
    back = choose_company(kcell, 0, WORK_ACT)  # back to the page it was chosen on
    assert back.url.endswith(WORK_ACT) and back.input("account")["value"] == MAIN.id
    kcell.open("/numbers/77012223344")
    assert choose_company(kcell, 1, "/numbers/77012223344").url.endswith("/numbers")
    assert numbers_on(kcell.last) == list(BRANCH.numbers)
    assert numbers_on(choose_company(kcell, 0, "https://example.com/")) == list(MAIN.numbers)
    unknown = kcell.submit("/company", {"company": "999", "next": "/numbers"})
    assert numbers_on(unknown) == list(MAIN.numbers)  # an unknown company changes nothing


def test_search_by_number_or_account(kcell: KcellClient) -> None:
    kcell.login()
    page = kcell.open("/numbers")
    assert "Поиск" in page.labels and "Поиск" in page.buttons
    assert numbers_on(kcell.open("/numbers", q="3345")) == ["77012223345"]
    assert numbers_on(kcell.open("/numbers", q=MAIN.id)) == list(MAIN.numbers)
    assert numbers_on(kcell.open("/numbers", q="2223")) == list(MAIN.numbers)
    empty = kcell.open("/numbers", q="77012223346")  # the other company's number
    assert numbers_on(empty) == [] and "Номера не найдены" in empty.text
    assert empty.input("q")["value"] == "77012223346"
    choose_company(kcell, 1)
    assert numbers_on(kcell.open("/numbers", q="3346")) == ["77012223346"]
    assert numbers_on(kcell.open("/numbers", q=BRANCH.id)) == list(BRANCH.numbers)


def test_number_profile_and_blocking(kcell: KcellClient) -> None:
    kcell.login()
    page = kcell.open("/numbers/77012223344")
    assert page.h1 == "Информация по номеру"
    assert "+7 701 222 33 44 Активный" in page.text
    assert {"Детализация", "Блокировка"} <= set(page.buttons)
    assert "Общая информация" in page.text and "Лицевой счет: 1040123456" in page.text
    assert "Карт Бланш+ 1000" in page.text and "893 ₸" in page.text
    confirm = kcell.open("/numbers/77012223344/block")
    assert confirm.h1 == "Заблокировать номер" and "Да, уверен" in confirm.buttons
    blocked = kcell.submit("/numbers/77012223344/block", {})
    assert blocked.statuses == ["Номер заблокирован"] and "Разблокировка" in blocked.buttons
    assert "<td>Заблокирован</td>" in kcell.open("/numbers").html
    kcell.open("/numbers/77012223344/block")
    assert kcell.submit("/numbers/77012223344/block", {}).statuses == ["Номер разблокирован"]


# -- «Детализация» ---------------------------------------------------------------------------


def details_path(number: str = ADMIN) -> str:
    return f"/numbers/{number}/details"


def test_details_form(kcell: KcellClient) -> None:
    kcell.login()
    page = kcell.open(details_path())
    assert page.h1 == "Детализация" and "+7 701 222 33 44" in page.text
    assert (
        "Выберите период и способ отображения детализации. Данные для выгрузки доступны за "
        "последние 90 дней, включая текущий. Детализация вызовов за текущие сутки может быть "
        "неполной в связи с периодичностью обновления данных." in page.text
    )
    start, end = page.input("date_from"), page.input("date_to")
    assert (start["type"], start["value"]) == ("date", "2026-10-10")  # today minus a month
    assert (end["type"], end["value"]) == ("date", "2026-11-10")  # today (2026-11-10)
    assert (start["min"], end["max"]) == ("2026-08-13", "2026-11-10")
    assert {"Начало периода", "Конец периода"} <= set(page.labels)
    assert {"На экран", "Файл формата PDF", "Файл формата XLS"} <= set(page.labels)
    assert 'role="radiogroup" aria-labelledby="output-legend"' in page.html
    assert '<legend id="output-legend">Вывод</legend>' in page.html
    assert "checked" in page.input("output", "screen")
    assert page.buttons[-1] == "Запросить детализацию"


DETAILS_REFUSED = [
    ("2026-08-12", "2026-08-31"),  # 91 days back
    ("2026-11-01", "2026-11-11"),  # tomorrow
    ("2026-11-05", "2026-11-01"),  # start after end
    ("", "2026-11-01"),
    ("2026-02-30", "2026-11-01"),
]


def test_details_outside_the_last_90_days_are_refused(kcell: KcellClient) -> None:
    kcell.login()
    kcell.open(details_path())
    for start, end in DETAILS_REFUSED:
        for output in ("pdf", "screen"):
            answer = kcell.download(
                details_path(), {"date_from": start, "date_to": end, "output": output}
            )
            assert "content-disposition" not in answer.headers
            assert kcell.last.alerts == [DETAILS_RANGE], (start, end)
            assert kcell.last.input("date_from")["value"] == start  # what was typed stays
            assert "checked" in kcell.last.input("output", output)
    assert kcell.cabinet.orders() == []
    kcell.cabinet.set_today(dt.date(2026, 11, 20))  # the window moves with the calendar
    kcell.download(details_path(), {"date_from": "2026-08-13", "date_to": "2026-08-31",
                                    "output": "screen"})  # fmt: skip
    assert kcell.last.alerts == [DETAILS_RANGE]
    kcell.download(details_path(), {"date_from": "2026-08-23", "date_to": "2026-11-20",
                                    "output": "screen"})  # fmt: skip
    assert kcell.last.alerts == []


def test_details_as_pdf_and_xls_files_of_the_number(kcell: KcellClient, sandbox: Sandbox) -> None:
    kcell.login()
    kcell.open(details_path("77012223345"))
    first_day = {"date_from": "2026-08-13", "date_to": "2026-08-31"}  # the 90th day back
    pdf = kcell.download(details_path("77012223345"), {**first_day, "output": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert filename(pdf) == "Детализация.pdf"
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "Абонент: +7 (701) 222-33-45" in text and "77012223344" not in text
    assert "с 01.08.26 по 31.08.26" in text
    august = Period(year=2026, month=8)
    spec = DocumentSpec(Operator.KCELL, DocumentKind.CALL_DETAILS, DocumentFormat.PDF, MAIN.id,
                        august, ("77012223345",), customer=customer())  # fmt: skip
    assert pdf.content == render(spec)

    xls = kcell.download(
        details_path("77012223345"),
        {"date_from": "2026-10-15", "date_to": "2026-11-10", "output": "xls"},
    )
    assert filename(xls) == "Детализация.xls"
    assert xls.headers["content-type"] == "application/vnd.ms-excel"
    sheet = xlrd.open_workbook(file_contents=xls.content).sheet_by_index(0)
    assert sheet.cell_value(0, 0) == "Детализация по номеру 77012223345"
    assert sheet.cell_value(1, 0) == "Период: 01.10.2026 - 31.10.2026"  # the start's month
    assert kcell.cabinet.orders() == [
        {
            "id": 1,
            "kind": "call_details",
            "method": "download",
            "account": MAIN.id,
            "period": "2026-08",
            "format": "pdf",
            "numbers": ["77012223345"],
            "to": [],
            "ordered_at": kcell.cabinet.orders()[0]["ordered_at"],
            "date_from": "2026-08-13",
            "date_to": "2026-08-31",
        },
        {
            **kcell.cabinet.orders()[1],
            "kind": "call_details",
            "period": "2026-10",
            "format": "xls",
            "date_from": "2026-10-15",
            "date_to": "2026-11-10",
        },
    ]
    assert kcell.http.get("/_sandbox/orders").json() == kcell.cabinet.orders()
    assert kcell.cabinet.orders()[0]["ordered_at"].startswith("2026-11-10T")
    assert kcell.cabinet.orders()[0]["ordered_at"].endswith("+05:00")


def test_details_on_the_screen(kcell: KcellClient, sandbox: Sandbox) -> None:
    kcell.login()
    kcell.open(details_path())
    page = kcell.submit(
        details_path(), {"date_from": "2026-10-25", "date_to": "2026-11-03", "output": "screen"}
    )
    assert page.alerts == [] and page.h1 == "Детализация"
    for column in ("Дата", "Время", "Номер", "Услуга", "Длительность", "Стоимость, ₸"):
        assert f'<th scope="col">{column}</th>' in page.html
    days = re.findall(r"<tr><td>(\d\d\.\d\d\.\d{4})</td>", page.html)
    assert days, "no calls shown"
    shown = {dt.datetime.strptime(day, "%d.%m.%Y").date() for day in days}
    assert min(shown) >= dt.date(2026, 10, 25) and max(shown) <= dt.date(2026, 11, 3)
    assert {d.month for d in shown} == {10, 11}  # both months of the range
    assert sandbox.cabinet("kcell").orders() == []  # nothing ordered


# -- «Документы и отчеты» --------------------------------------------------------------------

SECTIONS = {
    "История платежей": ("/documents/payments-history", "История платежей"),
    "Поиск мобильного номера по номеру счета-фактуры": (
        "/documents/invoice-number",
        "Поиск мобильного номера по номеру счета-фактуры",
    ),
    "История действий": ("/documents/actions", "История действий"),
    "Отчет по списку номеров": (
        "/documents/numbers-report",
        "Отчет по списку номеров (бета-режим)",
    ),
    "Акт выполненных работ и расшифровка к счету-фактуре": (
        WORK_ACT,
        "Акт выполненных работ и расшифровка к счету-фактуре",
    ),
    "Реестр счетов-фактур": (REGISTER, "Реестр счетов-фактур"),
    "Акт сверки": (RECONCILIATION, "Акт сверки (бета-режим)"),
    "Отчет по зарегистрированным устройствам": (
        "/documents/devices-report",
        "Отчет по зарегистрированным устройствам (бета-режим)",
    ),
    "Отчет по платежам": (PAYMENTS, "Отчет по платежам (бета-режим)"),
}


def test_every_page_of_documents_and_reports(kcell: KcellClient) -> None:
    kcell.login()
    page = kcell.open(kcell.last.links["Документы и отчеты"])
    assert page.h1 == "Документы и отчеты"
    assert '<nav class="side-menu" aria-label="Документы и отчеты">' in page.html
    menu = page.html.split('aria-label="Документы и отчеты">')[1].split("</nav>")[0]
    assert re.findall(r">([^<]+)</a>", menu) == list(SECTIONS)
    for link, (href, heading) in SECTIONS.items():
        assert page.links[link] == href
        shown = kcell.open(href)
        assert (shown.status_code, shown.h1) == (200, heading), href
        assert f'<a href="{href}" aria-current="page">{link}</a>' in shown.html
    history = kcell.open("/documents/payments-history")
    assert "История платежей по лицевым счетам с кредитным методом расчета." in history.text
    assert "07.11.2026 1040123456" in history.text
    assert "ИС ЭСФ" in kcell.open("/documents/invoice-number").text
    assert "Действий за выбранный период нет" in kcell.open("/documents/actions").text


def test_work_act_page_and_downloads(kcell: KcellClient, sandbox: Sandbox) -> None:
    kcell.login()
    page = kcell.open(WORK_ACT)
    assert (
        "Позволяет скачать акты выполненных работ и расшифровки к счетам-фактурам по услугам "
        "сотовой связи. Поиск документов можно осуществить по лицевому счету или по мобильному "
        "номеру." in page.text
    )
    assert (
        "Внимание! Акты выполненных работ за прошедший учетный месяц доступны после 5 числа "
        "месяца." in page.text
    )
    assert "Акты выполненных работ доступны с 1 января 2018 года." in page.text
    tabs = re.findall(r'role="tab" [^>]*aria-selected="(\w+)"[^>]*>([^<]+)</button>', page.html)
    assert tabs == [
        ("true", "Поиск по номеру лицевого счета"),
        ("false", "Поиск по номеру телефона"),
    ]
    assert {"Лицевой счет", "Номер телефона", "Год", "Месяц"} <= set(page.labels)
    assert "disabled" not in page.input("account") and "disabled" in page.input("phone")
    assert page.input("by")["value"] == "account"
    assert [v for v, _ in page.options["year"]] == [str(y) for y in range(2018, 2027)]
    assert page.options["month"][0] == ("1", "Январь")
    assert page.options["month"][-1] == ("12", "Декабрь")
    assert {"Загрузить в PDF", "Загрузить в Excel"} <= set(page.buttons)

    pdf = kcell.download(
        WORK_ACT,
        {"by": "account", "account": MAIN.id, "year": "2026", "month": "10", "format": "pdf"},
    )
    assert filename(pdf) == "Акт выполненных работ.pdf"
    text = pdf_text(pdf.content)
    assert "АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ)" in text and MAIN.id in text
    spec = DocumentSpec(Operator.KCELL, DocumentKind.WORK_ACT, DocumentFormat.PDF, MAIN.id,
                        OCTOBER, MAIN.numbers, customer=customer())  # fmt: skip
    assert pdf.content == render(spec)

    by_phone = kcell.open(WORK_ACT, by="phone")  # the other tab, without a script
    assert "disabled" in by_phone.input("account") and "disabled" not in by_phone.input("phone")
    assert by_phone.input("by")["value"] == "phone"
    xlsx = kcell.download(
        WORK_ACT,
        {"by": "phone", "phone": "77012223345", "year": "2026", "month": "9", "format": "xlsx"},
    )
    assert filename(xlsx) == "Акт выполненных работ.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Акт", "Расшифровка"]
    assert book["Расшифровка"]["A2"].value == f"Лицевой счет: {MAIN.id}"
    orders = kcell.cabinet.orders()
    assert [(o["kind"], o["method"], o["account"], o["period"], o["format"], o["numbers"])
            for o in orders] == [
        ("work_act", "download", MAIN.id, "2026-10", "pdf", []),
        ("work_act", "download", MAIN.id, "2026-09", "xlsx", ["77012223345"]),
    ]  # fmt: skip
    actions = kcell.open("/documents/actions")
    assert "Запрос акта выполненных работ за сентябрь 2026, лицевой счет 1040123456" in (
        actions.text
    )


WORK_ACT_AFTER_5TH = (
    "Акты выполненных работ за прошедший учетный месяц доступны после 5 числа месяца."
)
WORK_ACT_NOT_READY = "Акт выполненных работ за выбранный период еще не сформирован"
WORK_ACT_CASES = [
    (dt.date(2026, 11, 5), 2026, 10, WORK_ACT_AFTER_5TH),
    (dt.date(2026, 11, 1), 2026, 10, WORK_ACT_AFTER_5TH),
    (dt.date(2026, 11, 6), 2026, 10, None),
    (dt.date(2026, 11, 2), 2026, 9, None),
    (dt.date(2026, 11, 20), 2026, 11, WORK_ACT_NOT_READY),
    (dt.date(2026, 11, 20), 2026, 12, WORK_ACT_NOT_READY),
    (dt.date(2026, 11, 20), 2017, 12, "Акты выполненных работ доступны с 1 января 2018 года."),
    (dt.date(2026, 11, 20), 2018, 1, None),
]


def test_work_act_refusals_by_the_sandbox_calendar(kcell: KcellClient, sandbox: Sandbox) -> None:
    kcell.login()
    kcell.open(WORK_ACT)
    for today, year, month, alert in WORK_ACT_CASES:
        sandbox.set_today(today)
        before = len(kcell.cabinet.orders())
        form = {"by": "account", "account": MAIN.id, "year": str(year), "month": str(month)}
        answer = kcell.download(WORK_ACT, {**form, "format": "xlsx"})
        orders = kcell.cabinet.orders()[before:]
        if alert is None:
            assert filename(answer) == "Акт выполненных работ.xlsx", (today, year, month)
            assert [o["period"] for o in orders] == [f"{year}-{month:02d}"]
        else:
            assert kcell.last.alerts == [alert] and orders == [], (today, year, month)
            assert kcell.last.h1 == "Акт выполненных работ и расшифровка к счету-фактуре"


def test_work_act_of_another_company_is_not_found(kcell: KcellClient) -> None:
    kcell.login()
    kcell.open(WORK_ACT)
    month = {"year": "2026", "month": "10", "format": "pdf"}
    for form in (
        {"by": "account", "account": BRANCH.id},
        {"by": "phone", "phone": "77012223346"},
        {"by": "phone", "phone": ""},
        {"by": "account", "account": "1"},
    ):
        answer = kcell.download(WORK_ACT, {**form, **month})
        assert "content-disposition" not in answer.headers
        assert kcell.last.alerts == ["Лицевой счет не найден"]
    choose_company(kcell, 1, WORK_ACT)
    answer = kcell.download(WORK_ACT, {"by": "account", "account": BRANCH.id, **month})
    assert "Филиал ТОО «Кабинет»" in pdf_text(answer.content)
    assert [o["account"] for o in kcell.cabinet.orders()] == [BRANCH.id]


def test_invoice_register_one_month_and_several(kcell: KcellClient) -> None:
    kcell.login()
    page = kcell.open(REGISTER)
    assert "Позволяет скачать «Реестр счетов-фактур» за указанный вами период." in page.text
    assert (
        "Внимание! Реестр счетов-фактур за прошедший учетный месяц доступен с 4 числа месяца."
        in page.text
    )
    assert "Укажите начало и конец периода" in page.text
    assert {"Начало периода", "Конец периода"} <= set(page.labels)
    assert page.options["start"][:2] == [("2026-11", "Ноябрь 2026"), ("2026-10", "Октябрь 2026")]
    assert page.options["end"][-1] == ("2018-01", "Январь 2018")
    assert '<option value="2026-10" selected>' in page.html
    assert page.buttons[-1] == "Запросить"

    one = kcell.download(REGISTER, {"start": "2026-10", "end": "2026-10"})
    assert filename(one) == "Реестр счетов-фактур.xlsx"
    spec = DocumentSpec(Operator.KCELL, DocumentKind.INVOICE_REGISTER, DocumentFormat.XLSX,
                        MAIN.id, OCTOBER, MAIN.numbers, customer=customer())  # fmt: skip
    assert one.content == render(spec)
    several = kcell.download(REGISTER, {"start": "2026-08", "end": "2026-10"})
    assert filename(several) == "Реестр счетов-фактур.zip"
    with zipfile.ZipFile(io.BytesIO(several.content)) as archive:
        names = archive.namelist()
        assert archive.read(names[-1]) == one.content
    assert names == [f"Реестр счетов-фактур_{MAIN.id}_2026-{m:02d}.xlsx" for m in (8, 9, 10)]
    orders = kcell.cabinet.orders()
    assert [(o["kind"], o["method"], o["period"], o["format"]) for o in orders] == [
        ("invoice_register", "download", "2026-10", "xlsx"),
        ("invoice_register", "download", "2026-08", "xlsx"),
        ("invoice_register", "download", "2026-09", "xlsx"),
        ("invoice_register", "download", "2026-10", "xlsx"),
    ]


REGISTER_FROM_4TH = "Реестр счетов-фактур за прошедший учетный месяц доступен с 4 числа месяца."
REGISTER_NOT_READY = "Реестр счетов-фактур за выбранный период еще не сформирован"
START_AFTER_END = "Начало периода не может быть позже конца периода"
REGISTER_CASES = [
    (dt.date(2026, 11, 3), "2026-10", "2026-10", REGISTER_FROM_4TH),
    (dt.date(2026, 11, 3), "2026-08", "2026-10", REGISTER_FROM_4TH),
    (dt.date(2026, 11, 4), "2026-10", "2026-10", None),
    (dt.date(2026, 11, 1), "2026-09", "2026-09", None),
    (dt.date(2026, 11, 20), "2026-11", "2026-11", REGISTER_NOT_READY),
    (dt.date(2026, 11, 20), "2026-10", "2026-11", REGISTER_NOT_READY),
    (
        dt.date(2026, 11, 20),
        "2026-10",
        "2026-09",
        "Начало периода не может быть позже конца периода",
    ),
    (dt.date(2026, 11, 20), "2017-12", "2026-09", REGISTER_NOT_READY),  # not offered
]


def test_invoice_register_refusals_by_the_sandbox_calendar(
    kcell: KcellClient, sandbox: Sandbox
) -> None:
    kcell.login()
    kcell.open(REGISTER)
    for today, start, end, alert in REGISTER_CASES:
        sandbox.set_today(today)
        before = len(kcell.cabinet.orders())
        answer = kcell.download(REGISTER, {"start": start, "end": end})
        orders = kcell.cabinet.orders()[before:]
        if alert is None:
            assert filename(answer) == "Реестр счетов-фактур.xlsx", (today, start)
            assert [o["period"] for o in orders] == [start]
        else:
            assert kcell.last.alerts == [alert] and orders == [], (today, start, end)
            assert kcell.last.options["start"][0][0] == f"{today:%Y-%m}"


def test_reconciliation_act_by_email(kcell: KcellClient, sandbox: Sandbox) -> None:
    kcell.login()
    page = kcell.open(RECONCILIATION)
    assert "Позволяет заказать отправку отчета «Акт сверки» на указанный Вами email." in page.text
    assert "Максимальный период запроса 12 месяцев от текущей даты." in page.text
    assert (
        "Внимание! Акты сверки за прошедший учетный месяц доступны после 3 числа месяца."
        in page.text
    )
    assert {"Начало периода", "Конец периода", "Электронная почта"} <= set(page.labels)
    assert page.input("date_from")["type"] == "date"
    assert (page.input("date_from")["value"], page.input("date_to")["value"]) == (
        "2026-10-01",
        "2026-10-31",
    )
    assert page.input("email")["placeholder"] == "Введите свой email"
    assert page.buttons[-1] == "Отправить"
    address = sandbox.mailbox.address
    october = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
    for email in ("", "robot", "robot@", "a b@example.com"):
        refused = kcell.submit(RECONCILIATION, {**october, "email": email})
        assert refused.alerts == ["Введите корректный email"] and refused.statuses == []
    sent = kcell.submit(
        RECONCILIATION, {"date_from": "2026-09-15", "date_to": "2026-10-31", "email": address}
    )
    assert sent.statuses == [f"Акт сверки будет отправлен на адрес {address}"]
    assert sent.alerts == []
    (message,) = wait_mail(sandbox)
    assert message.message["From"].addresses[0].addr_spec == "no-reply@kcell.kz"
    assert message.message["To"] == address
    september = Period(year=2026, month=9)
    spec = DocumentSpec(Operator.KCELL, DocumentKind.RECONCILIATION_ACT, DocumentFormat.PDF,
                        MAIN.id, september, MAIN.numbers,
                        customer=customer(email=address))  # fmt: skip
    assert attachments(message) == [("Акт сверки.pdf", render(spec))]
    (order,) = kcell.cabinet.orders()
    assert (order["kind"], order["method"], order["account"], order["period"]) == (
        "reconciliation_act",
        "email",
        MAIN.id,
        "2026-09",
    )
    assert (order["to"], order["date_from"], order["date_to"]) == (
        [address],
        "2026-09-15",
        "2026-10-31",
    )


RECONCILIATION_AFTER_3RD = "Акты сверки за прошедший учетный месяц доступны после 3 числа месяца."
RECONCILIATION_CASES = [
    (dt.date(2026, 11, 10), "2025-11-09", "2025-12-31",
     "Максимальный период запроса 12 месяцев от текущей даты."),
    (dt.date(2026, 11, 10), "2025-11-10", "2025-12-31", None),
    (dt.date(2026, 11, 3), "2026-10-01", "2026-10-31", RECONCILIATION_AFTER_3RD),
    (dt.date(2026, 11, 3), "2026-09-01", "2026-11-02", RECONCILIATION_AFTER_3RD),
    (dt.date(2026, 11, 3), "2026-09-01", "2026-09-30", None),
    (dt.date(2026, 11, 4), "2026-10-01", "2026-10-31", None),
    (dt.date(2026, 11, 10), "2026-10-31", "2026-10-01",
     "Начало периода не может быть позже конца периода"),
    (dt.date(2026, 11, 10), "2026-10-01", "2026-11-11",
     "Конец периода не может быть позже текущей даты"),
    (dt.date(2026, 11, 10), "", "2026-10-31", "Укажите начало и конец периода"),
]  # fmt: skip


def test_reconciliation_act_refusals_by_the_sandbox_calendar(
    kcell: KcellClient, sandbox: Sandbox
) -> None:
    kcell.login()
    kcell.open(RECONCILIATION)
    for today, start, end, alert in RECONCILIATION_CASES:
        sandbox.set_today(today)
        before = len(kcell.cabinet.orders())
        form = {"date_from": start, "date_to": end, "email": "robot@example.com"}
        page = kcell.submit(RECONCILIATION, form)
        orders = kcell.cabinet.orders()[before:]
        if alert is None:
            assert page.statuses == ["Акт сверки будет отправлен на адрес robot@example.com"]
            assert [(o["date_from"], o["date_to"]) for o in orders] == [(start, end)]
        else:
            assert (page.alerts, page.statuses, orders) == ([alert], [], []), (today, start)
            assert page.input("date_from")["value"] == start
    assert sandbox.outbox.wait_idle(20)  # the accepted ones are mailed before the end


def test_numbers_payments_and_devices_reports(kcell: KcellClient, sandbox: Sandbox) -> None:
    kcell.login()
    choose_company(kcell, 1)
    address = sandbox.mailbox.address
    numbers = kcell.open("/documents/numbers-report")
    assert "Электронная почта" in numbers.labels and numbers.buttons[-1] == "Запросить"
    assert kcell.submit("/documents/numbers-report", {"email": "nope"}).alerts == [
        "Введите корректный email"
    ]
    done = kcell.submit("/documents/numbers-report", {"email": address})
    assert done.statuses == [f"Отчет будет отправлен на адрес {address}"]

    payments = kcell.open(PAYMENTS)
    assert "Максимальный период запроса 3 месяца от текущей даты." in payments.text
    assert {"Начало периода", "Конец периода", "Типы платежей", "Электронная почта"} <= set(
        payments.labels
    )
    assert payments.options["payment_type"][0] == ("all", "Все платежи")
    assert payments.input("date_from")["value"] == "2026-10-10"
    assert payments.buttons[-1] == "Отправить"
    form = {"date_from": "2026-08-09", "date_to": "2026-09-30", "payment_type": "all"}
    too_old = kcell.submit(PAYMENTS, {**form, "email": address})
    assert too_old.alerts == ["Максимальный период запроса 3 месяца от текущей даты."]
    sent = kcell.submit(PAYMENTS, {**form, "date_from": "2026-08-10", "email": address})
    assert sent.statuses == [f"Отчет будет отправлен на адрес {address}"]

    devices = kcell.open("/documents/devices-report")
    assert "Электронная почта" in devices.labels and devices.buttons[-1] == "Запросить"
    acknowledged = kcell.submit("/documents/devices-report", {"email": address})
    assert acknowledged.statuses == [f"Отчет будет отправлен на адрес {address}"]

    messages = wait_mail(sandbox)
    got = sorted(attachments(m)[0] for m in messages)
    november, august = Period(year=2026, month=11), Period(year=2026, month=8)
    numbers_spec = DocumentSpec(Operator.KCELL, DocumentKind.NUMBERS_REPORT, DocumentFormat.XLSX,
                                BRANCH.id, november, BRANCH.numbers,
                                customer=customer(1, address))  # fmt: skip
    payments_spec = DocumentSpec(Operator.KCELL, DocumentKind.PAYMENTS_REPORT,
                                 DocumentFormat.XLSX, BRANCH.id, august, BRANCH.numbers,
                                 customer=customer(1, address))  # fmt: skip
    expected = sorted([("Отчет.xlsx", render(numbers_spec)), ("Отчет.xlsx", render(payments_spec))])
    assert got == expected  # the devices report sends nothing
    # Without spaces: Python's header folding loses one between two encoded words.
    subjects = sorted(m.subject.replace(" ", "") for m in messages)
    assert subjects == [
        "KcellBusiness:Отчетоплатежахзаавгуст2026г.,лицевойсчет1040123457",
        "KcellBusiness:Отчетпономерамзаноябрь2026г.,лицевойсчет1040123457",
    ]
    orders = kcell.cabinet.orders()
    assert [(o["kind"], o["method"], o["account"], o["period"], o["format"], o["to"])
            for o in orders] == [
        ("numbers_report", "email", BRANCH.id, "2026-11", "xlsx", [address]),
        ("payments_report", "email", BRANCH.id, "2026-08", "xlsx", [address]),
    ]  # fmt: skip
    assert orders[1]["date_from"] == "2026-08-10"


def test_markup_restyle_keeps_the_cabinet_working(kcell: KcellClient, sandbox: Sandbox) -> None:
    sandbox.cabinet("kcell").set_markup("restyle,seed=3")
    page = kcell.login()
    assert page.h1 == "Управление номерами"
    assert "data-company-select" in page.html and 'class="top-nav"' not in page.html
    assert "Выбор компании" in page.labels
    kcell.open(details_path())
    answer = kcell.download(
        details_path(), {"date_from": "2026-10-01", "date_to": "2026-10-31", "output": "pdf"}
    )
    assert filename(answer) == "Детализация.pdf"
    script = kcell.http.get("/static/kcell.js").text
    assert "[data-company-select]" in script and "[data-resend-button]" in script


# -- the single-page markup --------------------------------------------------------------------

ROLE_OR_ARIA = re.compile(r"<[^>]+\s(?:role|aria-[a-z]+)=")


def test_single_page_markup_has_no_roles_selects_labels_or_headings(kcell_spa: KcellClient) -> None:
    login = kcell_spa.open("/login")
    assert "НОМЕР ТЕЛЕФОНА*" in login.text and "ВАШ ПАРОЛЬ" in login.text
    assert '<script src="/static/kcell.js" data-spa>' in login.html
    refused = kcell_spa.submit("/login", {"phone": ADMIN, "password": "wrong"})
    assert refused.alerts == [] and BAD_LOGIN in refused.text and "data-toast" in refused.html
    pages = [login, refused, kcell_spa.login(), kcell_spa.open(f"/numbers/{ADMIN}")]
    pages += [kcell_spa.open(path) for path in ("/profile", "/documents", details_path())]
    pages += [kcell_spa.open(href) for href, _ in SECTIONS.values()]
    for page in pages:
        assert not ROLE_OR_ARIA.search(page.html), page.url
        assert "<select" not in page.html and "<label" not in page.html, page.url
        assert page.h1 == "" and "<nav" not in page.html, page.url
    numbers = pages[2]
    assert f'data-href="/numbers/{ADMIN}"' in numbers.html and f'href="/numbers/{ADMIN}"' not in (
        numbers.html.replace("data-href", "")
    )
    assert 'title="Мой профиль"' in numbers.html
    assert "Выбор компании" in numbers.text and "data-dropdown" in numbers.html
    recovery = kcell_spa.open("/logout") and kcell_spa.open("/recovery")
    step2 = kcell_spa.submit("/recovery", {"phone": ADMIN})
    assert "SMS код*" in step2.text and "Отправить код на телефон" in step2.buttons
    step3 = kcell_spa.submit("/recovery/code", {"code": kcell_spa.code()})
    assert "НОВЫЙ ПАРОЛЬ" in step3.text and "ПОДТВЕРЖДЕНИЕ ПАРОЛЯ" in step3.text
    assert recovery.url.endswith("/recovery")


def test_single_page_periods_are_sent_as_the_range_picker_shows_them(
    kcell_spa: KcellClient, sandbox: Sandbox
) -> None:
    kcell_spa.login()
    details = kcell_spa.open(details_path())
    assert "НАЧАЛО И КОНЕЦ ПЕРИОДА" in details.text and "ВЫВОД" in details.text
    assert details.input("period")["value"] == "10-10-2026 → 10-11-2026"
    answer = kcell_spa.download(
        details_path(), {"period": "01-10-2026 → 31-10-2026", "output": "xls"}
    )
    assert filename(answer) == "Детализация.xls"
    refused = kcell_spa.download(details_path(), {"period": "01.10.2026", "output": "pdf"})
    assert refused.status_code == 200 and DETAILS_RANGE in kcell_spa.last.text
    assert kcell_spa.last.input("period")["value"] == "01.10.2026"  # as typed

    register = kcell_spa.open(REGISTER)
    assert register.input("period")["value"] == "Октябрь 2026 - Октябрь 2026"
    one = kcell_spa.download(REGISTER, {"period": "Октябрь 2026 - Октябрь 2026"})
    assert filename(one) == "Реестр счетов-фактур.xlsx"
    kcell_spa.open(RECONCILIATION)
    sent = kcell_spa.submit(
        RECONCILIATION, {"period": "01-10-2026 → 31-10-2026", "email": "robot@example.com"}
    )
    assert "Акт сверки будет отправлен на адрес robot@example.com" in sent.text
    payments = kcell_spa.open(PAYMENTS)
    assert "Типы платежей" in payments.text
    orders = [(o["kind"], o.get("date_from"), o.get("date_to")) for o in kcell_spa.cabinet.orders()]
    assert orders == [
        ("call_details", "2026-10-01", "2026-10-31"),
        ("invoice_register", None, None),
        ("reconciliation_act", "2026-10-01", "2026-10-31"),
    ]
    wait_mail(sandbox)
