"""Recognition of PDF operator documents from the text at the top of their first page.

Speed matters (a collector reads thousands of files a minute) and pypdf's text
extraction costs about 1 ms per 1.5 KB of page content, while requisites, title,
account and period are printed at the top. So the text is read in widening steps,
each tried only if the previous lacked something: the head of page 1's content
stream, the whole of page 1, pages 1 and 2.

The head is read first by a small reader of its own (``_quick_text``): pypdf spends
most of the 3-4 ms of a short head building its full model of each font (glyph widths,
encodings) for its layout, while the head's lines need only the fonts' ToUnicode maps
and the text operators. It reads the common case (fonts with a ToUnicode map, text
placed line by line) and gives up on anything else; pypdf reads what it gives up on,
and anything the head read by it does not recognise.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from robots.domain import DocumentFormat
from robots.recognition.common import CorruptDocument, NotAnOperatorDocument, Recognition
from robots.recognition.text import recognise_text

# pypdf logs warnings and errors for every robustness fix it applies to a malformed file;
# the collector reads thousands of files and reports damage itself, as CorruptDocument.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

EOF_WINDOW = 1024  # the spec wants %%EOF at the very end; readers accept it in the last 1 KiB
_HEAD_BYTES = 2048  # of decoded page content: requisites, title and ~40 subscriber numbers
_TEXT_OBJECT_END = re.compile(rb"\sET\s")
_INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
# Text operators and their operands: strings, arrays of strings and kerns, numbers, names.
_TOKEN = re.compile(
    rb"\((?:[^\\()]|\\.|\((?:[^\\()]|\\.)*\))*\)"  # literal string, one nesting level
    rb"|<[0-9A-Fa-f\s]*>"  # hex string
    rb"|[\[\]]"
    rb"|/[^\s/\[\]()<>{}%]+"  # name
    rb"|[-+]?(?:\d+\.?\d*|\.\d+)"  # number
    rb"|[A-Za-z'\"*]+"  # operator
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_LITERAL_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_CMAP_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)
_CMAP_HEX = re.compile(rb"<([0-9A-Fa-f]+)>|\[")
_KERN_SPACE = -250  # a TJ displacement (thousandths of an em) wider than this is a space


def _dictionary(obj: PdfObject) -> DictionaryObject:
    resolved = obj.get_object()
    if not isinstance(resolved, DictionaryObject):
        raise TypeError(f"expected a dictionary, got {type(resolved).__name__}")
    return resolved


def _first_page(reader: PdfReader) -> PageObject:
    """Page 1 by its branch of the page tree: ``reader.pages`` would load every page."""
    node = _dictionary(reader.root_object["/Pages"])
    inherited: dict[str, PdfObject] = {}
    for _ in range(32):  # a cyclic tree must not loop
        inherited.update({key: node[key] for key in _INHERITABLE if key in node})
        if "/Kids" not in node:
            page = PageObject(reader, node.indirect_reference)
            page.update({**inherited, **node})
            return page
        kids = node["/Kids"].get_object()
        if not isinstance(kids, ArrayObject) or not kids:
            raise ValueError("a page tree node without kids")
        node = _dictionary(kids[0])
    raise ValueError("page tree too deep")


class _Unreadable(Exception):
    """The quick reader meets something it does not handle: pypdf reads the page."""


def _to_unicode(font: DictionaryObject) -> tuple[int, dict[bytes, str]]:
    """The code width in bytes and the code-to-text map of a font's ToUnicode CMap."""
    if "/ToUnicode" not in font:
        raise _Unreadable("a font without ToUnicode")
    stream = font["/ToUnicode"].get_object()
    if not isinstance(stream, StreamObject):
        raise _Unreadable("a ToUnicode that is no stream")
    cmap = stream.get_data()
    width, codes = 0, {}
    for section, body in _CMAP_SECTION.findall(cmap):
        hexes = _CMAP_HEX.findall(body)
        if b"" in hexes:  # "[": a bfrange to an array of strings
            raise _Unreadable("a ToUnicode range to an array")
        values = [bytes.fromhex(h.decode()) for h in hexes]
        step = 2 if section == b"bfchar" else 3
        for i in range(0, len(values) - step + 1, step):
            first, target = values[i], values[i + step - 1]
            width = width or len(first)
            if len(first) != width:
                raise _Unreadable("codes of several widths")
            last = int.from_bytes(values[i + 1]) if step == 3 else int.from_bytes(first)
            start, base = int.from_bytes(first), int.from_bytes(target)
            for offset in range(last - start + 1):
                code = (start + offset).to_bytes(width)
                codes[code] = (base + offset).to_bytes(len(target)).decode("utf-16-be")
    if not width:
        raise _Unreadable("an empty ToUnicode map")
    return width, codes


def _literal(token: bytes) -> bytes:
    def unescape(match: re.Match[bytes]) -> bytes:
        char = match.group(1)
        if char.isdigit():
            return bytes([int(char, 8) & 0xFF])
        return _ESCAPES.get(char, b"" if char in b"\r\n" else char)

    return _LITERAL_ESCAPE.sub(unescape, token[1:-1])


def _string(token: bytes) -> bytes | None:
    if token.startswith(b"("):
        return _literal(token)
    if token.startswith(b"<"):
        digits = re.sub(rb"\s", b"", token[1:-1])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    return None


def _is_form(resources: DictionaryObject, name: bytes) -> bool:
    """Whether the XObject ``name`` is a form (text may be in it), not an image."""
    if "/XObject" not in resources:
        return True
    xobjects = _dictionary(resources["/XObject"])
    key = name.decode("latin-1")
    return key not in xobjects or _dictionary(xobjects[key]).get("/Subtype") != "/Image"


def _quick_text(page: PageObject, data: bytes) -> str:
    """The text of the content ``data`` of ``page``, a line per baseline.

    Raises:
        _Unreadable: a font or an operator this reader does not handle.
    """
    resources = _dictionary(page["/Resources"]) if "/Resources" in page else DictionaryObject()
    fonts = _dictionary(resources["/Font"]) if "/Font" in resources else DictionaryObject()
    maps: dict[str, tuple[int, dict[bytes, str]]] = {}
    font: tuple[int, dict[bytes, str]] | None = None
    operands: list[bytes] = []
    array: list[bytes] | None = None
    lines: list[list[str]] = []
    y: float | None = None  # baseline of the line being read
    line_y = 0.0  # the text line matrix's y

    def show(pieces: list[str]) -> None:
        nonlocal y
        if y is None or abs(line_y - y) > 1:
            lines.append([])
            y = line_y
        lines[-1].append("".join(pieces))

    def decode(raw: bytes) -> str:
        if font is None:
            raise _Unreadable("text before a font")
        width, codes = font
        return "".join(codes.get(raw[i : i + width], "") for i in range(0, len(raw), width))

    for token in _TOKEN.findall(data):
        if array is not None:
            if token == b"]":
                operands.append(b"[" + b"\x00".join(array))
                array = None
            else:
                array.append(token)
            continue
        if token == b"[":
            array = []
        elif token[:1] in b"(</" or token[:1].isdigit() or token[:1] in b"-+.":
            operands.append(token)
        else:
            if token == b"Tf" and len(operands) >= 2:
                name = operands[-2].decode("latin-1")
                if name not in maps:
                    if name not in fonts:
                        raise _Unreadable(f"no font {name}")
                    maps[name] = _to_unicode(_dictionary(fonts[name]))
                font = maps[name]
            elif token == b"BT":
                line_y = 0.0
            elif token in (b"Td", b"TD") and len(operands) >= 2:
                line_y += float(operands[-1])
            elif token == b"Tm" and len(operands) >= 6:
                line_y = float(operands[-1])
            elif token in (b"T*", b"'", b'"'):
                line_y -= 1000.0  # a new line whatever the leading
            if token in (b"Tj", b"'", b'"') and operands and (raw := _string(operands[-1])):
                show([decode(raw)])
            elif token == b"TJ" and operands and operands[-1].startswith(b"["):
                pieces = []
                for item in operands[-1][1:].split(b"\x00"):
                    raw = _string(item)
                    if raw is not None:
                        pieces.append(decode(raw))
                    elif item and float(item) < _KERN_SPACE:
                        pieces.append(" ")
                show(pieces)
            elif token == b"Do" and operands and _is_form(resources, operands[-1]):
                raise _Unreadable("a form XObject, which may hold text")
            elif token in (b"BI", b"ID", b"EI", b"BX", b"EX", b"d0", b"d1"):
                raise _Unreadable(f"operator {token.decode()}")
            operands = []
    return "\n".join(" ".join(piece for piece in line if piece) for line in lines)


def _head_text(reader: PdfReader) -> str | None:
    """Text of the first text objects of page 1, or None when that is not worth it.

    An optimisation only: whatever goes wrong here, the whole page is read instead.
    """
    try:
        page = _first_page(reader)
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        ends = [m.end() for m in _TEXT_OBJECT_END.finditer(data, 0, _HEAD_BYTES)]
        if len(data) <= _HEAD_BYTES or not ends:
            return None
        stream = DecodedStreamObject()
        stream.set_data(data[: ends[-1]])  # cut after a whole text object ("BT ... ET")
        try:
            return _quick_text(page, data[: ends[-1]])
        except _Unreadable:
            page[NameObject("/Contents")] = stream
            return page.extract_text()
    except Exception:  # e.g. the cut split a string operand after all
        return None


def _page_text(page: PageObject) -> str:
    """The whole text of ``page``: the quick reader's, else pypdf's (a font or an operator
    the quick reader does not handle). Several times faster where it reads: a document
    the top of its first page does not place (an operator the robot cannot know, whose
    mail the sender places) is read whole at little cost."""
    try:
        contents = page.get_contents()
        return _quick_text(page, contents.get_data() if contents is not None else b"")
    except Exception:  # an optimisation only, as in _head_text
        return page.extract_text()


def _recognise_steps(data: bytes) -> Recognition:
    reader = PdfReader(io.BytesIO(data), strict=False)
    head = _head_text(reader)
    if head is not None:
        try:
            return recognise_text(head, DocumentFormat.PDF, complete=False)
        except NotAnOperatorDocument:
            pass
    if not reader.pages:
        raise CorruptDocument("PDF without pages")
    text = _page_text(reader.pages[0])
    try:
        found = recognise_text(text, DocumentFormat.PDF)
        if found.operator is not None or len(reader.pages) < 2:
            return found
    except NotAnOperatorDocument:
        if len(reader.pages) < 2:
            raise
    # Requisites may be printed at the foot, after a long first page.
    return recognise_text(text + "\n" + _page_text(reader.pages[1]), DocumentFormat.PDF)


def recognise_pdf(data: bytes) -> Recognition:
    """Recognise an operator document delivered as PDF.

    Only the top of the first page is read when it names everything; the whole first
    page, then the second, only when it does not.

    Args:
        data: The file's bytes.

    Returns:
        The recognition, with format PDF.

    Raises:
        CorruptDocument: pypdf cannot read the file (truncated, damaged, not a PDF).
        NotAnOperatorDocument: Readable, but no operator signature, title or period.
    """
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        # Without the marker pypdf would rebuild a truncated file and read what is left.
        raise CorruptDocument("truncated PDF: no %%EOF marker at the end")
    try:
        return _recognise_steps(data)
    except (CorruptDocument, NotAnOperatorDocument):
        raise
    except Exception as exc:  # pypdf raises many exception types on garbage: all mean damage
        raise CorruptDocument(f"unreadable PDF: {type(exc).__name__}: {exc}"[:200]) from None
