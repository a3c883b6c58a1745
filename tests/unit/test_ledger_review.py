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
        db.execute("DROP TABLE cabinet_health")  # kept since migrations, with them
        db.execute("ALTER TABLE cycle_items DROP COLUMN heals")
        db.execute("DROP TABLE alembic_version")  # made before migrations

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


# The table as the first version of the queue made it: the message's sender and subject
# copied into each row.
_REVIEW_ITEMS_WITH_COPIES = """
CREATE TABLE review_items (
    id INTEGER NOT NULL PRIMARY KEY, mailbox VARCHAR(255) NOT NULL,
    uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL, sender VARCHAR(320), subject TEXT,
    source TEXT NOT NULL, origin TEXT NOT NULL, name TEXT, reason TEXT NOT NULL,
    path TEXT NOT NULL, sha256 VARCHAR(64) NOT NULL, size INTEGER NOT NULL,
    state VARCHAR(16) NOT NULL, received_at DATETIME NOT NULL, resolved_by VARCHAR(255),
    resolved_at DATETIME, resolution TEXT
)"""


def test_review_items_name_their_messages_sender_and_a_ledger_with_copies_still_opens(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(_REVIEW_ITEMS_WITH_COPIES)
    url = f"sqlite:///{path}"
    ledger = Ledger(url)
    message = MessageRecord(1, "<m@x>", "noreply@mts.ru", "Счет", Outcome.REVIEW, None, None)
    kept = ReviewRecord(1, "imap://x", "attachment 'a.pdf'", "a.pdf", "no text", "/k", "ab", 3)
    ledger.commit_batch(
        mailbox="INBOX", uidvalidity=7, messages=[message], documents=[],
        manifest_offset=0, last_uid=1, reviews=[kept],
    )  # fmt: skip
    ledger.close()
    with sqlite3.connect(path) as db:  # an item the first version wrote, with its copies
        db.execute(
            "INSERT INTO messages (mailbox, uidvalidity, uid, sender, subject, outcome, moved,"
            " attempts, seen_at) VALUES ('INBOX', 7, 2, 'a1@a1.by', 'Акт', 'review', 0, 1,"
            " '2026-11-02 10:00:00')"
        )
        db.execute(
            "INSERT INTO review_items (mailbox, uidvalidity, uid, sender, subject, source,"
            " origin, reason, path, sha256, size, state, received_at) VALUES ('INBOX', 7, 2,"
            " 'a1@a1.by', 'Акт', 'imap://y', 'attachment ''b.pdf''', 'no text', '/l', 'cd', 4,"
            " 'waiting', '2026-11-02 10:00:00')"
        )

    ledger = Ledger(url)
    try:
        items = ledger.reviews()
        assert [(i.uid, i.sender, i.subject) for i in items] == [
            (1, "noreply@mts.ru", "Счет"),
            (2, "a1@a1.by", "Акт"),
        ]
        one = ledger.review(items[1].id)
        assert one is not None and (one.sender, one.origin) == ("a1@a1.by", "attachment 'b.pdf'")
    finally:
        ledger.close()
    with sqlite3.connect(path) as db:  # nothing copied any more
        assert db.execute("SELECT sender FROM review_items WHERE uid = 1").fetchone() == (None,)
