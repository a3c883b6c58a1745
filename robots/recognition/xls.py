"""The head of a legacy .xls workbook's first sheet, read record by record.

xlrd reads a whole sheet before it gives a row: for a Kcell call-details file that is
thousands of cells made into Python objects (about 10 ms), to recognise it from the
first rows. Its globals (shared strings, formats, sheet offsets) are still read by
xlrd; here the first sheet's cell records are walked only up to the last row wanted.

Only BIFF8 (Excel 97 and later, what every current writer produces) is read, and only
the cell records that carry a value by themselves. Anything else (a formula with a
text result, rich text, an older BIFF) raises Unsupported, and the caller has xlrd
read the sheet.
"""

from __future__ import annotations

import struct

import xlrd
from xlrd.biffh import (
    XL_BLANK,
    XL_BOOLERR,
    XL_CELL_DATE,
    XL_EOF,
    XL_FORMULA_OPCODES,
    XL_LABEL,
    XL_LABELSST,
    XL_MULBLANK,
    XL_MULRK,
    XL_NUMBER,
    XL_RK,
    XL_RSTRING,
    XL_WORKSHEET,
    unpack_unicode,
)
from xlrd.book import Book
from xlrd.sheet import unpack_RK

_BIFF8 = 80
_NO_VALUE = frozenset({XL_BLANK, XL_MULBLANK})
_NOT_READ_HERE = frozenset({XL_RSTRING, *XL_FORMULA_OPCODES})


class Unsupported(Exception):
    """A sheet this reader does not read: have xlrd read it."""


def sheet_head(book: Book, rows: int) -> list[tuple[object, ...]]:
    """Rows 0..rows-1 of the first sheet by position, values as xlrd types them (dates
    as datetimes, empty cells None).

    Raises:
        Unsupported: A record this reader leaves to xlrd.
    """
    if book.biff_version != _BIFF8 or not book._sh_abs_posn:
        raise Unsupported(f"BIFF version {book.biff_version}")
    book._position = book._sh_abs_posn[0]
    book.getbof(XL_WORKSHEET)
    cells: dict[tuple[int, int], object] = {}
    while True:
        code, _length, data = book.get_record_parts()
        if code == XL_EOF or code is None:
            break
        if code in _NOT_READ_HERE:
            raise Unsupported(f"record 0x{code:04x}")
        if code in _NO_VALUE or code not in _READERS:
            continue
        row = struct.unpack_from("<H", data)[0]
        if row >= rows:  # cell records come in row order
            break
        for column, value in _READERS[code](book, data):
            cells[row, column] = value
    height = max((r + 1 for r, _ in cells), default=0)
    width = [0] * height
    for r, c in cells:
        width[r] = max(width[r], c + 1)
    return [tuple(cells.get((r, c)) for c in range(width[r])) for r in range(height)]


def _number(book: Book, xf: int, value: float) -> object:
    kind = book._xf_index_to_xl_type_map.get(xf)
    if kind is None:
        raise Unsupported(f"cell format {xf}")
    if kind == XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(value, book.datemode)
    return value


def _read_number(book: Book, data: bytes) -> list[tuple[int, object]]:
    _row, column, xf, value = struct.unpack_from("<HHHd", data)
    return [(column, _number(book, xf, value))]


def _read_rk(book: Book, data: bytes) -> list[tuple[int, object]]:
    _row, column, xf = struct.unpack_from("<HHH", data)
    return [(column, _number(book, xf, unpack_RK(data[6:10])))]


def _read_mulrk(book: Book, data: bytes) -> list[tuple[int, object]]:
    _row, first = struct.unpack_from("<HH", data)
    last = struct.unpack_from("<H", data, len(data) - 2)[0]
    found = []
    for index, column in enumerate(range(first, last + 1)):
        xf = struct.unpack_from("<H", data, 4 + 6 * index)[0]
        rk = data[6 + 6 * index : 10 + 6 * index]
        found.append((column, _number(book, xf, unpack_RK(rk))))
    return found


def _read_sst_label(book: Book, data: bytes) -> list[tuple[int, object]]:
    _row, column, _xf, index = struct.unpack_from("<HHHi", data)
    return [(column, book._sharedstrings[index])]


def _read_label(book: Book, data: bytes) -> list[tuple[int, object]]:
    column = struct.unpack_from("<H", data, 2)[0]
    return [(column, unpack_unicode(data, 6, lenlen=2))]


def _read_boolerr(book: Book, data: bytes) -> list[tuple[int, object]]:
    _row, column, _xf, value, _is_error = struct.unpack_from("<HHHBB", data)
    return [(column, value)]  # xlrd gives booleans and error codes as ints alike


_READERS = {
    XL_NUMBER: _read_number,
    XL_RK: _read_rk,
    XL_MULRK: _read_mulrk,
    XL_LABELSST: _read_sst_label,
    XL_LABEL: _read_label,
    XL_BOOLERR: _read_boolerr,
}
