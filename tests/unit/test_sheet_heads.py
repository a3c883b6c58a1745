"""The heads read straight from .xlsx and .xls files are those openpyxl and xlrd give."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl  # type: ignore[import-untyped]
import pytest
import xlwt

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.recognition import sheets
from robots.recognition.xlsx import RawWorkbook, Unsupported
from sandbox.documents.model import DocumentSpec
from sandbox.documents.sheets import XLS_COMBINATIONS, XLSX_COMBINATIONS, render_xls, render_xlsx

NUMBERS = {
    Operator.MTS: ("79161234567", "79161234568"),
    Operator.KCELL: ("77012223344",),
    Operator.A1: ("375291234567", "375291234568"),
    Operator.SIP: ("375172345678", "375172345679"),
}
ACCOUNTS = {
    Operator.MTS: "277012345678",
    Operator.KCELL: "1234567890",
    Operator.A1: "1234567890123",
    Operator.SIP: "1100023456",
}


def spec(op: Operator, kind: DocumentKind, fmt: DocumentFormat) -> DocumentSpec:
    return DocumentSpec(op, kind, fmt, ACCOUNTS[op], Period(year=2026, month=10), NUMBERS[op])


def trimmed(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Rows without trailing empty cells and trailing empty rows (openpyxl and xlrd pad
    rows to the sheet's width)."""
    out = []
    for row in rows:
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(tuple(values))
    while out and not out[-1]:
        out.pop()
    return out


def openpyxl_head(data: bytes) -> list[tuple[object, ...]]:
    book = sheets._XlsxBook(data)
    try:
        return trimmed(book.head())
    finally:
        book.close()


@pytest.mark.parametrize("combo", sorted(XLSX_COMBINATIONS), ids="-".join)
def test_xlsx_head_is_openpyxls(combo: tuple[Operator, DocumentKind]) -> None:
    data = render_xlsx(spec(*combo, DocumentFormat.XLSX))
    raw = RawWorkbook(data, sheets.HEAD_ROWS)
    assert trimmed(raw.head) == openpyxl_head(data)


def test_shared_strings_numbers_and_dates_are_read_as_openpyxl_reads_them() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Детализация"
    ws.append(["ПАО «МТС» & Co", None, 'кавычки "и" <теги>'])
    ws.append([dt.datetime(2026, 10, 3, 12, 30), 375291234567, 0.12, True])
    ws.append([])
    ws.append(["ПАО «МТС» & Co", "=1+1"])  # a repeated shared string, a formula
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()

    raw = RawWorkbook(data, sheets.HEAD_ROWS)

    assert trimmed(raw.head) == openpyxl_head(data)
    assert raw.head[1][0] == dt.datetime(2026, 10, 3, 12, 30)
    assert list(raw.sheet_names) == ["Детализация"]


def test_a_workbook_written_another_way_is_read_by_openpyxl() -> None:
    data = render_xlsx(spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/workbook.xml":  # prefixed elements, as .NET writes them
                content = content.replace(b"<sheets>", b"<x:sheets xmlns:x='urn:x'>")
                content = content.replace(b"<sheet ", b"<x:sheet ")
                content = content.replace(b"</sheets>", b"</x:sheets>")
            dst.writestr(info, content)
    with pytest.raises(Unsupported):
        RawWorkbook(out.getvalue(), sheets.HEAD_ROWS)


@pytest.mark.parametrize("combo", sorted(XLS_COMBINATIONS), ids="-".join)
def test_xls_head_is_xlrds(combo: tuple[Operator, DocumentKind]) -> None:
    data = render_xls(spec(*combo, DocumentFormat.XLS))
    fast = sheets.XlsBook(data)
    assert fast._head is not None  # read straight from the records
    whole = sheets.XlsBook(data)
    whole._head = None  # what xlrd reads
    assert trimmed(fast.head()) == trimmed(whole.head())


def test_xls_dates_and_numbers_are_read_as_xlrd_reads_them() -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Лист1")
    ws.write(0, 0, "АО «Кселл»")
    ws.write(1, 0, dt.datetime(2026, 10, 3), xlwt.easyxf(num_format_str="DD.MM.YYYY"))
    ws.write(1, 1, 77012223344)
    ws.write(1, 2, 1.5)
    ws.write(2, 3, True)
    out = io.BytesIO()
    wb.save(out)
    fast = sheets.XlsBook(out.getvalue())
    whole = sheets.XlsBook(out.getvalue())
    whole._head = None
    assert fast.head() is not None
    assert trimmed(fast.head()) == trimmed(whole.head())
    assert fast.head()[1][0] == dt.datetime(2026, 10, 3)
