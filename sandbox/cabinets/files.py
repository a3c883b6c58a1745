"""Files a cabinet serves by a link with a random token, for a limited time.

Operators e-mail a link instead of the file when the file is too large for mail
(MTS call details); the link works for a while, then answers 410 Gone. The outbox
publishes the file when it builds the e-mail (``sandbox.outbox.LinkOffer``), so the
validity counts from the moment the message is sent.

Example::

    token = cabinet.files.add("detal_277012345678_202610.xml", data, ttl_s=7 * 86400)
    found = cabinet.files.get(token)   # StoredFile, EXPIRED or None (never issued)
"""

from __future__ import annotations

import enum
import secrets
import threading
import time
from dataclasses import dataclass

__all__ = ["EXPIRED", "FileLinks", "StoredFile"]

_MAX_FILES = 1_000  # past this the oldest links are forgotten (a runaway test cannot fill memory)


class _Gone(enum.Enum):
    EXPIRED = "expired"


EXPIRED = _Gone.EXPIRED


@dataclass(frozen=True)
class StoredFile:
    """A file behind a link."""

    name: str  # the operator's file name (Content-Disposition)
    data: bytes
    expires: float  # time.monotonic()


class FileLinks:
    """Files by token; thread-safe (the outbox adds, the web app reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, StoredFile | _Gone] = {}

    def add(self, name: str, data: bytes, *, ttl_s: float) -> str:
        """Keep ``data`` for ``ttl_s`` seconds; the new random token."""
        token = secrets.token_urlsafe(24)
        with self._lock:
            if len(self._files) >= _MAX_FILES:
                del self._files[next(iter(self._files))]
            self._files[token] = StoredFile(name, data, time.monotonic() + ttl_s)
        return token

    def get(self, token: str) -> StoredFile | _Gone | None:
        """The file, ``EXPIRED`` once its time is over, ``None`` for a token never issued."""
        with self._lock:
            found = self._files.get(token)
            if isinstance(found, StoredFile) and time.monotonic() >= found.expires:
                self._files[token] = found = EXPIRED  # the bytes are dropped
            return found

    def expire_all(self) -> None:
        """End every link now, as its time running out would (tests of "410 Gone")."""
        with self._lock:
            for token in self._files:
                self._files[token] = EXPIRED
