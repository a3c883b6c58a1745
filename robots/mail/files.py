"""Files found in a message, and the ones refused with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from robots.delivery import StagedFile


@dataclass(frozen=True)
class FoundFile:
    """A file taken out of a message: an attachment, an archive member or a download.

    ``origin`` says where it came from, for people: ``attachment 'Report.zip' >
    'inv.xlsx'`` or ``link https://...``. ``name`` is the sender's name for the file:
    informational only, never used for paths or recognition. ``data`` is the content,
    or, for an attachment too large to hold, the staged file it was decoded into.
    """

    name: str | None
    data: bytes | StagedFile
    origin: str

    @property
    def size(self) -> int:
        return self.data.size if isinstance(self.data, StagedFile) else len(self.data)

    def read(self) -> bytes:
        """The whole content, in memory."""
        return self.data.path.read_bytes() if isinstance(self.data, StagedFile) else self.data


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
