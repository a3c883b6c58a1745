"""The quick reader of a PDF page's text: the same lines as pypdf's, or it gives way."""

from __future__ import annotations

import io

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.recognition.pdf import (
    _first_page,
    _page_text,
    _quick_text,
    _Unreadable,
    recognise_pdf,
)
from sandbox.documents.model import DocumentSpec
from sandbox.documents.pdf import SUPPORTED, render_pdf

NUMBERS = ("79161234567", "79161234568")


def _without_spaces(text: str) -> str:
    return "".join(text.split())


def _page_and_content(data: bytes) -> tuple[PageObject, bytes]:
    page = _first_page(PdfReader(io.BytesIO(data)))
    contents = page.get_contents()
    assert contents is not None
    return page, contents.get_data()


@pytest.mark.parametrize("combination", sorted(SUPPORTED), ids=lambda c: f"{c[0]}-{c[1]}")
def test_quick_text_is_pypdf_text_of_every_sandbox_pdf(
    combination: tuple[Operator, DocumentKind],
) -> None:
    operator, kind = combination
    spec = DocumentSpec(
        operator, kind, DocumentFormat.PDF, "277012345678", Period(year=2026, month=10), NUMBERS
    )
    data = render_pdf(spec)
    page, content = _page_and_content(data)
    quick, full = _quick_text(page, content), PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert quick.splitlines() and len(quick.splitlines()) == len(full.splitlines())
    # pypdf joins two cells of a row without a space where the next cell starts close by
    # («Interlocutor numberУслуга»); the quick reader puts one: the same text otherwise.
    assert _without_spaces(quick) == _without_spaces(full)


def test_a_scanned_stamp_is_skipped_and_the_invoice_recognised() -> None:
    from PIL import Image

    scan = io.BytesIO()
    Image.new("RGB", (600, 240), (230, 230, 235)).save(scan, "JPEG")
    spec = DocumentSpec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF, "277012345678",
                        Period(year=2026, month=10))  # fmt: skip
    data = render_pdf(spec, scan=scan.getvalue())
    page, content = _page_and_content(data)
    assert b" Do" in content
    # pypdf ends a line at an image; nothing follows it here
    pypdf_text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert _quick_text(page, content) == pypdf_text.rstrip("\n")
    found = recognise_pdf(data)
    assert (found.operator, found.kind, found.account) == (
        Operator.MTS,
        DocumentKind.INVOICE,
        "277012345678",
    )


def _hand_written(content: bytes, *, to_unicode: bytes | None) -> bytes:
    """One page in a simple font whose codes 0x41.. stand for «Счет» by a ToUnicode map."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    if to_unicode is not None:
        cmap = DecodedStreamObject()
        cmap.set_data(to_unicode)
        font[NameObject("/ToUnicode")] = writer._add_object(cmap)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(stream)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CMAP = (
    b"begincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
    b"2 beginbfchar\n<41> <0421>\n<42> <0447>\nendbfchar\n"
    b"1 beginbfrange\n<43> <44> <0435>\nendbfrange\n"  # 0x43 -> е, 0x44 -> ж
    b"1 beginbfchar\n<45> <0442>\nendbfchar\n"
    b"1 beginbfrange\n<30> <39> <0030>\nendbfrange\nendcmap\n"
)


def test_literal_strings_kerned_arrays_and_lines_are_read() -> None:
    content = (
        b"BT /F1 12 Tf 50 800 Td (AB\\103E) Tj 0 -20 Td [(12) -80 (3) -400 (\\(45\\))] TJ ET\n"
        b"BT /F1 12 Tf 1 0 0 1 50 760 Tm <4142> Tj 1 0 0 1 200 760 Tm (E) Tj T* (0) Tj ET"
    )
    data = _hand_written(content, to_unicode=CMAP)
    page, raw = _page_and_content(data)
    # codes the map lacks (the parentheses) are no text
    assert _quick_text(page, raw).splitlines() == ["Счет", "123 45", "Сч т", "0"]


def test_a_font_without_to_unicode_is_left_to_pypdf() -> None:
    data = _hand_written(b"BT /F1 12 Tf 50 800 Td (Hello) Tj ET", to_unicode=None)
    page, raw = _page_and_content(data)
    with pytest.raises(_Unreadable):
        _quick_text(page, raw)
    # A page read whole (its top placed nothing) is then pypdf's text.
    whole = PdfReader(io.BytesIO(data)).pages[0]
    assert _page_text(whole) == PdfReader(io.BytesIO(data)).pages[0].extract_text()
