"""Recognition of PDF operator documents from the text at the top of their first page.

Speed matters (a collector reads thousands of files a minute) and pypdf's text
extraction costs about 1 ms per 1.5 KB of page content, while requisites, title,
account and period are printed at the top. So the text is read in widening steps,
each tried only if the previous lacked something: the head of page 1's content
stream, the whole of page 1, pages 1 and 2.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, PdfObject

from robots.domain import DocumentFormat
from robots.recognition.common import CorruptDocument, NotAnOperatorDocument, Recognition
from robots.recognition.text import recognise_text

# pypdf logs warnings and errors for every robustness fix it applies to a malformed file;
# the collector reads thousands of files and reports damage itself, as CorruptDocument.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

_EOF_WINDOW = 1024  # the spec wants %%EOF at the very end; readers accept it in the last 1 KiB
_HEAD_BYTES = 2048  # of decoded page content: requisites, title and ~40 subscriber numbers
_TEXT_OBJECT_END = re.compile(rb"\sET\s")
_INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


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
        page[NameObject("/Contents")] = stream
        return page.extract_text()
    except Exception:  # e.g. the cut split a string operand after all
        return None


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
    text = reader.pages[0].extract_text()
    try:
        found = recognise_text(text, DocumentFormat.PDF)
        if found.operator is not None or len(reader.pages) < 2:
            return found
    except NotAnOperatorDocument:
        if len(reader.pages) < 2:
            raise
    # Requisites may be printed at the foot, after a long first page.
    return recognise_text(text + "\n" + reader.pages[1].extract_text(), DocumentFormat.PDF)


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
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        # Without the marker pypdf would rebuild a truncated file and read what is left.
        raise CorruptDocument("truncated PDF: no %%EOF marker at the end")
    try:
        return _recognise_steps(data)
    except (CorruptDocument, NotAnOperatorDocument):
        raise
    except Exception as exc:  # pypdf raises many exception types on garbage: all mean damage
        raise CorruptDocument(f"unreadable PDF: {type(exc).__name__}: {exc}"[:200]) from None
