"""A paper invoice put through an office scanner: a PDF holding one picture per page.

The words are pixels, not text: a person reads them, no text reader does. The robot
can only queue such a file for review, where a person says what it is.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

from sandbox.documents import DocumentSpec
from sandbox.documents.model import REQUISITES

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
_PAGE_PX = (827, 1169)  # A4 at 100 dpi: what a quick office scan gives


def scanned_invoice(spec: DocumentSpec) -> bytes:
    """The invoice of ``spec`` as a scanner writes it: a greyscale A4 image in a PDF."""
    from fpdf import FPDF

    issuer = REQUISITES[spec.operator]
    lines = [
        issuer.legal_name,
        f"{issuer.tax_id_label} {issuer.tax_id}",
        "",
        f"СЧЁТ за {spec.period.month:02d}.{spec.period.year}",
        f"Лицевой счёт № {spec.account}",
        "",
        "Абонентская плата ............ 120,00",
        "Междугородняя связь .......... 34,50",
        f"Итого к оплате: 154,50 {issuer.currency}",
    ]
    page = Image.new("L", _PAGE_PX, color=250)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(_FONT, 22)
    for row, line in enumerate(lines):
        draw.text((80, 90 + row * 38), line, fill=25, font=font)
    page = ImageOps.autocontrast(page.rotate(0.6, fillcolor=235))  # slightly askew, as fed
    png = io.BytesIO()
    page.save(png, format="PNG")
    pdf = FPDF()
    pdf.set_creator("Scanner")
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=210)
    return bytes(pdf.output())
