"""The cabinets' health in the ledger: written per run and screen, read back as each
cabinet's last 12 runs in order, no subscriber number kept; an older ledger gets the
table at start."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from robots.errors import (
    CabinetMaintenance,
    CredentialsError,
    OrderRefused,
    OrderUnconfirmed,
    UnexpectedScreen,
)
from robots.health import (
    CABINET,
    Health,
    ScreenHealth,
    Source,
    history,
    record,
    session_health,
)
from robots.ledger import Ledger

START = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
ROTATION = [Health.OK, Health.HEALED, Health.CHANGED, Health.UNAVAILABLE]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    opened = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    yield opened
    opened.close()


def test_runs_are_read_back_with_their_screens_source_and_time(ledger: Ledger) -> None:
    record(ledger, Source.CANARY, "a1-main",
           [ScreenHealth("Вход", Health.OK),
            ScreenHealth("Счета", Health.CHANGED, "missing button «Отправить счет»")],
           at=START)  # fmt: skip
    record(ledger, Source.CYCLE, "a1-main", [ScreenHealth("invoice", Health.OK)],
           at=START + dt.timedelta(days=1))  # fmt: skip

    (a1,) = history(ledger)
    assert a1.cabinet == "a1-main"
    canary, cycle = a1.runs
    assert (canary.source, canary.at, canary.status) == ("canary", START, Health.CHANGED)
    assert [(s.screen, s.status, s.detail) for s in canary.screens] == [
        ("Вход", Health.OK, ""),
        ("Счета", Health.CHANGED, "missing button «Отправить счет»"),
    ]
    assert (cycle.source, cycle.status) == ("cycle", Health.OK)
    assert cycle.as_json()["at"] == "2026-10-02T09:00:00+00:00"


def test_the_last_twelve_runs_of_each_cabinet_oldest_first(ledger: Ledger) -> None:
    # Written out of order, two cabinets interleaved: read back by time, per cabinet.
    days = list(range(15))
    for day in reversed(days):
        status = ROTATION[day % 4]
        record(ledger, Source.CANARY, "mts-main", [ScreenHealth("Вход", status)],
               at=START + dt.timedelta(days=day))  # fmt: skip
        if day % 5 == 0:
            record(ledger, Source.CYCLE, "kcell-main", [ScreenHealth("work_act", Health.OK)],
                   at=START + dt.timedelta(days=day, hours=1))  # fmt: skip

    kcell, mts = history(ledger)
    assert [run.at.day for run in kcell.runs] == [1, 6, 11]
    assert len(mts.runs) == 12
    assert [run.at for run in mts.runs] == [START + dt.timedelta(days=d) for d in days[3:]]
    assert [run.status for run in mts.runs] == [ROTATION[d % 4] for d in days[3:]]
    assert [len(c.runs) for c in history(ledger, runs=2)] == [2, 2]


def test_a_healed_status_is_kept_and_the_worst_screen_is_the_runs(ledger: Ledger) -> None:
    record(ledger, Source.CANARY, "sip-main",
           [ScreenHealth("Вход", Health.OK), ScreenHealth("Счета", Health.HEALED, "«Месяц:»"),
            ScreenHealth("Детализация", Health.UNAVAILABLE, "с 1 по 3 число")])  # fmt: skip

    (sip,) = history(ledger)
    (run,) = sip.runs
    assert run.status is Health.HEALED
    assert [p.screen for p in run.problems()] == ["Счета", "Детализация"]


def test_no_subscriber_number_is_written(ledger: Ledger) -> None:
    record(ledger, Source.CANARY, "kcell-main",
           [ScreenHealth("Вход", Health.UNAVAILABLE,
                         "http://127.0.0.1:9/77011234567/login cannot be reached")])  # fmt: skip

    with ledger.engine.connect() as connection:
        (detail,) = connection.execute(text("SELECT detail FROM cabinet_health")).scalars()
    assert detail == "http://127.0.0.1:9/+7 701 ***-**-67/login cannot be reached"


@pytest.mark.parametrize(
    ("error", "health"),
    [
        (UnexpectedScreen("button «Заказать» not found"), Health.CHANGED),
        (OrderUnconfirmed("neither confirmed nor refused"), Health.CHANGED),
        (CabinetMaintenance("Технические работы"), Health.UNAVAILABLE),
        (CredentialsError("Неверный пароль"), Health.UNAVAILABLE),
    ],
)
def test_an_error_that_ends_a_session_is_the_cabinets_health(
    ledger: Ledger, error: Exception, health: Health
) -> None:
    with (
        pytest.raises(type(error)),
        session_health(ledger, Source.CYCLE, "mts-main", lambda e: f"said: {e}") as session,
    ):
        session.done("invoice")
        raise error

    (mts,) = history(ledger)
    (run,) = mts.runs
    assert [(s.screen, s.status, s.detail) for s in run.screens] == [
        ("invoice", Health.OK, ""),
        (CABINET, health, f"said: {error}"),
    ]


def test_a_session_keeps_each_kinds_worst_document(ledger: Ledger) -> None:
    with session_health(ledger, Source.CYCLE, "a1-main") as session:
        session.done("invoice")
        session.failed("invoice", UnexpectedScreen("no «Счета»"), "screen changed: no «Счета»")
        session.done("invoice")
        session.failed("call_details", OrderRefused("Услуга не оказывается"), "refused")
        session.done("reconciliation_act")

    (run,) = history(ledger)[0].runs
    assert [(s.screen, s.status) for s in run.screens] == [
        ("invoice", Health.CHANGED),
        ("call_details", Health.UNAVAILABLE),
        ("reconciliation_act", Health.OK),
    ]
    assert run.screens[0].detail == "screen changed: no «Счета»"


def test_a_session_that_saw_nothing_records_nothing(ledger: Ledger) -> None:
    with session_health(ledger, Source.ORDER, "a1-main"):
        pass
    assert history(ledger) == []


# The tables of a ledger made before the cabinets' health was kept (documents as now).
_OLD_TABLES = """
CREATE TABLE documents (
    id INTEGER NOT NULL PRIMARY KEY, sha256 VARCHAR(64) NOT NULL UNIQUE,
    doc_id VARCHAR(255) NOT NULL, version INTEGER NOT NULL, path TEXT NOT NULL,
    size INTEGER NOT NULL, source TEXT NOT NULL, received_at DATETIME NOT NULL,
    supersedes VARCHAR(64), evidence TEXT
);
CREATE TABLE state (key VARCHAR(64) NOT NULL PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO state (key, value) VALUES ('manifest_offset', '1234');
"""


def test_an_older_ledger_gets_the_health_table_and_keeps_its_rows(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(_OLD_TABLES)
    caplog.set_level("INFO", logger="robots.schema")

    ledger = Ledger(f"sqlite:///{path}")
    assert "schema upgraded from before migrations to" in caplog.text
    assert ledger.manifest_offset() == 1234
    record(ledger, Source.CANARY, "a1-main", [ScreenHealth("Вход", Health.OK)], at=START)
    assert [run.at for run in history(ledger)[0].runs] == [START]
    ledger.close()

    caplog.clear()
    again = Ledger(f"sqlite:///{path}")  # the second start finds the table there
    assert "upgraded" not in caplog.text
    assert len(history(again)[0].runs) == 1
    again.close()


def test_a_new_ledger_says_nothing_of_added_tables(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="robots.schema")
    Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}").close()
    assert "added" not in caplog.text and "upgraded" not in caplog.text
