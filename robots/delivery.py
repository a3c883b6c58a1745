"""Delivery into Tarifer's import point: files written atomically, and a manifest.

Layout: ``<inbox>/<operator>/<account>/<YYYY-MM>/<file>`` and one JSON line per
delivered file appended to ``<inbox>/manifest.jsonl``. File names are built from the
recognised document, never from the name the sender gave it, so a hostile name
(``../../x``) cannot steer a write, and Tarifer sees stable, telling names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from config.models import TariferSettings
from robots.domain import Document
from robots.ledger import DocumentRecord
from robots.permissions import InboxAccess, inbox_access, private_folder

MANIFEST = "manifest.jsonl"
STAGING = ".staging"  # temporary files, on the inbox's file system so that rename is atomic
_FSYNC_THREADS = 8


@dataclass(frozen=True)
class ManifestEntry:
    """One delivered file, as one line of the manifest."""

    document: Document
    path: str  # relative to the inbox, with "/" separators
    sha256: str
    size: int
    source: str
    received_at: dt.datetime
    supersedes: str | None  # the path of the version this one replaces
    supersedes_sha256: str | None
    version: int
    original_name: str | None
    # What gave each field: {"operator": "sender a1-main", "period": "calls 01.10…"}.
    evidence: dict[str, str] = field(default_factory=dict, compare=False)

    def to_json(self) -> str:
        doc = self.document
        return json.dumps(
            {
                "id": doc.id,
                "operator": str(doc.operator),
                "account": doc.account,
                "period": str(doc.period),
                "kind": str(doc.kind),
                "format": str(doc.format),
                "numbers": list(doc.numbers),
                "path": self.path,
                "sha256": self.sha256,
                "size": self.size,
                "version": self.version,
                "supersedes": self.supersedes,
                "supersedes_sha256": self.supersedes_sha256,
                "source": self.source,
                "original_name": self.original_name,
                "received_at": self.received_at.isoformat(timespec="seconds"),
                "evidence": self.evidence,
            },
            ensure_ascii=False,
        )

    def record(self) -> DocumentRecord:
        return DocumentRecord(
            sha256=self.sha256,
            doc_id=self.document.id,
            version=self.version,
            path=self.path,
            size=self.size,
            source=self.source,
            received_at=self.received_at,
            supersedes=self.supersedes_sha256,
            evidence=json.dumps(self.evidence, ensure_ascii=False) if self.evidence else None,
        )


@dataclass(frozen=True)
class StagedFile:
    """A file written into the inbox's staging folder, not yet fsynced nor delivered.

    The collector's worker processes write what they recognise here, so that the bytes
    never travel back to the collector: it renames the new ones into place and
    discards the duplicates.
    """

    path: Path
    sha256: str
    size: int


class StagingWriter:
    """Write a staged file in pieces, hashing as it goes; ``close()`` gives the StagedFile."""

    def __init__(self, staging: Path) -> None:
        fd, name = tempfile.mkstemp(prefix="incoming-", dir=staging)
        self._out = os.fdopen(fd, "wb")
        self._path = Path(name)
        self._hash = hashlib.sha256()
        self._size = 0

    def write(self, data: bytes) -> None:
        self._out.write(data)
        self._hash.update(data)
        self._size += len(data)

    def close(self) -> StagedFile:
        self._out.close()
        return StagedFile(self._path, self._hash.hexdigest(), self._size)

    def __enter__(self) -> StagingWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:  # a staged file is complete or it is not there
            self._out.close()
            self._path.unlink(missing_ok=True)


def stage_bytes(staging: Path, data: bytes) -> StagedFile:
    """Write ``data`` as one staged file."""
    with StagingWriter(staging) as writer:
        writer.write(data)
        return writer.close()


def relative_path(document: Document, version: int) -> str:
    """``mts/277012345678/2026-10/call_details_277012345678_2026-10_79161234567.xml``."""
    stem = f"{document.kind}_{document.account}_{document.period}"
    if document.numbers:
        stem += "_" + document.id.rsplit("/", 1)[-1]
    if version > 1:
        stem += f"_v{version}"
    folder = f"{document.operator}/{document.account}/{document.period}"
    return f"{folder}/{stem}.{document.format}"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_all(paths: list[Path]) -> None:
    """fsync files or directories, several at a time.

    One after another, each waits for its own journal commit (0.5 ms on a quiet disk,
    several ms on a busy one); in flight together, they share the commits.
    """
    if len(paths) <= 1:
        for path in paths:
            _fsync(path)
        return
    with ThreadPoolExecutor(max_workers=min(_FSYNC_THREADS, len(paths))) as pool:
        list(pool.map(_fsync, paths))


class TariferInbox:
    """Tarifer's import folder: what the robot puts there has ``access``'s modes and group;
    the staging folder is the robot's alone."""

    def __init__(self, root: Path, access: InboxAccess | None = None) -> None:
        self.root = root
        self.manifest = root / MANIFEST
        self.staging = root / STAGING
        self.access = access or InboxAccess()

    @classmethod
    def of(cls, settings: TariferSettings) -> TariferInbox:
        """The inbox of ``[tarifer]``, with its group if it names one."""
        return cls(settings.inbox, inbox_access(settings))

    def prepare(self) -> None:
        """Create the inbox; drop temporary files a killed run left behind.

        Only call this while holding the collector's lock: then nobody else is writing.
        """
        self.access.folders(self.root, self.root)
        private_folder(self.staging)
        for leftover in self.staging.iterdir():
            leftover.unlink(missing_ok=True)

    def write_files(self, files: list[tuple[str, bytes | StagedFile]]) -> None:
        """Write each file atomically: a temporary file beside it, fsync, rename.

        A file already staged (by a worker) is fsynced and renamed. A reader never sees
        a half-written file under its final name, and after this returns every file is
        on disk (directories fsynced too) so the manifest line that follows can only
        ever point at a complete file.
        """
        moves: list[tuple[Path, StagedFile]] = []
        try:
            for rel, content in files:
                staged = content
                if not isinstance(staged, StagedFile):
                    staged = stage_bytes(self.staging, staged)
                moves.append((self.root / rel, staged))
            _fsync_all([staged.path for _, staged in moves])
            for directory in {target.parent for target, _ in moves}:
                self.access.folders(directory, self.root)
            for target, staged in moves:
                self.access.file(staged.path)
                os.replace(staged.path, target)
        except BaseException:
            self.discard([staged for _, staged in moves])
            raise
        _fsync_all(list({target.parent for target, _ in moves}))

    @staticmethod
    def discard(files: list[StagedFile]) -> None:
        """Remove staged files that were not delivered (duplicates, quarantined mail)."""
        for staged in files:
            staged.path.unlink(missing_ok=True)

    def append_manifest(self, entries: list[ManifestEntry]) -> int:
        """Append the entries in one write and fsync; return the manifest's new size."""
        payload = "".join(entry.to_json() + "\n" for entry in entries).encode()
        fd = os.open(self.manifest, os.O_WRONLY | os.O_APPEND | os.O_CREAT, self.access.file_mode)
        try:
            self.access.file(self.manifest)  # also one an older version made 0644
            if payload:
                os.write(fd, payload)
                os.fsync(fd)
            return os.fstat(fd).st_size
        finally:
            os.close(fd)

    def repair_manifest(self) -> int:
        """Cut a torn last line (a crash mid-write) and return the manifest's size."""
        if not self.manifest.exists():
            return 0
        with open(self.manifest, "rb+") as f:
            size = f.seek(0, os.SEEK_END)
            if size == 0:
                return 0
            f.seek(max(0, size - 1))
            if f.read(1) == b"\n":
                return size
            # Find the last complete line: scan back in blocks.
            position = size
            while position > 0:
                start = max(0, position - 65536)
                f.seek(start)
                block = f.read(position - start)
                newline = block.rfind(b"\n")
                if newline >= 0:
                    keep = start + newline + 1
                    break
                position = start
            else:
                keep = 0
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())
            return keep

    def read_manifest_from(self, offset: int) -> list[dict[str, object]]:
        """The manifest's entries after byte ``offset`` (complete lines only)."""
        if not self.manifest.exists():
            return []
        with open(self.manifest, "rb") as f:
            f.seek(offset)
            return [json.loads(line) for line in f if line.strip()]
