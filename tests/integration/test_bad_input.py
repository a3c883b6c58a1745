"""Hostile and broken mail: a clear outcome for each, no crash, nothing written outside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config.loader import load_config
from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.ledger import Ledger, Outcome
from robots.mail.collector import Collector
from sandbox.documents import render
from sandbox.mails import bad_messages
from sandbox.mailserver import Mailbox
from sandbox.mailset import spec
from sandbox.world import write_robot_config

pytestmark = pytest.mark.integration

# Broken wrapping, a real invoice inside: delivered (once; the rest are duplicates).
DELIVERED = {
    "missing_closing_boundary",
    "no_charset_cp1251",
    "koi8r_body_and_filename",
    "rfc2047_filename",
    "rfc2231_filename",
    "path_traversal_filename",
    "absolute_path_filename",
}
# Nothing usable: quarantined, with a reason a person can act on.
# Readable, but nothing the robot can place: it waits for a person in review.
REVIEW = {"broken_boundary": "not an operator document"}
QUARANTINED = {
    "zip_bomb": "zip bomb",
    "nested_zip_10": "nested deeper than 3 levels",
    "zip_loop": "archive",
    "corrupt_pdf": "corrupt",
    "corrupt_xlsx": "corrupt",
    "html_as_pdf": "named 'document.pdf' but it is HTML",
    "oversized_attachment": "over the 2 MB",
    "empty_attachment": "empty file",
    "no_attachment": "no attachment or link with an operator document",
}


def test_every_bad_message_gets_a_clear_outcome(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = render(
        spec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF, Period.parse("2026-10"))
    )
    corpus = bad_messages(mailbox.address, oversized_mb=3, document=invoice)
    assert set(corpus) == DELIVERED | set(QUARANTINED) | set(REVIEW)
    for raw in corpus.values():
        mailbox.deliver(raw)
    monkeypatch.setenv("BAD_INPUT_PASSWORD", mailbox.password)
    out = tmp_path / "out"
    out.mkdir()
    path = write_robot_config(
        out, mailbox, "BAD_INPUT_PASSWORD", "\n[limits]\nmax_attachment_mb = 2\n"
    )
    config = load_config(path)

    summary = Collector(config).run()

    assert summary.messages == len(corpus)
    assert (summary.delivered, summary.duplicates) == (1, len(DELIVERED) - 1)
    assert summary.quarantined == len(QUARANTINED)
    assert summary.in_review == len(REVIEW)
    assert summary.errors == 0
    assert mailbox.count("INBOX") == len(REVIEW)
    assert mailbox.count("Processed") == len(DELIVERED)
    assert mailbox.count("Quarantine") == len(QUARANTINED)

    # The ledger says why, per message.
    ledger = Ledger(config.state.ledger_url)
    reasons = [record.reason or "" for record in ledger.messages(Outcome.QUARANTINED)]
    waiting = [item.reason for item in ledger.reviews()]
    ledger.close()
    assert len(waiting) == len(REVIEW)
    assert all(any(why in reason for reason in waiting) for why in REVIEW.values()), waiting
    assert len(reasons) == len(QUARANTINED)
    for case, expected in QUARANTINED.items():
        assert any(expected in reason for reason in reasons), (case, reasons)

    # Nothing outside the inbox; the one file inside carries our name, not theirs.
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in written if not p.startswith("out/")] == []
    [line] = [
        json.loads(x) for x in (config.tarifer.inbox / "manifest.jsonl").read_text().splitlines()
    ]
    assert line["path"] == "mts/277012345678/2026-10/invoice_277012345678_2026-10.pdf"
    assert not Path("/tmp/evil.pdf").exists()
