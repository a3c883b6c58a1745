"""``purge`` removes exactly what ``[privacy]`` says, by a fake clock, and nothing in use."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from config.models import RobotConfig
from robots import clock
from robots.errors import ConfigurationError
from robots.ledger import Ledger, MessageRecord, Outcome, ReviewRecord, ReviewState
from robots.mail.recovery import exclusive
from robots.retention import purge
from support.configs import MAIL_AND_INBOX

# The ledger stamps decisions with the real time: the fake clock is set from it.
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=91)
DAY = dt.timedelta(days=1)

CONFIG = (
    MAIL_AND_INBOX
    + """
[state]
dir = "state"

[privacy]
keep_evidence = "30d"
keep_spool = "0d"
keep_recordings = "30d"
keep_review = "90d"
keep_logs = "60d"
"""
)


def aged(path: Path, age: dt.timedelta, data: bytes = b"x" * 10) -> Path:
    """A file written ``age`` before NOW (by its modification time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    moment = (NOW - age).timestamp()
    os.utime(path, (moment, moment))
    return path


def survey(state: Path, age: dt.timedelta) -> Path:
    """A survey's folder made ``age`` before NOW (by its name), its file written now."""
    folder = state / "survey" / (NOW - age).strftime("%Y%m%dT%H%M%SZ")
    aged(folder / "mts-main" / "survey.html", dt.timedelta(0))
    return folder


def evidence(state: Path, cabinet: str, age: dt.timedelta) -> Path:
    folder = state / "evidence" / cabinet / (NOW - age).strftime("%Y%m%dT%H%M%S.%fZ")
    aged(folder / "trace.zip", dt.timedelta(0), b"t" * 100)
    aged(folder / "screenshot.png", dt.timedelta(0), b"p" * 50)
    return folder


def recording(root: Path, slug: str, age: dt.timedelta) -> Path:
    folder = root / "mts" / slug
    recorded = (NOW - age).isoformat(timespec="seconds")
    aged(folder / "scenario.json", dt.timedelta(0), json.dumps({"recorded_at": recorded}).encode())
    aged(folder / "recording.har", dt.timedelta(0), b"h" * 200)
    return folder


def review_items(config: RobotConfig) -> tuple[Path, Path]:
    """Two files in review: one still waiting, one rejected now (real time)."""
    review = config.state.dir / "review"
    waiting = aged(review / ("a" * 64), 200 * DAY)
    rejected = aged(review / ("b" * 64), 200 * DAY)
    ledger = Ledger(config.state.ledger_url)
    try:
        messages = [
            MessageRecord(uid, None, "noreply@mts.ru", "Счет", Outcome.REVIEW, None, None)
            for uid in (1, 2)
        ]
        reviews = [
            ReviewRecord(
                uid, "imap://x", "attachment", "a.pdf", "no text", str(path), path.name, 10
            )
            for uid, path in ((1, waiting), (2, rejected))
        ]
        ledger.commit_batch(
            mailbox="INBOX", uidvalidity=7, messages=messages, documents=[],
            manifest_offset=0, last_uid=2, reviews=reviews,
        )  # fmt: skip
        second = next(item for item in ledger.reviews() if item.uid == 2)
        ledger.resolve_review(
            second.id, state=ReviewState.REJECTED, by="clerk", resolution="junk",
            processed_folder="Processed",
        )  # fmt: skip
    finally:
        ledger.close()
    return waiting, rejected


@pytest.fixture
def config(tmp_path: Path) -> RobotConfig:
    path = tmp_path / "cabinet-robot.toml"
    path.write_text(CONFIG, encoding="utf-8")
    path.chmod(0o600)
    return load_config(path)


@pytest.fixture
def world(config: RobotConfig, tmp_path: Path) -> dict[str, Path]:
    """A state folder with old and young copies in every place."""
    state = config.state.dir
    waiting, rejected = review_items(config)
    return {
        "old evidence": evidence(state, "mts-main", 40 * DAY),
        "young evidence": evidence(state, "mts-main", 10 * DAY),
        "live session": aged(state / "evidence" / ".raw" / "1-abc" / "trace.zip", 400 * DAY),
        "old canary": state / "canary" / (NOW - 31 * DAY).strftime("%Y%m%dT%H%M%SZ"),
        "old survey": survey(state, 32 * DAY),
        "young survey": survey(state, 2 * DAY),
        "committed batch": aged(state / "spool" / "committed" / "20261201-17.batch", DAY),
        "batch in flight": aged(state / "spool" / "18.batch", 400 * DAY),
        "waiting review": waiting,
        "rejected review": rejected,
        "old recording": recording(config.privacy.recordings, "invoice", 40 * DAY),
        "young recording": recording(config.privacy.recordings, "calls", 5 * DAY),
        "current log": aged(state / "logs" / "cabinet-robot.log", 400 * DAY),
        "old rotated log": aged(state / "logs" / "cabinet-robot.log.2", 61 * DAY),
        "young rotated log": aged(state / "logs" / "cabinet-robot.log.1", 59 * DAY),
    }


def present(world: dict[str, Path]) -> set[str]:
    return {name for name, path in world.items() if path.exists()}


def test_purge_removes_what_is_older_than_its_place_keeps_and_nothing_in_use(
    config: RobotConfig, world: dict[str, Path]
) -> None:
    aged(world["old canary"] / "mts-main" / "01-login.png", dt.timedelta(0))

    with clock.frozen_now(NOW):
        report = purge(config)

    assert present(world) == {
        "young evidence", "live session", "batch in flight", "waiting review",
        "young recording", "current log", "young rotated log", "young survey",
    }  # fmt: skip
    sweeps = {sweep.place: sweep for sweep in report.sweeps}
    old = [world["old evidence"], world["old canary"], world["old survey"]]
    assert sweeps["evidence"].folders == old
    assert (sweeps["evidence"].files, sweeps["evidence"].bytes) == (4, 170)
    assert sweeps["evidence"].oldest_kept == NOW - 10 * DAY
    assert (sweeps["spool"].files, sweeps["spool"].kept) == (1, 0)
    assert (sweeps["review"].files, sweeps["review"].kept) == (1, 1)
    assert sweeps["recordings"].folders == [world["old recording"]]
    assert sweeps["logs"].files == 1 and sweeps["logs"].oldest_kept == NOW - 59 * DAY
    # The ledger keeps its facts about both files, the removed one included.
    ledger = Ledger(config.state.ledger_url)
    try:
        items = {item.sha256: item.state for item in ledger.reviews(None)}
    finally:
        ledger.close()
    assert items == {"a" * 64: ReviewState.WAITING, "b" * 64: ReviewState.REJECTED}


def test_two_days_earlier_the_decided_review_file_is_young_enough_to_stay(
    config: RobotConfig, world: dict[str, Path]
) -> None:
    with clock.frozen_now(NOW - 2 * DAY):  # 89 days after the decision
        report = purge(config)

    assert "rejected review" in present(world)
    assert {s.place: s.files for s in report.sweeps}["review"] == 0


def test_a_dry_run_says_the_same_and_removes_nothing(
    config: RobotConfig, world: dict[str, Path]
) -> None:
    before = present(world)

    with clock.frozen_now(NOW):
        dry = purge(config, dry_run=True)
    assert present(world) == before
    with clock.frozen_now(NOW):
        real = purge(config)

    assert [s.as_json() for s in dry.sweeps] == [s.as_json() for s in real.sweeps]
    assert dry.dry_run and not real.dry_run


def test_while_a_collection_runs_its_spool_and_review_files_are_left_alone(
    config: RobotConfig, world: dict[str, Path]
) -> None:
    lock = exclusive(config.state.dir / "collect.lock", config.state.ledger_url)
    with lock, clock.frozen_now(NOW):
        report = purge(config)

    assert {"committed batch", "rejected review"} <= present(world)
    assert "old evidence" not in present(world)
    skipped = {s.place: s.skipped for s in report.sweeps if s.skipped}
    assert set(skipped) == {"spool", "review"}
    assert "a collection is running" in skipped["spool"]


def test_the_command_prints_what_it_removed_and_json_on_demand(
    config: RobotConfig, world: dict[str, Path], tmp_path: Path
) -> None:
    path = str(tmp_path / "cabinet-robot.toml")

    with clock.frozen_now(NOW):
        dry = CliRunner().invoke(app, ["purge", "--config", path, "--dry-run", "--json"])
        printed = CliRunner().invoke(app, ["purge", "--config", path])

    assert dry.exit_code == 0, dry.output
    answer = json.loads(dry.stdout)
    assert answer["dry_run"] is True and answer["files"] == 8
    assert [p["place"] for p in answer["places"]] == [
        "evidence", "spool", "review", "recordings", "logs",
    ]  # fmt: skip
    assert printed.exit_code == 0, printed.output
    assert f"removed {world['old recording']}" in printed.stdout
    assert "removed 8 file(s)" in printed.stdout
    assert present(world) == {
        "young evidence", "live session", "batch in flight", "waiting review",
        "young recording", "current log", "young rotated log", "young survey",
    }  # fmt: skip


def test_a_negative_retention_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cabinet-robot.toml"
    path.write_text(CONFIG.replace('keep_spool = "0d"', "keep_spool = -60"), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"privacy\.keep_spool: a retention cannot be"):
        load_config(path)
