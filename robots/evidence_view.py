"""Evidence as a run's page in Prefect shows it: the screenshot as a small embedded JPEG,
the command that opens the trace, the paths as plain text.

A browser does not open ``file://`` links from a web page, so a link to the evidence
folder leads nowhere; the picture itself travels in the markdown (a ``data:`` image,
which Prefect's markdown renderer shows), and the trace is named by the command that
opens it on the robot's machine. Full-page screenshots of long cabinet pages are
megabytes: the preview is the top of the page, scaled to ``PREVIEW_WIDTH`` and saved as
a JPEG beside the screenshot, made once by the Chromium the robot already drives
(no image library needed).
"""

from __future__ import annotations

import base64
import logging
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from config.models import BrowserSettings
from robots.browser import launch_chromium
from robots.errors import RobotError

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 800  # pixels; a narrower screenshot keeps its width
PREVIEW_HEIGHT = 1000  # the top of the page, where a cabinet shows its messages
PREVIEW_QUALITY = 70


@dataclass(frozen=True)
class Evidence:
    """One failure's evidence, as a section of a markdown artifact."""

    title: str  # e.g. the cabinet and what failed
    detail: str  # the reason
    screenshot: Path | None = None
    trace: Path | None = None


def preview_path(screenshot: Path) -> Path:
    return screenshot.with_name(f"{screenshot.stem}.preview.jpg")


def make_previews(screenshots: Sequence[Path], browser: BrowserSettings) -> None:
    """Write the missing previews of ``screenshots`` in one headless Chromium.

    A preview that cannot be made is left out (logged): the path is still in the text.
    """
    todo = [s for s in dict.fromkeys(screenshots) if s.is_file() and not preview_path(s).exists()]
    if not todo:
        return
    try:
        with launch_chromium(browser.model_copy(update={"headless": True})) as chromium:
            page = chromium.new_page(viewport={"width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT})
            for screenshot in todo:
                picture = base64.b64encode(screenshot.read_bytes()).decode("ascii")
                page.set_content(
                    '<body style="margin:0"><img style="display:block;max-width:100%" '
                    f'src="data:image/png;base64,{picture}"></body>'
                )
                width, height = page.evaluate(
                    "async () => { const i = document.images[0]; await i.decode();"
                    " return [i.width, i.height]; }"
                )
                jpeg = page.screenshot(
                    type="jpeg",
                    quality=PREVIEW_QUALITY,
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, PREVIEW_HEIGHT)},
                )
                _write_private(preview_path(screenshot), jpeg)
    except (RobotError, PlaywrightError) as exc:
        log.warning("no screenshot preview for the run's page: %s", exc)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def evidence_markdown(heading: str, evidence: Sequence[Evidence]) -> str:
    """A markdown page: per failure its reason, the embedded preview and the trace command."""
    lines = [f"# {heading}", ""]
    for one in evidence:
        lines += [f"## {one.title}", "", one.detail, ""]
        preview = preview_path(one.screenshot) if one.screenshot else None
        if preview and preview.is_file():
            picture = base64.b64encode(preview.read_bytes()).decode("ascii")
            alt = one.title.replace("[", "(").replace("]", ")")  # brackets would end it
            lines += [f"![screenshot of {alt}](data:image/jpeg;base64,{picture})", ""]
        if one.screenshot:
            lines += [f"Screenshot: `{one.screenshot}`", ""]
        if one.trace:
            lines += [
                "Every step, with the page as it was, on the robot's machine:",
                "",
                "```",
                f"playwright show-trace {shlex.quote(str(one.trace))}",
                "```",
                "",
            ]
    return "\n".join(lines)
