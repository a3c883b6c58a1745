"""The month's report for accounting, beside the manifest in Tarifer's inbox.

``report-<period>.xlsx`` (to open in Excel: typed columns, account numbers as text),
``report-<period>.html`` (to open in a browser: the matrix, each delivered file linked)
and ``report-<period>.csv`` (for programs and for Excel in a Russian locale). Kinds and
states are in the words of the cabinets; each invoice's «Итого к оплате», VAT and number
are read from the delivered file, totalled per operator and account, and compared with
the previous month's invoices as the manifest lists them. The files of the operators'
mail waiting in review are listed with what is known of each and the command that
places it; a document one of them may be is «На проверке». The HTML report ends with the
cabinets' health over their last runs (``robots.cycle.health_map``).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from robots.cycle.health_map import health_html
from robots.cycle.matrix import HEALED_MARK, Cell, Status, counts, pivot
from robots.delivery import MANIFEST
from robots.domain import DocumentKind, Period
from robots.health import CabinetHealth
from robots.masking import shown
from robots.permissions import InboxAccess
from robots.recognition.amounts import AmountsNotRead, InvoiceAmounts, invoice_amounts
from robots.review import ReviewLead

KIND_LABELS = {
    DocumentKind.INVOICE: "Счёт",
    DocumentKind.CALL_DETAILS: "Детализация звонков",
    DocumentKind.RECONCILIATION_ACT: "Акт сверки",
    DocumentKind.CHARGES: "Начисления за текущий период",
    DocumentKind.WORK_ACT: "Акт выполненных работ",
    DocumentKind.INVOICE_REGISTER: "Реестр счетов-фактур",
    DocumentKind.PAYMENTS_REPORT: "Отчёт по платежам",
    DocumentKind.NUMBERS_REPORT: "Отчёт по списку номеров",
}
STATUS_LABELS = {
    Status.DELIVERED: "Доставлен",
    Status.WAITING: "Ожидается",
    Status.MISSING: "Не пришёл",
    Status.FAILED: "Ошибка",
    Status.IN_REVIEW: "На проверке",
}
OPERATOR_LABELS = {"mts": "МТС", "a1": "A1", "kcell": "Kcell", "sip": "SIP"}
_COLOURS = {
    Status.DELIVERED: "#d7f5dd",
    Status.WAITING: "#fff4c2",
    Status.MISSING: "#ffd6d6",
    Status.FAILED: "#ffd6d6",
    Status.IN_REVIEW: "#dbe8ff",
}
NOT_READ = "—"  # an amount that could not be read: never a guess
_MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def kind_label(kind: str) -> str:
    """«Счёт» for ``invoice``; an unknown code as it is."""
    known = {str(k): label for k, label in KIND_LABELS.items()}
    return known.get(kind, kind)


def operator_label(operator: str) -> str:
    """«МТС» for ``mts``; an unknown code as it is."""
    return OPERATOR_LABELS.get(operator, operator)


def month_label(period: str) -> str:
    """«ноябрь 2026» for ``2026-11``."""
    month = Period.parse(period)
    return f"{_MONTHS[month.month - 1]} {month.year}"


# --- invoice amounts ---------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceReading:
    """The amounts of one delivered invoice, or why they could not be read."""

    amounts: InvoiceAmounts | None
    problem: str | None = None
    file: str | None = None  # relative to the inbox: the file the amounts were read from


def read_invoice(inbox: Path, files: tuple[str, ...]) -> InvoiceReading:
    """The amounts of the newest of ``files`` (paths in ``inbox``) that states them."""
    problems = []
    for rel in reversed(files):  # the newest version first; formats of one invoice agree
        try:
            return InvoiceReading(invoice_amounts((inbox / rel).read_bytes()), file=rel)
        except AmountsNotRead as exc:
            problems.append(f"{Path(rel).name}: {exc}")
        except OSError as exc:  # moved or removed from the inbox since it was delivered
            problems.append(f"{Path(rel).name}: cannot be read from the inbox ({exc.strerror})")
    return InvoiceReading(None, "; ".join(problems) or "no file delivered")


def previous_invoices(inbox: Path, period: str) -> dict[tuple[str, str], InvoiceReading]:
    """The previous month's invoice amounts per (operator, account), read from the files
    the manifest lists for that month (its newest versions)."""
    manifest = inbox / MANIFEST
    if not manifest.exists():
        return {}
    previous = str(Period.parse(period).previous())
    files: dict[tuple[str, str], list[str]] = {}
    superseded = set()
    with manifest.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a torn last line: the next collection repairs it
            if entry.get("kind") != DocumentKind.INVOICE or entry.get("period") != previous:
                continue
            files.setdefault((entry["operator"], entry["account"]), []).append(entry["path"])
            if entry.get("supersedes"):
                superseded.add(entry["supersedes"])
    return {
        key: read_invoice(inbox, tuple(p for p in paths if p not in superseded))
        for key, paths in files.items()
    }


@dataclass(frozen=True)
class Total:
    """The invoices of an operator, or of one of its accounts, this month and the last."""

    operator: str
    account: str | None  # None: the operator's total
    currency: str | None
    amount: Decimal | None  # None: an invoice of the month could not be read
    previous: Decimal | None  # None: no invoice read for the previous month
    invoices: int

    @property
    def change(self) -> Decimal | None:
        """The move since the previous month, as a share of it (0.3: 30 % more)."""
        if self.amount is None or not self.previous:
            return None
        return (self.amount - self.previous) / self.previous

    def jumped(self, share: float) -> bool:
        """Moved by more than ``share`` of the previous month, up or down."""
        return self.change is not None and abs(self.change) > Decimal(str(share))


def _sum(readings: list[InvoiceReading]) -> tuple[Decimal | None, str | None]:
    """The sum and currency, or None when one is unread or the currencies differ."""
    amounts = [r.amounts for r in readings]
    if not amounts or any(a is None for a in amounts):
        return None, None
    read = [a for a in amounts if a is not None]
    currencies = {a.currency for a in read if a.currency}
    if len(currencies) > 1:
        return None, None
    return sum((a.total for a in read), Decimal(0)), currencies.pop() if currencies else None


def totals(
    invoices: dict[tuple[str, str], InvoiceReading],
    previous: dict[tuple[str, str], InvoiceReading],
) -> list[Total]:
    """Per operator, its total then its accounts' (both keyed (operator, account)).

    An operator's previous total is of the same accounts (like for like): it is None
    unless each of them has an invoice read for the previous month, so that an account
    added or not yet delivered does not pass for a jump.
    """
    result = []
    for operator in dict.fromkeys(o for o, _ in invoices):
        accounts = [a for o, a in invoices if o == operator]
        amount, currency = _sum([invoices[(operator, a)] for a in accounts])
        before = [previous[(operator, a)] for a in accounts if (operator, a) in previous]
        before_amount = _sum(before)[0] if len(before) == len(accounts) else None
        result.append(Total(operator, None, currency, amount, before_amount, len(accounts)))
        for account in accounts:
            amount, currency = _sum([invoices[(operator, account)]])
            last = previous.get((operator, account))
            last_amount = _sum([last])[0] if last else None
            result.append(Total(operator, account, currency, amount, last_amount, 1))
    return result


# --- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """Everything the report files show."""

    period: str
    generated: dt.datetime
    cells: list[Cell]
    invoices: dict[tuple[str, str], InvoiceReading]  # by (cabinet, account)
    totals: list[Total]
    jump_share: float
    review: list[ReviewLead] = field(default_factory=list)  # files waiting for a person
    mask_numbers: bool = True  # [privacy] mask_numbers: the words people read, not the links
    health: list[CabinetHealth] = field(default_factory=list)  # the cabinets' last runs

    def shown(self, text: str) -> str:
        """``text`` as the report shows it: subscriber numbers masked unless told not to."""
        return shown(text, self.mask_numbers)

    def reading(self, cell: Cell) -> InvoiceReading | None:
        """The invoice amounts of ``cell``; None for another kind or an undelivered one."""
        return self.invoices.get((cell.cabinet, cell.account)) if _is_invoice(cell) else None


def _is_invoice(cell: Cell) -> bool:
    return cell.kind == DocumentKind.INVOICE and cell.status is Status.DELIVERED


def build_report(
    inbox: Path,
    period: str,
    cells: list[Cell],
    jump_share: float,
    review: Sequence[ReviewLead] = (),
    mask_numbers: bool = True,
    health: Sequence[CabinetHealth] = (),
) -> Report:
    """Read the month's and the previous month's invoices and total them."""
    invoices = {
        (c.cabinet, c.account): read_invoice(inbox, c.files) for c in cells if _is_invoice(c)
    }
    by_operator = {
        (c.operator, c.account): invoices[(c.cabinet, c.account)] for c in cells if _is_invoice(c)
    }
    return Report(
        period=period,
        generated=dt.datetime.now(dt.UTC),
        cells=cells,
        invoices=invoices,
        totals=totals(by_operator, previous_invoices(inbox, period)),
        jump_share=jump_share,
        review=list(review),
        mask_numbers=mask_numbers,
        health=list(health),
    )


def _money(amount: Decimal | None) -> str:
    """``1 234,56`` with a no-break space, as a Russian reader writes it; «—» if unread."""
    if amount is None:
        return NOT_READ
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")


def _share(change: Decimal | None) -> str:
    return f"{change * 100:+.0f}\u00a0%" if change is not None else ""


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: the robot's local time, as the HTML shows it.
    return moment.astimezone().replace(tzinfo=None) if moment else None


def tally_ru(cells: list[Cell]) -> str:
    """«Доставлен: 25, Ошибка: 2»: the counts that are not zero, in the report's words."""
    return (
        ", ".join(f"{STATUS_LABELS[Status(s)]}: {n}" for s, n in counts(cells).items() if n)
        or "ничего не ожидается"
    )


# --- HTML ----------------------------------------------------------------------------------


def _link(report: Report, rel: str) -> str:
    # The report sits in the inbox's root, so a file's inbox path is its relative URL; the
    # link opens the file as Tarifer has it, its text is what people read.
    name = report.shown(Path(rel).name)
    return f'<a href="{html.escape(quote(rel))}">{html.escape(name)}</a>'


def _amounts_html(reading: InvoiceReading) -> str:
    e = html.escape
    if reading.amounts is None:
        return (
            f'<br><span title="{e(reading.problem or "")}">'
            f"Итого к оплате: {NOT_READ} (не прочитано)</span>"
        )
    a = reading.amounts
    currency = f" {e(a.currency)}" if a.currency else ""
    number = f"№ {e(a.number)}" if a.number else "№ —"
    return (
        f"<br>{number}<br>Итого к оплате: <b>{_money(a.total)}{currency}</b>"
        f"<br>в т.ч. НДС: {_money(a.vat)}{currency}"
    )


def _cell_html(report: Report, cell: Cell) -> str:
    e = html.escape
    label = STATUS_LABELS[cell.status]
    if cell.status is Status.DELIVERED:
        detail = "<br>".join(_link(report, f) for f in cell.files)
    else:
        detail = e(report.shown(cell.detail))
    reading = report.reading(cell)
    amounts = _amounts_html(reading) if reading else ""
    heals = "".join(
        f"<br><small>{HEALED_MARK} {e(report.shown(note.short))}</small>" for note in cell.heals
    )
    return (
        f'<td style="background:{_COLOURS[cell.status]}" title="{e(str(cell.status))}">'
        f"<b>{label}</b><br><small>{detail}</small>{heals}{amounts}</td>"
    )


def _totals_html(report: Report) -> str:
    if not report.totals:
        return ""
    e = html.escape
    previous = month_label(str(Period.parse(report.period).previous()))
    rows = []
    for t in report.totals:
        jump = t.jumped(report.jump_share)
        style = ' style="background:#ffd6d6"' if jump else ""
        name = f"<b>{e(operator_label(t.operator))}</b>" if t.account is None else e(t.account)
        note = (
            f"<b>скачок больше {report.jump_share:.0%}</b>".replace("%", "\u00a0%") if jump else ""
        )
        currency = e(t.currency or "")
        rows.append(
            f"<tr{style}><td>{name}</td><td>{t.invoices}</td>"
            f'<td class="n">{_money(t.amount)}</td><td class="n">{_money(t.previous)}</td>'
            f'<td class="n">{_share(t.change)}</td><td>{currency}</td><td>{note}</td></tr>'
        )
    return (
        "<h2>Счета: итоги по операторам и лицевым счетам</h2>"
        f"<table><tr><th>Оператор / лицевой счёт</th><th>Счетов</th>"
        f"<th>{e(month_label(report.period))}</th><th>{e(previous)}</th><th>Изменение</th>"
        f"<th>Валюта</th><th></th></tr>{''.join(rows)}</table>"
        f"<p><small>{NOT_READ}: сумма не прочитана из счёта, или счёта за прошлый месяц нет. "
        "Прошлый месяц прочитан из его счетов, перечисленных в manifest.jsonl; итог оператора "
        "сравнивается по тем же лицевым счетам.</small></p>"
    )


def _unread_html(report: Report) -> str:
    unread = [
        (c, r) for c in report.cells if (r := report.reading(c)) is not None and r.amounts is None
    ]
    if not unread:
        return ""
    items = "".join(
        f"<li>{html.escape(f'{c.cabinet} {c.account}')}: "
        f"{html.escape(report.shown(r.problem or ''))}</li>"
        for c, r in unread
    )
    return f"<h2>Суммы, которые не удалось прочитать</h2><ul>{items}</ul>"


REVIEW_HEADERS = ("№", "Получен", "Отправитель", "Файл", "Что известно", "Что сделать")


def review_row(report: Report, lead: ReviewLead) -> list[Any]:
    """A file waiting in review as the report lists it (``REVIEW_HEADERS``)."""
    return [lead.id, _local(lead.received_at), lead.sender or "—", report.shown(lead.file),
            report.shown(f"{lead.known}. {lead.found}"), lead.command]  # fmt: skip


def _review_html(report: Report) -> str:
    if not report.review:
        return ""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in REVIEW_HEADERS)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{e(f'{v:%d.%m.%Y %H:%M}' if isinstance(v, dt.datetime) else str(v))}</td>"
            for v in review_row(report, lead)
        )
        + "</tr>"
        for lead in report.review
    )
    return (
        f"<h2>Файлы из почты операторов на проверке: {len(report.review)}</h2>"
        "<p>Робот не смог определить, что это за документ. Оператор робота смотрит файл "
        "командой из последней колонки и доставляет его (review assign) или отклоняет "
        f"(review reject).</p><table><tr>{head}</tr>{rows}</table>"
    )


def report_html(report: Report) -> str:
    """The matrix as a page accounting opens from Tarifer's inbox, files linked."""
    kinds, table = pivot(report.cells)
    e = html.escape
    head = "".join(f'<th title="{e(kind)}">{e(kind_label(kind))}</th>' for kind in kinds)
    body = []
    for (cabinet, account), by_kind in table.items():
        tds = [_cell_html(report, c) if (c := by_kind.get(k)) else "<td></td>" for k in kinds]
        operator = next(iter(by_kind.values())).operator
        body.append(
            f"<tr><th>{e(cabinet)}<br><small>{e(operator_label(operator))}</small></th>"
            f"<td>{e(account)}</td>{''.join(tds)}</tr>"
        )
    title = f"Документы за {month_label(report.period)}"
    generated = f"{_local(report.generated):%d.%m.%Y %H:%M}"
    return (
        '<!doctype html><html lang="ru"><meta charset="utf-8">'
        f"<title>{e(title)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1em}"
        "td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}"
        "td.n{text-align:right;white-space:nowrap}td.h{text-align:center;min-width:3em}"
        "small{color:#444}</style>"
        f"<h1>{e(title)}</h1>"
        f"<p>{e(tally_ru(report.cells))}. Сформирован {generated}. "
        f"Таблица для Excel: {e(report_name(report.period, 'xlsx'))}.</p>"
        f"<table><tr><th>Кабинет</th><th>Лицевой счёт</th>{head}</tr>{''.join(body)}</table>"
        f"{_review_html(report)}{_totals_html(report)}{_unread_html(report)}"
        f"{health_html(report.health, report.mask_numbers, kind_label)}"
        "</html>\n"
    )


# --- rows of the XLSX and the CSV ----------------------------------------------------------

_COLUMNS = (
    # (header, width, Excel number format or None)
    ("Период", 10, "MM.YYYY"),
    ("Оператор", 12, None),
    ("Кабинет", 14, None),
    ("Лицевой счёт", 16, "@"),
    ("Документ", 24, None),
    ("Состояние", 12, None),
    ("№ счёта", 14, "@"),
    ("Дата счёта", 11, "DD.MM.YYYY"),
    ("Итого к оплате", 15, "#,##0.00"),
    ("НДС", 12, "#,##0.00"),
    ("Валюта", 8, None),
    ("Заказан", 16, "DD.MM.YYYY HH:MM"),
    ("Срок", 16, "DD.MM.YYYY HH:MM"),
    ("Файлы", 40, None),
    ("Подробности", 60, None),
    ("kind", 12, None),  # the codes, for programs that read the CSV
    ("status", 10, None),
    ("review", 8, None),  # the review items that may be the document
)


def _row(report: Report, cell: Cell) -> list[Any]:
    reading = report.reading(cell)
    amounts = reading.amounts if reading else None
    detail = cell.detail if cell.status is not Status.DELIVERED else ""
    if reading and amounts is None:
        detail = f"сумма не прочитана: {reading.problem}"
    month = Period.parse(cell.period)
    unread = NOT_READ if reading else None
    return [
        dt.date(month.year, month.month, 1),
        operator_label(cell.operator),
        cell.cabinet,
        cell.account,
        kind_label(cell.kind),
        STATUS_LABELS[cell.status],
        amounts.number if amounts else None,
        amounts.issued if amounts else None,
        amounts.total if amounts else unread,
        amounts.vat if amounts and amounts.vat is not None else unread,
        amounts.currency if amounts else None,
        _local(cell.ordered_at),
        _local(cell.due_at),
        report.shown(", ".join(Path(f).name for f in cell.files)),
        report.shown(detail),
        cell.kind,
        str(cell.status),
        " ".join(map(str, cell.review)) or None,
    ]


def report_xlsx(report: Report) -> bytes:
    """The report as a workbook: «Документы» (a row per document) and «Итоги»."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.title = "Документы"
    sheet.append([name for name, _, _ in _COLUMNS])
    for cell in report.cells:
        sheet.append(_row(report, cell))
        _link_files(sheet, sheet.max_row, cell)
    _format(sheet, [(w, f) for _, w, f in _COLUMNS])
    _totals_sheet(book.create_sheet("Итоги"), report)
    if report.review:
        _review_sheet(book.create_sheet("На проверке"), report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _link_files(sheet: Any, row: int, cell: Cell) -> None:
    # A relative hyperlink opens the file from the inbox, as the HTML report's links do.
    files_column = [name for name, _, _ in _COLUMNS].index("Файлы") + 1
    if cell.files:
        target = sheet.cell(row=row, column=files_column)
        target.hyperlink = cell.files[-1]
        target.style = "Hyperlink"


def _format(sheet: Any, columns: list[tuple[int, str | None]]) -> None:
    """Bold frozen header with a filter; column widths; each column's number format."""
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    for header in sheet[1]:
        header.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, (width, number_format) in enumerate(columns, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if number_format:
            for (value,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if not isinstance(value.value, str) or number_format == "@":
                    value.number_format = number_format


def _totals_sheet(sheet: Any, report: Report) -> None:
    previous = month_label(str(Period.parse(report.period).previous()))
    sheet.append(
        ["Оператор", "Лицевой счёт", "Счетов", f"Итого за {month_label(report.period)}",
         f"Итого за {previous}", "Изменение", "Валюта", "Скачок"]
    )  # fmt: skip
    for t in report.totals:
        sheet.append(
            [
                operator_label(t.operator),
                t.account or "все",
                t.invoices,
                t.amount if t.amount is not None else NOT_READ,
                t.previous if t.previous is not None else NOT_READ,
                t.change,
                t.currency,
                f"больше {report.jump_share:.0%}" if t.jumped(report.jump_share) else None,
            ]
        )
    widths = [(14, None), (16, "@"), (8, None), (18, "#,##0.00"), (18, "#,##0.00"), (11, "0%")]
    _format(sheet, [*widths, (8, None), (14, None)])


def _review_sheet(sheet: Any, report: Report) -> None:
    sheet.append(list(REVIEW_HEADERS))
    for lead in report.review:
        sheet.append(review_row(report, lead))
    _format(sheet, [(6, None), (16, "DD.MM.YYYY HH:MM"), (24, None), (30, None), (70, None),
                    (34, None)])  # fmt: skip


def report_csv(report: Report) -> str:
    """The document rows as CSV for Excel in a Russian locale and for programs.

    Excel on Windows reads a double-clicked .csv in the system's ANSI code page (cp1251
    in a Russian Windows: «Р”РµРєР°Р±СЂСЊ») unless the file starts with the UTF-8
    byte-order mark (csveditoronline.org, «UTF-8, BOM, and Excel»), and splits it at the
    Windows list separator, which is «;» in the ru-RU regional settings (their decimal
    separator is «,»); a «,»-separated file lands whole in column A. Hence: the BOM,
    «;», amounts with a decimal comma, dates as DD.MM.YYYY (see also «Язвы и грабли CSV
    и Excel», habrahabr.ru/company/mailru/blog/129476). Excel still turns a 13-digit
    account into 1,23457E+12 in a CSV: accounting opens the XLSX.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([name for name, _, _ in _COLUMNS])
    for cell in report.cells:
        writer.writerow(_csv_value(v) for v in _row(report, cell))
    return "\ufeff" + out.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


# --- the files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFiles:
    """The report files written beside the manifest."""

    html: Path
    xlsx: Path
    csv: Path


def report_name(period: str, suffix: str) -> str:
    """``report-2026-11.xlsx``."""
    return f"report-{period}.{suffix}"


def _write_atomically(path: Path, data: bytes, access: InboxAccess) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, access.file_mode)
    try:
        access.file(temporary)  # whatever the umask, as readable as the inbox, no more
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_reports(
    inbox: Path,
    period: str,
    cells: list[Cell],
    *,
    jump_share: float = 0.25,
    review: Sequence[ReviewLead] = (),
    access: InboxAccess | None = None,
    mask_numbers: bool = True,
    health: Sequence[CabinetHealth] = (),
) -> ReportFiles:
    """``report-<period>.html``, ``.xlsx`` and ``.csv`` beside the manifest, each replaced
    atomically, readable by the owner and, if the inbox is, by its group.

    Args:
        inbox: Tarifer's inbox (the delivered files are read from it for their amounts).
        period: ``YYYY-MM``.
        cells: The month's reconciliation.
        jump_share: An account's total that moved by more than this share of the previous
            month's is flagged.
        review: The files waiting in review, listed with what to do.
        access: The inbox's modes and group (``[tarifer] group``); None: readable by the
            inbox folder's group if the folder is.
        mask_numbers: ``[privacy] mask_numbers``: subscriber numbers in the words masked
            (the links still open the files as Tarifer has them).
        health: The cabinets' last runs (``robots.health.history``), shown as a map in
            the HTML report.
    """
    if access is None:
        inbox.mkdir(parents=True, exist_ok=True)
        group_reads = inbox.stat().st_mode & 0o040
        access = InboxAccess(shared=bool(group_reads))
    else:
        access.folders(inbox, inbox)
    report = build_report(inbox, period, cells, jump_share, review, mask_numbers, health)
    files = ReportFiles(
        html=inbox / report_name(period, "html"),
        xlsx=inbox / report_name(period, "xlsx"),
        csv=inbox / report_name(period, "csv"),
    )
    _write_atomically(files.html, report_html(report).encode("utf-8"), access)
    _write_atomically(files.xlsx, report_xlsx(report), access)
    _write_atomically(files.csv, report_csv(report).encode("utf-8"), access)
    return files
