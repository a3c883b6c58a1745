"""Evidence as a Prefect run's page shows it: a long, wide screenshot becomes a small JPEG
of the top of the page (real Chromium), embedded in the markdown beside the trace command.
"""

from __future__ import annotations

import base64
import re
import stat
from pathlib import Path

import pytest

from config.models import BrowserSettings
from robots.browser import launch_chromium
from robots.evidence_view import (
    PREVIEW_HEIGHT,
    PREVIEW_WIDTH,
    Evidence,
    evidence_markdown,
    make_previews,
    preview_path,
)

pytestmark = pytest.mark.integration


def screenshot(path: Path, width: int, height: int) -> Path:
    """A full-page PNG of a page ``width`` × ``height`` pixels, full of text."""
    with launch_chromium(BrowserSettings()) as chromium:
        page = chromium.new_page(viewport={"width": width, "height": min(height, 600)})
        rows = "".join(f"<p>Лицевой счёт 1100023{n:03d}: Итого к оплате</p>" for n in range(400))
        box = f"height:{height}px;overflow:hidden"  # the page is exactly this tall
        page.set_content(f'<body style="margin:0"><div style="{box}">{rows}</div>')
        page.screenshot(path=path, full_page=True)
    return path


def jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from a JPEG's frame header."""
    at = 2
    while at < len(data):
        marker, length = data[at + 1], int.from_bytes(data[at + 2 : at + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            return int.from_bytes(data[at + 7 : at + 9], "big"), height
        at += 2 + length
    raise AssertionError("no frame header")


def test_a_long_screenshot_is_shown_as_the_top_of_the_page_scaled(tmp_path: Path) -> None:
    long_page = screenshot(tmp_path / "screenshot.png", 1600, 12000)
    narrow = screenshot(tmp_path / "narrow.png", 400, 300)

    make_previews([long_page, narrow], BrowserSettings())

    preview = preview_path(long_page).read_bytes()
    assert preview.startswith(b"\xff\xd8")
    assert jpeg_size(preview) == (PREVIEW_WIDTH, PREVIEW_HEIGHT)
    assert len(preview) < 250_000 < long_page.stat().st_size
    assert jpeg_size(preview_path(narrow).read_bytes()) == (400, 300), "never enlarged"
    assert stat.S_IMODE(preview_path(long_page).stat().st_mode) == 0o600

    trace = tmp_path / "trace.zip"
    page = evidence_markdown(
        "What failed in 2026-11",
        [Evidence("sip-main: 1100023456 invoice", "login refused: …", long_page, trace)],
    )
    (embedded,) = re.findall(r"!\[[^\]]*\]\(data:image/jpeg;base64,([A-Za-z0-9+/=]+)\)", page)
    assert base64.b64decode(embedded) == preview
    assert f"playwright show-trace {trace}" in page and "file://" not in page
