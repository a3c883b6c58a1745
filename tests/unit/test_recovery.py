"""After a kill: manifest lines the ledger missed are adopted, a torn line is cut."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from robots.delivery import ManifestEntry, TariferInbox
from robots.domain import Document, DocumentFormat, DocumentKind, Operator, Period
from robots.errors import TransientError
from robots.ledger import Ledger
from robots.mail.recovery import exclusive, recover


def entry(month: int) -> ManifestEntry:
    document = Document(
        operator=Operator.MTS,
        account="277012345678",
        period=Period(year=2026, month=month),
        kind=DocumentKind.INVOICE,
        format=DocumentFormat.PDF,
    )
    return ManifestEntry(
        document=document,
        path=f"mts/277012345678/2026-{month:02d}/invoice.pdf",
        sha256=f"{month:064d}",
        size=10,
        source="imap://robot@host/INBOX;UIDVALIDITY=1/;UID=1",
        received_at=dt.datetime(2026, 11, 5, tzinfo=dt.UTC),
        supersedes=None,
        supersedes_sha256=None,
        version=1,
        original_name="document.pdf",
        evidence={"operator": "sender mts-main", "period": f"text «2026-{month:02d}»"},
    )


def test_lines_written_before_a_kill_are_adopted_once(tmp_path: Path) -> None:
    inbox = TariferInbox(tmp_path / "inbox")
    inbox.prepare()
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    inbox.append_manifest([entry(9), entry(10)])  # the run was killed before its commit
    with open(inbox.manifest, "ab") as manifest:
        manifest.write(b'{"operator": "mts", "acc')  # and mid-way through the next line

    assert recover(ledger, inbox) == 2
    assert ledger.known_shas([f"{10:064d}", "f" * 64]) == {f"{10:064d}"}
    assert entry(10).document.id in ledger.latest_versions([entry(10).document.id])
    assert inbox.manifest.read_bytes().endswith(b"}\n")
    assert recover(ledger, inbox) == 0  # nothing new the second time
    assert ledger.document_count() == 2
    # The adopted rows keep the evidence of their manifest lines.
    with ledger.engine.connect() as connection:
        rows = connection.execute(text("SELECT evidence FROM documents ORDER BY id")).scalars()
        assert [json.loads(row) for row in rows] == [entry(9).evidence, entry(10).evidence]
    ledger.close()


def test_two_runs_cannot_overlap(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    with (
        exclusive(tmp_path / "collect.lock", database_url),
        pytest.raises(TransientError, match="another collection is running"),
        exclusive(tmp_path / "collect.lock", database_url),
    ):
        pass
    with exclusive(tmp_path / "collect.lock", database_url):  # free again afterwards
        pass
