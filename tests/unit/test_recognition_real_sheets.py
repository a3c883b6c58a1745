"""The operators' real spreadsheet and XML layouts, built here with openpyxl, xlwt and XML
strings from what public parsers read (see sandbox/documents/SOURCES.md), independently
of the sandbox's renderers: none of them prints a legal name, a tax id or an account."""

from __future__ import annotations

import datetime as dt
import io
import pathlib
from collections.abc import Callable

import openpyxl  # type: ignore[import-untyped]
import pytest
import xlwt

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.recognition import recognise
from robots.recognition import sheets as recognition_sheets
from robots.recognition.common import NotAnOperatorDocument, Recognition
from robots.recognition.sheets import recognise_xls, recognise_xlsx
from robots.recognition.xml import recognise_xml

JUNE = Period(year=2026, month=6)
MAY = Period(year=2026, month=5)

Sheets = list[tuple[str, list[list[object]]]]


def xlsx_book(sheets: Sheets) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xls_book(sheets: Sheets) -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets:
        ws = wb.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- MTS Business spreadsheets: «Общая сводка», then a sheet per number ------------------

MTS_HEADER: list[object] = [
    "№ строки/Line number", "Дата/ Date", "Время/ Time",
    "Номер собеседника/ Interlocutor number", "Имя", "Тип сервиса/ Service type",
    "Область/ Area", "Кол-во (объём)/ Volume",
]  # fmt: skip


def mts_number_sheet(day: str) -> list[list[object]]:
    return [
        MTS_HEADER,
        ["1", "01.05.2026", "10:00:00", "985**109 8580", "Иванов", "Мест. связь", "Звонок",
         "0:02:00"],
        ["2", "02.05.2026", "00:00:00", "GPRS", None, "GPRS", None, "463,812 Mb"],
        ["3", day, "17:00:00", "MTC", None, "Мест. SMS", None, "0"],
    ]  # fmt: skip


def mts_workbook() -> Sheets:
    summary: list[list[object]] = [
        ["Общая сводка"],
        ["Период / Period:", "01.05.2026-31.05.2026"],
        ["Звонки / Calls", "Итого", "48,6", "мин."],
    ]
    return [
        ("Общая сводка", summary),
        ("79001234567", mts_number_sheet("03.05.2026")),
        ("79001234568", mts_number_sheet("31.05.2026")),
    ]


@pytest.mark.parametrize(
    ("make", "reader", "fmt"),
    [
        (xlsx_book, recognise_xlsx, DocumentFormat.XLSX),
        (xls_book, recognise_xls, DocumentFormat.XLS),
    ],
    ids=["xlsx", "xls"],
)
def test_mts_details_are_known_by_their_summary_and_sheets_per_number(
    make: Callable[[Sheets], bytes],
    reader: Callable[[bytes], Recognition],
    fmt: DocumentFormat,
) -> None:
    got = reader(make(mts_workbook()))

    assert (got.operator, got.kind, got.format, got.period, got.account) == (
        Operator.MTS,
        DocumentKind.CALL_DETAILS,
        fmt,
        MAY,
        None,  # the collector takes it from the numbers
    )
    assert got.numbers == ("79001234567", "79001234568")  # sheet names, not masked parties
    assert got.parties == ()
    evidence = dict(got.evidence)
    assert evidence["operator"] == "format MTS «Общая сводка» and a sheet per number"
    assert evidence["period"] == "text «01.05.2026-31.05.2026»"
    assert evidence["numbers"] == "sheet names"


def test_mts_number_sheet_alone_is_known_by_its_header_and_dated_by_its_calls() -> None:
    data = xlsx_book([("79001234567", mts_number_sheet("29.05.2026"))])

    got = recognise(data)

    assert (got.operator, got.kind, got.period, got.numbers) == (
        Operator.MTS,
        DocumentKind.CALL_DETAILS,
        MAY,
        ("79001234567",),
    )
    assert dict(got.evidence)["period"] == "calls 01.05.2026–29.05.2026"


def test_a_summary_sheet_without_sheets_per_number_is_no_operator_document() -> None:
    summary = mts_workbook()[0]
    with pytest.raises(NotAnOperatorDocument):
        recognise_xlsx(xlsx_book([summary, ("Лист2", [["Итого"]])]))


# --- MTS XML: a bare <Report>, <ds> per number, <tp sim= u=> with service summaries ------

REAL_MTS_XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Report>\n'
    '<ds sd="01.06.2026" ed="30.06.2026" n="79001234567" t="0" f="0" type="Сетевой ресурс"'
    ' sim="8970101">\n'
    '<i d="01.06.2026 12:40:48" n="&lt;--+79152763968" zp="VoLTE" s="Телеф." du="1:10" c="0"/>\n'
    '<i d="03.06.2026 9:36:11" n="+79857422174" zp="VoLTE" s="Телеф." du="0:27" c="0"/>\n'
    '<i d="01.06.2026 0:24:32" n="internet.mts.ru" s="4G" du="250Kb" c="0"/>\n'
    '<i d="04.06.2026 16:23:47" n="Call_waiting" s="cw" du="1" c="0"/>\n'
    "</ds>\n"
    '<ds sd="01.06.2026" ed="30.06.2026" n="79007654321" t="0" f="0" type="Сетевой ресурс"'
    ' sim="8970102">\n'
    '<i d="02.06.2026 10:15:18" n="&lt;--+79525432792" zp="VoLTE" s="Телеф." du="2:29" c="0"/>\n'
    "</ds>\n"
    '<tp sim="79001234567" t="Сетевой ресурс" u="Сычев Игорь Алексеевич" ed="30.06.2026">\n'
    '<ds n="Телефония" c="12.50"/>\n'
    "</tp>\n"
    '<tp sim="79007654321" u="Гундорова Ксения Валентиновна"/>\n'
    "</Report>\n"
).encode()


def test_real_mts_xml_with_users_and_service_summaries(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "detail.xml"
    path.write_bytes(REAL_MTS_XML)
    for source in (REAL_MTS_XML, path):
        got = recognise_xml(source)
        assert (got.operator, got.kind, got.period, got.account) == (
            Operator.MTS,
            DocumentKind.CALL_DETAILS,
            JUNE,
            None,
        )
        assert got.numbers == ("79001234567", "79007654321")  # service summaries skipped
        assert got.parties == ()
        assert dict(got.evidence)["operator"] == "format MTS <Report>/<ds n sd ed>"


# --- A1 «Детализация»: a bare sheet, no requisites, no period printed ----------------------

A1_HEADER: list[object] = [
    "ФИО", "Тип звонка", "Код", "Дата звонка", "Длительность", "Объем",
    "Кто звонил", "Куда звонил", "Начислено",
]  # fmt: skip


def a1_details(records: int) -> bytes:
    rows: list[list[object]] = [A1_HEADER]
    for i in range(records):
        when = dt.datetime(2026, 6, 1 + i % 30, 8 + i % 12, i % 60)
        who = 375291234567 + i % 3
        rows.append(["Иванов И.", "Исходящий", "29", when, 60, 0, who, "375447654321", 0.12])
    rows.append(["Итого по абоненту", None, None, None, 60, None, 375291234567, None, 0.12])
    return xlsx_book([("Детализация", rows)])


def test_a1_details_without_requisites_take_the_month_from_the_calls() -> None:
    got = recognise_xlsx(a1_details(400))

    assert (got.operator, got.kind, got.period, got.account) == (
        Operator.A1,
        DocumentKind.CALL_DETAILS,
        JUNE,
        None,
    )
    assert got.numbers == ("375291234567", "375291234568", "375291234569")
    assert dict(got.evidence)["period"] == "calls 01.06.2026–30.06.2026"


def test_a1_call_dates_read_raw_are_those_openpyxl_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    data = a1_details(120)
    fast = recognise_xlsx(data)
    monkeypatch.setattr(recognition_sheets, "_raw_column_cells", lambda *args: None)
    slow = recognise_xlsx(data)
    assert (slow, dict(slow.evidence)) == (fast, dict(fast.evidence))


# --- Kcell: a number's details downloaded as XLS, no legal name ------------------------------


def test_kcell_details_without_a_legal_name_leave_the_operator_to_the_cabinet() -> None:
    rows: list[list[object]] = [
        ["Детализация по номеру 77012223344"],
        ["Период: 01.06.2026 - 30.06.2026"],
        [],
        ["Дата", "Время", "Номер", "Услуга", "Длительность, сек", "Стоимость, тенге"],
        ["01.06.2026", "10:00:00", "77017654321", "Исходящий звонок", 60, 1.5],
    ]
    got = recognise_xls(xls_book([("Детализация", rows)]))

    # No company named, so no UnknownIssuer: the cabinet that downloaded it places it.
    assert got.operator is None
    assert (got.kind, got.period, got.numbers, got.parties) == (
        DocumentKind.CALL_DETAILS,
        JUNE,
        ("77012223344",),
        (),
    )
