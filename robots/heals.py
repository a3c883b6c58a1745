"""Heals as the run reports them: a line per heal with the override that confirms it, and
its screenshot kept beside the run's evidence (``page_objects.healing``)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from robots.permissions import private_dirs, write_private

if TYPE_CHECKING:  # the order book reads notes without a browser's modules
    from page_objects.healing import Heal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealNote:
    """A heal as the order book keeps it and the matrix, the artifacts and the canary show it."""

    screen: str
    looked_for: str  # what the robot looked for (the manual's word, or its override)
    used: str
    score: float
    override: str  # the configuration line that confirms it
    screenshot: str | None = None

    @property
    def short(self) -> str:
        """«healed: «Сформировать детализацию» → «Сформировать детализацию звонков» (0.80)»"""
        return f"healed: «{self.looked_for}» → «{self.used}» ({self.score:.2f})"

    @property
    def line(self) -> str:
        """The heal, where, and what a person does about it."""
        return (
            f"{self.short} on «{self.screen}»; if it is right, add to the cabinet's "
            f"configuration: {self.override}"
        )


def kept(heals: Sequence[Heal], directory: Path, prefix: str = "healed") -> list[HealNote]:
    """``heals`` as notes, their screenshots written into ``directory`` (owner-only)."""
    notes = []
    for number, heal in enumerate(heals, start=1):
        path: Path | None = None
        if heal.screenshot is not None:
            private_dirs(directory)
            name = f"{prefix}-{number}-{_slug(heal.used)}.png"
            path = write_private(directory / name, heal.screenshot)
        notes.append(
            HealNote(heal.screen, heal.looked_for, heal.used, heal.score, heal.override,
                     str(path) if path else None)
        )  # fmt: skip
    return notes


def as_text(notes: Sequence[HealNote]) -> str | None:
    """The order book's column: JSON, None for no heal."""
    return json.dumps([asdict(note) for note in notes], ensure_ascii=False) if notes else None


def from_text(text: str | None) -> tuple[HealNote, ...]:
    """The notes the order book's column holds."""
    return tuple(HealNote(**note) for note in json.loads(text)) if text else ()


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:40]
