"""Kill -9 the collector at random moments, many times: nothing is lost or doubled."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.ledger import Ledger
from sandbox.documents import render
from sandbox.mails import operator_message
from sandbox.mailserver import Mailbox
from sandbox.mailset import spec
from sandbox.world import write_robot_config

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KILLS = int(os.environ.get("CRASH_TEST_KILLS", "30"))
SEED = int(os.environ.get("CRASH_TEST_SEED", "20261124"))


def mail_for_crash_test(to: str) -> tuple[list[EmailMessage], set[str]]:
    """Operator letters with distinct documents, re-sent copies, a person's letter, a broken one."""
    letters: list[EmailMessage] = []
    shas: set[str] = set()
    for month in range(1, 13):
        period = Period(year=2026, month=month)
        for operator, kind, fmt in (
            (Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML),
            (Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF),
            (Operator.A1, DocumentKind.CALL_DETAILS, DocumentFormat.XLSX),
        ):
            data = render(spec(operator, kind, fmt, period))
            shas.add(hashlib.sha256(data).hexdigest())
            letters.append(operator_message(operator, [("document." + fmt.value, data)], to=to))
            if month % 4 == 0:  # the operator sends some twice
                letters.append(operator_message(operator, [("copy." + fmt.value, data)], to=to))
    personal = EmailMessage()
    personal["From"] = "colleague@example.com"
    personal["Subject"] = "not for the robot"
    personal.set_content("hello")
    letters.insert(7, personal)
    broken = operator_message(Operator.MTS, [("document.pdf", b"%PDF-1.4 truncated")], to=to)
    letters.insert(20, broken)
    for index, letter in enumerate(letters):  # unique ids to count messages across folders
        del letter["Message-ID"]
        letter["Message-ID"] = f"<crash-{index}@test>"
    return letters, shas


def _work_started(process: subprocess.Popen[bytes]) -> bool:
    """Wait for the collector's first progress line; False if it ended before that."""
    assert process.stderr is not None
    return any(b"Collecting mail: 0/" in line for line in process.stderr)


def test_killed_at_random_points_every_document_is_delivered_exactly_once(
    mailbox: Mailbox, tmp_path: Path, database_url: str
) -> None:
    """On the SQLite ledger and on Postgres (``database_url``, in the collectors' env)."""
    letters, shas = mail_for_crash_test(mailbox.address)
    config = write_robot_config(tmp_path, mailbox, "CRASH_MAIL_PASSWORD")
    # Small batches: many commits and moves, so kills land between every step.
    env = {
        **os.environ,
        "CRASH_MAIL_PASSWORD": mailbox.password,
        "CABINET_ROBOT_MAIL__FETCH_BATCH_MB": "1",
    }
    command = [sys.executable, "-m", "cli.main", "collect", "--config", str(config), "--json"]
    rng = random.Random(SEED)
    killed = 0
    # Mail keeps arriving between runs, so that every run has work to be killed in.
    waves = [letters[i : i + 4] for i in range(0, len(letters), 4)]
    for round_number in range(KILLS):
        if round_number < len(waves):
            mailbox.deliver_many(waves[round_number])
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if _work_started(process):  # kill within the work, not in the interpreter's start-up
            try:
                process.wait(timeout=rng.uniform(0.0, 0.25))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                killed += 1
        # Ends only when every process holding its pipes has: a worker orphaned by the
        # kill would hang it (the workers must die with the collector).
        process.communicate(timeout=30)
    for wave in waves[KILLS:]:
        mailbox.deliver_many(wave)
    final = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert final.returncode == 0, final.stderr
    print(f"crash test: {killed} of {KILLS} runs killed (seed {SEED})")
    assert killed >= KILLS // 3, f"only {killed} of {KILLS} runs were killed (seed {SEED})"

    inbox = tmp_path / "tarifer"
    lines = [json.loads(line) for line in (inbox / "manifest.jsonl").read_text().splitlines()]
    delivered = [line["sha256"] for line in lines]
    assert sorted(delivered) == sorted(shas), f"seed {SEED}"  # each document exactly once
    for line in lines:
        assert hashlib.sha256((inbox / line["path"]).read_bytes()).hexdigest() == line["sha256"]
    on_disk = {p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()}
    assert on_disk == {line["path"] for line in lines} | {"manifest.jsonl"}
    ledger = Ledger(database_url)  # the ledger the collectors kept, on its database
    try:
        assert ledger.known_shas(sorted(shas)) == shas
    finally:
        ledger.close()

    folders = {name: mailbox.messages(name) for name in ("INBOX", "Processed", "Quarantine")}
    ids = {name: sorted(m.message_id for m in messages) for name, messages in folders.items()}
    assert ids["INBOX"] == ["<crash-7@test>"]
    assert ids["Quarantine"] == ["<crash-20@test>"]
    assert len(ids["Processed"]) == len(set(ids["Processed"])) == len(letters) - 2
