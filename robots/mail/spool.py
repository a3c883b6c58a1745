"""Raw messages on disk, from the fetch to the worker process that reads them.

The collector hands its workers places in files rather than message bytes: nothing is
copied between processes, the collector holds no batch in memory while it is read,
and a large message can be fetched and read piece by piece. A batch goes into one file,
back to back: a file per message nearly doubled the collector's time in the kernel
(creating and removing thousands of files). A large message gets a file of its own.
The directory belongs to one run (under the collector's lock): what a killed run left
is removed at the start. Committed batches are removed at once, or moved to
``committed/`` when ``[privacy] keep_spool`` keeps them a while (``cabinet-robot purge``
removes them then).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from robots.permissions import private_dirs, private_folder

COMMITTED = "committed"  # batches committed to the ledger, kept for [privacy] keep_spool


@dataclass(frozen=True)
class Spooled:
    """Where a message is: ``size`` bytes at ``offset`` in ``path``. A message ``alone``
    in its file is one too large to hold in memory."""

    path: Path
    offset: int
    size: int
    alone: bool = False

    def read(self) -> bytes:
        with self.path.open("rb") as file:
            return os.pread(file.fileno(), self.size, self.offset)


class Spool:
    """A directory of raw messages that only the owner may read."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def prepare(self) -> None:
        """Start empty: drop what a killed run left behind (never committed: its messages
        are read again), keeping the committed batches."""
        private_folder(self.directory)
        for leftover in self.directory.iterdir():
            if leftover.name == COMMITTED:
                continue
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)

    def write(self, name: str, messages: Iterable[bytes]) -> list[Spooled]:
        """Write ``messages`` one after another into the file ``name``."""
        spooled: list[Spooled] = []
        with self._writing(name) as out:
            for raw in messages:
                spooled.append(Spooled(self.directory / name, out.tell(), len(raw)))
                out.write(raw)
        return spooled

    def write_with(self, name: str, write: Callable[[BinaryIO], bool]) -> Spooled | None:
        """Let ``write`` fill the file ``name`` (a large message, piece by piece); None,
        and no file, when it says the message is gone."""
        with self._writing(name) as out:
            complete = write(out)
            size = out.tell()
        message = Spooled(self.directory / name, 0, size, alone=True)
        if not complete:
            self.remove([message])
            return None
        return message

    @contextmanager
    def _writing(self, name: str) -> Iterator[BinaryIO]:
        """The file ``name`` to write; removed again if the writing fails."""
        path = self.directory / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                yield out
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    @staticmethod
    def remove(spooled: Iterable[Spooled]) -> None:
        for path in {message.path for message in spooled}:
            path.unlink(missing_ok=True)

    def keep(self, spooled: Iterable[Spooled], stamp: str) -> None:
        """Move a committed batch's files into ``committed/``, named ``<stamp>-<name>``
        (a later run reuses the names of the spool)."""
        kept = private_dirs(self.directory / COMMITTED)
        for path in {message.path for message in spooled}:
            if path.exists():
                path.rename(kept / f"{stamp}-{path.name}")
