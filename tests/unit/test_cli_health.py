"""``cabinet-robot status --health`` on a real SQLite ledger with several runs: one row of
cells per cabinet, the newest right with its date, the screens that were not ok; --json
gives every run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from robots.health import Health, ScreenHealth, Source, record
from robots.ledger import Ledger
from support.configs import sandbox_like_config

START = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return sandbox_like_config(tmp_path, "TEST_HEALTH_MAIL_PASSWORD")


def runs(config: Path) -> None:
    """14 canary runs of a1-main, a day apart, the button renamed on the last two; two
    cycle sessions of mts-main, the second one refused at the login."""
    ledger = Ledger(load_config(config).state.ledger_url)
    for day in range(14):
        broken = day >= 12
        screens = [
            ScreenHealth("Вход", Health.OK),
            ScreenHealth("Счета", Health.CHANGED, "missing button «Отправить счет»")
            if broken
            else ScreenHealth("Счета", Health.OK),
            ScreenHealth("Детализация на Email", Health.UNAVAILABLE, "not reached: Счета")
            if broken
            else ScreenHealth("Детализация на Email", Health.OK),
        ]
        record(ledger, Source.CANARY, "a1-main", screens, at=START + dt.timedelta(days=day))
    record(ledger, Source.CYCLE, "mts-main", [ScreenHealth("invoice", Health.OK)],
           at=START + dt.timedelta(days=3))  # fmt: skip
    record(ledger, Source.CYCLE, "mts-main",
           [ScreenHealth("cabinet", Health.UNAVAILABLE,
                         "login refused: Неверный номер 79161234567 или пароль")],
           at=START + dt.timedelta(days=4))  # fmt: skip
    ledger.close()


def status(config: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["status", "--health", "--config", str(config), *args])
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    return result.stdout


def local(day: int) -> dt.datetime:
    return (START + dt.timedelta(days=day)).astimezone()


def test_json_gives_each_cabinets_last_twelve_runs_in_order(config: Path) -> None:
    runs(config)

    health = {c["cabinet"]: c["runs"] for c in json.loads(status(config, "--json"))["health"]}

    assert list(health) == ["a1-main", "mts-main"]
    a1 = health["a1-main"]
    assert [r["at"] for r in a1] == [(START + dt.timedelta(days=d)).isoformat()
                                     for d in range(2, 14)]  # fmt: skip
    assert [r["status"] for r in a1] == ["ok"] * 10 + ["changed"] * 2
    assert {r["source"] for r in a1} == {"canary"}
    assert a1[-1]["screens"][1] == {
        "screen": "Счета",
        "status": "changed",
        "detail": "missing button «Отправить счет»",
    }
    assert [(r["source"], r["status"]) for r in health["mts-main"]] == [
        ("cycle", "ok"),
        ("cycle", "unavailable"),
    ]


def test_the_map_for_a_person(config: Path) -> None:
    runs(config)

    lines = status(config).splitlines()

    a1 = next(i for i, line in enumerate(lines) if line.startswith("a1-main"))
    assert lines[a1].split() == ["a1-main", *["o"] * 10, "C", "C"]
    # under each cell its run's date, the newest right
    assert lines[a1 + 1].split() == [f"{local(d):%d.%m}" for d in range(2, 14)]
    mts = next(i for i, line in enumerate(lines) if line.startswith("mts-main"))
    assert lines[mts].split() == ["mts-main", "o", "u"]
    assert lines[mts + 1].split() == [f"{local(3):%d.%m}", f"{local(4):%d.%m}"]
    # the newest cells are at the right of the row, under the a1 row's newest
    assert lines[mts].rstrip().endswith(" u") and len(lines[mts].rstrip()) == len(
        lines[a1].rstrip()
    )

    text = "\n".join(lines)
    changed = (
        "  changed «Счета»: missing button «Отправить счет» "
        f"({local(13):%d.%m %H:%M} canary, {local(12):%d.%m %H:%M} canary)"
    )
    assert changed in lines
    assert "and 2 screen(s) not reached behind them in 2 run(s)" in text
    assert "Детализация на Email" not in text  # not reached: counted, not listed
    assert "«Вход»" not in text  # ok: not listed
    assert "unavailable «cabinet»: login refused" in text
    assert "79161234567" not in text and "+7 916 ***-**-67" in text


def test_a_ledger_with_no_health_says_what_records_it(config: Path) -> None:
    assert "No cabinet health recorded yet" in status(config)
    assert json.loads(status(config, "--json")) == {"health": []}
