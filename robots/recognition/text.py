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
    UnknownIssuer,
    account_evidence,
    call_dates_in_text,
    calls_period,
    operator_signature,
    period_evidence,
    phone_numbers_in_text,
    read_recognition,
)

# Subscriber numbers are read only after a label: call rows also hold the other party's
# number, which looks the same.
_NUMBERS_LABEL_RE = re.compile(
    r"(?:абонентск\w*\s+номер\w*|номер\s+абонента|номер\s+телефона|абонент)\s*[:№]?\s*"
    # A list may wrap after a comma, never elsewhere: the next line may be a call row.
    r"([+0-9(][0-9+ \t()-]*(?:[,;]\s*[+0-9(][0-9+ \t()-]*)*)",
    re.IGNORECASE,
)


def kind_in_text(text: str) -> DocumentKind | None:
    """The document kind named by the earliest title phrase in ``text``."""
    found = kind_evidence(text)
    return found[0] if found else None


def kind_evidence(text: str) -> tuple[DocumentKind, str] | None:
    """The kind named by the earliest title phrase in ``text``, and that phrase."""
    # The earliest phrase is the title; on a tie the more specific (listed first) wins.
    found = [(m.start(), i, m) for i, (_, p) in enumerate(KIND_TITLES) if (m := p.search(text))]
    if not found:
        return None
    _, index, match = min(found, key=lambda f: (f[0], f[1]))
    return KIND_TITLES[index][0], f"title «{' '.join(match[0].split())}»"


def recognise_text(text: str, fmt: DocumentFormat, *, complete: bool = True) -> Recognition:
    """Recognise a document from its extracted text.

    Args:
        text: The document's text (or the part of it that holds the heading).
        fmt: The file format the text came from.
        complete: False when ``text`` is the head of a longer text: a list of
            subscriber numbers running to its very end may go on, and a missing
            operator signature or period may be further down; both are reported as
            NotAnOperatorDocument so that the caller reads on.

    Returns:
        Operator (None when the text names none the robot knows), kind, period and
        account; subscriber numbers for call details; the evidence of each.

    Raises:
        NotAnOperatorDocument: No title, or no period (printed, or for call details
            from the dates of the calls) in the text.
        UnknownIssuer: Titled and dated, but issued by a company that is no operator
            the robot knows; it carries the recognition, for the caller to place.
    """
    operator, marker = operator_signature(text)
    kind_found = kind_evidence(text)
    period_found = period_evidence(text)
    details = kind_found is not None and kind_found[0] is DocumentKind.CALL_DETAILS
    if details and period_found is None and complete:
        period_found = calls_period(call_dates_in_text(text))
    missing = [
        what
        for what, value in (
            ("operator signature", operator),
            ("title", kind_found),
            ("period", period_found),
        )
        if value is None
    ]
    if kind_found is None or period_found is None or (operator is None and not complete):
        raise NotAnOperatorDocument(f"no {', no '.join(missing)}")
    kind, kind_why = kind_found
    period, period_why = period_found
    numbers: tuple[str, ...] = ()
    evidence = {"kind": kind_why, "period": period_why}
    if operator is not None:
        evidence["operator"] = f"text «{marker}»"
    if kind is DocumentKind.CALL_DETAILS:
        lists = list(_NUMBERS_LABEL_RE.finditer(text))
        if lists and not complete and not text[lists[-1].end() :].strip(" \t\r\n,;()"):
            raise NotAnOperatorDocument("the list of subscriber numbers may go on")
        numbers = phone_numbers_in_text(" ".join(m[1] for m in lists))
        if numbers:
            evidence["numbers"] = f"text «{' '.join(lists[0][0].split())[:60]}»"
    account_found = account_evidence(text)
    account = None
    if account_found is not None:
        account, evidence["account"] = account_found
    return read_recognition(text, operator, kind, fmt, period, account, numbers, evidence)


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


def decode_html(data: bytes) -> str:
    """An HTML file's text, in the encoding its BOM or ``<meta charset>`` declares."""
    declared = _META_CHARSET_RE.search(data[:4096])
    candidates = [enc for bom, enc in _BOMS if data.startswith(bom)]
    candidates += [declared[1].decode("ascii")] if declared else []
    for encoding in (*candidates, "utf-8", "cp1251"):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")  # cp1251 fails only on byte 0x98


def visible_text(html: str) -> str:
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
    html = decode_html(data)
    if len(html) > _HTML_HEAD_CHARS:
        try:
            head = visible_text(html[:_HTML_HEAD_CHARS])
            return recognise_text(head, DocumentFormat.HTML, complete=False)
        except NotAnOperatorDocument:
            pass
    try:
        return recognise_text(visible_text(html), DocumentFormat.HTML)
    except UnknownIssuer:
        raise
    except NotAnOperatorDocument as exc:
        raise NotAnOperatorDocument(f"HTML page, not an operator document: {exc}") from None


TEXT_ENCODINGS = ("utf-8-sig", "cp1251", "koi8-r")  # what operators' plain text comes in


def recognise_txt(data: bytes) -> Recognition:
    """Recognise an operator document delivered as plain text.

    The encoding is not declared anywhere, so the first of UTF-8, cp1251 and KOI8-R in
    which an operator signature (else a document title) can be read is taken (UTF-16
    only with its BOM).

    Args:
        data: The file's bytes.

    Returns:
        The recognition, with format TXT.

    Raises:
        NotAnOperatorDocument: No encoding yields an operator's text (binary data,
            another company's text) or the text lacks a title or period.
    """
    encodings: tuple[str, ...] = TEXT_ENCODINGS
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif b"\x00" in data[:4096]:
        raise NotAnOperatorDocument("binary data, not a text document")
    texts = []
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if operator_signature(text)[0] is not None:
            return recognise_text(text, DocumentFormat.TXT)
        texts.append(text)
    for text in texts:  # no operator named: a titled document the sender may place
        if kind_evidence(text) is not None:
            return recognise_text(text, DocumentFormat.TXT)
    raise NotAnOperatorDocument(f"no operator signature in {', '.join(encodings)} text")
