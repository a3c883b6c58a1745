"""Recognition of operator spreadsheets (.xlsx, legacy .xls) by content.

A collector recognises thousands of files a minute, so only the first rows of the first
sheet are read (requisites, title, period, account) plus the sheet names: straight from
the file (``robots.recognition.xlsx``, ``robots.recognition.xls``), or through openpyxl
and xlrd for a workbook written in a way those do not read. Call details
also need their subscriber numbers, taken from, in order:

1. the title cell ("Детализация по номеру 77012223344", Kcell);
2. sheet names that are numbers (MTS: one sheet per number);
3. a subscriber column found by its header ("Кто звонил" at A1, "Абонент" at SIP),
   read down to the last row.

Columns are always found by header text, never by position. Call details may carry
no requisites and no period; their structure then names the operator and the call dates
give the month: an A1 "Детализация" sheet by its header row (ФИО ... Начислено), MTS
Business details by a first sheet "Общая сводка" followed by sheets named by numbers, or
by MTS's bilingual header («Номер собеседника/ Interlocutor number», «Тип сервиса/
Service type»). The call dates of a big sheet are read from their one column.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

import xlrd
from openpyxl.reader.excel import ExcelReader  # type: ignore[import-untyped]
from openpyxl.styles.stylesheet import apply_stylesheet  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # type: ignore[import-untyped]

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.errors import ParseError
from robots.recognition.common import (
    KIND_TITLES,
    CorruptDocument,
    NotAnOperatorDocument,
    Recognition,
    account_evidence,
    calls_period,
    header_labels,
    normalise_phone,
    operator_signature,
    parse_ru_date,
    period_evidence,
    phone_numbers_in_text,
    read_recognition,
)
from robots.recognition.xls import Unsupported as XlsUnsupported
from robots.recognition.xls import sheet_head
from robots.recognition.xlsx import RawWorkbook, Unsupported

HEAD_ROWS = 30  # requisites, title and table headers of every known layout fit in these

Row = tuple[object, ...]

# Title phrases (KIND_TITLES) are tried on each cell in reading order: the first cell
# that matches names the kind ("Детализация" further down an invoice is a service line,
# not the title).

_A1_COLUMNS = (
    "фио", "тип звонка", "код", "дата звонка", "длительность", "объем",
    "кто звонил", "куда звонил", "начислено",
)  # fmt: skip
# MTS Business details: a summary sheet, then a sheet per number with this header.
_MTS_SUMMARY = "общая сводка"
_MTS_DETAIL_COLUMNS = ("дата", "время", "номер собеседника", "тип сервиса")
_SUBSCRIBER_COLUMNS = frozenset(
    {"кто звонил", "абонент", "номер абонента", "абонентский номер", "subscriber number"}
)
# The date of each call, where call details print no period (MTS and A1 details).
_CALL_DATE_COLUMNS = frozenset(
    {"дата звонка", "дата", "date", "дата и время", "дата/время", "date and time",
     "дата вызова", "дата соединения", "начало звонка", "начало", "date/time"}
)  # fmt: skip
_PHONE_RE = re.compile(r"7\d{10}|375\d{9}")
_DATE_RE = re.compile(r"\d{2}\.\d{2}\.(?:\d{4}|\d{2})(?!\d)")

# Rows are joined with a visible separator: "Лицевой счет" ending a header row must not
# read the first value of the next row as the account (whitespace would let it).
_ROW_SEP = "\n¦\n"


class _Book(Protocol):
    """The little a recogniser needs from a workbook, whatever the file format."""

    sheet_names: Sequence[str]

    def head(self) -> list[Row]:
        """The first HEAD_ROWS rows of the first sheet."""
        ...

    def rows_below(self, row: int) -> Iterator[Row]:
        """Rows of the first sheet after the 0-based ``row``."""
        ...

    def phones_below(self, row: int, col: int) -> set[str]:
        """Subscriber numbers in column ``col`` after the 0-based ``row``."""
        ...

    def values_below(self, row: int, col: int) -> Iterable[object]:
        """The values in column ``col`` after the 0-based ``row`` (distinct ones may be
        given once)."""
        ...

    def close(self) -> None: ...


def recognise_xlsx(data: bytes) -> Recognition:
    """Recognise an operator's .xlsx workbook from its content.

    Args:
        data: The file's bytes.

    Returns:
        Operator, kind, period, account (None where the file names none) and, for call
        details, the subscriber numbers.

    Raises:
        CorruptDocument: Not a readable .xlsx (bad zip, truncated, broken parts).
        NotAnOperatorDocument: Readable, but no operator requisites or no title.
        ParseError: An operator's document without a period, or call details whose
            dates span several months or that name neither account nor numbers.
    """
    return _recognise_guarded(open_xlsx, data, DocumentFormat.XLSX)


def recognise_xls(data: bytes) -> Recognition:
    """Recognise an operator's legacy .xls (BIFF) workbook from its content.

    Args:
        data: The file's bytes.

    Returns:
        As recognise_xlsx.

    Raises:
        CorruptDocument: Not a readable .xls.
        NotAnOperatorDocument: Readable, but no operator requisites or no title.
        ParseError: As recognise_xlsx.
    """
    return _recognise_guarded(XlsBook, data, DocumentFormat.XLS)


def _recognise_guarded(
    open_book: Callable[[bytes], _Book], data: bytes, fmt: DocumentFormat
) -> Recognition:
    # openpyxl and xlrd raise anything from KeyError to struct.error on a damaged file,
    # lazily too (a truncated sheet fails while rows are read): none of it may escape.
    book: _Book | None = None
    try:
        book = open_book(data)
        return _recognise(book, fmt)
    except ParseError:
        raise
    except Exception as exc:
        reason = f"unreadable {fmt}: {type(exc).__name__}: {exc}"
        raise CorruptDocument(reason[:200]) from exc
    finally:
        if book is not None:
            book.close()


def _recognise(book: _Book, fmt: DocumentFormat) -> Recognition:
    head = book.head()
    text = _ROW_SEP.join(
        "  ".join(v for v in row if isinstance(v, str) and v.strip()) for row in head
    )
    evidence: dict[str, str] = {}
    a1 = _find_header(head, _A1_COLUMNS)
    a1_layout = a1 is not None and _first_sheet_is_details(book)
    mts_layout = _mts_layout(book, head)
    operator, marker = operator_signature(text)
    if operator is not None:
        evidence["operator"] = f"text «{marker}»"
    elif a1_layout:
        operator = Operator.A1  # the bare "Детализация" layout is A1's own
        evidence["operator"] = "format «Детализация» sheet with «ФИО … Начислено»"
    elif mts_layout is not None:
        operator = Operator.MTS
        evidence["operator"] = mts_layout
    kind, title = _title(head)
    if kind is None and a1_layout:
        kind, title = DocumentKind.CALL_DETAILS, "Детализация"
    if kind is None and mts_layout is not None:
        kind, title = DocumentKind.CALL_DETAILS, ""
        evidence["kind"] = mts_layout
    if kind is None:
        if operator is None:
            raise NotAnOperatorDocument("no operator legal name or tax id in the first rows")
        raise NotAnOperatorDocument(f"{operator} is named, but no known document title is")
    evidence.setdefault("kind", f"title «{' '.join(title.split())[:60]}»")
    period_found = period_evidence(text)
    account_found = account_evidence(text)
    numbers: tuple[str, ...] = ()
    if kind is DocumentKind.CALL_DETAILS:
        numbers, evidence["numbers"] = _subscribers(book, head, title)
        if not numbers:
            del evidence["numbers"]
        if period_found is None:
            period_found = _period_of_calls(book, head, a1)
        if account_found is None and not numbers:
            named = operator or "an operator's"
            raise ParseError(f"{named} call details name neither an account nor a number")
    if period_found is None:
        raise ParseError(f"{operator or 'the'} {kind} names no period in its first rows")
    period, evidence["period"] = period_found
    account = None
    if account_found is not None:
        account, evidence["account"] = account_found
    return read_recognition(text, operator, kind, fmt, period, account, numbers, evidence)


def _norm(value: object) -> str:
    return " ".join(value.split()).casefold() if isinstance(value, str) else ""


def _mts_layout(book: _Book, head: list[Row]) -> str | None:
    """The evidence that the workbook is MTS Business call details by its structure, or
    None: a summary sheet «Общая сводка» followed by sheets named by subscriber numbers,
    or a number's sheet whose header is MTS's bilingual one (public parsers read both,
    see ``sandbox/documents/SOURCES.md``)."""
    names = [n.strip() for n in book.sheet_names]
    if names and _norm(names[0]) == _MTS_SUMMARY and any(map(_PHONE_RE.fullmatch, names[1:])):
        return "format MTS «Общая сводка» and a sheet per number"
    if _find_header(head, _MTS_DETAIL_COLUMNS) is not None:
        return "format MTS «Номер собеседника/ Interlocutor number … Тип сервиса» sheet"
    return None


def _first_sheet_is_details(book: _Book) -> bool:
    return bool(book.sheet_names) and _norm(book.sheet_names[0]) == "детализация"


def _title(head: list[Row]) -> tuple[DocumentKind | None, str]:
    for row in head:
        for value in row:
            if not isinstance(value, str):
                continue
            for kind, pattern in KIND_TITLES:
                if pattern.search(value):
                    return kind, value
    return None, ""


def _find_header(head: list[Row], labels: Sequence[str]) -> tuple[int, dict[str, int]] | None:
    """The first row holding every label, with each label's column (0-based).

    The header may be any of the first rows, and each cell may name its column in two
    languages («Дата/ Date»).
    """
    for r, row in enumerate(head):
        # Built right to left, so a label repeated in the row keeps its first column.
        columns = {
            label: c for c, v in reversed(list(enumerate(row))) for label in header_labels(v)
        }
        if all(label in columns for label in labels):
            return r, {label: columns[label] for label in labels}
    return None


def _find_column(head: list[Row], labels: frozenset[str]) -> tuple[int, int, str] | None:
    """The first table header cell (in a row of three or more labels) naming one of
    ``labels``: its row, column and text."""
    for r, row in enumerate(head):
        if sum(1 for v in row if header_labels(v)) < 3:
            continue
        for c, value in enumerate(row):
            if header_labels(value) & labels:
                return r, c, str(value)
    return None


def _subscribers(book: _Book, head: list[Row], title: str) -> tuple[tuple[str, ...], str]:
    found = set(phone_numbers_in_text(title))
    why = f"title «{' '.join(title.split())[:60]}»"
    if not found:
        found.update(n.strip() for n in book.sheet_names if _PHONE_RE.fullmatch(n.strip()))
        why = "sheet names"
    if not found:
        for r, row in enumerate(head):
            cols = [c for c, v in enumerate(row) if header_labels(v) & _SUBSCRIBER_COLUMNS]
            if cols:
                found = book.phones_below(r, cols[0])
                why = f"column «{' '.join(str(row[cols[0]]).split())}»"
                break
    return tuple(sorted(found)), why


def _phone(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value))  # numbers stored as numbers: 375291234567.0
    elif isinstance(value, str):
        text = value
    else:
        return None
    return normalise_phone(text) if len(text) < 32 else None


def _phones(values: Iterable[object]) -> set[str]:
    return {p for v in values if (p := _phone(v)) is not None}


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (match := _DATE_RE.search(value)):
        return parse_ru_date(match[0])
    return None


def _period_of_calls(
    book: _Book, head: list[Row], a1: tuple[int, dict[str, int]] | None
) -> tuple[Period, str]:
    """The month of the call dates under the call-date column; they must all fall in one
    month."""
    if a1 is not None:
        header_row, col, label = a1[0], a1[1]["дата звонка"], "Дата звонка"
    elif (column := _find_column(head, _CALL_DATE_COLUMNS)) is not None:
        header_row, col, label = column
    else:
        raise ParseError("call details print no period and have no call date column")
    found = calls_period(d for v in book.values_below(header_row, col) if (d := _day(v)))
    if found is None:
        raise ParseError(f"no period in the title and no dates under «{label}»")
    return found


# --- .xlsx -------------------------------------------------------------------------------


def open_xlsx(data: bytes) -> _Book:
    """An XLSX workbook: its head read straight from the XML, else all of it by openpyxl."""
    try:
        return _RawXlsxBook(data)
    except Unsupported:
        return _XlsxBook(data)


class _RawXlsxBook:
    """The head read straight from the sheet's XML (robots.recognition.xlsx); the rest of
    the sheet, rarely needed, through openpyxl."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._raw = RawWorkbook(data, HEAD_ROWS)
        self.sheet_names = self._raw.sheet_names
        self._full: _XlsxBook | None = None

    def _openpyxl(self) -> _XlsxBook:
        if self._full is None:
            self._full = _XlsxBook(self._data)
        return self._full

    def head(self) -> list[Row]:
        return self._raw.head

    def rows_below(self, row: int) -> Iterator[Row]:
        return self._openpyxl().rows_below(row)

    def phones_below(self, row: int, col: int) -> set[str]:
        found = scan_xlsx_column(self._data, self._raw.path, col, row + 1, self._raw.shared)
        return found if found is not None else self._openpyxl().phones_below(row, col)

    def values_below(self, row: int, col: int) -> Iterable[object]:
        # The call dates of a big sheet without a printed period: one column read raw,
        # typed as the head is (dates as datetimes), instead of every cell by openpyxl.
        cells = _raw_column_cells(self._data, self._raw.path, col, row + 1)
        if cells is None:
            return self._openpyxl().values_below(row, col)
        values: list[object] = []
        dates: list[tuple[float, bytes, bytes]] = []  # only the first and last are typed
        for cell in cells:
            attrs, body = _split_cell(cell)
            serial = _V_RE.search(body) if self._raw.is_date_number(attrs) else None
            if serial is not None:
                dates.append((float(serial[1]), attrs, body))
            else:
                values.append(self._raw.cell_value(attrs, body))
        if dates:
            values.extend(self._raw.cell_value(a, b) for _, a, b in (min(dates), max(dates)))
        return values

    def close(self) -> None:
        self._raw.close()
        if self._full is not None:
            self._full.close()


class _XlsxBook:
    def __init__(self, data: bytes) -> None:
        # ExcelReader.read() minus what recognition does not need. load_workbook would
        # also open and size every sheet: MTS sends one sheet per number, and each costs
        # ~3 ms (openpyxl parses through defusedxml's pure-Python parser when installed).
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        self._archive = reader.archive
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)  # date formats: dates come as dates
            sheets = [
                (sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except BaseException:
            self._archive.close()
            raise
        self.sheet_names: Sequence[str] = [name for name, _ in sheets]
        if not sheets:
            self._archive.close()
            raise NotAnOperatorDocument("the workbook has no worksheet")
        self._data = data
        self._path = sheets[0][1]
        self._shared: Sequence[object] = reader.shared_strings
        self._ws = ReadOnlyWorksheet(reader.wb, sheets[0][0], self._path, reader.shared_strings)

    def head(self) -> list[Row]:
        return [tuple(r) for r in self._ws.iter_rows(max_row=HEAD_ROWS, values_only=True)]

    def rows_below(self, row: int) -> Iterator[Row]:
        for values in self._ws.iter_rows(min_row=row + 2, values_only=True):
            yield tuple(values)

    def phones_below(self, row: int, col: int) -> set[str]:
        # openpyxl converts every cell of every row (450 ms for a 300 KB A1 file); the
        # raw scan reads one column in a few ms, and hands back to openpyxl when the
        # sheet is written in a way it does not know.
        found = scan_xlsx_column(self._data, self._path, col, row + 1, self._shared)
        if found is not None:
            return found
        return _phones(r[col] if col < len(r) else None for r in self.rows_below(row))

    def values_below(self, row: int, col: int) -> Iterable[object]:
        return (r[col] if col < len(r) else None for r in self.rows_below(row))

    def close(self) -> None:
        self._archive.close()


_MAX_ROW_BYTES = 16 << 20
_T_ATTR_RE = re.compile(rb"""\bt=["'](\w+)["']""")
_V_RE = re.compile(rb"<v>([^<]*)</v>")
_T_TEXT_RE = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")


def scan_xlsx_column(
    data: bytes, path: str, col: int, header_row: int, shared: Sequence[object]
) -> set[str] | None:
    """Subscriber numbers in one column of a sheet, read from the raw sheet XML.

    Cells are matched as ``<c r="G12" ...>`` (Excel, LibreOffice, openpyxl and
    xlsxwriter all write the reference first) below ``<row r="<header_row>">``. Only
    the markup after the reference is kept, so the few distinct values are decoded
    once each, and no per-cell Python object is made that the garbage collector
    would have to walk.

    Args:
        data: The .xlsx bytes.
        path: The sheet's member in the zip (``xl/worksheets/sheet1.xml``).
        col: The 0-based column.
        header_row: The 1-based header row; only rows below it are read.
        shared: The workbook's shared strings, for cells that point into them.

    Returns:
        The numbers found, or None when the sheet is not written that way (a writer
        this scan does not know): the caller then asks openpyxl.
    """
    raw = _raw_column_cells(data, path, col, header_row)
    if raw is None:
        return None
    return _phones(_raw_cell_value(cell, shared) for cell in raw)


def _raw_column_cells(data: bytes, path: str, col: int, header_row: int) -> set[bytes] | None:
    """The distinct markups (after ``r="G12"``) of one column's cells below
    ``header_row`` (1-based), or None when the sheet is not written that way."""
    letter = get_column_letter(col + 1).encode()
    cell_re = re.compile(rb'<c r="' + letter + rb'\d+"([^>]*?(?:/>|>.*?</c>))', re.DOTALL)
    header_re = re.compile(rb'<row r="%d"[^>]*>.*?</row>' % header_row, re.DOTALL)
    raw: set[bytes] = set()
    cells = 0
    start: int | None = None
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as sheet:
        tail = b""
        while True:
            chunk = sheet.read(4 << 20)
            buf = tail + chunk
            # Scan whole rows only (a cell never crosses "</row>"); the rest waits.
            cut = len(buf) if not chunk else max(buf.rfind(b"</row>") + 6, 0)
            if start is None and (header := header_re.search(buf, 0, cut)):
                start = header.end()
            if start is not None:
                found = cell_re.findall(buf, start, cut)
                cells += len(found)
                raw.update(found)
                start = 0  # later chunks start after the header
            tail = buf[cut:]
            if len(tail) > _MAX_ROW_BYTES:  # no "</row>" in sight: a bomb, not a sheet
                raise CorruptDocument(f"a sheet row longer than {_MAX_ROW_BYTES} bytes")
            if not chunk:
                break
    return raw if cells else None


def _split_cell(cell: bytes) -> tuple[bytes, bytes]:
    """A cell's markup (after its reference) as its attributes and its body."""
    end = cell.find(b">")
    if cell[end - 1 : end] == b"/":
        return cell[: end - 1], b""
    return cell[:end], cell[end + 1 : -4 if cell.endswith(b"</c>") else len(cell)]


def _raw_cell_value(cell: bytes, shared: Sequence[object]) -> object:
    """The value of ``cell``: the markup after ``r="G12"`` up to and including ``</c>``."""
    attrs = cell[: cell.find(b">")]
    cell_type = match[1] if (match := _T_ATTR_RE.search(attrs)) else b"n"
    if cell_type == b"inlineStr":
        return "".join(html.unescape(t.decode()) for t in _T_TEXT_RE.findall(cell))
    value = _V_RE.search(cell)
    if value is None:
        return None
    if cell_type == b"s":
        return str(shared[int(value[1])])
    if cell_type == b"n":
        try:
            return float(value[1])
        except ValueError:
            return None
    return html.unescape(value[1].decode())


# --- .xls --------------------------------------------------------------------------------


class XlsBook:
    """A legacy XLS workbook (xlrd), its sheets parsed only when asked for."""

    def __init__(self, data: bytes) -> None:
        # on_demand: only the sheets asked for are parsed (MTS has one per number).
        # xlrd reports damage on stdout by default; the reason travels in the exception.
        self._wb = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
        self.sheet_names: Sequence[str] = list(self._wb.sheet_names())
        try:
            self._head: list[Row] | None = sheet_head(self._wb, HEAD_ROWS)
        except XlsUnsupported:
            self._head = None
        self._sheet: xlrd.sheet.Sheet | None = None

    def _first_sheet(self) -> xlrd.sheet.Sheet:
        """The whole first sheet, read only when more than its head is wanted."""
        if self._sheet is None:
            self._sheet = self._wb.sheet_by_index(0)
        return self._sheet

    def _row(self, r: int) -> Row:
        values: list[object] = []
        for cell in self._first_sheet().row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                values.append(xlrd.xldate.xldate_as_datetime(cell.value, self._wb.datemode))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                values.append(None)
            else:
                values.append(cell.value)
        return tuple(values)

    def head(self) -> list[Row]:
        if self._head is not None:
            return self._head
        return [self._row(r) for r in range(min(self._first_sheet().nrows, HEAD_ROWS))]

    def rows_below(self, row: int) -> Iterator[Row]:
        for r in range(row + 1, self._first_sheet().nrows):
            yield self._row(r)

    def phones_below(self, row: int, col: int) -> set[str]:
        return _phones(r[col] if col < len(r) else None for r in self.rows_below(row))

    def values_below(self, row: int, col: int) -> Iterable[object]:
        return (r[col] if col < len(r) else None for r in self.rows_below(row))

    def close(self) -> None:
        self._wb.release_resources()
