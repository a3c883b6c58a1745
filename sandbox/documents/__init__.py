"""Renderers of realistic operator documents (PDF, XLSX, XLS, XML, HTML, TXT).

``render(spec)`` returns the bytes the operator would send for ``spec``; the same
spec always gives the same bytes. Renderers are imported on first use (fpdf2 and
openpyxl are slow to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from robots.domain import DocumentFormat
from sandbox.documents.model import Customer, DocumentSpec

__all__ = ["Customer", "DocumentSpec", "render"]

_RENDERERS: dict[DocumentFormat, tuple[str, str]] = {
    DocumentFormat.PDF: ("sandbox.documents.pdf", "render_pdf"),
    DocumentFormat.XLSX: ("sandbox.documents.sheets", "render_xlsx"),
    DocumentFormat.XLS: ("sandbox.documents.sheets", "render_xls"),
    DocumentFormat.XML: ("sandbox.documents.xml", "render_xml"),
    DocumentFormat.HTML: ("sandbox.documents.text", "render_html"),
    DocumentFormat.TXT: ("sandbox.documents.text", "render_txt"),
}


def render(spec: DocumentSpec) -> bytes:
    """The bytes of the document ``spec`` describes."""
    if spec.format not in _RENDERERS:
        raise ValueError(f"no renderer for {spec.format}: archives are built from rendered files")
    module, name = _RENDERERS[spec.format]
    renderer: Callable[[DocumentSpec], bytes] = getattr(importlib.import_module(module), name)
    return renderer(spec)
