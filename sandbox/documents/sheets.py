"""Operator spreadsheets: XLSX (openpyxl) and legacy XLS (xlwt), laid out as operators do.

Every layout is built once as plain rows (``_Sheet``) and written by either writer, so
an MTS call-details workbook is the same in .xlsx and .xls. Supported combinations:

============  ==================  ==================================================
operator      kind                formats
============  ==================  ==================================================
MTS           call_details        xlsx, xls ("Общая сводка" + a sheet per number, no
                                  legal name, no account)
A1            call_details        xlsx (bare sheet "Детализация", no legal name, no account)
A1            invoice             xlsx (A1 e-mails it zipped; the zip is built elsewhere)
SIP           invoice             xls
SIP           call_details        xlsx
SIP           charges             xlsx ("Начисления за текущий период")
Kcell         call_details        xls (one number per file, no account)
Kcell         work_act            xlsx ("Акт" + "Расшифровка")
Kcell         invoice_register    xlsx
Kcell         payments_report     xlsx
Kcell         numbers_report      xlsx
============  ==================  ==================================================

Each call-details layout says in its docstring where it comes from, and
``sandbox/documents/SOURCES.md`` lists every layout with its source and what is
assumed. The same spec always gives the same bytes: workbook properties carry FIXED_TIMESTAMP
and the .xlsx zip is rewritten with fixed entry times (openpyxl stamps "now" in both).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import xlwt
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from robots.domain import DocumentKind, Operator, Period
from sandbox.documents.model import (
    FIXED_TIMESTAMP,
    MONTHS,
    REQUISITES,
    Call,
    DocumentSpec,
    generate_calls,
    range_phrase,
    total,
)

Cell = str | int | Decimal | dt.datetime | None

_XLS_MAX_ROWS = 65536  # BIFF8 limit per sheet


@dataclass(frozen=True)
class _Row:
    cells: tuple[Cell, ...]
    bold: bool = False


@dataclass
class _Sheet:
    title: str
    widths: tuple[int, ...] = ()
    rows: list[_Row] = field(default_factory=list)

    def add(self, *cells: Cell, bold: bool = False) -> None:
        self.rows.append(_Row(cells, bold))

    def blank(self) -> None:
        self.rows.append(_Row(()))


# --- shared pieces -----------------------------------------------------------------------

_NAMES = (
    "Иванов Иван Иванович",
    "Петрова Анна Сергеевна",
    "Сидоров Павел Андреевич",
    "Кузнецова Мария Олеговна",
    "Смирнов Алексей Викторович",
)
_CENT = Decimal("0.01")


def _month(period: Period) -> str:
    return f"{MONTHS[period.month - 1]} {period.year}"


def _requisites(sheet: _Sheet, operator: Operator) -> None:
    """Legal name and tax id exactly as OPERATOR_SIGNATURES expects them."""
    req = REQUISITES[operator]
    sheet.add(req.legal_name, bold=True)
    sheet.add(f"{req.tax_id_label} {req.tax_id}")
    sheet.add(req.address)


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT)


def _by_number(spec: DocumentSpec) -> dict[str, list[Call]]:
    if not spec.numbers:
        raise ValueError("call details need at least one subscriber number")
    groups: dict[str, list[Call]] = {n: [] for n in sorted(set(spec.numbers))}
    for call in generate_calls(spec):
        groups[call.number].append(call)
    return groups


def _charges(spec: DocumentSpec) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """(number, subscription fee, calls, other) per number: seeded, in currency units."""
    rng = spec.rng
    rows = []
    for number in sorted(set(spec.numbers)):
        fee = Decimal(rng.choice((1990, 2490, 3990))) / 100
        calls = Decimal(rng.randint(0, 50000)) / 100
        other = Decimal(rng.randint(0, 5000)) / 100
        rows.append((number, fee, calls, other))
    return rows


def _doc_number(spec: DocumentSpec) -> str:
    return f"{spec.rng.randint(1000000, 9999999)}"


# --- call details ------------------------------------------------------------------------


_MTS_HEADER = (
    "№ строки/Line number", "Дата/ Date", "Время/ Time",
    "Номер собеседника/ Interlocutor number", "Имя", "Тип сервиса/ Service type",
    "Область/ Area", "Кол-во (объём)/ Volume",
)  # fmt: skip


def _masked(number: str) -> str:
    """The other party as MTS prints it in spreadsheets: «985**109 8580»."""
    ten = number[-10:]
    return f"{ten[:3]}**{ten[3:6]} {ten[6:]}"


def _mts_record(line: int, c: Call) -> tuple[Cell, ...]:
    day, time = f"{c.when:%d.%m.%Y}", f"{c.when:%H:%M:%S}"
    if c.service == "Интернет":
        volume = f"{(c.duration_s or c.when.second + 1) * 7919 / 1000:.3f}".replace(".", ",")
        return (str(line), day, time, "GPRS", None, "GPRS", None, f"{volume} Mb")
    if c.service == "SMS":
        return (str(line), day, time, "MTC", None, "Мест. SMS", None, "0")
    seconds = c.duration_s
    volume = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    name = _NAMES[int(c.other[-1]) % len(_NAMES)]
    return (str(line), day, time, _masked(c.other), name, "Мест. связь", "Звонок", volume)


def _mts_call_details(spec: DocumentSpec) -> list[_Sheet]:
    """MTS Business call details: a summary sheet, then one sheet per number named by it.

    Source: baldmaxim/FOT, ``fot-server/src/services/mts-business-cdr.service.test.ts``
    (the workbook built "as the real report") and ``mts-business-cdr.service.ts``
    (``parseXls``: the own number is the sheet's name, the header is found by text in
    the first rows, a call is a row whose volume is a duration, the other party is
    masked). No legal name, no tax id, no personal account anywhere. Assumed: the
    summary's other lines, the volume of internet and SMS rows beyond the sample's.
    """
    by_number = _by_number(spec)
    summary = _Sheet("Общая сводка", (24, 24, 10, 8))
    summary.add("Общая сводка", bold=True)
    summary.add(
        "Период / Period:", f"{spec.period.first_day:%d.%m.%Y}-{spec.period.last_day:%d.%m.%Y}"
    )
    every = [c for calls in by_number.values() for c in calls]
    minutes = sum(c.duration_s for c in every if "звонок" in c.service) / 60
    summary.add("Звонки / Calls", "Итого", f"{minutes:.1f}".replace(".", ","), "мин.")
    sms = sum(1 for c in every if c.service == "SMS")
    summary.add("SMS", "Итого", str(sms), "шт.")
    sheets = [summary]
    for number, calls in by_number.items():
        sheet = _Sheet(number, (10, 12, 10, 22, 26, 18, 10, 14))
        sheet.add(*_MTS_HEADER, bold=True)
        for line, c in enumerate(calls, start=1):
            sheet.add(*_mts_record(line, c))
        sheets.append(sheet)
    return sheets


_A1_HEADER = (
    "ФИО", "Тип звонка", "Код", "Дата звонка", "Длительность", "Объем",
    "Кто звонил", "Куда звонил", "Начислено",
)  # fmt: skip


def _a1_call_details(spec: DocumentSpec) -> list[_Sheet]:
    """A1 «Детализация на Email»: one bare sheet «Детализация», its header on top.

    No public sample or parser of this file was found; what is public (a1.by, «Invoice
    Delivery»: Excel files come zipped) is about invoices. So the layout is minimal and
    assumed: no legal name, no tax id, no account, no printed period (the calls' dates
    give it), the subscriber under «Кто звонил» on every record.
    """
    sheet = _Sheet("Детализация", (30, 18, 6, 20, 13, 10, 15, 15, 11))
    sheet.add(*_A1_HEADER, bold=True)
    grand = Decimal(0)
    for i, (number, calls) in enumerate(_by_number(spec).items()):
        name = _NAMES[i % len(_NAMES)]
        for c in calls:
            # A1 lists the subscriber as "Кто звонил" on every record (incoming too):
            # the report is about the subscriber, the other party is "Куда звонил".
            volume = (
                Decimal(c.when.second * 17 + c.when.minute) / 10 if c.service == "Интернет" else 0
            )
            sheet.add(
                name,
                c.service,
                c.other[3:5],
                c.when,
                c.duration_s,
                volume,
                number,
                c.other,
                c.charge,
            )
        subtotal = _money(total(calls))
        grand += subtotal
        seconds = sum(c.duration_s for c in calls)
        sheet.add(
            "Итого по абоненту", None, None, None, seconds, None, number, None, subtotal, bold=True
        )
    sheet.add("Итого", None, None, None, None, None, None, None, grand, bold=True)
    return [sheet]


def _sip_call_details(spec: DocumentSpec) -> list[_Sheet]:
    sheet = _Sheet("Детализация", (30, 12, 10, 16, 18, 18, 12))
    _requisites(sheet, Operator.SIP)
    sheet.add("Детализация звонков", bold=True)
    sheet.add(f"Период: {range_phrase(spec.period)}")
    sheet.add(f"Лицевой счет: {spec.account}")
    sheet.add("Тарифный план: SIP-соединение")
    sheet.blank()
    sheet.add(
        "Абонент", "Дата", "Время", "Вызываемый номер", "Вид связи", "Длительность, сек",
        "Сумма, BYN", bold=True,
    )  # fmt: skip
    grand = Decimal(0)
    for number, calls in _by_number(spec).items():
        for c in calls:
            row = (number, f"{c.when:%d.%m.%Y}", f"{c.when:%H:%M:%S}", c.other, c.service)
            sheet.add(*row, c.duration_s, c.charge)
        subtotal = _money(total(calls))
        grand += subtotal
        seconds = sum(c.duration_s for c in calls)
        sheet.add(f"Итого по абоненту {number}", *(None,) * 4, seconds, subtotal, bold=True)
    sheet.add("Итого по лицевому счету", *(None,) * 5, grand, bold=True)
    return [sheet]


def _kcell_call_details(spec: DocumentSpec) -> list[_Sheet]:
    """Kcell's per-number call details, downloaded as XLS from the number's profile.

    The manual (``kcell-cabinet.md``: one number, the last 90 days, PDF or XLS) is the
    only source; no public sample or parser was found. Assumed: a title naming the
    number, the period, the operator's requisites, a header row; no account.
    """
    if len(set(spec.numbers)) != 1:
        raise ValueError("Kcell call details are per number: give exactly one number")
    ((number, calls),) = _by_number(spec).items()
    sheet = _Sheet("Детализация", (12, 10, 16, 18, 18, 18))
    sheet.add(f"Детализация по номеру {number}", bold=True)
    sheet.add(f"Период: {range_phrase(spec.period)}")
    _requisites(sheet, Operator.KCELL)
    sheet.blank()
    sheet.add(
        "Дата", "Время", "Номер", "Услуга", "Длительность, сек", "Стоимость, тенге", bold=True
    )
    for c in calls:
        sheet.add(
            f"{c.when:%d.%m.%Y}", f"{c.when:%H:%M:%S}", c.other, c.service, c.duration_s, c.charge
        )
    seconds = sum(c.duration_s for c in calls)
    sheet.add("Итого", None, None, None, seconds, _money(total(calls)), bold=True)
    return [sheet]


# --- invoices and charges ----------------------------------------------------------------


def _invoice(spec: DocumentSpec, services: Sequence[str], vat_percent: int) -> list[_Sheet]:
    req = REQUISITES[spec.operator]
    rng = spec.rng
    sheet = _Sheet("Счет", (36, 12, 20, 16, 20))
    _requisites(sheet, spec.operator)
    sheet.blank()
    sheet.add(f"Счет № {_doc_number(spec)} от {spec.issued_on:%d.%m.%Y}", bold=True)
    sheet.add(f"Расчетный период: {range_phrase(spec.period)}")
    sheet.add(f"Лицевой счет: {spec.account}")
    sheet.add(f"Плательщик: {spec.customer.name}")
    sheet.blank()
    cur = req.currency
    sheet.add(
        "Услуга", "Количество", f"Сумма без НДС, {cur}", f"НДС {vat_percent}%, {cur}",
        f"Сумма с НДС, {cur}", bold=True,
    )  # fmt: skip
    sums = [Decimal(0)] * 3
    for service in services:
        net = Decimal(rng.randint(100, 50000)) / 100
        vat = _money(net * vat_percent / 100)
        row = (net, vat, net + vat)
        sheet.add(service, rng.randint(1, max(1, len(spec.numbers)) * 40), *row)
        sums = [a + b for a, b in zip(sums, row, strict=True)]
    sheet.add("Итого к оплате", None, *sums, bold=True)
    return [sheet]


def _a1_invoice(spec: DocumentSpec) -> list[_Sheet]:
    services = ("Абонентская плата", "Местные вызовы", "Вызовы на другие сети", "SMS")
    return _invoice(spec, (*services, "Мобильный интернет"), 20)


def _sip_invoice(spec: DocumentSpec) -> list[_Sheet]:
    services = ("Абонентская плата за SIP-соединение", "Исходящие вызовы", "Международные вызовы")
    return _invoice(spec, services, 20)


def _sip_charges(spec: DocumentSpec) -> list[_Sheet]:
    sheet = _Sheet("Начисления", (16, 18, 22, 14, 22, 14))
    _requisites(sheet, Operator.SIP)
    sheet.add("Начисления за текущий период", bold=True)
    sheet.add(f"Период: {range_phrase(spec.period)}")
    sheet.add(f"Лицевой счет: {spec.account}")
    sheet.blank()
    sheet.add(
        "Абонент", "Тарифный план", "Абонентская плата, BYN", "Звонки, BYN",
        "Прочие услуги, BYN", "Итого, BYN", bold=True,
    )  # fmt: skip
    grand = Decimal(0)
    for number, fee, calls, other in _charges(spec):
        sheet.add(number, "SIP-соединение", fee, calls, other, fee + calls + other)
        grand += fee + calls + other
    sheet.add("Итого", None, None, None, None, grand, bold=True)
    return [sheet]


# --- Kcell reports -----------------------------------------------------------------------


def _kcell_head(sheet: _Sheet, spec: DocumentSpec, title: str) -> None:
    _requisites(sheet, Operator.KCELL)
    sheet.add(title, bold=True)
    sheet.add(f"Период: {range_phrase(spec.period)}")
    sheet.add(f"Лицевой счет: {spec.account}")
    sheet.add(f"Клиент: {spec.customer.name}")
    sheet.blank()


def _kcell_work_act(spec: DocumentSpec) -> list[_Sheet]:
    number = _doc_number(spec)
    details = _Sheet("Расшифровка", (16, 20, 14, 14, 14))
    details.add(f"Расшифровка к счету-фактуре № {number} от {spec.issued_on:%d.%m.%Y}", bold=True)
    details.add(f"Лицевой счет: {spec.account}")
    details.add("Номер", "Абонентская плата", "Звонки", "Прочие", "Итого", bold=True)
    grand = Decimal(0)
    for msisdn, fee, calls, other in _charges(spec):
        details.add(msisdn, fee * 250, calls * 250, other * 250, (fee + calls + other) * 250)
        grand += (fee + calls + other) * 250
    details.add("Итого", None, None, None, grand, bold=True)
    act = _Sheet("Акт", (6, 40, 22, 18, 22))
    _kcell_head(act, spec, f"Акт выполненных работ (оказанных услуг) № {number}")
    act.add(
        "№",
        "Наименование услуги",
        "Сумма без НДС, тенге",
        "НДС 12%, тенге",
        "Сумма с НДС, тенге",
        bold=True,
    )
    vat = _money(grand * 12 / 112)  # Kcell prices include VAT
    act.add(1, "Услуги сотовой связи", grand - vat, vat, grand)
    act.add("Итого", None, grand - vat, vat, grand, bold=True)
    return [act, details]


def _kcell_invoice_register(spec: DocumentSpec) -> list[_Sheet]:
    rng = spec.rng
    sheet = _Sheet("Реестр", (8, 34, 14, 14, 18, 14, 18))
    _kcell_head(sheet, spec, "Реестр счетов-фактур")
    sheet.add(
        "№ п/п", "Регистрационный номер ЭСФ", "Дата выписки", "Лицевой счет", "Сумма без НДС",
        "НДС", "Сумма с НДС", bold=True,
    )  # fmt: skip
    sums = [Decimal(0)] * 3
    for i in range(1, rng.randint(1, 3) + 1):
        gross = Decimal(rng.randint(100000, 9000000)) / 100
        vat = _money(gross * 12 / 112)
        row = (gross - vat, vat, gross)
        serial = rng.randint(10**7, 10**8 - 1)
        esf = f"ESF-{REQUISITES[Operator.KCELL].tax_id}-{spec.period.year}-{serial}"
        sheet.add(i, esf, f"{spec.issued_on:%d.%m.%Y}", spec.account, *row)
        sums = [a + b for a, b in zip(sums, row, strict=True)]
    sheet.add("Итого", None, None, None, *sums, bold=True)
    return [sheet]


def _kcell_payments_report(spec: DocumentSpec) -> list[_Sheet]:
    rng = spec.rng
    sheet = _Sheet("Платежи", (14, 26, 20, 16))
    _kcell_head(sheet, spec, "Отчет по платежам")
    sheet.add(
        "Дата платежа", "Номер платежного документа", "Способ оплаты", "Сумма, тенге", bold=True
    )
    paid = Decimal(0)
    days = sorted(rng.sample(range(spec.period.last_day.day), rng.randint(1, 4)))
    for day in days:
        amount = Decimal(rng.randint(100000, 5000000)) / 100
        when = spec.period.first_day + dt.timedelta(days=day)
        sheet.add(f"{when:%d.%m.%Y}", f"{rng.randint(1000, 99999)}", "Платежное поручение", amount)
        paid += amount
    sheet.add("Итого", None, None, paid, bold=True)
    return [sheet]


def _kcell_numbers_report(spec: DocumentSpec) -> list[_Sheet]:
    rng = spec.rng
    sheet = _Sheet("Номера", (16, 16, 22, 14))
    _requisites(sheet, Operator.KCELL)
    sheet.add("Отчет по списку номеров", bold=True)
    sheet.add(f"Отчетный период: {_month(spec.period)}")
    sheet.add(f"Лицевой счет: {spec.account}")
    sheet.add(f"По состоянию на {spec.issued_on:%d.%m.%Y}")
    sheet.blank()
    sheet.add("Номер", "Лицевой счет", "Тарифный план", "Статус", bold=True)
    for number in sorted(set(spec.numbers)):
        plan = rng.choice(("Бизнес Безлимит", "Бизнес Оптимум", "Бизнес Старт"))
        sheet.add(number, spec.account, plan, rng.choice(("Активен", "Активен", "Заблокирован")))
    sheet.add("Итого номеров", len(set(spec.numbers)), bold=True)
    return [sheet]


_Layout = Callable[[DocumentSpec], list[_Sheet]]

_XLSX_LAYOUTS: dict[tuple[Operator, DocumentKind], _Layout] = {
    (Operator.MTS, DocumentKind.CALL_DETAILS): _mts_call_details,
    (Operator.A1, DocumentKind.CALL_DETAILS): _a1_call_details,
    (Operator.A1, DocumentKind.INVOICE): _a1_invoice,
    (Operator.SIP, DocumentKind.CALL_DETAILS): _sip_call_details,
    (Operator.SIP, DocumentKind.CHARGES): _sip_charges,
    (Operator.KCELL, DocumentKind.WORK_ACT): _kcell_work_act,
    (Operator.KCELL, DocumentKind.INVOICE_REGISTER): _kcell_invoice_register,
    (Operator.KCELL, DocumentKind.PAYMENTS_REPORT): _kcell_payments_report,
    (Operator.KCELL, DocumentKind.NUMBERS_REPORT): _kcell_numbers_report,
}
_XLS_LAYOUTS: dict[tuple[Operator, DocumentKind], _Layout] = {
    (Operator.MTS, DocumentKind.CALL_DETAILS): _mts_call_details,
    (Operator.KCELL, DocumentKind.CALL_DETAILS): _kcell_call_details,
    (Operator.SIP, DocumentKind.INVOICE): _sip_invoice,
}

XLSX_COMBINATIONS = frozenset(_XLSX_LAYOUTS)
"""(operator, kind) pairs render_xlsx supports."""
XLS_COMBINATIONS = frozenset(_XLS_LAYOUTS)
"""(operator, kind) pairs render_xls supports."""


def _layout(spec: DocumentSpec, layouts: dict[tuple[Operator, DocumentKind], _Layout]) -> _Layout:
    try:
        return layouts[(spec.operator, spec.kind)]
    except KeyError:
        raise ValueError(f"no spreadsheet layout for {spec.operator} {spec.kind}") from None


# --- writers -----------------------------------------------------------------------------


def render_xlsx(spec: DocumentSpec) -> bytes:
    """Render ``spec`` as the .xlsx workbook its operator sends.

    ``spec.format`` is not checked: A1's zipped invoice renders its inner .xlsx here.

    Args:
        spec: The document; ``calls_per_number`` scales call details.

    Returns:
        The workbook bytes, identical for equal specs.

    Raises:
        ValueError: The operator does not issue this kind as .xlsx (see XLSX_COMBINATIONS),
            or the spec lacks the subscriber numbers the layout needs.
    """
    sheets = _layout(spec, _XLSX_LAYOUTS)(spec)
    # Not write_only: that mode omits <dimension>, which real Excel files carry and
    # without which openpyxl's read-only reader parses a whole sheet just to size it.
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for i, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for r, row in enumerate(sheet.rows, start=1):
            ws.append(row.cells)
            for c, value in enumerate(row.cells, start=1):
                if row.bold:
                    ws.cell(r, c).font = bold
                if isinstance(value, dt.datetime):
                    ws.cell(r, c).number_format = "DD.MM.YYYY HH:MM:SS"
    wb.properties.created = wb.properties.modified = FIXED_TIMESTAMP
    raw = io.BytesIO()
    # ExcelWriter, not wb.save(): save_workbook overwrites "modified" with the clock.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _fixed_zip_times(raw.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_TIMESTAMP (zipfile stamps the clock)."""
    out = io.BytesIO()
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def render_xls(spec: DocumentSpec) -> bytes:
    """Render ``spec`` as a legacy .xls (BIFF8) workbook, the way xlwt-era billing does.

    Args:
        spec: The document; ``calls_per_number`` scales call details.

    Returns:
        The workbook bytes, identical for equal specs (xlwt writes no timestamps).

    Raises:
        ValueError: The operator does not issue this kind as .xls (see XLS_COMBINATIONS),
            the spec lacks the numbers the layout needs, or a sheet exceeds 65536 rows.
    """
    sheets = _layout(spec, _XLS_LAYOUTS)(spec)
    wb = xlwt.Workbook(encoding="utf-8")
    bold = xlwt.easyxf("font: bold on")
    money = xlwt.easyxf(num_format_str="0.00")
    bold_money = xlwt.easyxf("font: bold on", num_format_str="0.00")
    when = xlwt.easyxf(num_format_str="DD.MM.YYYY HH:MM:SS")
    for sheet in sheets:
        if len(sheet.rows) > _XLS_MAX_ROWS:
            raise ValueError(f"sheet {sheet.title!r} has {len(sheet.rows)} rows, .xls holds 65536")
        ws = wb.add_sheet(sheet.title)
        for i, width in enumerate(sheet.widths):
            ws.col(i).width = 256 * width
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row.cells):
                if value is None:
                    continue
                if isinstance(value, Decimal):
                    ws.write(r, c, float(value), bold_money if row.bold else money)
                elif isinstance(value, dt.datetime):
                    ws.write(r, c, value, when)
                elif row.bold:
                    ws.write(r, c, value, bold)
                else:
                    ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
