"""The head of an .xlsx workbook's first sheet, read from its XML with regular expressions.

Recognition needs the sheet names and the first rows of the first sheet. openpyxl
builds a Python object per element of the workbook, the styles and the shared strings
before it gives a single row (5-15 ms a file); here the few parts needed are searched
as bytes, and the shared strings only decoded when a cell points into them.

Only the layout every common writer produces is read (Excel, LibreOffice, openpyxl,
xlsxwriter: unprefixed elements, the workbook at ``xl/workbook.xml``). Anything else
raises Unsupported before a row is given, and the caller reads the file with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from typing import overload

from openpyxl.styles.numbers import (  # type: ignore[import-untyped]
    BUILTIN_FORMATS,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.datetime import (  # type: ignore[import-untyped]
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
)

_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_CHUNK = 64 * 1024
_MAX_ROW_BYTES = 16 << 20

_ATTR_RE = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEET_RE = re.compile(rb"<sheet\s([^>]*?)/?>")
_RELATIONSHIP_RE = re.compile(rb"<Relationship\s([^>]*?)/?>")
_ROW_RE = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.DOTALL)
_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_VALUE_RE = re.compile(rb"<v>([^<]*)</v>")
_TEXT_RE = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_PHONETIC_RE = re.compile(rb"<rPh\b.*?</rPh>", re.DOTALL)
_SHARED_RE = re.compile(rb"<si>(.*?)</si>|<si/>", re.DOTALL)
_NUMBER_FORMAT_RE = re.compile(rb"<numFmt\s([^>]*?)/?>")
_CELL_FORMATS_RE = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.DOTALL)
_XF_RE = re.compile(rb"<xf\s([^>]*?)/?>")
_CELL_REFERENCE_RE = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})\d+["']""")
_CELL_TYPE_RE = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_CELL_STYLE_RE = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")
_DATE1904_RE = re.compile(rb"""<workbookPr\b[^>]*\bdate1904\s*=\s*["'](1|true)["']""")


class Unsupported(Exception):
    """A workbook written in a way this reader does not know: read it with openpyxl."""


def _attributes(raw: bytes) -> dict[str, str]:
    return {
        name.decode(): html.unescape((double or single).decode())
        for name, double, single in _ATTR_RE.findall(raw)
    }


def _text(raw: bytes) -> str:
    """Text content as an XML parser gives it: line ends normalised, entities resolved."""
    return html.unescape(raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").decode())


class SharedStrings(Sequence[str]):
    """The workbook's shared strings, decoded on first use."""

    def __init__(self, raw: bytes | None) -> None:
        self._raw = raw
        self._strings: list[str] | None = None

    def _all(self) -> list[str]:
        if self._strings is None:
            raw, self._raw = self._raw or b"", None
            self._strings = [
                _rich_text(body or b"").replace("x005F_", "") for body in _SHARED_RE.findall(raw)
            ]
        return self._strings

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


def _rich_text(body: bytes) -> str:
    """The text of an ``<si>`` or ``<is>``: its runs, without phonetic hints."""
    return "".join(_text(t) for t in _TEXT_RE.findall(_PHONETIC_RE.sub(b"", body)))


class RawWorkbook:
    """An .xlsx opened for recognition: the sheet names and the first sheet's head.

    ``head`` holds rows 1..``head_rows`` by position (a missing row is empty), values
    from column A, typed as openpyxl types them (dates as datetimes).

    Raises:
        Unsupported: From the constructor, for any workbook this reader does not know
            how to read, damaged ones included: openpyxl then says what is wrong.
    """

    def __init__(self, data: bytes, head_rows: int) -> None:
        self._zip: zipfile.ZipFile | None = None
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._open(self._zip, head_rows)
        except Exception as exc:
            self.close()
            raise exc if isinstance(exc, Unsupported) else Unsupported(repr(exc)) from exc

    def _open(self, archive: zipfile.ZipFile, head_rows: int) -> None:
        names = set(archive.namelist())
        workbook = archive.read(_WORKBOOK)
        targets = _targets(archive.read(_WORKBOOK_RELS))
        sheets = []
        for raw in _SHEET_RE.findall(workbook):
            attrs = _attributes(raw)
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            if "name" not in attrs or rid not in targets:
                raise Unsupported("a sheet without a name or a target")
            path, kind = targets[rid]
            if kind.endswith("/worksheet") and path in names:  # not a chart sheet
                sheets.append((attrs["name"], path))
        if not sheets:
            raise Unsupported("no worksheet found")
        self.sheet_names: Sequence[str] = [name for name, _ in sheets]
        self.path = sheets[0][1]
        parts = {kind.rsplit("/", 1)[-1]: path for path, kind in targets.values()}
        strings = parts.get("sharedStrings")
        self.shared = SharedStrings(archive.read(strings) if strings else None)
        self._epoch = CALENDAR_MAC_1904 if _DATE1904_RE.search(workbook) else CALENDAR_WINDOWS_1900
        styles = archive.read(parts["styles"]) if "styles" in parts else b""
        self._dates, self._durations = _date_styles(styles)
        self.head = self._head(archive, head_rows)

    def _head(self, archive: zipfile.ZipFile, count: int) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        number = 0
        with archive.open(self.path) as sheet:
            buffer = b""
            while True:
                chunk = sheet.read(_CHUNK)
                buffer += chunk
                done = 0
                for match in _ROW_RE.finditer(buffer):
                    attrs = _attributes(match[1])
                    number = int(attrs["r"]) if "r" in attrs else number + 1
                    if number > count:
                        return rows
                    rows.extend(() for _ in range(len(rows), number - 1))
                    rows.append(self._cells(match[2] or b""))
                    done = match.end()
                buffer = buffer[done:]
                if not chunk:
                    if b"</sheetData>" not in buffer and b"<sheetData/>" not in buffer:
                        raise Unsupported("the sheet's XML ends before its last row")
                    return rows
                if len(buffer) > _MAX_ROW_BYTES:
                    raise Unsupported(f"a sheet row longer than {_MAX_ROW_BYTES} bytes")

    def _cells(self, row: bytes) -> tuple[object, ...]:
        values: list[object] = []
        for attrs, body in _CELL_RE.findall(row):
            column = len(values)
            if b"r=" in attrs:
                reference = _CELL_REFERENCE_RE.search(attrs)
                if reference is None:
                    raise Unsupported(f"cell reference in {attrs[:40]!r}")
                column = _column_index(reference[1].decode())
            values.extend(None for _ in range(len(values), column + 1))
            values[column] = self._value(attrs, body)
        return tuple(values)

    def cell_value(self, attrs: bytes, body: bytes) -> object:
        """The value of a cell of this workbook's sheets, typed as the head's are, from
        its attributes (``t=``, ``s=``) and its body (``<v>``, ``<is>``)."""
        return self._value(attrs, body)

    def is_date_number(self, attrs: bytes) -> bool:
        """Whether a cell with these attributes holds a number shown as a date."""
        kind = _CELL_TYPE_RE.search(attrs)
        style = _CELL_STYLE_RE.search(attrs)
        return (kind is None or kind[1] == b"n") and int(style[1] if style else 0) in self._dates

    def _value(self, attrs: bytes, body: bytes) -> object:
        # The attributes of a cell are a reference, a style and a type: plain ASCII.
        kind_match = _CELL_TYPE_RE.search(attrs)
        kind = kind_match[1].decode() if kind_match else "n"
        if kind == "inlineStr":
            return _rich_text(body)
        found = _VALUE_RE.search(body)
        if found is None or not found[1]:
            return None
        raw = found[1].decode()
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind in ("str", "e"):
            return _text(found[1])
        if kind == "d":
            return dt.datetime.fromisoformat(raw)
        number: float = float(raw) if any(c in raw for c in ".Ee") else int(raw)
        style_match = _CELL_STYLE_RE.search(attrs)
        style = int(style_match[1]) if style_match else 0
        if style in self._dates:
            return from_excel(number, self._epoch, timedelta=style in self._durations)
        return number

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _targets(rels: bytes) -> dict[str, tuple[str, str]]:
    """Relationship id -> (member path, relationship type), relative targets from xl/."""
    targets: dict[str, tuple[str, str]] = {}
    for raw in _RELATIONSHIP_RE.findall(rels):
        attrs = _attributes(raw)
        if attrs.get("TargetMode") == "External" or "Id" not in attrs:
            continue
        target = attrs.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
        targets[attrs["Id"]] = (path, attrs.get("Type", ""))
    return targets


def _date_styles(styles: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """The cell styles that show a number as a date, and those that show a duration."""
    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    for raw in _NUMBER_FORMAT_RE.findall(styles):
        attrs = _attributes(raw)
        formats[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
    cell_formats = _CELL_FORMATS_RE.search(styles)
    codes = [
        formats.get(int(_attributes(raw).get("numFmtId", 0)), "")
        for raw in (_XF_RE.findall(cell_formats[1]) if cell_formats else [])
    ]
    dates = frozenset(i for i, code in enumerate(codes) if is_date_format(code))
    return dates, frozenset(i for i, code in enumerate(codes) if is_timedelta_format(code))


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
