"""The ledger keeps each document's evidence, and a ledger made before it keeps working."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from robots.ledger import DocumentRecord, Ledger

NOW = dt.datetime(2026, 11, 5, tzinfo=dt.UTC)

# The documents table as ledgers before the evidence column have it.
_OLD_DOCUMENTS = """
CREATE TABLE documents (
    id INTEGER NOT NULL PRIMARY KEY, sha256 VARCHAR(64) NOT NULL UNIQUE,
    doc_id VARCHAR(255) NOT NULL, version INTEGER NOT NULL, path TEXT NOT NULL,
    size INTEGER NOT NULL, source TEXT NOT NULL, received_at DATETIME NOT NULL,
    supersedes VARCHAR(64)
)
"""


def record(sha: str, evidence: str | None) -> DocumentRecord:
    return DocumentRecord(sha, f"a1/1/2026-10/invoice/{sha}", 1, f"{sha}.pdf", 3, "t", NOW, None,
                          evidence)  # fmt: skip


def test_an_older_ledger_gets_the_evidence_column_and_keeps_its_rows(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(_OLD_DOCUMENTS)
        db.execute(
            "INSERT INTO documents (sha256, doc_id, version, path, size, source, received_at) "
            "VALUES ('old', 'a1/1/2026-09/invoice', 1, 'old.pdf', 3, 't', '2026-10-05 00:00:00')"
        )
    caplog.set_level("INFO", logger="robots.schema")
    ledger = Ledger(f"sqlite:///{path}")
    assert "added the documents.evidence column" in caplog.text
    evidence = json.dumps({"operator": "sender a1-main"}, ensure_ascii=False)
    ledger.commit_documents([record("new", evidence)], manifest_offset=0)
    assert ledger.known_shas(["old", "new"]) == {"old", "new"}
    with ledger.engine.connect() as connection:
        rows = connection.execute(text("SELECT sha256, evidence FROM documents ORDER BY id"))
        assert [tuple(row) for row in rows] == [("old", None), ("new", evidence)]
    ledger.close()
    caplog.clear()
    Ledger(f"sqlite:///{path}").close()  # the second start finds the column there
    assert "added" not in caplog.text and "upgraded" not in caplog.text
