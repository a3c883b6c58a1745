"""Sandbox spreadsheets (XLSX, XLS) and MTS XML, and their recognition by content."""

from __future__ import annotations

import datetime as dt
import io
import json
import pathlib
import random
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]
import pytest
import xlrd
import xlwt

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.errors import ParseError
from robots.recognition import sheets as recognition_sheets
from robots.recognition.common import (
    CorruptDocument,
    NotAnOperatorDocument,
    Recognition,
    UnknownIssuer,
    sniff_format,
)
from robots.recognition.sheets import recognise_xls, recognise_xlsx, scan_xlsx_column
from robots.recognition.xml import recognise_xml
from sandbox.documents.model import FIXED_TIMESTAMP, DocumentSpec
from sandbox.documents.sheets import XLS_COMBINATIONS, XLSX_COMBINATIONS, render_xls, render_xlsx
from sandbox.documents.xml import render_xml, write_xml

PERIOD = Period(year=2026, month=10)
ACCOUNTS = {
    Operator.MTS: "277012345678",
    Operator.KCELL: "1234567890",
    Operator.A1: "1234567890123",
    Operator.SIP: "1100023456",
}
NUMBERS = {
    Operator.MTS: ("79161234567", "79161234568"),
    Operator.KCELL: ("77012223344",),
    Operator.A1: ("375291234567", "375291234568"),
    Operator.SIP: ("375172345678", "375172345679"),
}
RENDER: dict[DocumentFormat, Callable[[DocumentSpec], bytes]] = {
    DocumentFormat.XLSX: render_xlsx,
    DocumentFormat.XLS: render_xls,
    DocumentFormat.XML: render_xml,
}
RECOGNISE: dict[DocumentFormat, Callable[[bytes], Recognition]] = {
    DocumentFormat.XLSX: recognise_xlsx,
    DocumentFormat.XLS: recognise_xls,
    DocumentFormat.XML: recognise_xml,
}
COMBINATIONS = [
    *((op, kind, DocumentFormat.XLSX) for op, kind in sorted(XLSX_COMBINATIONS)),
    *((op, kind, DocumentFormat.XLS) for op, kind in sorted(XLS_COMBINATIONS)),
    (Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML),
]
# Documents that name subscriber numbers only: the collector resolves the account.
NO_ACCOUNT = {
    (Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX),
    (Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XLS),
    (Operator.A1, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX),
    (Operator.KCELL, DocumentKind.CALL_DETAILS, DocumentFormat.XLS),
    (Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML),
}


def make_spec(
    op: Operator, kind: DocumentKind, fmt: DocumentFormat, calls: int = 40, seed: int = 0
) -> DocumentSpec:
    return DocumentSpec(
        op, kind, fmt, ACCOUNTS[op], PERIOD, NUMBERS[op], calls_per_number=calls, seed=seed
    )


def combo_id(combo: tuple[Operator, DocumentKind, DocumentFormat]) -> str:
    return "-".join(combo)


# --- round trip and determinism ----------------------------------------------------------


@pytest.mark.parametrize("combo", COMBINATIONS, ids=combo_id)
def test_rendered_document_is_recognised_back(
    combo: tuple[Operator, DocumentKind, DocumentFormat],
) -> None:
    op, kind, fmt = combo
    data = RENDER[fmt](make_spec(op, kind, fmt))

    operator: Operator | None = op
    try:
        got = RECOGNISE[fmt](data)
    except UnknownIssuer as unknown:  # a SIP operator: the robot knows it by configuration
        got, operator = unknown.recognition, None
        assert op is Operator.SIP and "192845617" in got.parties

    assert sniff_format(data) is fmt
    assert (got.operator, got.kind, got.format, got.period) == (operator, kind, fmt, PERIOD)
    assert got.account == (None if combo in NO_ACCOUNT else ACCOUNTS[op])
    assert got.numbers == (NUMBERS[op] if kind is DocumentKind.CALL_DETAILS else ())
    if combo in NO_ACCOUNT - {(Operator.KCELL, DocumentKind.CALL_DETAILS, DocumentFormat.XLS)}:
        assert got.parties == ()  # the real call details print no legal name either


@pytest.mark.parametrize("combo", COMBINATIONS, ids=combo_id)
def test_rendering_is_deterministic(combo: tuple[Operator, DocumentKind, DocumentFormat]) -> None:
    op, kind, fmt = combo
    first = RENDER[fmt](make_spec(op, kind, fmt))
    assert RENDER[fmt](make_spec(op, kind, fmt)) == first
    assert RENDER[fmt](make_spec(op, kind, fmt, seed=1)) != first


def test_xlsx_carries_no_clock_time() -> None:
    data = render_xlsx(make_spec(Operator.A1, DocumentKind.INVOICE, DocumentFormat.XLSX))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {FIXED_TIMESTAMP.timetuple()[:6]}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2020-01-01T00:00:00Z") == 2  # created and modified


def test_write_xml_writes_what_render_xml_returns(tmp_path: pathlib.Path) -> None:
    spec = make_spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML, calls=500)
    write_xml(spec, tmp_path / "details.xml")
    assert (tmp_path / "details.xml").read_bytes() == render_xml(spec)
    assert recognise_xml(tmp_path / "details.xml") == recognise_xml(render_xml(spec))


def test_calls_per_number_scales_the_files() -> None:
    for op, fmt in ((Operator.MTS, DocumentFormat.XLSX), (Operator.KCELL, DocumentFormat.XLS)):
        small = RENDER[fmt](make_spec(op, DocumentKind.CALL_DETAILS, fmt, calls=10))
        big = RENDER[fmt](make_spec(op, DocumentKind.CALL_DETAILS, fmt, calls=1000))
        assert len(big) > 5 * len(small)


@pytest.mark.parametrize(
    ("render", "spec"),
    [
        (
            render_xlsx,
            make_spec(Operator.KCELL, DocumentKind.RECONCILIATION_ACT, DocumentFormat.XLSX),
        ),
        (render_xlsx, make_spec(Operator.KCELL, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX)),
        (render_xls, make_spec(Operator.A1, DocumentKind.INVOICE, DocumentFormat.XLS)),
        (render_xml, make_spec(Operator.A1, DocumentKind.CALL_DETAILS, DocumentFormat.XML)),
        (render_xml, make_spec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.XML)),
    ],
)
def test_unsupported_combinations_raise_value_error(
    render: Callable[[DocumentSpec], bytes], spec: DocumentSpec
) -> None:
    with pytest.raises(ValueError, match=r"no spreadsheet layout|only MTS call details"):
        render(spec)


def test_call_details_need_their_numbers() -> None:
    no_numbers = DocumentSpec(
        Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX, ACCOUNTS[Operator.MTS], PERIOD
    )
    with pytest.raises(ValueError, match="number"):
        render_xlsx(no_numbers)
    with pytest.raises(ValueError, match="number"):
        render_xml(no_numbers)
    two = DocumentSpec(
        Operator.KCELL,
        DocumentKind.CALL_DETAILS,
        DocumentFormat.XLS,
        "1",
        PERIOD,
        ("77012223344", "77012223345"),
    )
    with pytest.raises(ValueError, match="per number"):
        render_xls(two)


# --- totals add up (read back with openpyxl / xlrd, columns by header text) --------------

Rows = list[list[object]]


def xlsx_sheets(data: bytes) -> dict[str, Rows]:
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def xls_sheets(data: bytes) -> dict[str, Rows]:
    book = xlrd.open_workbook(file_contents=data)
    return {
        sh.name: [[v if v != "" else None for v in sh.row_values(r)] for r in range(sh.nrows)]
        for sh in book.sheets()
    }


def header(rows: Rows, label: str) -> tuple[int, dict[str, int]]:
    """The row holding ``label`` and every header of that row with its column."""
    for i, row in enumerate(rows):
        if label in row:
            return i, {str(v): c for c, v in enumerate(row) if v is not None}
    raise AssertionError(f"no header {label!r}")


def money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_mts_call_details_are_a_summary_and_a_sheet_per_number_in_xlsx_and_xls() -> None:
    spec = make_spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX, calls=300)
    for sheets in (xlsx_sheets(render_xlsx(spec)), xls_sheets(render_xls(spec))):
        assert list(sheets) == ["Общая сводка", *spec.numbers]
        summary = sheets["Общая сводка"]
        assert summary[1][:2] == ["Период / Period:", "01.10.2026-31.10.2026"]
        minutes = Decimal(0)
        for number in spec.numbers:
            rows = sheets[number]
            h, c = header(rows, "Номер собеседника/ Interlocutor number")
            body = rows[h + 1 :]
            assert len(body) == 300
            assert [r[c["№ строки/Line number"]] for r in body] == [str(i) for i in range(1, 301)]
            for r in body:
                volume = str(r[c["Кол-во (объём)/ Volume"]])
                if r[c["Тип сервиса/ Service type"]] == "Мест. связь":
                    hours, mins, secs = (int(p) for p in volume.split(":"))
                    minutes += Decimal(hours * 3600 + mins * 60 + secs) / 60
                    assert "**" in str(r[c["Номер собеседника/ Interlocutor number"]])
        calls = next(r for r in summary if r[0] == "Звонки / Calls")
        assert calls[2] == f"{minutes:.1f}".replace(".", ",")
        text = " ".join(str(v) for rows in sheets.values() for r in rows for v in r if v)
        assert "МТС" not in text and "ИНН" not in text and spec.account not in text


@pytest.mark.parametrize(
    ("op", "fmt", "amount", "who", "subtotal_label", "grand_label"),
    [
        (Operator.A1, DocumentFormat.XLSX, "Начислено", "Кто звонил", "Итого по абоненту", "Итого"),
        (
            Operator.SIP,
            DocumentFormat.XLSX,
            "Сумма, BYN",
            "Абонент",
            "Итого по абоненту",
            "Итого по лицевому счету",
        ),
    ],
    ids=["a1", "sip"],
)
def test_flat_call_details_have_subtotals_per_number_and_a_grand_total(
    op: Operator, fmt: DocumentFormat, amount: str, who: str, subtotal_label: str, grand_label: str
) -> None:
    spec = make_spec(op, DocumentKind.CALL_DETAILS, fmt, calls=200)
    (rows,) = xlsx_sheets(render_xlsx(spec)).values()
    h, cols = header(rows, amount)
    label_col = min(cols.values())
    sums: dict[str, Decimal] = {}
    subtotals: dict[str, Decimal] = {}
    for row in rows[h + 1 : -1]:
        label = str(row[label_col] or "")
        if label.startswith(subtotal_label):
            number = label.removeprefix(subtotal_label).strip() or str(row[cols[who]])
            subtotals[number] = money(row[cols[amount]])
        else:
            caller = str(row[cols[who]])
            sums[caller] = sums.get(caller, Decimal(0)) + money(row[cols[amount]])
    assert rows[-1][label_col] == grand_label
    assert set(subtotals) == set(spec.numbers)
    assert subtotals == sums
    assert money(rows[-1][cols[amount]]) == sum(subtotals.values())


def test_kcell_call_details_total_adds_up() -> None:
    spec = make_spec(Operator.KCELL, DocumentKind.CALL_DETAILS, DocumentFormat.XLS, calls=250)
    (rows,) = xls_sheets(render_xls(spec)).values()
    h, cols = header(rows, "Стоимость, тенге")
    body, total_row = rows[h + 1 : -1], rows[-1]
    assert len(body) == 250
    assert total_row[cols["Дата"]] == "Итого"
    assert money(total_row[cols["Стоимость, тенге"]]) == sum(
        money(r[cols["Стоимость, тенге"]]) for r in body
    )


@pytest.mark.parametrize(
    ("op", "kind", "fmt", "sheet", "amount", "total_label"),
    [
        (
            Operator.A1,
            DocumentKind.INVOICE,
            DocumentFormat.XLSX,
            "Счет",
            "Сумма с НДС, BYN",
            "Итого к оплате",
        ),
        (
            Operator.SIP,
            DocumentKind.INVOICE,
            DocumentFormat.XLS,
            "Счет",
            "Сумма с НДС, BYN",
            "Итого к оплате",
        ),
        (
            Operator.SIP,
            DocumentKind.CHARGES,
            DocumentFormat.XLSX,
            "Начисления",
            "Итого, BYN",
            "Итого",
        ),
        (
            Operator.KCELL,
            DocumentKind.WORK_ACT,
            DocumentFormat.XLSX,
            "Расшифровка",
            "Итого",
            "Итого",
        ),
        (
            Operator.KCELL,
            DocumentKind.INVOICE_REGISTER,
            DocumentFormat.XLSX,
            "Реестр",
            "Сумма с НДС",
            "Итого",
        ),
        (
            Operator.KCELL,
            DocumentKind.PAYMENTS_REPORT,
            DocumentFormat.XLSX,
            "Платежи",
            "Сумма, тенге",
            "Итого",
        ),
    ],
)
def test_document_totals_add_up(
    op: Operator, kind: DocumentKind, fmt: DocumentFormat, sheet: str, amount: str, total_label: str
) -> None:
    data = RENDER[fmt](make_spec(op, kind, fmt))
    rows = (xlsx_sheets if fmt is DocumentFormat.XLSX else xls_sheets)(data)[sheet]
    h, cols = header(rows, amount)
    body, total_row = rows[h + 1 : -1], rows[-1]
    assert body
    assert total_row[0] == total_label
    assert money(total_row[cols[amount]]) == sum(money(r[cols[amount]]) for r in body)


def test_kcell_work_act_equals_its_breakdown() -> None:
    spec = make_spec(Operator.KCELL, DocumentKind.WORK_ACT, DocumentFormat.XLSX)
    sheets = xlsx_sheets(render_xlsx(spec))
    act, breakdown = sheets["Акт"], sheets["Расшифровка"]
    _, act_cols = header(act, "Сумма с НДС, тенге")
    _, cols = header(breakdown, "Итого")
    assert money(act[-1][act_cols["Сумма с НДС, тенге"]]) == money(breakdown[-1][cols["Итого"]])


def test_mts_xml_is_the_bare_report_public_parsers_read() -> None:
    spec = make_spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML, calls=300)
    data = render_xml(spec)
    root = ET.fromstring(data)
    assert root.tag == "Report" and root.attrib == {}  # no legal name, no tax id, no account
    sections = root.findall("ds")
    assert [ds.get("n") for ds in sections] == list(spec.numbers)
    for ds in sections:
        assert {"sd", "ed", "n", "t", "f", "type", "sim"} == set(ds.attrib)
        records = ds.findall("i")
        assert len(records) == 300
        times = [dt.datetime.strptime(i.get("d", ""), "%d.%m.%Y %H:%M:%S") for i in records]
        assert times == sorted(times) and {Period.of(t.date()) for t in times} == {PERIOD}
        voice = [i for i in records if i.get("s") == "Телеф."]
        assert voice and all(re.fullmatch(r"\d+:\d{2}", i.get("du", "")) for i in voice)
        assert any(i.get("n", "").startswith("<--+7") for i in voice)  # incoming, as sent
        traffic = [i for i in records if i.get("s") == "4G"]
        assert traffic and all(i.get("du", "").endswith("Kb") for i in traffic)
        charged = sum(Decimal(i.get("c", "")) for i in records if i.get("s") != "4G")
        (tp,) = root.findall(f"tp[@sim='{ds.get('n')}']")
        assert tp.get("u") and Decimal(tp.findall("ds")[0].get("c", "")) == charged
    assert b"&lt;--+7" in data  # escaped in the file, as the real ones are
    # An unpadded hour («01.10.2026 9:36:11»), as public samples show.
    assert re.search(rb'd="\d{2}\.\d{2}\.\d{4} \d:', data)


# --- A1 "Детализация" found by header text -----------------------------------------------

A1_HEADER = [
    "ФИО", "Тип звонка", "Код", "Дата звонка", "Длительность", "Объем",
    "Кто звонил", "Куда звонил", "Начислено",
]  # fmt: skip


def a1_sheet(order: list[str], dates: list[dt.datetime | str], title: str = "Детализация") -> bytes:
    """A bare A1 "Детализация" sheet (no title rows) with its columns in ``order``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(order)
    for i, when in enumerate(dates):
        who: object = 375291234567 if i % 2 else "375 29 123 45 68"  # a number, a spaced text
        record = {
            "ФИО": "Иванов Иван", "Тип звонка": "Исходящий звонок", "Код": "29",
            "Дата звонка": when, "Длительность": 60, "Объем": 0, "Кто звонил": who,
            "Куда звонил": "375447654321", "Начислено": 0.12,
        }  # fmt: skip
        ws.append([record[name] for name in order])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def shuffled_header(seed: int) -> list[str]:
    order = list(A1_HEADER)
    random.Random(seed).shuffle(order)
    return order


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a1_columns_are_found_by_header_text_in_any_order(seed: int) -> None:
    order = shuffled_header(seed)
    assert order != A1_HEADER
    dates: list[dt.datetime | str] = [dt.datetime(2026, 10, d, 12, 0) for d in (3, 15, 31)]
    dates.append("20.10.2026 08:15:00")

    got = recognise_xlsx(a1_sheet(order, dates))

    assert (got.operator, got.kind, got.format) == (
        Operator.A1,
        DocumentKind.CALL_DETAILS,
        DocumentFormat.XLSX,
    )
    assert got.period == PERIOD  # from the call dates: no title row
    assert got.account is None
    assert got.numbers == ("375291234567", "375291234568")


def test_a1_numbers_are_the_same_without_the_raw_column_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = a1_sheet(shuffled_header(4), [dt.datetime(2026, 10, 2), dt.datetime(2026, 10, 9)])
    fast = recognise_xlsx(data)
    monkeypatch.setattr(recognition_sheets, "scan_xlsx_column", lambda *args: None)
    assert recognise_xlsx(data) == fast


def test_a1_call_dates_spanning_months_fail_loudly() -> None:
    data = a1_sheet(
        shuffled_header(5), [dt.datetime(2026, 9, 30, 23, 59), dt.datetime(2026, 10, 1)]
    )
    with pytest.raises(ParseError, match="span several months") as caught:
        recognise_xlsx(data)
    assert not isinstance(caught.value, NotAnOperatorDocument | CorruptDocument)


def test_a1_header_on_another_sheet_name_is_not_an_operator_document() -> None:
    data = a1_sheet(A1_HEADER, [dt.datetime(2026, 10, 2)], title="Лист1")
    with pytest.raises(NotAnOperatorDocument, match="operator"):
        recognise_xlsx(data)


def test_raw_column_scan_reads_every_cell_type() -> None:
    cells = [
        '<c r="B1" t="inlineStr"><is><t>Кто звонил</t></is></c>',
        '<c r="B2" t="s"><v>0</v></c>',
        '<c r="B3" s="4" t="inlineStr"><is><r><t>3752912</t></r>'
        '<r><t xml:space="preserve">34569</t></r></is></c>',
        '<c r="B4" s="1"><v>3.7529123457E11</v></c>',
        '<c r="B5" t="str"><v>+375291234571</v></c>',
        '<c r="B6" s="2"/>',
        '<c r="B7" t="s"><v>1</v></c>',
    ]
    rows = "".join(
        f'<row r="{i}"><c r="A{i}"><v>1</v></c>{c}</row>' for i, c in enumerate(cells, 1)
    )
    sheet = f"<worksheet><sheetData>{rows}</sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    shared = ["375291234568", "Итого по абоненту"]

    found = scan_xlsx_column(out.getvalue(), "xl/worksheets/sheet1.xml", 1, 1, shared)

    assert found == {"375291234568", "375291234569", "375291234570", "375291234571"}
    assert scan_xlsx_column(out.getvalue(), "xl/worksheets/sheet1.xml", 5, 1, shared) is None


# --- Kcell's free period, missing pieces --------------------------------------------------


def xls_of(rows: list[list[object]]) -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Лист1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_kcell_details_over_90_days_belong_to_the_month_they_end_in() -> None:
    data = xls_of(
        [
            ["Детализация по номеру 77012223344"],
            ["Период: 25.08.2026 - 23.11.2026"],
            ["АО «Кселл»"],
            ["БИН 980540000397"],
            ["Дата", "Время", "Номер", "Услуга", "Длительность, сек", "Стоимость, тенге"],
            ["25.08.2026", "10:00:00", "77017654321", "Исходящий звонок", 60, 1.5],
        ]
    )
    got = recognise_xls(data)
    assert (got.operator, got.kind, got.period) == (
        Operator.KCELL,
        DocumentKind.CALL_DETAILS,
        Period(year=2026, month=11),
    )
    assert got.numbers == ("77012223344",)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Счет № 1234567 от 05.11.2026", DocumentKind.INVOICE),
        ("Счет-фактура № 55", DocumentKind.INVOICE),
        ("Реестр счетов-фактур", DocumentKind.INVOICE_REGISTER),
        ("Акт выполненных работ (оказанных услуг) № 7", DocumentKind.WORK_ACT),
        ("Расшифровка к счету-фактуре № 7", DocumentKind.WORK_ACT),
        ("Акт сверки взаимных расчетов", DocumentKind.RECONCILIATION_ACT),
        ("Начисления за текущий период", DocumentKind.CHARGES),
        ("Отчет по платежам", DocumentKind.PAYMENTS_REPORT),
        ("Отчёт по списку номеров", DocumentKind.NUMBERS_REPORT),
        ("ДЕТАЛИЗАЦИЯ РАЗГОВОРОВ", DocumentKind.CALL_DETAILS),
    ],
)
def test_the_kind_comes_from_the_title(title: str, kind: DocumentKind) -> None:
    data = xls_of(
        [
            ["АО «Кселл»", "БИН 980540000397"],
            ["Лицевой счет: 1234567890"],  # neither an invoice title nor in the way of one
            [title],
            ["Период: 01.07.2026 - 30.09.2026"],
            ["Услуга", "Сумма"],
            ["Детализация счета", 100],  # a service line, not the title
        ]
    )
    got = recognise_xls(data)
    assert (got.operator, got.kind, got.account) == (Operator.KCELL, kind, "1234567890")
    assert got.period == Period(year=2026, month=9)


def test_an_operator_document_without_a_period_fails_loudly() -> None:
    data = xls_of([["ПАО «МТС»"], ["ИНН 7740000076"], ["Счет № 123"], ["Лицевой счет: 1100023456"]])
    with pytest.raises(ParseError, match="no period"):
        recognise_xls(data)


def test_an_operator_named_without_a_document_title_is_not_recognised() -> None:
    data = xls_of(
        [["ПАО «МТС»"], ["Прайс-лист на оборудование"], ["Период: 01.10.2026 - 31.10.2026"]]
    )
    with pytest.raises(NotAnOperatorDocument, match="title"):
        recognise_xls(data)


# --- foreign and broken spreadsheets -----------------------------------------------------


def price_list_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Прайс"
    ws.append(["ООО «Ромашка»", "ИНН 7701234567"])
    ws.append(["Прайс-лист на 01.10.2026"])
    ws.append(["Артикул", "Наименование", "Цена, руб."])
    for i in range(50):
        ws.append([f"A-{i:04d}", f"Товар {i}", 100 + i])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_price_list_xlsx_is_not_an_operator_document() -> None:
    with pytest.raises(NotAnOperatorDocument, match="no operator"):
        recognise_xlsx(price_list_xlsx())


def test_an_unrelated_xls_is_not_an_operator_document() -> None:
    data = xls_of(
        [["Отпуска сотрудников 2026"], ["ФИО", "С", "По"], ["Иванов", "01.07.2026", "14.07.2026"]]
    )
    with pytest.raises(NotAnOperatorDocument, match="no operator"):
        recognise_xls(data)


def mts_xlsx() -> bytes:
    return render_xlsx(make_spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX))


def with_broken_sheet(data: bytes) -> bytes:
    """The same workbook whose second sheet's XML is cut in half (found only when read)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            dst.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("recognise", "make"),
    [
        (recognise_xlsx, lambda: mts_xlsx()[: len(mts_xlsx()) // 2]),  # truncated download
        (recognise_xlsx, lambda: with_broken_sheet(mts_xlsx())),
        (recognise_xlsx, lambda: b"PK\x03\x04" + bytes(range(256)) * 8),
        (
            recognise_xlsx,
            lambda: render_xls(make_spec(Operator.SIP, DocumentKind.INVOICE, DocumentFormat.XLS)),
        ),
        (recognise_xlsx, lambda: b""),
        (recognise_xls, lambda: mts_xlsx()),
        (recognise_xls, lambda: xls_of([["a"]])[:600]),
        (recognise_xls, lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ],
    ids=[
        "xlsx-truncated",
        "xlsx-broken-sheet",
        "xlsx-garbage",
        "xls-as-xlsx",
        "empty",
        "xlsx-as-xls",
        "xls-truncated",
        "ole-garbage",
    ],
)
def test_broken_spreadsheets_are_corrupt_documents(
    recognise: Callable[[bytes], Recognition], make: Callable[[], bytes]
) -> None:
    with pytest.raises(CorruptDocument, match="unreadable"):
        recognise(make())


# --- XML: attacks, malformed, foreign, big -----------------------------------------------

BILLION_LAUGHS = textwrap.dedent(
    """\
    <?xml version="1.0"?>
    <!DOCTYPE lolz [
     <!ENTITY lol "lol">
     <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
     <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
     <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
     <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
    ]>
    <Report operator="ПАО «МТС»"><ds sd="01.10.2026" ed="31.10.2026" n="&lol9;"/></Report>
    """
).encode()


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!-- x --><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Report>&x;</Report>',
        b"\xef\xbb\xbf  <!DOCTYPE Report><Report/>",
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r><Report/>'.encode("utf-16"),
        b"<!--" + b"x" * 70_000 + b"--><!DOCTYPE r><Report/>",
    ],
    ids=["billion-laughs", "xxe", "bom-doctype", "utf16", "long-prolog"],
)
def test_xml_with_a_doctype_is_refused_before_parsing(data: bytes, tmp_path: pathlib.Path) -> None:
    with pytest.raises(NotAnOperatorDocument):
        recognise_xml(data)
    (tmp_path / "attack.xml").write_bytes(data)
    with pytest.raises(NotAnOperatorDocument):
        recognise_xml(tmp_path / "attack.xml")


def mts_xml() -> bytes:
    return render_xml(make_spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML))


@pytest.mark.parametrize(
    "make",
    [
        lambda: mts_xml()[: len(mts_xml()) // 2],
        lambda: mts_xml().replace(b"</ds>", b"</section>", 1),
        lambda: b"",
        lambda: b"not xml at all",
        lambda: b'<?xml version="1.0"?>',
        lambda: b"<Report operator='\xff\xfe'>",
    ],
    ids=["truncated", "mismatched-tag", "empty", "text", "prolog-only", "bad-bytes"],
)
def test_malformed_xml_is_a_corrupt_document(make: Callable[[], bytes]) -> None:
    with pytest.raises(CorruptDocument):
        recognise_xml(make())


@pytest.mark.parametrize(
    "data",
    [
        '<?xml version="1.0"?><Invoice operator="ПАО «МТС»"/>'.encode(),
        (
            '<Report operator="АО «Кселл»">'
            '<ds sd="01.10.2026" ed="31.10.2026" n="77012223344"/></Report>'
        ).encode(),
        b"<html><body>Report</body></html>",
    ],
    ids=["other-root", "other-operator", "html"],
)
def test_xml_that_is_not_an_mts_report_is_not_an_operator_document(data: bytes) -> None:
    with pytest.raises(NotAnOperatorDocument):
        recognise_xml(data)


def test_mts_xml_with_a_bad_section_fails_loudly() -> None:
    bad = mts_xml().replace(b'n="79161234567"', b'n="abc"', 1)
    with pytest.raises(ParseError, match="not a subscriber number"):
        recognise_xml(bad)
    empty = (
        b'<Report operator="\xd0\x9f\xd0\x90\xd0\x9e \xc2\xab\xd0\x9c\xd0\xa2\xd0\xa1\xc2\xbb"/>'
    )
    with pytest.raises(ParseError, match="no <ds> sections"):
        recognise_xml(empty)


def test_mts_xml_period_spans_its_sections() -> None:
    data = mts_xml().replace(b'ed="31.10.2026"', b'ed="30.11.2026"', 1)
    assert recognise_xml(data).period == Period(year=2026, month=11)


_MEMORY_PROBE = """
import json, pathlib, resource, sys, time
from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.recognition.xml import recognise_xml
from sandbox.documents.model import DocumentSpec
from sandbox.documents.xml import write_xml

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

path = pathlib.Path(sys.argv[1])
numbers = tuple(f"791612{i:05d}" for i in range(10))
spec = DocumentSpec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML, "277012345678",
                    Period(year=2026, month=10), numbers, calls_per_number=int(sys.argv[2]))
base = peak_mb()
started = time.perf_counter()
write_xml(spec, path)
wrote = time.perf_counter()
after_write = peak_mb()
got = recognise_xml(path)
read = time.perf_counter()
print(json.dumps({
    "size_mb": path.stat().st_size / 1e6, "write_s": wrote - started, "read_s": read - wrote,
    "write_growth_mb": after_write - base, "read_growth_mb": peak_mb() - after_write,
    "numbers": list(got.numbers), "period": str(got.period),
}))
"""


def test_big_xml_is_written_and_recognised_in_bounded_memory(tmp_path: pathlib.Path) -> None:
    # 30 MB here to keep the suite fast; 150 MB (calls_per_number=160000) measured by hand.
    probe = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(tmp_path / "big.xml"), "38000"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(probe.stdout)
    assert result["size_mb"] > 30
    assert result["numbers"] == [f"791612{i:05d}" for i in range(10)]
    assert result["period"] == "2026-10"
    # A tree of 300,000 records would take hundreds of MB; streaming stays flat.
    assert result["write_growth_mb"] < 10, result
    assert result["read_growth_mb"] < 10, result


# --- the sizes operators mail (timings: bench/spreadsheets.py) ------------------------


@pytest.mark.parametrize(
    ("op", "fmt", "numbers", "calls"),
    [
        (Operator.A1, DocumentFormat.XLSX, 3, 2000),
        (Operator.MTS, DocumentFormat.XLSX, 30, 300),
        (Operator.MTS, DocumentFormat.XLS, 30, 90),
    ],
)
def test_a_300_kb_spreadsheet_is_recognised(
    op: Operator, fmt: DocumentFormat, numbers: int, calls: int
) -> None:
    prefix = NUMBERS[op][0][:-4]
    spec = DocumentSpec(
        op, DocumentKind.CALL_DETAILS, fmt, ACCOUNTS[op], PERIOD,
        tuple(f"{prefix}{i:04d}" for i in range(numbers)), calls_per_number=calls,
    )  # fmt: skip
    data = RENDER[fmt](spec)
    assert 200_000 < len(data) < 450_000
    got = RECOGNISE[fmt](data)
    assert got.numbers == spec.numbers
    assert got.period == PERIOD
