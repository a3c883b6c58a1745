"""Renderers of realistic operator documents (PDF, XLSX, XLS, XML, HTML, TXT).

``render(spec)`` returns the bytes the operator would send for ``spec``; the same
spec always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from robots.domain import DocumentFormat
from sandbox.documents.model import Customer, DocumentSpec

__all__ = ["Customer", "DocumentSpec", "render"]


def _renderer(fmt: DocumentFormat) -> Callable[[DocumentSpec], bytes]:
    if fmt is DocumentFormat.PDF:
        from sandbox.documents.pdf import render_pdf

        return render_pdf
    if fmt is DocumentFormat.XLSX:
        from sandbox.documents.sheets import render_xlsx

        return render_xlsx
    if fmt is DocumentFormat.XLS:
        from sandbox.documents.sheets import render_xls

        return render_xls
    if fmt is DocumentFormat.XML:
        from sandbox.documents.xml import render_xml

        return render_xml
    if fmt is DocumentFormat.HTML:
        from sandbox.documents.text import render_html

        return render_html
    if fmt is DocumentFormat.TXT:
        from sandbox.documents.text import render_txt

        return render_txt
    raise ValueError(f"no renderer for {fmt}: archives are built from rendered files")


def render(spec: DocumentSpec) -> bytes:
    """The bytes of the document ``spec`` describes."""
    return _renderer(spec.format)(spec)
