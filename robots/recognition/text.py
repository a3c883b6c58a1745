"""Recognition of operator documents from their text: plain text, HTML, and (via pdf.py) PDF."""

from __future__ import annotations

import codecs
import re
from html import unescape

from robots.domain import DocumentFormat, DocumentKind
from robots.recognition.common import (
    KIND_TITLES,
    NotAnOperatorDocument,
    Recognition,
    account_in_text,
    operator_in_text,
    period_in_text,
    phone_numbers_in_text,
)

# Subscriber numbers are read only after a label: call rows also hold the other party's
# number, which looks the same.
_NUMBERS_LABEL_RE = re.compile(
    r"(?:абонентск\w*\s+номер\w*|номер\s+абонента|номер\s+телефона|абонент)\s*[:№]?\s*"
    # A list may wrap after a comma, never elsewhere: the next line may be a call row.
    r"([+0-9][0-9+ \t-]*(?:[,;]\s*[+0-9][0-9+ \t-]*)*)",
    re.IGNORECASE,
)


def kind_in_text(text: str) -> DocumentKind | None:
    """The document kind named by the earliest title phrase in ``text``."""
    # The earliest phrase is the title; on a tie the more specific (listed first) wins.
    found = [(m.start(), i) for i, (_, p) in enumerate(KIND_TITLES) if (m := p.search(text))]
    return KIND_TITLES[min(found)[1]][0] if found else None


def recognise_text(text: str, fmt: DocumentFormat, *, complete: bool = True) -> Recognition:
    """Recognise a document from its extracted text.

    Args:
        text: The document's text (or the part of it that holds the heading).
        fmt: The file format the text came from.
        complete: False when ``text`` is the head of a longer text: a list of
            subscriber numbers running to its very end may go on, which is reported
            as NotAnOperatorDocument so that the caller reads on.

    Returns:
        Operator, kind, period and account; subscriber numbers for call details.

    Raises:
        NotAnOperatorDocument: No operator signature, no title or no period in the text.
    """
    operator, kind, period = operator_in_text(text), kind_in_text(text), period_in_text(text)
    missing = [
        what
        for what, value in (("operator signature", operator), ("title", kind), ("period", period))
        if value is None
    ]
    if operator is None or kind is None or period is None:
        raise NotAnOperatorDocument(f"no {', no '.join(missing)}")
    numbers: tuple[str, ...] = ()
    if kind is DocumentKind.CALL_DETAILS:
        lists = list(_NUMBERS_LABEL_RE.finditer(text))
        if lists and not complete and not text[lists[-1].end() :].strip(" \t\r\n,;"):
            raise NotAnOperatorDocument("the list of subscriber numbers may go on")
        numbers = phone_numbers_in_text(" ".join(m[1] for m in lists))
    return Recognition(operator, kind, fmt, period, account_in_text(text), numbers)


_BLOCKS = "p|div|br|tr|td|th|li|title|table|section|header|footer|h[1-6]"
_ATTRIBUTES = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""  # to the ">" outside quotes
# Comments, and script and style elements, hide their content (to the end of the page
# if unclosed); declarations and processing instructions show nothing.
_HIDDEN_RE = re.compile(
    rf"<!--.*?(?:-->|\Z)|<(script|style)\b{_ATTRIBUTES}>.*?(?:</\1\s*>|\Z)|<[!?][^>]*>",
    re.IGNORECASE | re.DOTALL,
)
# A block element's tags each break the line (<br/> opens and closes: two breaks); any
# other tag ("<" and a letter: anything else is text, as browsers read it) shows nothing.
_SELF_CLOSED_BLOCK_RE = re.compile(rf"<(?:{_BLOCKS})(?=[\s/]){_ATTRIBUTES}/>", re.IGNORECASE)
_BLOCK_TAG_RE = re.compile(rf"</?(?:{_BLOCKS})(?=[\s/>]){_ATTRIBUTES}>", re.IGNORECASE)
_TAG_RE = re.compile(rf"</?[a-zA-Z]{_ATTRIBUTES}>")


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode_html(data: bytes) -> str:
    declared = _META_CHARSET_RE.search(data[:4096])
    candidates = [enc for bom, enc in _BOMS if data.startswith(bom)]
    candidates += [declared[1].decode("ascii")] if declared else []
    for encoding in (*candidates, "utf-8", "cp1251"):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")  # cp1251 fails only on byte 0x98


def _visible_text(html: str) -> str:
    """The page's text, one line per block element or table cell.

    Regular expressions rather than html.parser: it took 5 ms a page, in Python calls.
    """
    text = _SELF_CLOSED_BLOCK_RE.sub("\n\n", _HIDDEN_RE.sub("", html))
    return unescape(_TAG_RE.sub("", _BLOCK_TAG_RE.sub("\n", text)))


_HTML_HEAD_CHARS = 16_384  # requisites, title, account, period and the list of numbers


def recognise_html(data: bytes) -> Recognition:
    """Recognise an operator document delivered as an HTML page.

    The head of the page is read first (call details run to megabytes); the whole
    page only when the head lacks something.

    Args:
        data: The file's bytes.

    Returns:
        The recognition, with format HTML.

    Raises:
        NotAnOperatorDocument: The page is not an operator document (a login page, an
            error page): the message says what was missing.
    """
    html = _decode_html(data)
    if len(html) > _HTML_HEAD_CHARS:
        try:
            head = _visible_text(html[:_HTML_HEAD_CHARS])
            return recognise_text(head, DocumentFormat.HTML, complete=False)
        except NotAnOperatorDocument:
            pass
    try:
        return recognise_text(_visible_text(html), DocumentFormat.HTML)
    except NotAnOperatorDocument as exc:
        raise NotAnOperatorDocument(f"HTML page, not an operator document: {exc}") from None


_TEXT_ENCODINGS = ("utf-8-sig", "cp1251", "koi8-r")


def recognise_txt(data: bytes) -> Recognition:
    """Recognise an operator document delivered as plain text.

    The encoding is not declared anywhere, so the first of UTF-8, cp1251 and KOI8-R in
    which an operator signature can be read is taken (UTF-16 only with its BOM).

    Args:
        data: The file's bytes.

    Returns:
        The recognition, with format TXT.

    Raises:
        NotAnOperatorDocument: No encoding yields an operator's text (binary data,
            another company's text) or the text lacks a title or period.
    """
    encodings: tuple[str, ...] = _TEXT_ENCODINGS
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif b"\x00" in data[:4096]:
        raise NotAnOperatorDocument("binary data, not a text document")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if operator_in_text(text) is not None:
            return recognise_text(text, DocumentFormat.TXT)
    raise NotAnOperatorDocument(f"no operator signature in {', '.join(encodings)} text")
