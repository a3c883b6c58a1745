"""Files found in a message, and the ones refused with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from robots.delivery import StagedFile
from robots.domain import DocumentFormat


@dataclass(frozen=True)
class FoundFile:
    """A file taken out of a message: an attachment, an archive member or a download.

    ``origin`` says where it came from, for people: ``attachment 'Report.zip' >
    'inv.xlsx'`` or ``link https://...``. ``name`` is the sender's name for the file:
    informational only, never used for paths or recognition. ``data`` is the content,
    or, for an attachment too large to hold, the staged file it was decoded into.
    ``format`` is set only where the message, not the bytes, says what the file is: a
    message's body is HTML or text whatever its first bytes look like.
    """

    name: str | None
    data: bytes | StagedFile
    origin: str
    format: DocumentFormat | None = None

    @property
    def size(self) -> int:
        return self.data.size if isinstance(self.data, StagedFile) else len(self.data)

    def read(self) -> bytes:
        """The whole content, in memory."""
        return self.data.path.read_bytes() if isinstance(self.data, StagedFile) else self.data


@dataclass(frozen=True)
class Refusal:
    """Something in a message the robot could not use, and why.

    A refused file of the robot's message (corrupt, oversized, a bomb, unreadable, or
    readable but not a document the robot can place) keeps the message out of the
    processed folder: it goes to quarantine, where a person finds the file and the
    reason. Only what is no file at all is not ``unsafe``: a link that led to a web page
    or to nothing (expired), which matters only when the message brought nothing else.

    A file that is readable but that the robot cannot place (no operator signature, an
    account, period or kind it cannot tell) is ``reviewable``: once staged (``kept``) it
    waits in the review queue for a person to say what it is, not in quarantine.
    """

    origin: str
    reason: str
    unsafe: bool = True
    reviewable: bool = False
    kept: StagedFile | None = None
    name: str | None = None

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def discard(data: bytes | StagedFile) -> None:
    """Remove ``data``'s staged file, if it has one: it will not be delivered."""
    if isinstance(data, StagedFile):
        data.path.unlink(missing_ok=True)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
