"""Staging a batch against the ledger: duplicates dropped, a changed document versioned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from robots.domain import Document, DocumentFormat, DocumentKind, Operator, Period
from robots.intake import Incoming, stage
from robots.ledger import Ledger

NOW = dt.datetime(2026, 11, 5, tzinfo=dt.UTC)


def incoming(account: str, content: bytes) -> Incoming:
    document = Document(
        operator=Operator.A1,
        account=account,
        period=Period(year=2026, month=10),
        kind=DocumentKind.INVOICE,
        format=DocumentFormat.PDF,
    )
    return Incoming(document, content, "imap://robot@host/INBOX", "invoice.pdf")


def test_a_batch_is_staged_against_what_earlier_batches_delivered(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    # More documents than one lookup query takes, so the lookups run in chunks.
    first = [incoming(f"{n:012d}", f"invoice {n}".encode()) for n in range(1200)]
    staged = stage(first, ledger, NOW)
    assert len(staged.entries) == 1200 and staged.duplicates == 0
    ledger.commit_documents([entry.record() for entry in staged.entries], manifest_offset=0)

    again = stage(
        [
            incoming("000000000007", b"invoice 7"),  # delivered before: a duplicate
            incoming("000000001100", b"invoice 1100, corrected"),  # changed: version 2
            incoming("000000001100", b"invoice 1100, corrected"),  # twice in the batch
            incoming("000000001100", b"invoice 1100, corrected again"),  # then version 3
            incoming("999999999999", b"a new account"),
        ],
        ledger,
        NOW,
    )

    assert again.duplicates == 2
    versions = [(e.document.account, e.version, e.supersedes) for e in again.entries]
    assert versions == [
        ("000000001100", 2, staged.entries[1100].path),
        ("000000001100", 3, again.entries[0].path),
        ("999999999999", 1, None),
    ]
    ledger.commit_documents([entry.record() for entry in again.entries], manifest_offset=0)
    newest = stage([incoming("000000001100", b"invoice 1100, final")], ledger, NOW).entries
    assert [(e.version, e.supersedes) for e in newest] == [(4, again.entries[1].path)]
    ledger.close()
