"""Operator documents as people and operators really write them, built here with fpdf2,
openpyxl, xlwt and XML strings, independently of the sandbox's renderers."""

from __future__ import annotations

import datetime as dt
import io
import pathlib

import openpyxl
import pytest
import xlwt

from robots.domain import DocumentKind, Operator, Period
from robots.recognition import recognise
from robots.recognition.common import (
    KIND_TITLES,
    NotAnOperatorDocument,
    UnknownIssuer,
    account_in_text,
    period_in_text,
    phone_numbers_in_text,
)
from robots.recognition.sheets import recognise_xls, recognise_xlsx
from robots.recognition.xml import recognise_xml
from support.documents import pdf_of

OCTOBER = Period(year=2026, month=10)


def xlsx_of(rows: list[list[object]], sheet: str = "Лист1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xls_of(rows: list[list[object]], sheet: str = "Лист1") -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Russian as people write it --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Начисления по лицевому счету 25602051",
        "Номер лицевого счета: 25602051",
        "л/с 25602051",
        "Л/С: 25602051",
        "ЛС № 25602051",
        "Лицевой счёт 25602051",
        "лицевой счет № 2560-2051",
    ],
)
def test_the_account_in_any_case_and_short_form(text: str) -> None:
    assert account_in_text(text) == "25602051"


def test_an_account_word_is_not_a_short_form_inside_another_word() -> None:
    assert account_in_text("КЛС 25602051") is None  # «ЛС» inside a word
    assert account_in_text("Счет № 25602051") is None


@pytest.mark.parametrize(
    "text, period",
    [
        ("Детализация за 07.2026", Period(year=2026, month=7)),
        ("Счет за октябрь 2026г.", OCTOBER),
        ("Октябрь, 2026", OCTOBER),
        ("Период с 01.06.26 по 30.06.26", Period(year=2026, month=6)),
        ("за октябрь 2026 г.", OCTOBER),
        ("Период: 01.10.2026 - 31.10.2026.", OCTOBER),
    ],
)
def test_periods_as_people_write_them(text: str, period: Period) -> None:
    assert period_in_text(text) == period


@pytest.mark.parametrize(
    "text", ["Счет № 5 от 05.11.2026", "Дата выставления 05.11.2026", "сумма 1 207,2026"]
)
def test_an_issue_date_alone_is_no_period(text: str) -> None:
    assert period_in_text(text) is None


def test_numbers_as_people_write_them_are_normalised() -> None:
    text = "+7 (916) 123-45-67, 8 916 123 45 68; +375 29 123-45-67 и 8 (701) 222-33-44"
    assert phone_numbers_in_text(text) == (
        "375291234567",
        "77012223344",
        "79161234567",
        "79161234568",
    )


def test_a_pdf_in_everyday_russian_is_recognised_with_its_evidence() -> None:
    data = pdf_of(
        [
            "ПАО «МТС» ИНН 7740000076",
            "Детализация разговоров",
            "по лицевому счету 277012345678",
            "Номер телефона: +7 (916) 123-45-67",
            "за октябрь 2026г.",
        ]
    )
    got = recognise(data)
    assert (got.operator, got.kind, got.period, got.account, got.numbers) == (
        Operator.MTS,
        DocumentKind.CALL_DETAILS,
        OCTOBER,
        "277012345678",
        ("79161234567",),
    )
    evidence = dict(got.evidence)
    assert evidence["account"] == "text «лицевому счету 277012345678»"
    assert evidence["period"] == "text «октябрь 2026»"
    assert evidence["operator"] == "text «ПАО «МТС»»"


def test_a_title_sharing_a_line_with_the_operator_name() -> None:
    data = pdf_of(["МТС Детализация звонков", "ИНН 7740000076", "л/с 277012345678", "07.2026"])
    got = recognise(data)
    assert (got.kind, got.period) == (DocumentKind.CALL_DETAILS, Period(year=2026, month=7))


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("ООО «Связь-Плюс» Счет № 118", DocumentKind.INVOICE),  # a company the robot cannot know
        ('ЗАО "Телесеть": Детализация звонков', DocumentKind.CALL_DETAILS),
        ("Лицевой счет № 118", None),  # a bare word is no operator's name
        ("Телесеть Счет № 118", None),
    ],
)
def test_a_title_after_any_company_named_by_its_legal_form(
    line: str, kind: DocumentKind | None
) -> None:
    found = [k for k, pattern in KIND_TITLES if pattern.search(line)]
    assert found == ([kind] if kind else [])


def test_call_details_without_a_printed_period_take_it_from_the_calls() -> None:
    data = pdf_of(
        [
            "ПАО «МТС» ИНН 7740000076",
            "Детализация разговоров",
            "Лицевой счет 277012345678",
            "Дата формирования: 05.11.2026 10:15",
            "01.10.2026 09:12:00  +79161112233  0:45",
            "31.10.2026 18:00:00  +79161112234  1:10",
        ]
    )
    got = recognise(data)
    assert got.period == OCTOBER
    assert dict(got.evidence)["period"] == "calls 01.10.2026–31.10.2026"


# --- spreadsheets: header rows further down, bilingual headers, shared title cells -------


def mts_details_rows() -> list[list[object]]:
    """MTS Business details as the public parsers read them: a sheet per number, the
    title beside the brand, a header row further down in two languages, no requisites."""
    return [
        ["МТС Бизнес. Детализация звонков"],
        ["Клиент: ООО «Ромашка»"],
        [],
        ["Номер: +7 (916) 123-45-67"],
        [],
        [],
        ["Дата/ Date", "Время/ Time", "Номер собеседника/ Interlocutor number", "Кол-во"],
        ["01.10.2026", "09:00:00", "+79161112233", "0:45"],
        ["30.10.2026", "18:00:00", "+79161112234", "1:10"],
    ]


@pytest.mark.parametrize("make", [xlsx_of, xls_of], ids=["xlsx", "xls"])
def test_mts_spreadsheet_details_without_a_legal_name(make: object) -> None:
    assert callable(make)
    data = make(mts_details_rows(), sheet="79161234567")
    reader = recognise_xlsx if make is xlsx_of else recognise_xls
    # The customer's own legal name is all the content names: placed by the sender.
    with pytest.raises(UnknownIssuer) as raised:
        reader(data)
    got = raised.value.recognition
    assert got.operator is None
    assert (got.kind, got.period, got.numbers) == (
        DocumentKind.CALL_DETAILS,
        OCTOBER,
        ("79161234567",),
    )
    assert dict(got.evidence)["period"] == "calls 01.10.2026–30.10.2026"
    assert got.parties == ("Ромашка",)


def test_a1_spreadsheet_details_with_the_header_rows_down_and_bilingual() -> None:
    rows: list[list[object]] = [["А1 Детализация"], [], [], [], ["л/с 25602051"], []]
    rows.append(
        [
            "ФИО/ Name",
            "Тип звонка/ Call type",
            "Код",
            "Дата звонка/ Call date",
            "Длительность/ Duration",
            "Объем",
            "Кто звонил/ Caller",
            "Куда звонил/ Called",
            "Начислено/ Charged",
        ]
    )
    rows.append(
        ["Иванов", "исх", "1", dt.datetime(2026, 10, 3, 9), "60", "", "375 29 123-45-67", "", 1]
    )
    rows.append(
        ["Иванов", "исх", "1", dt.datetime(2026, 10, 29, 9), "60", "", "375291234567", "", 1]
    )
    got = recognise_xlsx(xlsx_of(rows, sheet="Детализация"))
    assert (got.operator, got.kind, got.account, got.period, got.numbers) == (
        Operator.A1,
        DocumentKind.CALL_DETAILS,
        "25602051",
        OCTOBER,
        ("375291234567",),
    )


def test_an_unrelated_spreadsheet_is_still_not_an_operator_document() -> None:
    rows: list[list[object]] = [
        ["Отпуска 2026"],
        ["Дата/ Date", "ФИО", "Дней"],
        ["01.07.2026", "Иванов", 14],
    ]
    with pytest.raises(NotAnOperatorDocument, match="no operator"):
        recognise_xlsx(xlsx_of(rows))


# --- MTS XML as the real files are ---------------------------------------------------


REAL_MTS_XML = (
    '<?xml version="1.0" encoding="utf-8"?><Report>'
    '<tp n="Телефония"><ds n="Внутрисетевые вызовы" c="12.50"/></tp>'
    '<ds sd="01.10.2026" ed="31.10.2026" n="79001234567" t="0" f="0" type="Сетевой ресурс" '
    'sim="8970101">'
    '<i d="01.10.2026 12:40:48" n="&lt;--+79152763968" zp="VoLTE" s="Телеф." du="1:10" c="0"/>'
    '<i d="03.10.2026 9:36:11" n="+79857422174" zp="VoLTE" s="Телеф." du="0:27" c="0"/>'
    "</ds></Report>"
).encode()


def test_real_mts_xml_names_no_operator_and_is_known_by_its_structure() -> None:
    got = recognise_xml(REAL_MTS_XML)
    assert (got.operator, got.kind, got.period, got.numbers) == (
        Operator.MTS,
        DocumentKind.CALL_DETAILS,
        OCTOBER,
        ("79001234567",),
    )
    assert dict(got.evidence)["operator"] == "format MTS <Report>/<ds n sd ed>"


def test_an_xml_report_naming_another_operator_is_refused() -> None:
    data = REAL_MTS_XML.replace(b"<Report>", "<Report operator='АО «Кселл»'>".encode())
    with pytest.raises(NotAnOperatorDocument, match="not MTS"):
        recognise_xml(data)


def test_mts_xml_sections_without_dates_take_the_period_from_the_calls(
    tmp_path: pathlib.Path,
) -> None:
    data = REAL_MTS_XML.replace(b'sd="01.10.2026" ed="31.10.2026" ', b"")
    path = tmp_path / "detail.xml"
    path.write_bytes(data)
    for source in (data, path):
        got = recognise_xml(source)
        assert (got.period, got.numbers) == (OCTOBER, ("79001234567",))
        assert dict(got.evidence)["period"] == "calls 01.10.2026–03.10.2026"
