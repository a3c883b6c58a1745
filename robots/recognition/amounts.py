"""What an invoice asks to be paid: «Итого к оплате», the VAT in it, the invoice number.

Read from the invoice's own text by the labels printed beside each amount, never by
where an amount stands: PDF text (pypdf), HTML and plain text (the readers of
``robots.recognition.text``), XLSX and XLS cells (the workbooks of
``robots.recognition.sheets``), where a column is found by its header. An amount that
cannot be tied to its label is not read: the caller shows «—» and says why.

The label forms tolerated are those Russian invoices print: «Итого к оплате:», «Всего к
оплате», «Сумма к оплате», «Итого с НДС», «Всего с учетом НДС», «В том числе НДС 20%:»,
«в т.ч. НДС», «Сумма НДС»; amounts as «1234,56», «1 234,56» (a space, a no-break space
U+00A0 or a narrow one U+202F between thousands) or «1234.56», optionally followed by
the currency. Public bill parsers found while checking this read operator bills the same
way: LAMER83/pdf_parser (index.php) takes an MTS bill's amount after its label
(«Итого начисления … р») and strips tabs and spaces and turns «,» into «.» before
reading the number; yandex-cloud/docs (en/billing/_includes/bill-requisites.md)
describes a Russian bill's «Total» (without VAT), «Total VAT» and «Total amount
payable» as separate lines, which is why a bare «Итого» is never taken for the total.
No real operator invoice was found to test against: the sandbox's invoices and the
documents the tests build stand in for them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from robots.domain import DocumentFormat
from robots.errors import ParseError
from robots.recognition.common import operator_in_text, parse_ru_date, sniff_format

_MAX_PDF_PAGES = 20  # an invoice's totals are on its first pages; call details run to hundreds


class AmountsNotRead(ParseError):
    """The invoice's total cannot be read: the message says why, for the report."""


@dataclass(frozen=True)
class InvoiceAmounts:
    """The sums an invoice states. ``vat`` None: no VAT line could be read."""

    total: Decimal
    vat: Decimal | None
    number: str | None
    issued: dt.date | None
    currency: str | None


# --- amounts in text ---------------------------------------------------------------------

_SPACES = " \u00a0\u202f"
# Not followed by more digits or «.10»: a date after a label is not an amount.
_AMOUNT = (
    rf"-?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d{{1,2}})?(?![.,]?\d)"  # 1 234,56
    r"|-?\d+(?:[.,]\d{1,2})?(?![.,]?\d)"  # 1234,56 or 1234.56
)
_CURRENCY = r"BYN|RUB|KZT|бел\.\s*руб\.?|руб\.?|рублей|тенге|тг\.?|₽|₸"
_RATE = r"\(?\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*\)?"
_BETWEEN = rf"[ \t\u00a0:=–—-]*(?:,?\s*(?:{_CURRENCY})\s*[:.]?)?[\s:=–—-]*"

# Most telling first: the first form found in a document is the one read.
_TOTAL_LABELS = (
    r"итого\s+к\s+(?:оплате|уплате)",
    r"всего\s+к\s+(?:оплате|уплате)",
    r"сумма\s+к\s+(?:оплате|уплате)",
    r"(?:итого|всего)\s+(?:по\s+сч[её]ту\s+)?с\s+(?:уч[её]том\s+)?ндс",
    r"^[ \t]*к\s+оплате",
)
_VAT_LABELS = (
    r"(?:в\s+том\s+числе|в\s*т\.\s*ч\.?|включая)\s+ндс",
    r"(?:сумма|итого|всего)\s+ндс",
    r"(?<![\w.])(?<!без\s)(?<!с\s)ндс(?!\s+не\s)",
)


def _labelled(label: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?:{label})(?:\s*{_RATE})?{_BETWEEN}(?P<amount>{_AMOUNT})(?:\s*(?P<currency>{_CURRENCY}))?",
        re.IGNORECASE | re.MULTILINE,
    )


_TOTAL_RES = tuple(_labelled(label) for label in _TOTAL_LABELS)
_VAT_RES = tuple(_labelled(label) for label in _VAT_LABELS)
_NO_VAT_RE = re.compile(r"ндс\s+не\s+облагается|без\s+ндс\s*$", re.IGNORECASE | re.MULTILINE)
_NUMBER_RE = re.compile(
    r"^[ \t]*сч[её]т(?:-фактура|\s+на\s+оплату)?\s*(?:№|N\b|No\.?)\s*"
    r"(?P<number>[0-9A-Za-zА-Яа-я][\w/.-]*\w)(?:\s+от\s+(?P<issued>\d{2}\.\d{2}\.\d{4}))?",
    re.IGNORECASE | re.MULTILINE,
)


def _number_and_date(text: str) -> tuple[str | None, dt.date | None]:
    """The invoice's number and date from its title («Счет № 2610-123 от 05.11.2026»)."""
    match = _NUMBER_RE.search(text)
    if match is None:
        return None, None
    try:
        issued = parse_ru_date(match["issued"]) if match["issued"] else None
    except ParseError:
        issued = None
    return match["number"], issued


def parse_amount(text: str) -> Decimal | None:
    """``"1 234,56"`` (any of the spaces, comma or dot) as a Decimal; None if not an amount."""
    cleaned = text.strip()
    if not re.fullmatch(_AMOUNT, cleaned):
        return None
    try:
        return Decimal(re.sub(f"[{_SPACES}]", "", cleaned).replace(",", "."))
    except InvalidOperation:
        return None


def _one_amount(
    patterns: Sequence[re.Pattern[str]], text: str, what: str
) -> tuple[Decimal, str | None] | None:
    """The amount after the most telling label found; None when no label is there.

    Raises:
        AmountsNotRead: The label is printed twice with different amounts.
    """
    for pattern in patterns:
        found = [(parse_amount(m["amount"]), m["currency"]) for m in pattern.finditer(text)]
        amounts = {amount for amount, _ in found if amount is not None}
        if len(amounts) > 1:
            listed = ", ".join(str(a) for a in sorted(amounts))
            raise AmountsNotRead(f"{what} is printed with different amounts: {listed}")
        if amounts:
            currencies = [c for _, c in found if c]
            return amounts.pop(), currencies[0] if currencies else None
    return None


def amounts_in_text(text: str) -> InvoiceAmounts:
    """The amounts an invoice's text states beside their labels.

    Raises:
        AmountsNotRead: No «Итого к оплате» (or another total label) with an amount.
    """
    total = _one_amount(_TOTAL_RES, text, "«Итого к оплате»")
    if total is None:
        raise AmountsNotRead("no «Итого к оплате» with an amount in the invoice")
    vat = _one_amount(_VAT_RES, text, "«НДС»")
    vat_amount = vat[0] if vat else (Decimal(0) if _NO_VAT_RE.search(text) else None)
    currency = total[1] or (vat[1] if vat else None)
    return InvoiceAmounts(total[0], vat_amount, *_number_and_date(text), currency)


# --- amounts in spreadsheets -------------------------------------------------------------

Row = tuple[object, ...]

_TOTAL_ROW_RE = re.compile(rf"^\s*(?:{'|'.join(_TOTAL_LABELS[:4])}|к\s+оплате)\s*:?\s*$", re.I)
_VAT_ROW_RE = re.compile(rf"^\s*(?:{'|'.join(_VAT_LABELS[:2])}|ндс)(?:\s*{_RATE})?\s*:?\s*$", re.I)
_GROSS_HEADER_RE = re.compile(r"с\s+(?:уч[её]том\s+)?ндс|к\s+оплате", re.IGNORECASE)
_VAT_HEADER_RE = re.compile(r"(?<![\w.])ндс", re.IGNORECASE)
_NET_HEADER_RE = re.compile(r"без\s+ндс|с\s+(?:уч[её]том\s+)?ндс", re.IGNORECASE)
_HEADER_CURRENCY_RE = re.compile(rf",\s*({_CURRENCY})\s*$", re.IGNORECASE)


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return parse_amount(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class _Columns:
    gross: int | None
    vat: int | None
    currency: str | None


def _header(row: Row) -> _Columns | None:
    """The gross and VAT columns of a header row («Сумма с НДС, BYN», «НДС 20%, BYN»)."""
    texts = {i: v for i, v in enumerate(row) if isinstance(v, str)}
    gross = [i for i, v in texts.items() if _GROSS_HEADER_RE.search(v)]
    vat = [i for i, v in texts.items() if _VAT_HEADER_RE.search(v) and not _NET_HEADER_RE.search(v)]
    if len(gross) != 1 and len(vat) != 1:
        return None
    currency = _HEADER_CURRENCY_RE.search(texts[gross[0]]) if len(gross) == 1 else None
    return _Columns(
        gross[0] if len(gross) == 1 else None,
        vat[0] if len(vat) == 1 else None,
        currency[1] if currency else None,
    )


def _labelled_row(row: Row, label: re.Pattern[str], column: int | None) -> Decimal | None:
    """The amount of a row labelled ``label``: in the column its header names, else the
    row's only amount; None when the row has another label or several amounts."""
    if not any(isinstance(v, str) and label.match(v) for v in row):
        return None
    if column is not None and column < len(row) and (amount := _number(row[column])) is not None:
        return amount
    amounts = [a for v in row if (a := _number(v)) is not None]
    return amounts[0] if len(amounts) == 1 else None


def amounts_in_rows(rows: Iterable[Row]) -> InvoiceAmounts:
    """The amounts of an invoice sheet, by its row labels and column headers.

    Raises:
        AmountsNotRead: No row labelled «Итого к оплате» (or the like) with one amount
            its header or its row makes unambiguous.
    """
    columns = _Columns(None, None, None)
    totals: list[tuple[Decimal, Decimal | None, str | None]] = []
    vat_rows: list[Decimal] = []
    texts: list[str] = []
    for row in rows:
        cells = [v for v in row if isinstance(v, str) and v.strip()]
        texts.append("\n".join(cells))
        header = _header(row)
        if header is not None and not any(_number(v) is not None for v in row):
            columns = header
            continue
        total = _labelled_row(row, _TOTAL_ROW_RE, columns.gross)
        if total is not None:
            vat = _labelled_row(row, _TOTAL_ROW_RE, columns.vat) if columns.vat else None
            totals.append((total, vat, columns.currency))
        elif (vat_amount := _labelled_row(row, _VAT_ROW_RE, None)) is not None:
            vat_rows.append(vat_amount)
    text = "\n".join(texts)
    if not totals:
        return amounts_in_text(text)  # the amounts may be written into the label cells
    if len({t for t, _, _ in totals}) > 1:
        listed = ", ".join(str(t) for t, _, _ in totals)
        raise AmountsNotRead(f"«Итого к оплате» is printed with different amounts: {listed}")
    total, vat, currency = totals[0]
    if vat is None and len(set(vat_rows)) == 1:
        vat = vat_rows[0]
    if vat is None:
        in_text = _one_amount(_VAT_RES, text, "«НДС»")
        vat = in_text[0] if in_text else None
    return InvoiceAmounts(total, vat, *_number_and_date(text), currency)


# --- files -------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    # The recogniser's module also quiets pypdf's warnings about the damage it repairs.
    from robots.recognition.pdf import EOF_WINDOW

    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise AmountsNotRead("a truncated PDF (no %%EOF marker at the end)")

    reader = PdfReader(io.BytesIO(data), strict=False)
    return "\n".join(page.extract_text() for page in reader.pages[:_MAX_PDF_PAGES])


def _plain_text(data: bytes) -> str:
    from robots.recognition.text import TEXT_ENCODINGS

    decoded = []
    for encoding in TEXT_ENCODINGS:
        try:
            decoded.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    signed = [text for text in decoded if operator_in_text(text) is not None]
    if not signed and not decoded:
        raise AmountsNotRead("the text is in no known encoding")
    return (signed or decoded)[0]


def _sheet_rows(data: bytes, fmt: DocumentFormat) -> Iterator[Row]:
    from robots.recognition.sheets import HEAD_ROWS, XlsBook, open_xlsx

    book = open_xlsx(data) if fmt is DocumentFormat.XLSX else XlsBook(data)
    try:
        head = book.head()
        yield from head
        if len(head) >= HEAD_ROWS:
            yield from book.rows_below(len(head) - 1)
    finally:
        book.close()


def invoice_amounts(data: bytes) -> InvoiceAmounts:
    """The total, VAT and number an invoice file states, whatever its format.

    Args:
        data: The invoice file's bytes (PDF, XLSX, XLS, HTML or plain text).

    Returns:
        The amounts, as printed.

    Raises:
        AmountsNotRead: The format holds no readable amounts (XML, an archive), the
            file cannot be read, or no total is printed beside a known label.
    """
    fmt = sniff_format(data)
    try:
        if fmt is DocumentFormat.PDF:
            return amounts_in_text(_pdf_text(data))
        if fmt in (DocumentFormat.XLSX, DocumentFormat.XLS):
            return amounts_in_rows(_sheet_rows(data, fmt))
        if fmt is DocumentFormat.HTML:
            from robots.recognition.text import decode_html, visible_text

            return amounts_in_text(visible_text(decode_html(data)))
        if fmt is None:
            return amounts_in_text(_plain_text(data))
    except AmountsNotRead:
        raise
    except Exception as exc:  # pypdf, openpyxl and xlrd raise anything on a damaged file
        raise AmountsNotRead(f"the {fmt or 'text'} file cannot be read: {exc}"[:200]) from None
    raise AmountsNotRead(f"amounts are not read from {fmt} invoices")
