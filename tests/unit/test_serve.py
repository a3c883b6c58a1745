"""``cabinet-robot serve``: the deployments it registers, and what it says without a server."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from config.models import RobotConfig
from flows.deploy import deployments


def config(tmp_path: Path) -> RobotConfig:
    return RobotConfig.model_validate(
        {
            "mail": {"host": "imap.example.com", "username": "r@x.y", "password_env": "P"},
            "tarifer": {"inbox": str(tmp_path)},
            "schedule": {
                "timezone": "Asia/Almaty",
                "monthly_cycle": "30 7 6 * *",
                "purge": "15 2 * * *",
            },
        }
    )


def test_the_schedules_come_from_the_configuration(tmp_path: Path) -> None:
    found = {d.name: d for d in deployments(config(tmp_path), tmp_path / "robot.toml")}

    assert set(found) == {"monthly-cycle", "collect-mail", "canary-check", "purge-files"}
    cycle = found["monthly-cycle"].schedules[0].schedule
    assert (cycle.cron, cycle.timezone) == ("30 7 6 * *", "Asia/Almaty")  # type: ignore[union-attr]
    collect = found["collect-mail"].schedules[0].schedule
    assert collect.cron == "*/30 * * * *"  # type: ignore[union-attr]
    canary = found["canary-check"].schedules[0].schedule
    assert canary.cron == "0 6 4 * *"  # type: ignore[union-attr]
    purge = found["purge-files"].schedules[0].schedule
    assert (purge.cron, purge.timezone) == ("15 2 * * *", "Asia/Almaty")  # type: ignore[union-attr]
    assert found["purge-files"].parameters == {"config_path": str(tmp_path / "robot.toml")}
    assert found["monthly-cycle"].parameters == {"config_path": str(tmp_path / "robot.toml")}


def test_serve_without_a_prefect_server_says_how_to_start_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--config", str(tmp_path / "none.toml")])

    assert result.exit_code == 2
    assert "prefect server start" in result.output and "PREFECT_API_URL" in result.output
