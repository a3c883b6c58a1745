"""Recognition of operator documents from their content, never from names or subjects.

``recognise(data)`` sniffs the format from the bytes and hands the file to the reader
of that format. The readers are imported on first use: pypdf and openpyxl cost
start-up time that an incremental run with nothing new should not pay.
"""

from __future__ import annotations

from robots.domain import DocumentFormat
from robots.recognition.common import (
    CorruptDocument,
    NotAnOperatorDocument,
    Recognition,
    sniff_format,
)

__all__ = ["CorruptDocument", "NotAnOperatorDocument", "Recognition", "recognise", "sniff_format"]


def recognise(data: bytes) -> Recognition:
    """What ``data`` is: operator, kind, format, period, account, numbers.

    Raises:
        CorruptDocument: the bytes claim a format but cannot be read as it.
        NotAnOperatorDocument: readable, but not a document of a known operator.
    """
    fmt = sniff_format(data)
    if fmt is DocumentFormat.PDF:
        from robots.recognition.pdf import recognise_pdf

        return recognise_pdf(data)
    if fmt is DocumentFormat.XLSX:
        from robots.recognition.sheets import recognise_xlsx

        return recognise_xlsx(data)
    if fmt is DocumentFormat.XLS:
        from robots.recognition.sheets import recognise_xls

        return recognise_xls(data)
    if fmt is DocumentFormat.XML:
        from robots.recognition.xml import recognise_xml

        return recognise_xml(data)
    if fmt is DocumentFormat.HTML:
        from robots.recognition.text import recognise_html

        return recognise_html(data)
    if fmt is DocumentFormat.ZIP:
        raise NotAnOperatorDocument("an archive: it is opened before recognition, not recognised")
    from robots.recognition.text import recognise_txt

    return recognise_txt(data)
