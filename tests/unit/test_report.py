"""The month's report for accounting, from real invoice files in a real inbox: amounts read
by their labels, the XLSX's types, the CSV for Russian Excel, the HTML's links, the
month-over-month jump."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import stat
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
import xlrd
from fpdf import FPDF
from pydantic import ValidationError

from config.models import ReportSettings
from robots.cycle.matrix import Cell, Status
from robots.cycle.report import InvoiceReading, totals, write_reports
from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.health import Health, ScreenHealth, Source, history, record
from robots.ledger import Ledger
from robots.recognition.amounts import (
    AmountsNotRead,
    InvoiceAmounts,
    amounts_in_text,
    invoice_amounts,
)
from sandbox.documents import DocumentSpec, render
from sandbox.documents.pdf import services, vat_included

PERIOD = "2026-10"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CENT = Decimal("0.01")


def sandbox_invoice(operator: Operator, fmt: DocumentFormat, account: str, period: str) -> bytes:
    spec = DocumentSpec(
        operator=operator,
        kind=DocumentKind.INVOICE,
        format=fmt,
        account=account,
        period=Period.parse(period),
    )
    return render(spec)


def pdf_of(lines: list[str]) -> bytes:
    """A PDF written here, not by the sandbox: another layout, the same labels."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=10)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def xlsx_of(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def gross_column_sum(rows: list[list[object]]) -> Decimal:
    """The oracle for a sandbox sheet: its service lines' «Сумма с НДС», added up here."""
    header = next(i for i, r in enumerate(rows) if any("с НДС" in str(v) for v in r))
    column = next(i for i, v in enumerate(rows[header]) if "с НДС" in str(v))
    lines = []
    for row in rows[header + 1 :]:
        if str(row[0]).startswith("Итого"):
            break
        lines.append(Decimal(str(row[column])))
    return sum(lines, Decimal(0)).quantize(CENT)


# --- amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize("operator", [Operator.A1, Operator.MTS, Operator.SIP])
def test_amounts_are_read_from_the_sandboxs_pdf_invoices(operator: Operator) -> None:
    spec = DocumentSpec(
        operator=operator,
        kind=DocumentKind.INVOICE,
        format=DocumentFormat.PDF,
        account="1234567890123",
        period=Period.parse(PERIOD),
    )
    total = sum((amount for _, amount in services(spec)), Decimal(0))

    amounts = invoice_amounts(render(spec))

    assert amounts.total == total and amounts.vat == vat_included(operator, total)
    assert amounts.number and re.fullmatch(r"2610-\d{6}", amounts.number)
    assert amounts.issued == dt.date(2026, 11, 5)


def test_amounts_are_read_from_the_sandboxs_spreadsheets() -> None:
    a1 = sandbox_invoice(Operator.A1, DocumentFormat.XLSX, "1234567890123", PERIOD)
    sheet = openpyxl.load_workbook(io.BytesIO(a1)).active
    a1_rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    sip = sandbox_invoice(Operator.SIP, DocumentFormat.XLS, "1100023456", PERIOD)
    xls = xlrd.open_workbook(file_contents=sip).sheet_by_index(0)
    sip_rows = [xls.row_values(r) for r in range(xls.nrows)]

    for data, rows in ((a1, a1_rows), (sip, sip_rows)):
        amounts = invoice_amounts(data)
        assert amounts.total == gross_column_sum(rows)
        assert amounts.vat is not None and 0 < amounts.vat < amounts.total
        assert amounts.currency == "BYN" and amounts.number and amounts.number.isdigit()


def test_a_pdf_built_here_with_other_label_forms() -> None:
    data = pdf_of(
        [
            "ПАО «МТС» ИНН 7740000076",
            "Счет-фактура № 77-1/2026 от 05.11.2026",
            "Лицевой счет № 277012345678",
            "Итого: 1 028,80",  # before VAT: never the total
            "Сумма без НДС 1 028,80",
            "в т.ч. НДС (20%) 205,76 руб.",
            "Всего к оплате: 1\u00a0234,56 руб.",
        ]
    )

    amounts = invoice_amounts(data)

    assert (amounts.total, amounts.vat) == (Decimal("1234.56"), Decimal("205.76"))
    assert (amounts.number, amounts.issued, amounts.currency) == (
        "77-1/2026",
        dt.date(2026, 11, 5),
        "руб.",
    )


def test_a_workbook_built_here_is_read_by_its_headers_not_positions() -> None:
    data = xlsx_of(
        [
            ["УП «А1» УНП 101528843"],
            ["Счет № 5550001 от 05.11.2026"],
            [],
            [None, "Наименование", "Всего с НДС, BYN", "Без НДС, BYN", "НДС 20%, BYN"],
            [None, "Абонентская плата", 120.0, 100.0, 20.0],
            [None, "Интернет", 1140.0, 950.0, 190.0],
            [None, "Итого к оплате:", 1260.0, 1050.0, 210.0],
        ]
    )

    amounts = invoice_amounts(data)

    assert (amounts.total, amounts.vat, amounts.currency) == (
        Decimal("1260.00"),
        Decimal("210.00"),
        "BYN",
    )
    assert amounts.number == "5550001"


def test_an_html_invoice_with_the_amount_in_the_next_cell() -> None:
    page = (
        "<html><meta charset='windows-1251'><body><p>УП «А1» УНП 101528843</p>"
        "<h1>Счет № 42 от 05.11.2026</h1><table><tr><td>Сумма к оплате</td>"
        "<td>1&nbsp;234,50</td></tr><tr><td>В том числе НДС 20%</td><td>205,75</td></tr>"
        "</table></body></html>"
    ).encode("cp1251")

    amounts = invoice_amounts(page)

    assert (amounts.total, amounts.vat, amounts.number) == (
        Decimal("1234.50"),
        Decimal("205.75"),
        "42",
    )


@pytest.mark.parametrize(
    ("text", "total", "vat"),
    [
        ("Итого к оплате: 1\u202f234,56 BYN\nВ том числе НДС 20%: 205,76 BYN", "1234.56", "205.76"),
        ("Итого с НДС 12 345.60\nСумма НДС 2 057,60", "12345.60", "2057.60"),
        ("Итого к оплате:                 500,00\nНДС не облагается", "500.00", "0"),
        ("Сумма без НДС 1000,00\nИтого к оплате 1200,00", "1200.00", None),
    ],
)
def test_label_forms_real_invoices_print(text: str, total: str, vat: str | None) -> None:
    amounts = amounts_in_text(text)
    assert amounts.total == Decimal(total)
    assert amounts.vat == (Decimal(vat) if vat is not None else None)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Итого: 1000,00\nНДС: 200,00", "no «Итого к оплате»"),
        ("Итого к оплате: 100,00\nИтого к оплате: 120,00", "different amounts"),
        ("Итого к оплате 01.10.2026 - 31.10.2026", "no «Итого к оплате»"),  # a date
    ],
)
def test_an_amount_without_its_label_is_never_guessed(text: str, why: str) -> None:
    with pytest.raises(AmountsNotRead, match=why):
        amounts_in_text(text)


# --- the report files ----------------------------------------------------------------------


def deliver(inbox: Path, operator: str, account: str, period: str, name: str, data: bytes) -> str:
    """Put a file where the robot delivers it and list it in the manifest."""
    rel = f"{operator}/{account}/{period}/{name}"
    (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
    (inbox / rel).write_bytes(data)
    entry = {"operator": operator, "account": account, "period": period, "kind": "invoice"}
    with open(inbox / "manifest.jsonl", "a", encoding="utf-8") as manifest:
        manifest.write(json.dumps({**entry, "path": rel, "supersedes": None}) + "\n")
    return rel


def text_invoice(total: str) -> bytes:
    return (
        f"УП «А1»\r\nУНП 101528843\r\nСЧЕТ № 2610-{total[0]} от 05.11.2026\r\n"
        f"Итого к оплате: {total}\r\nВ том числе НДС 20%: 1,00\r\n"
    ).encode("cp1251")


def cell(account: str, kind: str, status: Status, files: tuple[str, ...] = ()) -> Cell:
    return Cell(
        period=PERIOD,
        cabinet="a1-main",
        operator="a1",
        account=account,
        kind=kind,
        status=status,
        detail=", ".join(files) if files else "never arrived",
        evidence=None,
        files=files,
        ordered_at=dt.datetime(2026, 11, 6, 6, tzinfo=dt.UTC),
        due_at=dt.datetime(2026, 11, 7, 6, tzinfo=dt.UTC),
    )


JUMPING = "1234567890123"  # 13 digits: Excel would show 1,23457E+12 for a number
STEADY = "1234567890124"
UNREADABLE = "1234567890125"


@pytest.fixture
def month(tmp_path: Path) -> tuple[Path, list[Cell]]:
    """An inbox with September's and October's invoices, and October's matrix."""
    inbox = tmp_path / "tarifer"
    inbox.mkdir()
    inbox.chmod(0o750)
    deliver(inbox, "a1", JUMPING, "2026-09", "invoice_sep.txt", text_invoice("1000,00"))
    october = sandbox_invoice(Operator.A1, DocumentFormat.PDF, STEADY, PERIOD)
    moved_a_little = (invoice_amounts(october).total / Decimal("1.1")).quantize(CENT)
    september = text_invoice(str(moved_a_little).replace(".", ","))
    deliver(inbox, "a1", STEADY, "2026-09", "invoice_sep.txt", september)
    jumping = deliver(inbox, "a1", JUMPING, PERIOD, "invoice 10.txt", text_invoice("1 400,00"))
    steady = deliver(inbox, "a1", STEADY, PERIOD, "invoice.pdf", october)
    unreadable = deliver(inbox, "a1", UNREADABLE, PERIOD, "invoice.pdf", b"%PDF-1.4 torn")
    cells = [
        cell(JUMPING, "invoice", Status.DELIVERED, (jumping,)),
        cell(JUMPING, "call_details", Status.MISSING),
        cell(STEADY, "invoice", Status.DELIVERED, (steady,)),
        cell(STEADY, "reconciliation_act", Status.WAITING),
        cell(UNREADABLE, "invoice", Status.DELIVERED, (unreadable,)),
        cell(UNREADABLE, "call_details", Status.FAILED),
    ]
    return inbox, cells


def test_the_xlsx_has_typed_columns_and_russian_labels(month: tuple[Path, list[Cell]]) -> None:
    inbox, cells = month
    reports = write_reports(inbox, PERIOD, cells, jump_share=0.25)

    book = openpyxl.load_workbook(reports.xlsx)
    sheet = book["Документы"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    jumping = rows[0]
    assert jumping["Лицевой счёт"].value == JUMPING and jumping["Лицевой счёт"].data_type == "s"
    assert jumping["Итого к оплате"].value == 1400 and jumping["Итого к оплате"].data_type == "n"
    assert jumping["Итого к оплате"].number_format == "#,##0.00"
    assert jumping["Период"].is_date and jumping["Период"].value == dt.datetime(2026, 10, 1)
    assert jumping["Дата счёта"].value == dt.datetime(2026, 11, 5)
    assert jumping["Заказан"].is_date
    assert [r["Документ"].value for r in rows[:2]] == ["Счёт", "Детализация звонков"]
    assert {r["Состояние"].value for r in rows} == {"Доставлен", "Не пришёл", "Ожидается", "Ошибка"}
    assert rows[3]["Документ"].value == "Акт сверки"
    assert rows[2]["Итого к оплате"].data_type == "n" and rows[2]["НДС"].value > 0
    unread = rows[4]
    assert unread["Итого к оплате"].value == "—"
    assert unread["Подробности"].value.startswith("сумма не прочитана")
    assert jumping["Файлы"].hyperlink.target == f"a1/{JUMPING}/{PERIOD}/invoice 10.txt"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["D"].width >= 14


def test_a_jump_over_the_configured_share_is_flagged(month: tuple[Path, list[Cell]]) -> None:
    inbox, cells = month
    reports = write_reports(inbox, PERIOD, cells, jump_share=0.25)

    totals = openpyxl.load_workbook(reports.xlsx)["Итоги"]
    by_account = {r[1]: r for r in totals.iter_rows(min_row=2, values_only=True)}
    assert by_account[JUMPING][3:6] == (1400, 1000, pytest.approx(0.4))
    assert by_account[JUMPING][7] == "больше 25%"
    assert by_account[STEADY][5] == pytest.approx(0.1, abs=0.001)
    assert by_account[STEADY][7] is None, "a move of 10 % is not a jump"
    assert by_account[UNREADABLE][3] == "—", "an unread invoice is not summed as zero"
    assert by_account["все"][3] == "—", "nor is the operator's total"
    page = reports.html.read_text(encoding="utf-8")
    assert "скачок больше 25\u00a0%" in page and "+40\u00a0%" in page

    calmer = write_reports(inbox, PERIOD, cells, jump_share=0.5)
    totals = openpyxl.load_workbook(calmer.xlsx)["Итоги"]
    assert all(r[7] is None for r in totals.iter_rows(min_row=2, values_only=True))


def test_the_csv_opens_in_russian_excel(month: tuple[Path, list[Cell]]) -> None:
    inbox, cells = month
    reports = write_reports(inbox, PERIOD, cells)

    data = reports.csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "the BOM tells Excel it is UTF-8"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:6] == ["Период", "Оператор", "Кабинет", "Лицевой счёт", "Документ", "Состояние"]
    assert (first["Документ"], first["Состояние"], first["Итого к оплате"]) == (
        "Счёт",
        "Доставлен",
        "1400,00",
    )
    assert first["Лицевой счёт"] == JUMPING and first["status"] == "delivered"


def test_the_html_links_every_delivered_file(month: tuple[Path, list[Cell]]) -> None:
    inbox, cells = month
    reports = write_reports(inbox, PERIOD, cells)

    page = reports.html.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', page)
    assert len(links) == sum(len(c.files) for c in cells) == 3
    for link in links:
        assert (reports.html.parent / unquote(link)).is_file(), link
    assert "Детализация звонков" in page and 'title="call_details"' in page
    assert "Не пришёл" in page and "Акт сверки" in page and "reconciliation_act<" not in page
    assert "1\u00a0400,00" in page, "the amount, as a Russian reader writes it"
    assert "не прочитано" in page


def test_report_files_are_atomic_and_as_readable_as_the_inbox(
    month: tuple[Path, list[Cell]],
) -> None:
    inbox, cells = month
    reports = write_reports(inbox, PERIOD, cells)
    for path in (reports.html, reports.xlsx, reports.csv):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
    assert not list(inbox.glob(".*.tmp"))

    inbox.chmod(0o700)
    reports = write_reports(inbox, PERIOD, cells)
    assert stat.S_IMODE(reports.xlsx.stat().st_mode) == 0o600


def test_the_jump_share_is_a_setting() -> None:
    assert ReportSettings().jump_share == 0.25
    with pytest.raises(ValidationError):
        ReportSettings(jump_share=0)


def test_an_operators_total_is_compared_like_for_like() -> None:
    def read(total: str) -> InvoiceReading:
        return InvoiceReading(InvoiceAmounts(Decimal(total), None, None, None, "BYN"))

    october = {("a1", "1"): read("1100"), ("a1", "2"): read("5000")}
    september = {("a1", "1"): read("1000"), ("a1", "3"): read("900")}  # "3" was closed

    operator, first, second = totals(october, september)

    assert (operator.amount, operator.previous) == (Decimal("6100"), None), "«2» is new"
    assert not operator.jumped(0.25)
    assert (first.previous, first.change) == (Decimal("1000"), Decimal("0.1"))
    assert (second.amount, second.previous) == (Decimal("5000"), None)
    september[("a1", "2")] = read("4000")
    operator = totals(october, september)[0]
    assert operator.previous == Decimal("5000") and operator.jumped(0.2)
    assert not operator.jumped(0.25)


@pytest.mark.parametrize("mask", [True, False], ids=["masked", "mask_numbers-false"])
def test_the_report_masks_subscriber_numbers_but_links_the_files_whole(
    tmp_path: Path, mask: bool
) -> None:
    inbox = tmp_path / "tarifer"
    inbox.mkdir()
    number = "375291234567"  # «Абонент 1» of A1 account 1234567890123
    name = f"call_details_{JUMPING}_{PERIOD}_{number}.xlsx"
    details = deliver(inbox, "a1", JUMPING, PERIOD, name, b"call details")
    failed = cell(STEADY, "call_details", Status.FAILED)
    failed = Cell(**{**failed.__dict__, "detail": "the cabinet lists no number 375291234570"})
    cells = [cell(JUMPING, "call_details", Status.DELIVERED, (details,)), failed]
    reports = write_reports(inbox, PERIOD, cells, mask_numbers=mask)

    whole, masked = (number, "375291234570"), ("+375 29 ***-**-67", "+375 29 ***-**-70")
    seen, unseen = (masked, whole) if mask else (whole, masked)
    page = reports.html.read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(reports.xlsx)["Документы"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    table = reports.csv.read_text(encoding="utf-8-sig")
    words = re.sub(r'href="[^"]*"', "", page)
    for text in (words, table, " ".join(str(c.value) for r in rows for c in r.values())):
        assert all(s in text for s in seen) and not any(u in text for u in unseen), text
    # The links open the file as Tarifer has it, whatever the words show.
    assert re.findall(r'<a href="([^"]+)">', page) == [details.replace(" ", "%20")]
    assert rows[0]["Файлы"].hyperlink.target == details


def test_the_html_ends_with_the_cabinets_health_readable_without_colour(
    month: tuple[Path, list[Cell]], tmp_path: Path
) -> None:
    inbox, cells = month
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    start = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    for day, status in enumerate([Health.OK, Health.HEALED, Health.UNAVAILABLE, Health.CHANGED]):
        detail = "" if status is Health.OK else f"«Счета» {status} 79161234567"
        screens = [ScreenHealth("Вход", Health.OK), ScreenHealth("Счета", status, detail)]
        record(ledger, Source.CANARY, "a1-main", screens, at=start + dt.timedelta(days=day))
    record(ledger, Source.CYCLE, "mts-main",
           [ScreenHealth("invoice", Health.CHANGED, "screen changed: no «Счета»"),
            ScreenHealth("cabinet", Health.UNAVAILABLE, "maintenance: Технические работы")],
           at=start)  # fmt: skip
    health = history(ledger)
    ledger.close()

    page = write_reports(inbox, PERIOD, cells, health=health).html.read_text(encoding="utf-8")
    assert (
        "<li>mts-main, "
        f"{start.astimezone():%d.%m.%Y %H:%M}, ежемесячный цикл: изменился; "
        "Счёт — изменился: screen changed: no «Счета»; "
        "кабинет — недоступен: maintenance: Технические работы</li>"
    ) in html.unescape(page), "the cycle's screens in the report's words"

    section = page[page.index("<h2>Состояние кабинетов</h2>") :]
    a1_row = section[section.index("<th>a1-main</th>") :].split("</tr>")[0]
    found = re.findall(r'<td class="h" style="background:[^"]+" title="([^"]+)"><b>(.)</b>'
                       r"<br><small>([^<]+)</small>", a1_row)  # fmt: skip
    assert [letter for _, letter, _ in found] == ["Р", "П", "Н", "И"], "newest right"
    days = [(start + dt.timedelta(days=d)).astimezone() for d in range(4)]
    assert [date for _, _, date in found] == [f"{d:%d.%m}" for d in days]
    newest = html.unescape(found[-1][0])
    assert newest.startswith(f"{days[3]:%d.%m.%Y %H:%M}, проверка экранов: изменился")
    assert "Счета — изменился: «Счета» changed +7 916 ***-**-67" in newest
    assert "79161234567" not in page
    assert "<b>И</b> — изменился" in section  # the legend
    assert section.count("<li>a1-main, ") == 3  # the runs that were not ok
    assert "Состояние кабинетов" not in write_reports(inbox, PERIOD, cells).html.read_text(
        encoding="utf-8"
    )
