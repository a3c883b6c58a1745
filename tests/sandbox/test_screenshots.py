"""``python -m sandbox.screenshots``: what it promises to take (the pictures themselves
need Chromium and are checked by looking at ``docs/screenshots/``)."""

from __future__ import annotations

import re
from pathlib import Path

from sandbox.screenshots import SHOTS, readme

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_shots_are_numbered_in_order_and_listed_in_the_readme() -> None:
    cabinets = list(dict.fromkeys(shot.file.split("-")[0] for shot in SHOTS))
    assert cabinets == ["sip", "mts", "kcell"]  # one cabinet after the other
    for cabinet in cabinets:
        shots = [shot for shot in SHOTS if shot.file.startswith(f"{cabinet}-")]
        for number, shot in enumerate(shots, start=1):
            assert re.fullmatch(rf"{cabinet}-{number:02d}-[a-z-]+\.png", shot.file), shot.file
    text = readme()
    for shot in SHOTS:
        assert f"[`{shot.file}`]({shot.file}) — «{shot.screen}»" in text


def test_the_committed_screenshots_match_the_list() -> None:
    pngs = sorted(p.name for p in DOCS.glob("*.png"))
    assert pngs == sorted(s.file for s in SHOTS)
    assert (DOCS / "README.md").read_text(encoding="utf-8") == readme()
    for name in pngs:
        data = (DOCS / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) < 150 * 1024, name
