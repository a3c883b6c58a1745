"""Operator documents written by the tests themselves, independently of the sandbox."""

from __future__ import annotations

from fpdf import FPDF

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def pdf_of(lines: list[str], *, font_size: float = 10) -> bytes:
    """A one-page text PDF of ``lines`` in DejaVu (Cyrillic needs an embedded font)."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", DEJAVU)
    pdf.set_font("DejaVu", size=font_size)
    pdf.add_page()
    for line in lines:
        pdf.cell(0, font_size * 0.6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
