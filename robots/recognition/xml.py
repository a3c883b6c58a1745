"""Recognition of MTS call details in XML (``<Report>`` with one ``<ds>`` per number).

The real layout, as a public parser of MTS Business call details reads it (a
TypeScript ``MtsBusinessCdrService``, found by searching public code for
``<Report>…<ds n=… type=… sim=…>…<i d= n= s= du= …/>``): a bare ``<Report>`` with no
requisites; ``<ds sd="01.06.2026" ed="30.06.2026" n="79001234567" type=… sim=…>`` per
number, holding one ``<i d="01.06.2026 12:40:48" n="&lt;--+79152763968" s="Телеф."
du="1:10" c="0"/>`` per call; service summaries under ``<tp>`` are ``<ds>`` too, with a
service name for ``n`` and no dates. That structure is the operator's signature where
the root names no operator.

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
import html
import pathlib
import re
from collections.abc import Callable, Iterable, Iterator
from xml.parsers import expat

from robots.domain import DocumentFormat, DocumentKind, Operator
from robots.errors import ParseError
from robots.recognition.common import (
    CorruptDocument,
    NotAnOperatorDocument,
    Recognition,
    calls_period,
    normalise_phone,
    operator_signature,
    parse_ru_date,
    period_of_range,
)

PROLOG_LIMIT = 64 * 1024  # a prolog longer than this is refused, not searched further
_CHUNK = 1 << 20
_NUMBER_RE = re.compile(r"[0-9]{10,15}")
_PROLOG_ITEM_RE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
# Only after expat found the file well-formed: then these tags are real tags.
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")
_SECTION_RE = re.compile(rb"<ds((?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")
_CALL_RE = re.compile(rb"<i\b[^>]*?\bd=[\"'](\d{1,2}\.\d{2}\.\d{4})")
_ATTR_RE = re.compile(rb"([\w.:-]+)\s*=\s*([\"'])(.*?)\2", re.DOTALL)


def recognise_xml(source: bytes | pathlib.Path) -> Recognition:
    """Recognise MTS call details in XML (constant memory for any size).

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
    if isinstance(source, bytes):
        data = source
        return _recognise(source[:PROLOG_LIMIT], [source], lambda: [data])
    with source.open("rb") as stream:
        head = stream.read(PROLOG_LIMIT)
        stream.seek(0)
        return _recognise(head, iter(lambda: stream.read(_CHUNK), b""), lambda: _read(source))


def _read(path: pathlib.Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        yield from iter(lambda: stream.read(_CHUNK), b"")


def _call_dates(chunks: Iterable[bytes]) -> Iterator[dt.date]:
    """The dates of the calls (``<i d="01.10.2026 12:40:48" …/>``), read in a second pass."""
    tail = b""
    for chunk in chunks:
        text = tail + chunk
        cut = text.rfind(b"<")
        for match in _CALL_RE.finditer(text, 0, max(cut, 0)):
            yield parse_ru_date(match[1].decode())
        tail = text[cut:] if cut >= 0 else b""
    for match in _CALL_RE.finditer(tail):
        yield parse_ru_date(match[1].decode())


def _recognise(
    head: bytes, chunks: Iterable[bytes], reread: Callable[[], Iterable[bytes]]
) -> Recognition:
    """One pass, in C: expat checks that the whole file is well-formed (no handlers: a
    Python call per record made the reader several times slower) while a regex picks
    out the sections, which are only trusted once expat has seen the end."""
    root = _check_prolog(head)
    parser = expat.ParserCreate()
    sections: list[bytes] = []
    tail = b""
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            text = tail + chunk
            cut = text.rfind(b"<")  # a tag cut at the chunk's end waits for the rest
            sections.extend(m[1] for m in _SECTION_RE.finditer(text, 0, max(cut, 0)))
            tail = text[cut:] if cut >= 0 else b""
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise CorruptDocument(f"malformed XML: {exc}") from exc
    sections.extend(m[1] for m in _SECTION_RE.finditer(tail))
    operator_why = _check_root(head, root)
    numbers: set[str] = set()
    start: dt.date | None = None
    end: dt.date | None = None
    undated = False
    for raw in sections:
        attrs = _attributes(raw)
        if not {"sd", "ed"} & attrs.keys():
            if (number := normalise_phone(attrs.get("n", ""))) is None:
                continue  # a service summary («<tp>… <ds n="Телефония">»), not a number's
            numbers.add(number)
            undated = True  # the calls give the period
            continue
        number, sd, ed = _section(attrs)
        numbers.add(number)
        start = sd if start is None else min(start, sd)
        end = ed if end is None else max(end, ed)
    if undated:
        found = calls_period(_call_dates(reread()))
        if found is None:
            raise ParseError("MTS report sections have no dates and no calls")
        period, period_why = found
    elif start is None or end is None:
        raise ParseError("MTS report has no <ds> sections")
    else:
        period, period_why = (
            period_of_range(start, end),
            f"sections {start:%d.%m.%Y}–{end:%d.%m.%Y}",
        )
    return Recognition(
        operator=Operator.MTS,
        kind=DocumentKind.CALL_DETAILS,
        format=DocumentFormat.XML,
        period=period,
        account=None,
        numbers=tuple(sorted(numbers)),
        evidence=(
            ("operator", operator_why),
            ("kind", "format MTS <Report> call details"),
            ("period", period_why),
            ("numbers", "sections <ds n=…>"),
        ),
    )


def _check_prolog(head: bytes) -> int:
    """Refuse what must not reach the parser; return where the root element starts."""
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
    return len(head) - len(rest)


def _attributes(raw: bytes) -> dict[str, str]:
    return {
        name.decode(): html.unescape(value.decode("utf-8", "replace"))
        for name, _quote, value in _ATTR_RE.findall(raw)
    }


def _check_root(data: bytes, position: int) -> str:
    """Refuse a root that is no MTS report; the evidence that it is MTS's."""
    match = _ROOT_RE.match(data, position)
    if match is None or match[1] != b"Report":
        tag = (match[1] if match else b"?").decode("utf-8", "replace")
        raise NotAnOperatorDocument(f"root element <{tag[:40]}> is not an MTS <Report>")
    attrs = _attributes(match[2])
    requisites = " ".join(attrs.values())
    if inn := attrs.get("inn"):
        requisites += f" ИНН {inn}"  # the tax id as OPERATOR_SIGNATURES prints it
    operator, marker = operator_signature(requisites)
    if operator is Operator.MTS:
        return f"text «{marker}»"
    if operator is not None:
        raise NotAnOperatorDocument(f"<Report> names {operator}, not MTS")
    return "format MTS <Report>/<ds n sd ed>"  # the real files name no operator


def _section(attrs: dict[str, str]) -> tuple[str, dt.date, dt.date]:
    raw, sd, ed = (attrs.get(name, "") for name in ("n", "sd", "ed"))
    number = raw if _NUMBER_RE.fullmatch(raw) else normalise_phone(raw)
    if number is None:
        raise ParseError(f"<ds n={raw[:20]!r}> is not a subscriber number")
    return number, parse_ru_date(sd), parse_ru_date(ed)
