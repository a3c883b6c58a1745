"""Retention after a real collection on Dovecot: the spool kept as long as [privacy] says,
the file waiting in review never removed, Tarifer's inbox never touched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.loader import load_config
from config.models import RobotConfig
from robots import clock
from robots.domain import Period
from robots.mail.collector import Collector
from robots.retention import purge
from sandbox.mailserver import Mailbox
from sandbox.mailset import month_of_mail
from sandbox.world import write_robot_config

pytestmark = pytest.mark.integration

PASSWORD_ENV = "TEST_RETENTION_MAIL_PASSWORD"


def collected(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, privacy: str
) -> RobotConfig:
    """A month of mail collected under ``privacy`` (lines of the [privacy] section)."""
    monkeypatch.setenv(PASSWORD_ENV, mailbox.password)
    mailbox.deliver_many(
        letter.message for letter in month_of_mail(Period.parse("2026-10"), mailbox.address)
    )
    path = write_robot_config(tmp_path, mailbox, PASSWORD_ENV, f"\n[privacy]\n{privacy}\n")
    path.chmod(0o600)
    config = load_config(path)
    summary = Collector(config).run()
    assert summary.in_review == 1 and summary.delivered > 10
    return config


def files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_committed_batches_stay_for_keep_spool_and_the_waiting_review_file_for_good(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = collected(mailbox, tmp_path, monkeypatch, 'keep_spool = "1d"')
    state, inbox = config.state.dir, config.tarifer.inbox
    kept = files(state / "spool")
    kept_bytes = sum(p.stat().st_size for p in kept)
    assert kept and {p.parent.name for p in kept} == {"committed"}
    delivered = files(inbox)
    waiting = files(state / "review")
    start = clock.now()

    with clock.frozen_now(start + dt.timedelta(hours=12)):
        early = purge(config)
    assert files(state / "spool") == kept
    with clock.frozen_now(start + dt.timedelta(days=2)):
        late = purge(config)
    with clock.frozen_now(start + dt.timedelta(days=3650)):
        purge(config)

    assert files(state / "spool") == set()
    spool = {s.place: s for s in late.sweeps}["spool"]
    assert (spool.files, spool.bytes) == (len(kept), kept_bytes)
    assert {s.place: s for s in early.sweeps}["spool"].kept == len(kept)
    assert waiting and files(state / "review") == waiting
    assert files(inbox) == delivered


def test_by_default_nothing_of_the_mail_stays_in_the_spool(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = collected(mailbox, tmp_path, monkeypatch, "")

    assert files(config.state.dir / "spool") == set()
