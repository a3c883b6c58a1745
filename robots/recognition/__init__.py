"""Recognition of operator documents from their content, never from names or subjects.

``recognise(data)`` sniffs the format from the bytes and hands the file to the reader
of that format. The readers are imported on first use: pypdf and openpyxl cost
start-up time that an incremental run with nothing new should not pay.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from robots import preload
from robots.domain import DocumentFormat
from robots.recognition.common import (
    CorruptDocument,
    NotAnOperatorDocument,
    Recognition,
    UnknownIssuer,
    sniff_format,
)

__all__ = [
    "CorruptDocument",
    "NotAnOperatorDocument",
    "Recognition",
    "UnknownIssuer",
    "recognise",
    "sniff_format",
]

# Bytes with no recognisable magic are tried as plain text (A1 sends .txt invoices).
_READERS: dict[DocumentFormat | None, tuple[str, str]] = {
    DocumentFormat.PDF: ("robots.recognition.pdf", "recognise_pdf"),
    DocumentFormat.XLSX: ("robots.recognition.sheets", "recognise_xlsx"),
    DocumentFormat.XLS: ("robots.recognition.sheets", "recognise_xls"),
    DocumentFormat.XML: ("robots.recognition.xml", "recognise_xml"),
    DocumentFormat.HTML: ("robots.recognition.text", "recognise_html"),
    None: ("robots.recognition.text", "recognise_txt"),
}


def recognise(data: bytes | Path) -> Recognition:
    """What ``data`` is: operator, kind, format, period, account, numbers.

    ``data`` is the content, or the path of a file too large to hold: XML is then
    streamed from the file, other formats are read into memory.

    Raises:
        CorruptDocument: the bytes claim a format but cannot be read as it.
        NotAnOperatorDocument: readable, but not a document of a known operator.
        UnknownIssuer: a titled, dated document issued by a company the robot does not
            know; its ``recognition`` (operator None) is for the caller to place.
    """
    fmt = sniff_format(data)
    if fmt not in _READERS:
        raise NotAnOperatorDocument(f"a {fmt} file: archives are opened, not recognised")
    preload.wait_all()  # a reader being imported ahead is not imported twice at once
    if isinstance(data, Path):
        if fmt is DocumentFormat.XML:
            from robots.recognition.xml import recognise_xml

            return recognise_xml(data)
        data = data.read_bytes()
    module, name = _READERS[fmt]
    reader: Callable[[bytes], Recognition] = getattr(importlib.import_module(module), name)
    return reader(data)
