"""What every recogniser shares: the result type, the errors, operator signatures, dates."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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

    ``operator`` is None when the content names no operator the robot knows (MTS and
    A1 spreadsheet details, a SIP operator's invoice): the caller then takes it from
    the cabinet the file came from (``robots.recognition.evidence``). ``parties`` are
    the tax ids and legal names the content prints, matched there against what the
    configuration says an operator is called. ``evidence`` says, per field, what in
    the content gave it (``{"account": "text «л/с 25602051»"}``).
    """

    operator: Operator | None
    kind: DocumentKind
    format: DocumentFormat
    period: Period
    account: str | None
    numbers: tuple[str, ...] = ()
    parties: tuple[str, ...] = field(default=(), compare=False)
    evidence: tuple[tuple[str, str], ...] = field(default=(), compare=False)


class NotAnOperatorDocument(ParseError):
    """The file is readable but is not a document of a known operator."""


class UnknownIssuer(NotAnOperatorDocument):
    """A titled document with a period, issued by a company that is no operator the robot
    knows (its legal name or tax id only). ``recognition`` is what the content says, with
    operator None: the collector places it by the cabinet the file came from, or by what
    the configuration says an operator is called."""

    def __init__(self, recognition: Recognition) -> None:
        named = ", ".join(f"«{p}»" for p in recognition.parties)
        super().__init__(f"no operator signature: issued by {named}, no operator the robot knows")
        self.recognition = recognition


def read_recognition(
    text: str,
    operator: Operator | None,
    kind: DocumentKind,
    fmt: DocumentFormat,
    period: Period,
    account: str | None,
    numbers: tuple[str, ...],
    evidence: dict[str, str],
) -> Recognition:
    """What a reader found in a document whose ``text`` it read, with the companies the
    text names.

    Raises:
        UnknownIssuer: no operator the robot knows, but a company is named (the cabinet
            the file came from may place it).
    """
    found = Recognition(
        operator,
        kind,
        fmt,
        period,
        account,
        numbers,
        parties=parties_in_text(text),
        evidence=tuple(evidence.items()),
    )
    if operator is None and found.parties:
        raise UnknownIssuer(found)
    return found


class CorruptDocument(ParseError):
    """The file claims a format (by its magic bytes) but cannot be read as it."""


@dataclass(frozen=True)
class OperatorSignature:
    """Text that identifies an operator in its documents (legal name, tax ids)."""

    operator: Operator
    markers: tuple[str, ...]


# Legal names and tax ids as operators print them in invoices and acts. The SIP cabinet
# is a product several operators run, and its manual names none: a SIP cabinet's
# configuration says who issues its documents (``recognition = {...}``).
OPERATOR_SIGNATURES: tuple[OperatorSignature, ...] = (
    OperatorSignature(Operator.MTS, ("ПАО «МТС»", 'ПАО "МТС"', "ИНН 7740000076")),
    OperatorSignature(
        Operator.KCELL, ("АО «Кселл»", 'АО "Кселл"', "Kcell JSC", "БИН 980540000397")
    ),
    OperatorSignature(Operator.A1, ("УП «А1»", "Унитарное предприятие «А1»", "УНП 101528843")),
)


def operator_in_text(text: str) -> Operator | None:
    """The operator whose signature appears in ``text``, if exactly one does."""
    return operator_signature(text)[0]


def operator_signature(text: str) -> tuple[Operator | None, str | None]:
    """The operator whose signature appears in ``text`` (if exactly one), and the marker."""
    found: dict[Operator, str] = {}
    for sig in OPERATOR_SIGNATURES:
        for marker in sig.markers:
            if marker in text:
                found.setdefault(sig.operator, marker)
    if len(found) != 1:
        return None, None
    ((operator, marker),) = found.items()
    return operator, marker


_TAX_ID_RE = re.compile(r"\b(ИНН|УНП|БИН|BIN|TIN)\s*[:№]?\s*(\d{9,12})\b", re.IGNORECASE)
_LEGAL_NAME_RE = re.compile(
    r"\b(?:ООО|ОАО|ЗАО|ПАО|АО|УП|СООО|ИООО|ЧУП|ТОО|LLC|JSC)\s*[«\"“]([^»\"”\n]{2,60})[»\"”]"
)


def parties_in_text(text: str) -> tuple[str, ...]:
    """Tax ids (digits) and quoted legal names printed in ``text``: whoever issued it."""
    found = {m[2] for m in _TAX_ID_RE.finditer(text)}
    found.update(" ".join(m[1].split()) for m in _LEGAL_NAME_RE.finditer(text))
    return tuple(sorted(found))


# Title phrases, most specific first: "Реестр счетов-фактур" also reads as "счет". An
# invoice title must start a line (or a cell), so "Лицевой счет №" is not an invoice;
# the operator's name may come first in the same cell («МТС Детализация звонков»): one of
# the operators the robot knows, or any company by its legal form and quoted name (the SIP
# cabinet is a product several operators use, whose names the robot cannot know). A bare
# word is never taken for a name, so «Лицевой счет №» stays no invoice title.
_LEGAL_FORM = r"(?:ПАО|АО|УП|ООО|СООО|ИООО|ЗАО|ОАО|ТОО)"
_BRAND_FIRST = (
    rf"(?:(?:{_LEGAL_FORM}\s*)?[«\"]?(?:МТС|Кселл|Kcell|А1|A1)[»\"]?"
    rf"|{_LEGAL_FORM}\s*[«\"][^»\"\n]{{2,40}}[»\"])"
    r"(?:[ \t]+(?:Бизнес|Business))?[ \t]*[.,:;—–-]?[ \t]*"
)
KIND_TITLES: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
    for kind, pattern in (
        (DocumentKind.INVOICE_REGISTER, r"реестр\s+сч[её]тов-фактур"),
        (DocumentKind.WORK_ACT, r"акт\s+выполненных\s+работ|расшифровка\s+к\s+сч[её]ту-фактуре"),
        (DocumentKind.RECONCILIATION_ACT, r"акт\s+сверки"),
        (DocumentKind.CHARGES, r"начисления\s+за\s+текущий\s+период"),
        (DocumentKind.PAYMENTS_REPORT, r"отч[её]т\s+по\s+платежам"),
        (DocumentKind.NUMBERS_REPORT, r"отч[её]т\s+по\s+списку\s+номеров"),
        (DocumentKind.CALL_DETAILS, rf"^\s*(?:{_BRAND_FIRST})?детализация"),
        (
            DocumentKind.INVOICE,
            rf"^[ \t]*(?:{_BRAND_FIRST})?"
            r"сч[её]т(?:-фактура|\s+на\s+оплату)?\s*(?:№|N\b|No\b|за\b|$)",
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

# Two-digit years («с 01.06.26 по 30.06.26») are this century's.
_DATE = r"(\d{1,2})\.(\d{2})\.(\d{4}|\d{2})(?!\d)"
_DATE_RANGE_RE = re.compile(
    rf"(?<![\d.]){_DATE}\s*(?:г\.?)?\s*(?:-|–|—|по|to)\s*{_DATE}", re.IGNORECASE
)
_MONTH_WORD = (
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|"
    r"сентябр\w*|октябр\w*|ноябр\w*|декабр\w*"
)
# «за октябрь 2026 г.», «октябрь 2026г.», «Октябрь, 2026», «октября 2026 года»
_MONTH_YEAR_RE = re.compile(rf"\b({_MONTH_WORD})\s*,?\s*(\d{{4}})(?!\d)", re.IGNORECASE)
_NUMERIC_MONTH_RE = re.compile(r"(?:период|period)\D{0,20}?\b(\d{2})[./](\d{4})\b", re.IGNORECASE)
# A bare «07.2026» (not the tail of a date «31.07.2026»): the weakest form, tried last.
_BARE_MONTH_RE = re.compile(r"(?<![\d.,])(0[1-9]|1[0-2])\.(\d{4})(?!\d|[.,]\d)")
# A call row starts with its date and time; «Дата формирования: 05.11.2026 10:15» is no call.
_CALL_DATE_RE = re.compile(rf"(?<![\d.]){_DATE}[ \tT,]+\d{{1,2}}:\d{{2}}")
_NOT_A_CALL_RE = re.compile(r"формир|выдач|создан|выгруж|печат|сформ", re.IGNORECASE)


def _month_number(word: str) -> int:
    lowered = word.lower()
    for stem, number in _MONTHS.items():
        if stem != "ма" and lowered.startswith(stem):
            return number
    return 5


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


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
    """Parse ``DD.MM.YYYY`` (or ``DD.MM.YY``); ParseError when it is not a real date."""
    parts = text.strip().split(".")
    try:
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) not in (2, 4):
            raise ValueError(text)
        return dt.date(_year(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError as exc:
        raise ParseError(f"not a date: {text!r}") from exc


def _date(day: str, month: str, year: str) -> dt.date:
    try:
        return dt.date(_year(year), int(month), int(day))
    except ValueError as exc:
        raise ParseError(f"not a date: {day}.{month}.{year}") from exc


def period_evidence(text: str) -> tuple[Period, str] | None:
    """The reporting period printed in free text, and the words that gave it.

    Tried in order: a date range (``01.10.2026 - 31.10.2026``, ``с 01.06.26 по
    30.06.26``), a month name with a year (``за октябрь 2026 г.``, ``Октябрь, 2026``),
    ``Период: 10.2026``, a bare ``07.2026``. A single date (the issue date) is never
    a period.
    """
    if match := _DATE_RANGE_RE.search(text):
        start, end = _date(match[1], match[2], match[3]), _date(match[4], match[5], match[6])
        return period_of_range(start, end), f"text «{match[0]}»"
    if match := _MONTH_YEAR_RE.search(text):
        return Period(year=int(match[2]), month=_month_number(match[1])), f"text «{match[0]}»"
    for pattern in (_NUMERIC_MONTH_RE, _BARE_MONTH_RE):
        match = pattern.search(text)
        if match and 1 <= int(match[1]) <= 12:
            return Period(year=int(match[2]), month=int(match[1])), f"text «{match[0]}»"
    return None


def period_in_text(text: str) -> Period | None:
    """The reporting period printed in free text (see period_evidence)."""
    found = period_evidence(text)
    return found[0] if found else None


def calls_period(days: Iterable[dt.date]) -> tuple[Period, str] | None:
    """The month of call details from the dates of their calls, and that range as evidence.

    Raises:
        ParseError: The calls span several months and no period is printed.
    """
    first = last = None
    for day in days:
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    if first is None or last is None:
        return None
    if (first.year, first.month) != (last.year, last.month):
        raise ParseError(f"call dates span several months: {first:%d.%m.%Y} - {last:%d.%m.%Y}")
    return period_of_range(first, last), f"calls {first:%d.%m.%Y}–{last:%d.%m.%Y}"


def call_dates_in_text(text: str) -> Iterator[dt.date]:
    """The dates of call rows (a date followed by a time) in extracted text."""
    for line in text.splitlines():
        if _NOT_A_CALL_RE.search(line):
            continue
        for match in _CALL_DATE_RE.finditer(line):
            try:
                yield _date(match[1], match[2], match[3])
            except ParseError:
                continue


# «Лицевой счёт», «по лицевому счету», «лицевого счета», «Лиц. счет», «л/с», «ЛС №»; the
# «№» written «N» where the encoding has none (KOI8-R, ASCII: «ЛС N 25602051»).
_ACCOUNT_RE = re.compile(
    r"(?:лицев\w*\s+сч[её]т\w*|лиц\.\s*сч[её]т\w*|(?<!\w)л\s*/\s*сч?\b\.?|(?<!\w)ЛС(?!\w))"
    r"(?:\s*(?:№|N(?=[\s\d])))?\s*[:№]?\s*([0-9][0-9-]{4,30}[0-9])(?![0-9])",
    re.IGNORECASE,
)


def account_evidence(text: str) -> tuple[str, str] | None:
    """The personal account printed in ``text`` (digits only), and the words that gave it."""
    match = _ACCOUNT_RE.search(text)
    if match is None:
        return None
    return match[1].replace("-", ""), f"text «{' '.join(match[0].split())}»"


def account_in_text(text: str) -> str | None:
    """The personal account after «Лицевой счет» or its short forms, digits only."""
    found = account_evidence(text)
    return found[0] if found else None


# «+7 (916) 123-45-67», «8 916 123 45 67», «+375 29 123-45-67», «79161234567».
_LOOSE_PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+?\s*(?:7|8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}"
    r"|\+?\s*375[\s(-]*\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2})(?![\d])"
)


def normalise_phone(text: str) -> str | None:
    """A subscriber number as the robot writes it (``79161234567``, ``375291234567``)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    if (len(digits) == 11 and digits[0] == "7") or (len(digits) == 12 and digits[:3] == "375"):
        return digits
    return None


def phone_numbers_in_text(text: str) -> tuple[str, ...]:
    """Subscriber numbers (Russia/Kazakhstan +7, Belarus +375) printed in text, in any of
    the ways people write them, normalised to digits."""
    found = {normalise_phone(m[0]) for m in _LOOSE_PHONE_RE.finditer(text)}
    return tuple(sorted(n for n in found if n))


def header_labels(value: object) -> frozenset[str]:
    """The labels a table header cell stands for, compared casefolded.

    Bilingual headers give each language's label: «Дата/ Date» is «дата/ date», «дата»
    and «date».
    """
    if not isinstance(value, str) or not value.strip():
        return frozenset()
    full = " ".join(value.split()).casefold()
    parts = (" ".join(part.split()) for part in full.split("/"))
    return frozenset({full, *(part for part in parts if part)})


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
