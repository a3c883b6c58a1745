"""Sandbox PDF/HTML/TXT documents, and their recognition from content alone."""

from __future__ import annotations

import io
import random
import re
import time
from decimal import Decimal

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.recognition import recognise
from robots.recognition.common import (
    CorruptDocument,
    NotAnOperatorDocument,
    Recognition,
    UnknownIssuer,
    account_in_text,
    period_in_text,
    phone_numbers_in_text,
)
from robots.recognition.pdf import recognise_pdf
from robots.recognition.text import kind_in_text, recognise_html, recognise_txt
from sandbox.documents import render
from sandbox.documents.model import DocumentSpec, generate_calls, total
from sandbox.documents.pdf import SUPPORTED, render_pdf
from sandbox.documents.text import render_html, render_txt

OCTOBER = Period(year=2026, month=10)
ACCOUNTS = {
    Operator.MTS: ("277012345678", ("79161234567", "79161234568")),
    Operator.KCELL: ("5500123456", ("77012223344",)),
    Operator.A1: ("1010012345678", ("375291234567", "375291234568")),
    Operator.SIP: ("1100023456", ("375172345678",)),
}
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def spec_for(
    operator: Operator,
    kind: DocumentKind,
    fmt: DocumentFormat = DocumentFormat.PDF,
    calls_per_number: int = 40,
) -> DocumentSpec:
    account, numbers = ACCOUNTS[operator]
    return DocumentSpec(
        operator, kind, fmt, account, OCTOBER, numbers, calls_per_number=calls_per_number
    )


# A SIP operator's documents name the company that runs the cabinet, which the robot
# cannot know by itself: the content gives no operator (the configuration's
# ``recognition`` or the sender's cabinet does).


def expected(spec: DocumentSpec) -> Recognition:
    numbers = spec.numbers if spec.kind is DocumentKind.CALL_DETAILS else ()
    operator = None if spec.operator is Operator.SIP else spec.operator
    return Recognition(operator, spec.kind, spec.format, spec.period, spec.account, numbers)


def read_back(data: bytes) -> Recognition:
    """What the recogniser reads, the recognition of an unknown issuer included."""
    try:
        return recognise(data)
    except UnknownIssuer as unknown:
        return unknown.recognition


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


# --- rendering and recognising back ---------------------------------------------------


@pytest.mark.parametrize("combination", sorted(SUPPORTED), ids=lambda c: f"{c[0]}-{c[1]}")
def test_every_pdf_is_recognised_back(combination: tuple[Operator, DocumentKind]) -> None:
    spec = spec_for(*combination)
    assert read_back(render_pdf(spec)) == expected(spec)


def test_mts_html_call_details_are_recognised_back() -> None:
    spec = spec_for(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.HTML)
    data = render_html(spec)
    assert b'<meta charset="utf-8">' in data
    assert recognise_html(data) == expected(spec)


def test_mts_html_invoice_is_recognised_back_with_its_period_in_words() -> None:
    spec = spec_for(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.HTML)
    data = render_html(spec)
    assert "Расчетный период: Октябрь, 2026" in data.decode()
    got = recognise_html(data)
    assert got == expected(spec)
    assert dict(got.evidence)["account"] == "text «Лицевой счёт: 277012345678»"


def test_a1_txt_invoice_is_cp1251_and_recognised_back() -> None:
    spec = spec_for(Operator.A1, DocumentKind.INVOICE, DocumentFormat.TXT)
    data = render_txt(spec)
    text = data.decode("cp1251")
    assert "УНП 101528843" in text and "ЛС № 1010012345678" in text
    assert "Период: 10.2026" in text
    assert recognise_txt(data) == expected(spec)


def test_koi8r_and_utf8_txt_are_recognised() -> None:
    spec = spec_for(Operator.A1, DocumentKind.INVOICE, DocumentFormat.TXT)
    # KOI8-R has no «», №: whoever re-encodes such a file writes '"' and 'N'.
    text = render_txt(spec).decode("cp1251")
    plain = text.replace("«", '"').replace("»", '"').replace("№", "N")
    assert recognise_txt(plain.encode("koi8-r")) == expected(spec)
    assert recognise_txt(text.encode("utf-8")) == expected(spec)
    assert recognise_txt(text.encode("utf-16")) == expected(spec)


def test_the_pdf_is_a_pdf_with_cyrillic_text() -> None:
    data = render_pdf(spec_for(Operator.MTS, DocumentKind.INVOICE))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert 'Продавец: ПАО "МТС"' in text and "ИНН/КПП продавца: 7740000076" in text
    assert "за период: 01.10.2026 - 31.10.2026" in text and "Всего к оплате" in text
    assert "по лицевому счету № 277012345678" in text


@pytest.mark.parametrize(
    "operator, kind",
    [
        (Operator.A1, DocumentKind.CALL_DETAILS),
        (Operator.MTS, DocumentKind.WORK_ACT),
        (Operator.KCELL, DocumentKind.CHARGES),
        (Operator.SIP, DocumentKind.PAYMENTS_REPORT),
    ],
)
def test_unsupported_pdf_combination_is_refused(operator: Operator, kind: DocumentKind) -> None:
    with pytest.raises(ValueError, match="no PDF"):
        render_pdf(spec_for(operator, kind))


def test_unsupported_html_and_txt_are_refused() -> None:
    with pytest.raises(ValueError):
        render_html(spec_for(Operator.A1, DocumentKind.CALL_DETAILS, DocumentFormat.HTML))
    with pytest.raises(ValueError):
        render_txt(spec_for(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.TXT))


def test_call_details_without_numbers_are_refused() -> None:
    spec = DocumentSpec(
        Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.PDF, "277012345678", OCTOBER
    )
    with pytest.raises(ValueError, match="number"):
        render_pdf(spec)


@pytest.mark.parametrize(
    "spec",
    [
        spec_for(Operator.SIP, DocumentKind.CALL_DETAILS),
        spec_for(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.HTML),
        spec_for(Operator.A1, DocumentKind.INVOICE, DocumentFormat.TXT),
    ],
    ids=lambda s: str(s.format),
)
def test_recognise_dispatches_by_content(spec: DocumentSpec) -> None:
    assert read_back(render(spec)) == expected(spec)


# --- determinism --------------------------------------------------------------------


@pytest.mark.parametrize("kind", [DocumentKind.INVOICE, DocumentKind.CALL_DETAILS])
def test_same_spec_same_bytes(kind: DocumentKind) -> None:
    spec = spec_for(Operator.MTS, kind)
    assert render_pdf(spec) == render_pdf(spec)
    html_spec = spec_for(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.HTML)
    assert render_html(html_spec) == render_html(html_spec)
    txt_spec = spec_for(Operator.A1, DocumentKind.INVOICE, DocumentFormat.TXT)
    assert render_txt(txt_spec) == render_txt(txt_spec)


def test_pdf_bytes_do_not_depend_on_the_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = spec_for(Operator.KCELL, DocumentKind.INVOICE)
    here = render_pdf(spec)
    monkeypatch.setenv("TZ", "Asia/Almaty" if time.timezone == 0 else "UTC")
    time.tzset()
    try:
        assert render_pdf(spec) == here
    finally:
        monkeypatch.undo()
        time.tzset()


def test_different_seed_different_document() -> None:
    spec = spec_for(Operator.SIP, DocumentKind.INVOICE)
    other = DocumentSpec(**{**vars(spec), "seed": 1})
    assert render_pdf(spec) != render_pdf(other)


# --- content adds up ----------------------------------------------------------------

_SUBTOTAL_RE = re.compile(r"Итого по номеру (\d+): ([\d,]+)")
_GRAND_RE = re.compile(r"Итого по детализации: ([\d,]+)")


@pytest.mark.parametrize("operator", [Operator.MTS, Operator.KCELL, Operator.SIP])
def test_pdf_call_details_totals_add_up(operator: Operator) -> None:
    spec = spec_for(operator, DocumentKind.CALL_DETAILS, calls_per_number=150)
    text = pdf_text(render_pdf(spec))
    subtotals = {number: amount(value) for number, value in _SUBTOTAL_RE.findall(text)}
    assert set(subtotals) == set(spec.numbers)
    grand = _GRAND_RE.search(text)
    assert grand is not None
    assert sum(subtotals.values()) == amount(grand[1]) == total(generate_calls(spec))
    calls = generate_calls(spec)
    for number, subtotal in subtotals.items():
        assert subtotal == total([c for c in calls if c.number == number])


def test_html_call_details_totals_add_up() -> None:
    spec = spec_for(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.HTML)
    text = render_html(spec).decode()
    subtotals = [amount(value) for _, value in _SUBTOTAL_RE.findall(text)]
    grand = _GRAND_RE.search(text)
    assert grand is not None and len(subtotals) == len(spec.numbers)
    assert sum(subtotals) == amount(grand[1])
    assert text.count("<tr><td>") == len(generate_calls(spec))
    assert (
        "Номер собеседника/ Interlocutor number" in text and "Абонент: +7 (916) 123-45-67" in text
    )


def test_invoice_services_add_up_to_the_total() -> None:
    text = pdf_text(render_pdf(spec_for(Operator.KCELL, DocumentKind.INVOICE)))
    assert "Счет на оплату №" in text and 'БИН / ИИН 980540000397, АО "Кселл"' in text
    assert "за октябрь 2026г. по л/с 5500123456" in text
    rows = re.findall(r"^\d+ .+? ([\d]+,\d\d)$", text, re.MULTILINE)
    grand = re.search(r"Итого: ([\d,]+)", text)
    assert rows and grand is not None
    assert sum(amount(r) for r in rows) == amount(grand[1])


def test_reconciliation_balances_add_up() -> None:
    text = pdf_text(render_pdf(spec_for(Operator.A1, DocumentKind.RECONCILIATION_ACT)))
    assert "Акт сверки взаимных расчетов" in text
    assert "за период: 01.10.2026 - 31.10.2026 между Унитарное предприятие «А1»" in text
    opening = re.search(r"Сальдо начальное на 01\.10\.2026: ([\d,-]+)", text)
    turnover = re.search(r"Обороты за период: дебет ([\d,]+), кредит ([\d,]+)", text)
    closing = re.search(r"Сальдо конечное на 31\.10\.2026: ([\d,-]+)", text)
    assert opening and turnover and closing
    assert amount(opening[1]) + amount(turnover[1]) - amount(turnover[2]) == amount(closing[1])


@pytest.mark.parametrize("calls_per_number", [250, 1500])
def test_call_details_weigh_50_to_500_kb_for_hundreds_to_thousands_of_calls(
    calls_per_number: int,
) -> None:
    spec = spec_for(Operator.MTS, DocumentKind.CALL_DETAILS, calls_per_number=calls_per_number)
    assert 50_000 <= len(render_pdf(spec)) <= 500_000


def test_many_numbers_are_all_recognised_even_past_the_head_of_page_one() -> None:
    numbers = tuple(f"7916{n:07d}" for n in range(1_000_000, 1_000_120))
    spec = DocumentSpec(
        Operator.MTS,
        DocumentKind.CALL_DETAILS,
        DocumentFormat.PDF,
        "277012345678",
        OCTOBER,
        numbers,
        calls_per_number=2,
    )
    assert recognise_pdf(render_pdf(spec)).numbers == numbers


# --- what is not an operator document -------------------------------------------------


def test_truncated_pdf_is_corrupt() -> None:
    data = render_pdf(spec_for(Operator.MTS, DocumentKind.CALL_DETAILS))
    for cut in (len(data) // 2, len(data) - 10, 2000):
        with pytest.raises(CorruptDocument):
            recognise_pdf(data[:cut])


@pytest.mark.parametrize("trailer", [b"", b"\nstartxref\n0\n%%EOF\n"])
def test_random_bytes_with_a_pdf_header_are_corrupt(trailer: bytes) -> None:
    garbage = b"%PDF-1.7\n" + random.Random(7).randbytes(20_000) + trailer
    with pytest.raises(CorruptDocument):
        recognise_pdf(garbage)


def test_another_company_letter_is_not_an_operator_document() -> None:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", DEJAVU)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    letter = (
        "ООО «Ромашка», ИНН 7701234567\n"
        "Исх. № 15 от 05.11.2026\n"
        "Уважаемые коллеги! Направляем сведения за октябрь 2026 г.\n"
        "Лицевой счет: 4081781000000000001"
    )
    pdf.multi_cell(0, 6, letter)
    with pytest.raises(NotAnOperatorDocument, match="operator signature"):
        recognise_pdf(bytes(pdf.output()))


def test_operator_pdf_without_a_title_says_what_is_missing() -> None:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", DEJAVU)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "ПАО «МТС»\nИНН 7740000076\nНовые тарифы с 01.11.2026")
    with pytest.raises(NotAnOperatorDocument, match="no title, no period"):
        recognise_pdf(bytes(pdf.output()))


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
        "<p>The requested URL was not found on this server.</p></body></html>",
        '<!DOCTYPE html><html><head><meta charset="windows-1251"><title>Вход</title></head>'
        "<body><form><label>Номер телефона</label><input name=phone>"
        "<label>Пароль</label><input type=password></form>"
        "<footer>© ПАО «МТС»</footer></body></html>",
    ],
    ids=["404", "login"],
)
def test_html_page_is_not_an_operator_document(page: str) -> None:
    with pytest.raises(NotAnOperatorDocument, match="HTML page, not an operator document"):
        recognise_html(page.encode("cp1251"))


def test_html_in_cp1251_with_meta_charset_is_recognised() -> None:
    spec = spec_for(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.HTML)
    html = render_html(spec).decode().replace('charset="utf-8"', 'charset="windows-1251"')
    assert recognise_html(html.encode("cp1251")) == expected(spec)


def test_binary_garbage_is_not_a_text_document() -> None:
    with pytest.raises(NotAnOperatorDocument):
        recognise_txt(random.Random(3).randbytes(5000))
    with pytest.raises(NotAnOperatorDocument):
        recognise_txt(bytes(range(1, 256)) * 20)  # no NUL byte: every decoding is tried


def test_text_of_another_company_is_not_an_operator_document() -> None:
    with pytest.raises(NotAnOperatorDocument, match="no operator signature"):
        recognise_txt("ООО «Ромашка»\nСчет № 5 за октябрь 2026 г.\n".encode("cp1251"))


# --- shared text helpers ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, period",
    [
        ("Счет № 7 за май 2026 г.", Period(year=2026, month=5)),
        ("Счет-фактура за октябрь 2026 г.", Period(year=2026, month=10)),
        ("Начисления ... по состоянию на конец октября 2026 г.", Period(year=2026, month=10)),
        ("Период: 01.10.2026 - 31.10.2026", Period(year=2026, month=10)),
        ("за период с 01.07.2026 по 30.09.2026", Period(year=2026, month=9)),
        ("Отчетный период: 03.2026", Period(year=2026, month=3)),
        ("Сумма 2026 руб., дата 05.11.2026", None),
    ],
)
def test_period_in_text(text: str, period: Period | None) -> None:
    assert period_in_text(text) == period


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Реестр счетов-фактур за период", DocumentKind.INVOICE_REGISTER),
        ("Расшифровка к счету-фактуре № 12", DocumentKind.WORK_ACT),
        ("Акт выполненных работ (оказанных услуг) № 5", DocumentKind.WORK_ACT),
        ("Акт сверки взаимных расчетов\nСчет № 5 от 01.10.2026", DocumentKind.RECONCILIATION_ACT),
        ("Детализация счета", DocumentKind.CALL_DETAILS),
        ("Начисления за текущий период", DocumentKind.CHARGES),
        ("Отчет по платежам", DocumentKind.PAYMENTS_REPORT),
        ("Отчет по списку номеров", DocumentKind.NUMBERS_REPORT),
        ("СЧЕТ-ФАКТУРА № 12", DocumentKind.INVOICE),
        ("Счет № 2610-1 от 05.11.2026\nДетализация доступна в кабинете", DocumentKind.INVOICE),
        ("Лицевой счет № 277012345678", None),
    ],
)
def test_kind_in_text(text: str, kind: DocumentKind | None) -> None:
    assert kind_in_text(text) is kind


def test_account_and_numbers_in_text() -> None:
    assert account_in_text("Лицевой счет: 277012345678") == "277012345678"
    assert account_in_text("Лицевой счет № 1010-0123-45678") == "1010012345678"
    assert phone_numbers_in_text("+79161234567, 375172345678; ИНН 7740000076") == (
        "375172345678",
        "79161234567",
    )
