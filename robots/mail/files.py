"""Files found in a message, and the ones refused with a reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FoundFile:
    """A file taken out of a message: an attachment, an archive member or a download.

    ``origin`` says where it came from, for people: ``attachment 'Report.zip' >
    'inv.xlsx'`` or ``link https://...``. ``name`` is the sender's name for the file:
    informational only, never used for paths or recognition.
    """

    name: str | None
    data: bytes
    origin: str


@dataclass(frozen=True)
class Refusal:
    """Something in a message the robot could not use, and why.

    ``unsafe`` refusals (corrupt, oversized, a bomb, an unreadable part) make a person
    look at the message (quarantine); a readable file that is simply not an operator
    document (a leaflet, a logo) does not, when the message had documents besides.
    """

    origin: str
    reason: str
    unsafe: bool = True

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
