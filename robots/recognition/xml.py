"""Recognition of MTS call details in XML (``<Report>`` with one ``<ds>`` per number).

The files reach 100+ MB, so they are parsed as a stream by expat, which builds no
tree: memory stays constant whatever the size.
Only the root (operator requisites) and the ``<ds>`` sections (number, start and end
dates) are read. The file names no account: the collector resolves it from the numbers.

XML from a mailbox is untrusted. A DOCTYPE is where entity declarations live
(billion laughs, external entities), and XML allows one only in the prolog, before the
root element: the prolog is checked before anything is parsed, and a file with a
DOCTYPE is refused. An MTS report never has one.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import re
from typing import BinaryIO
from xml.parsers import expat

from robots.domain import DocumentFormat, DocumentKind, Operator
from robots.errors import ParseError
from robots.recognition.common import (
    CorruptDocument,
    NotAnOperatorDocument,
    Recognition,
    operator_in_text,
    parse_ru_date,
    period_of_range,
)

PROLOG_LIMIT = 64 * 1024  # a prolog longer than this is refused, not searched further
_NUMBER_RE = re.compile(r"[0-9]{10,15}")
_PROLOG_ITEM_RE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def recognise_xml(source: bytes | pathlib.Path) -> Recognition:
    """Recognise MTS call details in XML, streaming (constant memory for any size).

    Args:
        source: The file's bytes, or the path of a file too big to hold.

    Returns:
        MTS call details: period from the earliest ``sd`` to the latest ``ed`` of the
        sections, every ``<ds n=...>`` number, account None.

    Raises:
        NotAnOperatorDocument: A DOCTYPE or entity declaration (refused unparsed), a
            non-ASCII-compatible encoding, or well-formed XML that is not an MTS report.
        CorruptDocument: Empty, malformed or truncated XML.
        ParseError: An MTS report without sections, or with a bad number or date.
        OSError: ``source`` is a path that cannot be read.
    """
    stream: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    with stream:
        _check_prolog(stream.read(PROLOG_LIMIT))
        stream.seek(0)
        try:
            return _read_report(stream)
        except expat.ExpatError as exc:
            raise CorruptDocument(f"malformed XML: {exc}") from exc


def _check_prolog(head: bytes) -> None:
    """Refuse what must not reach the parser; return when the root element starts."""
    if not head.strip():
        raise CorruptDocument("empty XML file")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        # UTF-16/32 would hide "<!DOCTYPE" from a byte check; MTS writes UTF-8.
        raise NotAnOperatorDocument("XML in UTF-16/32: only ASCII-compatible encodings are read")
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while match := _PROLOG_ITEM_RE.match(head, pos):  # XML declaration, PIs, comments
        pos = match.end()
    rest = head[pos:].lstrip()
    if rest.startswith((b"<?", b"<!--")):  # opened, not closed within the head
        if len(head) == PROLOG_LIMIT:
            raise NotAnOperatorDocument(f"XML prolog longer than {PROLOG_LIMIT} bytes")
        raise CorruptDocument("malformed XML: the prolog never ends")
    if rest.startswith(b"<!"):
        raise NotAnOperatorDocument(
            "XML with a DOCTYPE (entity declarations) is refused: entity expansion attacks"
        )
    if not re.match(rb"<[^\s<>/!?]", rest):
        raise CorruptDocument("not XML: no root element after the prolog")


class _Report:
    """Collects what recognition needs while expat streams the file.

    expat (C) calls ``start`` per element and builds no tree: a 300 KB report is
    read in about a millisecond, a 100 MB one in constant memory.
    """

    def __init__(self) -> None:
        self.root_seen = False
        self.numbers: set[str] = set()
        self.start: dt.date | None = None
        self.end: dt.date | None = None

    def start_element(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.root_seen:
            self.root_seen = True
            _check_root(tag, attrs)
        elif tag == "ds":
            number, sd, ed = _section(attrs)
            self.numbers.add(number)
            self.start = sd if self.start is None else min(self.start, sd)
            self.end = ed if self.end is None else max(self.end, ed)


def _read_report(stream: BinaryIO) -> Recognition:
    report = _Report()
    parser = expat.ParserCreate()
    parser.StartElementHandler = report.start_element
    parser.ParseFile(stream)
    if not report.root_seen:
        raise CorruptDocument("malformed XML: no root element")
    if report.start is None or report.end is None:
        raise ParseError("MTS report has no <ds> sections")
    return Recognition(
        operator=Operator.MTS,
        kind=DocumentKind.CALL_DETAILS,
        format=DocumentFormat.XML,
        period=period_of_range(report.start, report.end),
        account=None,
        numbers=tuple(sorted(report.numbers)),
    )


def _check_root(tag: str, attrs: dict[str, str]) -> None:
    if tag != "Report":
        raise NotAnOperatorDocument(f"root element <{tag[:40]}> is not an MTS <Report>")
    requisites = " ".join(attrs.values())
    if inn := attrs.get("inn"):
        requisites += f" ИНН {inn}"  # the tax id as OPERATOR_SIGNATURES prints it
    if operator_in_text(requisites) is not Operator.MTS:
        raise NotAnOperatorDocument("<Report> carries no MTS legal name or tax id")


def _section(attrs: dict[str, str]) -> tuple[str, dt.date, dt.date]:
    number, sd, ed = (attrs.get(name, "") for name in ("n", "sd", "ed"))
    if not _NUMBER_RE.fullmatch(number):
        raise ParseError(f"<ds n={number[:20]!r}> is not a subscriber number")
    return number, parse_ru_date(sd), parse_ru_date(ed)
