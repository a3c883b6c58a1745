"""Picking up after a killed run, and keeping two runs from overlapping."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from robots.delivery import TariferInbox
from robots.errors import CollectionRunning
from robots.ledger import DocumentRecord, Ledger
from robots.ledger_lock import across_machines

log = logging.getLogger(__name__)


def recover(ledger: Ledger, inbox: TariferInbox) -> int:
    """Adopt manifest lines a crashed run wrote but did not commit; return how many."""
    size = inbox.repair_manifest()
    offset = ledger.manifest_offset()
    if size == offset:
        return 0
    # Smaller than recorded: the manifest was rotated by its reader; read it all.
    start = offset if size > offset else 0
    adopted = [
        DocumentRecord(
            sha256=str(line["sha256"]),
            doc_id=str(line["id"]),
            version=int(str(line.get("version", 1))),
            path=str(line["path"]),
            size=int(str(line["size"])),
            source=str(line["source"]),
            received_at=dt.datetime.fromisoformat(str(line["received_at"])),
            supersedes=str(line["supersedes_sha256"]) if line.get("supersedes_sha256") else None,
            evidence=json.dumps(line["evidence"], ensure_ascii=False)
            if line.get("evidence")
            else None,
        )
        for line in inbox.read_manifest_from(start)
    ]
    ledger.import_manifest_tail(adopted, size)
    if adopted:
        log.info("adopted %d manifest line(s) from an interrupted run", len(adopted))
    return len(adopted)


@contextmanager
def exclusive(lock_path: Path, ledger_url: str, *, wait: bool = False) -> Iterator[None]:
    """One writer to Tarifer's inbox and the ledger per state directory at a time, and
    per ``ledger_url`` across machines when it is Postgres (``robots.ledger_lock``).

    A second collection gives up at once (the running one does its work); a download
    ``wait``s, because its file is in hand and must not be lost.
    """
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise CollectionRunning(
                    f"another collection is running (lock {lock_path})"
                ) from None
            log.info("waiting for the running collection to finish (lock %s)", lock_path)
            fcntl.flock(fd, fcntl.LOCK_EX)
        with across_machines(ledger_url, wait=wait) as held:
            if not held:
                raise CollectionRunning("another collection is running on another machine")
            yield
    finally:
        os.close(fd)
