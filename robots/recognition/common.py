"""What every recogniser shares: the result type, the errors, operator signatures, dates."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.errors import ParseError


@dataclass(frozen=True)
class Recognition:
    """What a file is, read from its content.

    ``account`` is the personal account printed in the document, or None where the
    document names only subscriber numbers (the collector then resolves the account
    from the numbers). ``numbers`` are the subscriber numbers the document is about
    when it is narrower than the whole account (call details), sorted and unique.
    """

    operator: Operator
    kind: DocumentKind
    format: DocumentFormat
    period: Period
    account: str | None
    numbers: tuple[str, ...] = ()


class NotAnOperatorDocument(ParseError):
    """The file is readable but is not a document of a known operator."""


class CorruptDocument(ParseError):
    """The file claims a format (by its magic bytes) but cannot be read as it."""


@dataclass(frozen=True)
class OperatorSignature:
    """Text that identifies an operator in its documents (legal name, tax ids)."""

    operator: Operator
    markers: tuple[str, ...]


# Legal names and tax ids as operators print them in invoices and acts. The SIP
# cabinet's manual names no operator: "СООО «СИП Телеком»" and its УНП are the
# sandbox's stand-in for the provider behind that cabinet family.
OPERATOR_SIGNATURES: tuple[OperatorSignature, ...] = (
    OperatorSignature(Operator.MTS, ("ПАО «МТС»", 'ПАО "МТС"', "ИНН 7740000076")),
    OperatorSignature(
        Operator.KCELL, ("АО «Кселл»", 'АО "Кселл"', "Kcell JSC", "БИН 980540000397")
    ),
    OperatorSignature(Operator.A1, ("УП «А1»", "Унитарное предприятие «А1»", "УНП 101528843")),
    OperatorSignature(Operator.SIP, ("СООО «СИП Телеком»", "УНП 190000017")),
)


def operator_in_text(text: str) -> Operator | None:
    """The operator whose signature appears in ``text``, if exactly one does."""
    found = {sig.operator for sig in OPERATOR_SIGNATURES if any(m in text for m in sig.markers)}
    return found.pop() if len(found) == 1 else None


# Title phrases, most specific first: "Реестр счетов-фактур" also reads as "счет". An
# invoice title must start a line (or a cell), so "Лицевой счет №" is not an invoice.
KIND_TITLES: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
    for kind, pattern in (
        (DocumentKind.INVOICE_REGISTER, r"реестр\s+сч[её]тов-фактур"),
        (DocumentKind.WORK_ACT, r"акт\s+выполненных\s+работ|расшифровка\s+к\s+сч[её]ту-фактуре"),
        (DocumentKind.RECONCILIATION_ACT, r"акт\s+сверки"),
        (DocumentKind.CHARGES, r"начисления\s+за\s+текущий\s+период"),
        (DocumentKind.PAYMENTS_REPORT, r"отч[её]т\s+по\s+платежам"),
        (DocumentKind.NUMBERS_REPORT, r"отч[её]т\s+по\s+списку\s+номеров"),
        (DocumentKind.CALL_DETAILS, r"^\s*детализация"),
        (
            DocumentKind.INVOICE,
            r"^[ \t]*сч[её]т(?:-фактура|\s+на\s+оплату)?\s*(?:№|N\b|No\b|за\b|$)",
        ),
    )
)

_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,  # май, мая, мае: checked last (see _month_number)
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}

_DATE_RANGE_RE = re.compile(
    r"(\d{2})\.(\d{2})\.(\d{4})\s*(?:г\.?)?\s*(?:-|–|—|по|to)\s*(\d{2})\.(\d{2})\.(\d{4})"
)
_MONTH_YEAR_RE = re.compile(
    r"\b(январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|"
    r"сентябр\w*|октябр\w*|ноябр\w*|декабр\w*)\s+(\d{4})",
    re.IGNORECASE,
)
_NUMERIC_MONTH_RE = re.compile(r"(?:период|period)\D{0,20}?\b(\d{2})[./](\d{4})\b", re.IGNORECASE)


def _month_number(word: str) -> int:
    lowered = word.lower()
    for stem, number in _MONTHS.items():
        if stem != "ма" and lowered.startswith(stem):
            return number
    return 5


def period_of_range(start: dt.date, end: dt.date) -> Period:
    """The month a date range is reported for.

    A range within one month is that month. A longer range (an act of
    reconciliation for a quarter, 90 days of call details) belongs to the month it
    ends in: that is the month whose documents it completes.
    """
    if end < start:
        raise ParseError(f"period ends before it starts: {start} - {end}")
    return Period.of(end)


def parse_ru_date(text: str) -> dt.date:
    """Parse ``DD.MM.YYYY``; ParseError when it is not a real date."""
    try:
        return dt.datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError as exc:
        raise ParseError(f"not a date: {text!r}") from exc


def period_in_text(text: str) -> Period | None:
    """Find the reporting period in free text (Russian documents).

    Tried in order: a date range ``01.10.2026 - 31.10.2026``, a month name with a
    year (``за октябрь 2026``, ``октября 2026 г.``), ``Период: 10.2026``.
    """
    match = _DATE_RANGE_RE.search(text)
    if match:
        start = dt.date(int(match[3]), int(match[2]), int(match[1]))
        end = dt.date(int(match[6]), int(match[5]), int(match[4]))
        return period_of_range(start, end)
    match = _MONTH_YEAR_RE.search(text)
    if match:
        return Period(year=int(match[2]), month=_month_number(match[1]))
    match = _NUMERIC_MONTH_RE.search(text)
    if match and 1 <= int(match[1]) <= 12:
        return Period(year=int(match[2]), month=int(match[1]))
    return None


_ACCOUNT_RE = re.compile(
    r"(?:Лицевой|Лиц\.)\s*сч[её]т(?:\s*№)?\s*[:№]?\s*([0-9][0-9-]{4,30}[0-9])", re.IGNORECASE
)


def account_in_text(text: str) -> str | None:
    """The personal account after "Лицевой счет", digits only, if printed."""
    match = _ACCOUNT_RE.search(text)
    return match[1].replace("-", "") if match else None


_PHONE_RE = re.compile(r"(?<!\d)(?:\+?)(7\d{10}|375\d{9})(?!\d)")


def phone_numbers_in_text(text: str) -> tuple[str, ...]:
    """Subscriber numbers (Russia/Kazakhstan +7, Belarus +375) printed in text."""
    return tuple(sorted(set(_PHONE_RE.findall(text))))


def _is_spreadsheet_package(data: bytes | Path) -> bool:
    """An XLSX is a ZIP with [Content_Types].xml and an xl/ folder (read from the
    central directory at the end: writers put [Content_Types].xml anywhere)."""
    try:
        with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
        return False  # corrupt: opened as an archive, which then reports it
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def sniff_format(data: bytes | Path) -> DocumentFormat | None:
    """The file format from the first bytes, whatever the file is called.

    ``data`` is the content, or the path of a file too large to hold.
    """
    if isinstance(data, Path):
        with data.open("rb") as file:
            head = file.read(1024)
    else:
        head = data[:1024]
    if head.startswith(b"%PDF-"):
        return DocumentFormat.PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: legacy Excel
        return DocumentFormat.XLS
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return DocumentFormat.XLSX if _is_spreadsheet_package(data) else DocumentFormat.ZIP
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html")) or b"<html" in stripped[:512]:
        return DocumentFormat.HTML
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<"):
        return DocumentFormat.XML
    return None
