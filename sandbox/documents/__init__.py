"""Renderers of realistic operator documents (PDF, XLSX, XLS, XML, HTML, TXT)."""
