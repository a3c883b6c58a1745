"""The MTS «Виртуальный менеджер» over HTTP, as the screen contract describes it: login
(number format, lockout, the SMS step), sessions and CSRF for pages and for the script's
JSON calls, the selection, every refusal of the «Документ» dialog, and the documents that
arrive in Dovecot, attached or as an expiring link."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.cabinets.files import EXPIRED as LINK_EXPIRED
from sandbox.cabinets.files import FileLinks, StoredFile
from sandbox.documents import Customer, DocumentSpec, render
from sandbox.mailserver import StoredMessage
from sandbox.stack import Sandbox
from sandbox.world import accounts_of

if TYPE_CHECKING:
    from tests.sandbox.conftest import MtsClient

pytestmark = pytest.mark.integration

BIG, SINGLE, PAIR = accounts_of(Operator.MTS)  # 3 numbers, 1 number, 2 numbers
PHONE = "79161234567"
BAD_LOGIN = "Неверный номер или пароль"
BAD_NUMBER = "Введите номер в формате 9161234567"
LOCKED = (
    "Вход заблокирован из-за неоднократного ввода неверного пароля. "
    "Повторите попытку через 15 минут."
)
EXPIRED = "Сеанс работы завершен. Войдите снова."
INVOICES = "Сформированные счета закрытых расчётных периодов"
DETAILS = "Детализация разговоров"
OCTOBER = Period(year=2026, month=10)


@pytest.fixture(autouse=True)
def semantic(sandbox: Sandbox) -> None:
    """These tests read the accessible markup (headings, roles, labels); the legacy
    markup the cabinet serves by default has tests of its own below."""
    sandbox.cabinet("mts").set_markup("semantic")


def attachments(message: StoredMessage) -> list[tuple[str, bytes]]:
    parts = message.message.iter_attachments()
    return [(str(p.get_filename()), p.get_payload(decode=True)) for p in parts]


def wait_mail(sandbox: Sandbox) -> list[StoredMessage]:
    assert sandbox.outbox.wait_idle(20), "the outbox did not send everything"
    assert sandbox.outbox.failures == []
    return sandbox.mailbox.messages()


def details_order(email: str, fmt: str = "pdf", **changes: Any) -> dict[str, Any]:
    body = {
        "document": "call_details",
        "date_from": "2026-10-01",
        "date_to": "2026-10-31",
        "email": email,
        "format": fmt,
        "rules": True,
    }
    return {**body, **changes}


def invoice_order(email: str, **changes: Any) -> dict[str, Any]:
    body = {"document": "invoice", "period": "2026-10", "email": email, "format": "pdf"}
    return {**body, "rules": True, **changes}


def expected(kind: DocumentKind, fmt: DocumentFormat, account: str, numbers: tuple[str, ...],
             email: str) -> bytes:  # fmt: skip
    spec = DocumentSpec(
        Operator.MTS, kind, fmt, account, OCTOBER, numbers, customer=Customer(email=email)
    )
    return render(spec)


# -- login -----------------------------------------------------------------------------------


def test_login_page_and_right_credentials(mts: MtsClient) -> None:
    assert mts.http.get("/", follow_redirects=False).headers["location"] == "/selfcare/"
    page = mts.open("/selfcare/")
    assert page.h1 == "Вход в Виртуальный менеджер"
    for link in ("Частным клиентам", "Корпоративным клиентам", "О компании", "Дилерам"):
        assert link in page.links
    assert (
        "Позволяет получить доступ к счетам корпоративных абонентов, подключать и отключать "
        "различные услуги МТС, формировать отчетность." in page.text
    )
    assert "Номер: +7 Например, 9161234567" in page.text  # the fixed +7, then the hint
    assert {"Номер:", "Пароль:"} <= set(page.labels)
    assert page.input("password")["type"] == "password"
    assert page.buttons == ["Войти"]
    assert page.alerts == []
    main = mts.login()
    assert main.url.endswith("/selfcare/vm")
    assert main.h1 == "Виртуальный менеджер"
    assert mts.open("/selfcare/").url.endswith("/selfcare/vm")  # already logged in


def test_wrong_number_or_password_is_refused(mts: MtsClient) -> None:
    for number, password in ((None, "not-the-password"), ("9169999999", None)):
        page = mts.login(number, password)
        assert (page.h1, page.alerts) == ("Вход в Виртуальный менеджер", [BAD_LOGIN])
        assert page.input("number")["value"] == (number or mts.cabinet.login)
        assert page.input("password").get("value") is None  # never sent back
    assert mts.http.get("/selfcare/vm", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("number", ["+79161234567", "79161234567", "916123456", "", "91612345ab"])
def test_the_number_must_be_ten_digits(mts: MtsClient, number: str) -> None:
    page = mts.login(number)
    assert page.alerts == [BAD_NUMBER]
    assert mts.cabinet.cabinet.lockout.locked_for(number) is None  # not a password attempt


def test_five_wrong_passwords_lock_the_number_even_for_the_right_password(
    mts: MtsClient,
) -> None:
    for _ in range(4):
        assert mts.login(password="wrong").alerts == [BAD_LOGIN]
    assert mts.login(password="wrong").alerts == [LOCKED]
    assert mts.login().alerts == [LOCKED]  # the right password is refused too
    assert mts.http.get("/selfcare/vm", follow_redirects=False).status_code == 303
    assert mts.login("9169999999", "x").alerts == [BAD_LOGIN]  # other numbers are not locked
    mts.cabinet.cabinet.lockout.succeeded(mts.cabinet.login)
    assert mts.login().h1 == "Виртуальный менеджер"
    mts.http.get("/selfcare/logout")
    mts.cabinet.lock_login()  # as after five wrong passwords
    assert mts.login().alerts == [LOCKED]


def test_a_right_password_resets_the_count_and_the_lock_runs_out(mts: MtsClient) -> None:
    mts.cabinet.set_settings(max_attempts=2, lockout_s=61)
    assert mts.login(password="wrong").alerts == [BAD_LOGIN]
    assert mts.login().h1 == "Виртуальный менеджер"
    mts.http.get("/selfcare/logout")
    assert mts.login(password="wrong").alerts == [BAD_LOGIN]  # counting from 1 again
    locked = mts.login(password="wrong").alerts
    assert locked == [LOCKED.replace("15 минут", "2 минуты")]  # 61 s: rounded up
    mts.cabinet.set_settings(lockout_s=0.05)
    assert mts.login(password="wrong").alerts == [locked[0]]  # still locked for 61 s
    lockout = mts.cabinet.cabinet.lockout
    lockout.succeeded(mts.cabinet.login)
    # 1 s: long enough that a loaded machine still logs in while locked.
    lockout.failed(mts.cabinet.login, max_attempts=1, lockout_s=1.0)
    assert mts.login().alerts == [LOCKED.replace("15 минут", "1 минуту")]
    time.sleep(1.05)  # the lock runs out
    assert mts.login().h1 == "Виртуальный менеджер"


# -- the SMS step ----------------------------------------------------------------------------


def test_sms_step_with_the_code_from_the_gateway(mts: MtsClient) -> None:
    mts.cabinet.set_settings(sms_on_login=True)
    assert mts.http.get("/_sandbox/sms", params={"phone": PHONE}).status_code == 404
    before = dt.datetime.now(dt.UTC)
    page = mts.login()
    assert page.url.endswith("/selfcare/confirm")
    assert page.h1 == "Подтверждение входа"
    assert "На номер +7 916 123-45-67 отправлен код подтверждения." in page.text
    assert page.labels == ["Код из SMS:"] and page.buttons == ["Подтвердить"]
    sms = mts.http.get("/_sandbox/sms", params={"phone": PHONE}).json()
    assert sms["phone"] == PHONE and len(sms["code"]) == 6 and sms["code"].isdigit()
    assert before <= dt.datetime.fromisoformat(sms["sent_at"]) <= dt.datetime.now(dt.UTC)
    assert mts.http.get("/selfcare/vm", follow_redirects=False).status_code == 303  # not yet
    wrong = "000000" if sms["code"] != "000000" else "111111"
    refused = mts.submit("/selfcare/confirm", {"code": wrong})
    assert (refused.h1, refused.alerts) == ("Подтверждение входа", ["Неверный код подтверждения"])
    assert mts.submit("/selfcare/confirm", {"code": sms["code"]}).h1 == "Виртуальный менеджер"


def test_three_wrong_codes_send_back_to_the_login_page(mts: MtsClient, sandbox: Sandbox) -> None:
    mts.cabinet.set_settings(sms_on_login=True)
    mts.login()
    code = sandbox.cabinet("mts").last_sms(PHONE)
    assert code is not None
    wrong = "000000" if code["code"] != "000000" else "111111"
    for _ in range(2):
        assert mts.submit("/selfcare/confirm", {"code": wrong}).alerts == [
            "Неверный код подтверждения"
        ]
    page = mts.submit("/selfcare/confirm", {"code": wrong})
    assert page.url.endswith("/selfcare/")
    assert page.h1 == "Вход в Виртуальный менеджер"
    assert page.alerts == ["Код подтверждения введен неверно несколько раз. Войдите снова."]
    assert mts.open("/selfcare/").alerts == []  # said once
    # the old code is void: the step is gone until the password is typed again
    assert mts.submit("/selfcare/confirm", {"code": code["code"]}).h1 == (
        "Вход в Виртуальный менеджер"
    )
    assert mts.http.get("/selfcare/vm", follow_redirects=False).status_code == 303


def test_an_sms_code_is_valid_for_a_limited_time(mts: MtsClient, sandbox: Sandbox) -> None:
    mts.cabinet.set_settings(sms_on_login=True, sms_code_ttl_s=0.05)
    mts.login()
    code = sandbox.cabinet("mts").last_sms(PHONE)
    assert code is not None
    time.sleep(0.06)  # the 0.05 s validity runs out
    page = mts.submit("/selfcare/confirm", {"code": code["code"]})
    assert page.alerts == ["Срок действия кода подтверждения истек. Войдите снова."]
    assert mts.login().h1 == "Подтверждение входа"  # a new code
    new = sandbox.cabinet("mts").last_sms(PHONE)
    assert new is not None and new["sent_at"] >= code["sent_at"]


# -- sessions and CSRF ---------------------------------------------------------------------


def test_logged_out_pages_and_calls_go_to_the_login_page(mts: MtsClient) -> None:
    for path in ("/selfcare/vm", "/selfcare/confirm"):
        response = mts.http.get(path, follow_redirects=False)
        assert response.headers["location"] == "/selfcare/?expired=1", path
    assert mts.open("/selfcare/?expired=1").alerts == [EXPIRED]
    for path in ("/selfcare/api/selection", "/selfcare/api/order"):
        answer = mts.http.post(path, json={}, headers={"X-CSRF-Token": mts.last.csrf})
        assert answer.status_code == 401
        assert answer.json() == {
            "error": "unauthorized",
            "message": EXPIRED,
            "location": "/selfcare/?expired=1",
        }
    assert mts.http.get("/selfcare/api/selection").status_code == 401


def test_an_expired_session_ends_pages_and_calls(mts: MtsClient, sandbox: Sandbox) -> None:
    mts.login()
    sandbox.cabinet("mts").expire_sessions()
    assert mts.call("/selfcare/api/selection", {"account": BIG.id}).status_code == 401
    response = mts.http.get("/selfcare/vm", follow_redirects=False)
    assert response.headers["location"] == "/selfcare/?expired=1"
    mts.login()
    sandbox.cabinet("mts").set_faults("session_ttl_s=0.001")
    assert mts.call("/selfcare/api/selection", {"account": BIG.id}).json()["location"] == (
        "/selfcare/?expired=1"
    )


def test_forms_and_calls_without_the_session_token_are_refused(
    mts: MtsClient, sandbox: Sandbox
) -> None:
    mts.open("/selfcare/")
    page = mts.submit(
        "/selfcare/", {"number": mts.cabinet.login, "password": mts.cabinet.password}, csrf="x"
    )
    assert (page.status_code, page.h1) == (403, "Ошибка")
    assert page.alerts == ["Сеанс устарел. Обновите страницу и войдите снова."]
    mts.login()
    for token in ("forged", ""):
        answer = mts.call("/selfcare/api/selection", {"account": BIG.id}, csrf=token)
        assert answer.status_code == 403 and "Сеанс устарел" in answer.text
        refused = mts.call("/selfcare/api/order", invoice_order("a@b.ru"), csrf=token)
        assert refused.status_code == 403
    assert mts.call("/selfcare/api/selection/clear", csrf="x").status_code == 403
    assert sandbox.cabinet("mts").orders() == []
    assert mts.open("/selfcare/vm").h1 == "Виртуальный менеджер"
    assert f"{BIG.numbers[0]}</td>" not in mts.last.html  # nothing was selected


# -- the main screen and the selection -----------------------------------------------------


def test_main_screen_shows_the_tabs_hierarchy_selection_menu_and_dialog(mts: MtsClient) -> None:
    page = mts.login()
    html = page.html
    for tab in ("Операции с номерами", "История действий", "Управление иерархией", "Счета",
                "Пользователи", "Роли", "Обращения"):  # fmt: skip
        assert 'role="tab"' in html and f">{tab}</button>" in html
    assert 'aria-selected="true" tabindex="0" data-tab>Операции с номерами<' in html
    assert '<section aria-label="Иерархия"' in html and 'role="tree"' in html
    assert page.options["hierarchy"][0][1] == "Биллинговая"
    for account in accounts_of(Operator.MTS):
        assert f">Лицевой счет {account.id}</span>" in html
        assert f'draggable="true" class="account" data-account="{account.id}"' in html
        for number in account.numbers:
            assert f'draggable="true" class="number" data-number="{number}">{number}</li>' in html
    assert html.count('role="treeitem"') == 3 + 6 and 'aria-expanded="false"' in html
    assert '<section aria-label="Текущая выборка"' in html
    assert "<h2 data-selection-heading>Текущая выборка</h2>" in html
    for column in ("Тип", "Абонентский номер", "Папка", "ФИО"):
        assert f'<th scope="col">{column}</th>' in html
    assert {"Фильтр", "Выбранные", "Очистить выборку", "Заказать документ"} <= set(page.buttons)
    assert f'role="menuitem" data-document="invoice">{INVOICES}<' in html
    assert f'role="menuitem" data-document="call_details">{DETAILS}<' in html
    # the dialog, closed
    assert '<dialog aria-label="Документ"' in html
    assert {"Период", "Период с", "по", "Отправить на", "PDF", "XML", "HTML"} <= set(page.labels)
    assert "Я принимаю правила использования системы" in page.labels
    assert page.links["правила использования системы"] == "/selfcare/rules"
    assert page.options["period"][0] == ("2026-10", "Октябрь 2026")
    assert page.options["period"][-1] == ("2025-11", "Ноябрь 2025")
    assert len(page.options["period"]) == 12
    assert page.input("date_from")["value"] == "2026-10-01"
    assert page.input("date_to")["value"] == "2026-10-31"
    assert page.input("email").get("value") is None
    assert "checked" in page.input("format", "pdf")
    assert "checked" not in page.input("rules")
    assert "Формат данных" in page.text and "Выбрано 0 номеров" in page.text
    assert (
        "Из-за большого размера файла, некоторые почтовые серверы могут отказать в получении "
        "данного письма." in page.text
    )
    assert {"Заказать", "Отмена", "Закрыть"} <= set(page.buttons)
    assert 'src="/static/vm.js"' in html
    script = mts.http.get("/static/vm.js").text
    for event in ("dragstart", "dragover", "drop", "dataTransfer"):
        assert event in script
    assert mts.open("/selfcare/rules").h1 == "Правила использования системы"


def test_selection_by_the_json_endpoints(mts: MtsClient) -> None:
    mts.login()
    one = mts.select(account=BIG.id)
    assert one["count"] == 3
    assert one["heading"] == "Текущая выборка (3): один контракт, однотиповая"
    assert one["selected_text"] == "Выбрано 3 номера"
    assert one["rows"][0] == {
        "type": "GSM",
        "number": "79161234567",
        "folder": BIG.id,
        "name": "Иванов Иван Иванович",
    }
    assert [r["number"] for r in one["rows"]] == list(BIG.numbers)
    assert mts.select(account=BIG.id) == one  # each number once
    two = mts.select(number=PAIR.numbers[1])
    assert two["heading"] == "Текущая выборка (4): несколько контрактов"
    assert two["selected_text"] == "Выбрано 4 номера"
    assert two["rows"][-1]["folder"] == PAIR.id
    assert mts.select(number=SINGLE.numbers[0])["selected_text"] == "Выбрано 5 номеров"
    assert mts.http.get("/selfcare/api/selection").json()["count"] == 5
    for bad in ({"account": "277000000000"}, {"number": "79990000000"}, {}):
        assert mts.call("/selfcare/api/selection", bad).status_code == 400
    cleared = mts.call("/selfcare/api/selection/clear").json()
    assert cleared == {
        "count": 0,
        "heading": "Текущая выборка",
        "selected_text": "Выбрано 0 номеров",
        "rows": [],
    }
    assert mts.select(number=SINGLE.numbers[0])["heading"] == (
        "Текущая выборка (1): один контракт, однотиповая"
    )
    page = mts.open("/selfcare/vm")  # a main screen starts with an empty selection
    assert "Текущая выборка (" not in page.text and "Выбрано 0 номеров" in page.text
    assert mts.http.get("/selfcare/api/selection").json()["count"] == 0


def test_the_selection_belongs_to_the_session(mts: MtsClient, sandbox: Sandbox) -> None:
    mts.login()
    mts.select(account=BIG.id)
    other = type(mts)(sandbox.cabinet("mts"))
    try:
        other.login()
        assert other.http.get("/selfcare/api/selection").json()["count"] == 0
    finally:
        other.close()


# -- the «Документ» dialog -----------------------------------------------------------------


def test_every_dialog_refusal(mts: MtsClient, sandbox: Sandbox) -> None:
    email = sandbox.mailbox.address
    mts.login()

    def refused(body: dict[str, Any]) -> str:
        answer = mts.order(**body)
        assert answer.status_code == 422, answer.text
        alert: str = answer.json()["alert"]
        return alert

    assert refused(details_order(email)) == "Выберите номера в текущей выборке"
    assert refused(invoice_order(email)) == "Выберите номера в текущей выборке"
    mts.select(account=BIG.id)
    for body in (details_order(email, rules=False), invoice_order(email, rules=False),
                 details_order(email, rules="true"), invoice_order(email, rules=None)):  # fmt: skip
        assert refused(body) == "Необходимо принять правила использования системы"
    for bad in ("", "robot", "robot@", "@example.com", "robot@example", "a b@example.com",
                "robot@example.com, other@example.com"):  # fmt: skip
        assert refused(details_order(bad)) == "Укажите корректный адрес электронной почты"
        assert refused(invoice_order(bad)) == "Укажите корректный адрес электронной почты"
    six_months = "Период детализации должен быть в пределах последних шести месяцев"
    windows = (("2026-04-30", "2026-05-31"), ("2026-11-01", "2026-11-11"), ("", "2026-10-31"),
               ("01.10.2026", "2026-10-31"), ("2026-10-01", "x"))  # fmt: skip
    for start, end in windows:
        assert refused(details_order(email, date_from=start, date_to=end)) == six_months
    assert refused(details_order(email, date_from="2026-10-31", date_to="2026-10-01")) == (
        "Дата начала периода не может быть позже даты окончания"
    )
    for period in ("2026-11", "2025-10", "2026-13", ""):
        assert refused(invoice_order(email, period=period)) == "Счет за выбранный период недоступен"
    assert refused(invoice_order(email, format="xml")) == "Выберите формат данных"
    assert refused(details_order(email, fmt="xlsx")) == "Выберите формат данных"
    assert mts.order(**details_order(email, document="act")).status_code == 400
    assert sandbox.cabinet("mts").orders() == []
    # the edges of the window are accepted
    ok = mts.order(**details_order(email, date_from="2026-05-01", date_to="2026-11-10"))
    assert ok.json() == {"status": f"Документ заказан и будет отправлен на адрес {email}"}
    ok = mts.order(**invoice_order(email, period="2025-11"))
    assert ok.status_code == 200


def test_invoice_for_each_account_of_the_selection_arrives_as_pdf(
    mts: MtsClient, sandbox: Sandbox
) -> None:
    email = sandbox.mailbox.address
    mts.login()
    mts.select(account=BIG.id)
    mts.select(number=PAIR.numbers[0])
    answer = mts.order(**invoice_order(email))
    assert answer.json() == {"status": f"Документ заказан и будет отправлен на адрес {email}"}
    orders = sandbox.cabinet("mts").orders()
    assert [(o["kind"], o["method"], o["account"], o["period"], o["format"]) for o in orders] == [
        ("invoice", "email", BIG.id, "2026-10", "pdf"),
        ("invoice", "email", PAIR.id, "2026-10", "pdf"),
    ]
    assert [o["numbers"] for o in orders] == [list(BIG.numbers), [PAIR.numbers[0]]]
    assert all(o["to"] == [email] and "date_from" not in o for o in orders)
    assert dt.datetime.fromisoformat(orders[0]["ordered_at"]).date() == dt.date(2026, 11, 10)
    messages = wait_mail(sandbox)
    assert len(messages) == 2
    by_subject = {str(m.message["Subject"]): m for m in messages}
    for account in (BIG, PAIR):
        subject = (
            f"МТС. Заказанный документ: Счет по лицевому счету {account.id} за октябрь 2026 г."
        )
        message = by_subject[subject]
        assert message.message["From"].addresses[0].addr_spec == "noreply@mts.ru"
        pdf = expected(DocumentKind.INVOICE, DocumentFormat.PDF, account.id, account.numbers, email)
        assert attachments(message) == [("document.pdf", pdf)]


@pytest.mark.parametrize("fmt", ["pdf", "xml", "html"])
def test_call_details_arrive_in_the_chosen_format(
    mts: MtsClient, sandbox: Sandbox, fmt: str
) -> None:
    email = sandbox.mailbox.address
    mts.login()
    mts.select(number=BIG.numbers[2])
    mts.select(number=BIG.numbers[0])
    mts.select(account=SINGLE.id)
    answer = mts.order(**details_order(email, fmt, date_from="2026-10-05", date_to="2026-11-02"))
    assert answer.status_code == 200
    orders = sandbox.cabinet("mts").orders()
    assert [(o["kind"], o["account"], o["numbers"], o["period"]) for o in orders] == [
        ("call_details", BIG.id, [BIG.numbers[0], BIG.numbers[2]], "2026-10"),
        ("call_details", SINGLE.id, list(SINGLE.numbers), "2026-10"),
    ]
    assert all(o["format"] == fmt and o["method"] == "email" for o in orders)
    assert all((o["date_from"], o["date_to"]) == ("2026-10-05", "2026-11-02") for o in orders)
    messages = wait_mail(sandbox)
    got = sorted(a for m in messages for a in attachments(m))
    numbers = {BIG.id: (BIG.numbers[0], BIG.numbers[2]), SINGLE.id: SINGLE.numbers}
    assert got == sorted(
        (
            f"detal_{account}_202610.{fmt}",
            expected(DocumentKind.CALL_DETAILS, DocumentFormat(fmt), account, nums, email),
        )
        for account, nums in numbers.items()
    )


def test_large_call_details_come_as_a_link_that_downloads_then_expires(
    mts: MtsClient, sandbox: Sandbox
) -> None:
    email = sandbox.mailbox.address
    cabinet = sandbox.cabinet("mts")
    cabinet.set_settings(max_attachment_kb=10, calls_per_number=200)
    mts.login()
    mts.select(account=SINGLE.id)  # one number, 200 calls: about 18 KB of XML
    assert mts.order(**details_order(email, "xml")).status_code == 200
    assert sandbox.outbox.wait_idle(20)
    cabinet.set_settings(calls_per_number=40)  # about 4 KB
    assert mts.order(**details_order(email, "xml")).status_code == 200
    messages = wait_mail(sandbox)
    links = [s.link for s in sandbox.outbox.sent]
    assert links[0] is not None and links[0].startswith(f"{cabinet.base_url}selfcare/files/")
    assert links[1] is None  # under the limit: attached
    xml = render(
        DocumentSpec(
            Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML, SINGLE.id, OCTOBER,
            SINGLE.numbers, customer=Customer(email=email), calls_per_number=200,
        )
    )  # fmt: skip
    assert len(xml) > 10 * 1024
    linked = next(m for m in messages if not attachments(m))
    text = linked.message.get_body(("plain",))
    assert text is not None
    assert links[0] in text.get_content()
    assert "Ссылка действительна в течение 7 дней." in text.get_content()
    download = httpx.get(links[0])  # no session needed: a mail client has none
    assert download.status_code == 200 and download.content == xml
    assert download.headers["content-type"].startswith("application/xml")
    assert 'filename="detal_277012345679_202610.xml"' in download.headers["content-disposition"]
    cabinet.expire_links()
    gone = mts.open(links[0])
    assert (gone.status_code, gone.h1) == (410, "Срок действия ссылки истек")
    missing = mts.open("/selfcare/files/no-such-token")
    assert (missing.status_code, missing.h1) == (404, "Страница не найдена")


def test_file_links_expire_after_their_ttl() -> None:
    links = FileLinks()
    token = links.add("detal.xml", b"<x/>", ttl_s=0.05)
    stored = links.get(token)
    assert isinstance(stored, StoredFile) and stored.data == b"<x/>"
    time.sleep(0.06)  # the 0.05 s validity runs out
    assert links.get(token) is LINK_EXPIRED
    assert links.get("unknown") is None
    other = links.add("detal.xml", b"<x/>", ttl_s=3600)
    links.expire_all()
    assert links.get(other) is LINK_EXPIRED


def test_orders_json_over_http_matches_the_book(mts: MtsClient, sandbox: Sandbox) -> None:
    email = sandbox.mailbox.address
    mts.login()
    mts.select(account=PAIR.id)
    mts.order(**invoice_order(email, period="2026-09"))
    mts.order(**details_order(email, "html", date_from="2026-09-10", date_to="2026-10-20"))
    listed = mts.http.get("/_sandbox/orders").json()
    assert listed == sandbox.cabinet("mts").orders()
    invoice, details = listed
    assert invoice == {
        "id": 1,
        "kind": "invoice",
        "method": "email",
        "account": PAIR.id,
        "period": "2026-09",
        "format": "pdf",
        "numbers": list(PAIR.numbers),
        "to": [email],
        "ordered_at": invoice["ordered_at"],
    }
    assert details["kind"] == "call_details" and details["period"] == "2026-09"
    assert (details["date_from"], details["date_to"]) == ("2026-09-10", "2026-10-20")
    assert sandbox.outbox.wait_idle(20)


# -- faults and markup ---------------------------------------------------------------------


def test_error_pages_of_the_mts_cabinet(mts: MtsClient, sandbox: Sandbox) -> None:
    cabinet = sandbox.cabinet("mts")
    mts.login()
    cabinet.set_faults("maintenance=mts")
    page = mts.open("/selfcare/vm")
    assert (page.status_code, page.h1) == (503, "Технические работы")
    assert page.alerts == [
        "Виртуальный менеджер временно недоступен. Проводятся плановые технические работы. "
        "Попробуйте зайти позже."
    ]
    answer = mts.http.post("/selfcare/api/selection", json={"account": BIG.id})
    assert answer.status_code == 503 and "Технические работы" in answer.text  # the script shows it
    assert sandbox.cabinet("sip").cabinet.faults.in_maintenance is False
    cabinet.set_faults("error_rate=1")
    page = mts.open("/selfcare/")
    assert (page.status_code, page.h1) == (500, "Ошибка сервера")
    assert page.alerts == ["Произошла внутренняя ошибка. Повторите попытку позже."]
    cabinet.set_faults("")
    assert mts.open("/selfcare/nowhere").status_code == 404


def test_restyled_and_renamed_pages_keep_working(mts: MtsClient, sandbox: Sandbox) -> None:
    cabinet = sandbox.cabinet("mts")
    cabinet.set_markup("restyle,seed=3,rename=Текущая выборка=>Выбранные номера")
    page = mts.login()
    assert page.h1 == "Виртуальный менеджер"
    for attribute in ("data-tree", "data-dropzone", "data-rows", "data-dialog", "data-order-form",
                      "data-account=", "data-number=", "data-csrf-token="):  # fmt: skip
        assert attribute in page.html
    assert 'class="tree"' not in page.html and "Выбранные номера" in page.text
    assert mts.select(account=BIG.id)["count"] == 3
    assert mts.call("/selfcare/api/selection/clear").json()["heading"] == "Выбранные номера"
