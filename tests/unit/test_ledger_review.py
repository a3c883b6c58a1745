"""The review queue's table in a ledger written before the queue existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from robots.ledger import Ledger, MessageRecord, Outcome, ReviewRecord, ReviewState


def test_a_ledger_from_before_the_review_queue_gains_its_table_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    old = Ledger(url)
    message = MessageRecord(1, "<m@x>", "noreply@mts.ru", "Счет", Outcome.REVIEW, None, None)
    old.commit_batch(
        mailbox="INBOX", uidvalidity=7, messages=[message], documents=[],
        manifest_offset=0, last_uid=1,
    )  # fmt: skip
    old.close()
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as db:  # as an older version left it
        db.execute("DROP TABLE review_items")

    ledger = Ledger(url)
    try:
        assert ledger.last_uid("INBOX", 7) == 1
        assert ledger.reviews() == []
        kept = ReviewRecord(2, "imap://x", "attachment 'a.pdf'", "a.pdf", "no text", "/k", "ab", 3)
        again = MessageRecord(2, None, "noreply@mts.ru", None, Outcome.REVIEW, None, None)
        ledger.commit_batch(
            mailbox="INBOX", uidvalidity=7, messages=[again], documents=[],
            manifest_offset=0, last_uid=2, reviews=[kept],
        )  # fmt: skip
        [item] = ledger.reviews()
        assert (item.uid, item.sender, item.state) == (2, "noreply@mts.ru", ReviewState.WAITING)
        due = ledger.resolve_review(
            item.id, state=ReviewState.REJECTED, by="clerk", resolution="junk",
            processed_folder="Processed",
        )  # fmt: skip
        assert due
        assert ledger.pending_moves("INBOX", 7) == {"Processed": [2]}
    finally:
        ledger.close()
