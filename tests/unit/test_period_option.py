"""``--period``: one line for a month that is not one, and no month that has not begun."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from robots.domain import Period

TODAY = dt.date.today()
THIS_MONTH = Period.of(TODAY)

# Every command that takes --period, with what it needs besides.
COMMANDS = {
    "run": ["run"],
    "status": ["status"],
    "order": ["order", "--cabinet", "sip-main", "--kind", "invoice"],
    "scenario record": ["scenario", "record", "--cabinet", "sip-main", "--operation", "order"],
}


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-11", "1999-12"])
def test_a_period_that_is_not_a_month_is_one_plain_line(text: str) -> None:
    with pytest.raises(ValueError) as info:
        Period.parse(text)
    message = str(info.value)
    assert repr(text) in message and "\n" not in message
    assert "pydantic" not in message and "validation error" not in message


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_bad_period_in_one_line(command: str) -> None:
    code, out, err = cli(*COMMANDS[command], "--period", "2026-13")

    assert code == 2
    assert out == ""
    assert err == "cabinet-robot: '2026-13' has no month 13: write YYYY-MM, months 01 to 12\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_future_month(command: str) -> None:
    future = THIS_MONTH.next()

    code, _, err = cli(*COMMANDS[command], "--period", str(future))

    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(f"cabinet-robot: --period {future} is in the future (today is {TODAY})")


def test_the_cycle_refuses_the_month_that_is_not_over() -> None:
    code, _, err = cli("run", "--period", str(THIS_MONTH))

    assert code == 2
    assert err == (
        f"cabinet-robot: --period {THIS_MONTH} is not over yet: the cycle orders a month's "
        f"documents once it has ended; give {THIS_MONTH.previous()} or earlier\n"
    )


def test_the_cycle_judges_by_the_rehearsal_date() -> None:
    next_month = THIS_MONTH.next()
    rehearsal = next_month.next().first_day.isoformat()  # next month is over by then
    missing = "/nonexistent/robot.toml"

    code, _, err = cli("run", "--period", str(next_month), "--today", rehearsal, "-c", missing)

    assert code == 2
    assert "configuration file not found" in err, "the period passed; the file is what is missing"


def test_status_of_the_current_month_is_shown(tmp_path: Path) -> None:
    config = tmp_path / "robot.toml"
    config.write_text(
        '[mail]\nhost = "127.0.0.1"\nsecurity = "plain"\nusername = "robot"\n'
        'password_env = "P"\n\n[tarifer]\ninbox = "inbox"\n',
        encoding="utf-8",
    )

    code, out, err = cli("status", "--period", str(THIS_MONTH), "--config", str(config))

    assert code == 0, err
    assert f"Nothing expected for {THIS_MONTH} yet" in out
