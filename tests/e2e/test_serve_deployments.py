"""``cabinet-robot serve`` against a real Prefect server: the deployments and schedules it
registers are what the configuration says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.prefect_server import PrefectServer

CONFIG = """\
[mail]
host = "127.0.0.1"
security = "plain"
username = "robot"
password_env = "CABINET_ROBOT_MAIL_PASSWORD"

[tarifer]
inbox = "tarifer"

[schedule]
timezone = "Asia/Almaty"
monthly_cycle = "15 7 6 * *"
collect = "*/20 * * * *"
canary = "0 5 2 * *"
"""


@pytest.fixture
def prefect(tmp_path: Path) -> Iterator[PrefectServer]:
    with PrefectServer(tmp_path / "prefect") as server:
        yield server


def deployments(server: PrefectServer) -> list[dict[str, Any]]:
    response = httpx.post(f"{server.api_url}/deployments/filter", json={}, timeout=30)
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()
    return found


def test_serve_registers_the_scheduled_deployments(tmp_path: Path, prefect: PrefectServer) -> None:
    config = tmp_path / "cabinet-robot.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {**os.environ, **prefect.env(), "PREFECT_HOME": str(prefect.home)}
    serving = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--config", str(config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while len(found := deployments(prefect)) < 4 and time.monotonic() < deadline:
            assert serving.poll() is None, serving.stderr.read().decode() if serving.stderr else ""
            time.sleep(0.5)  # polling another process's registration
    finally:
        os.killpg(serving.pid, signal.SIGTERM)
        serving.wait(timeout=30)

    schedules = {d["name"]: d["schedules"][0]["schedule"] for d in found}
    assert schedules["monthly-cycle"]["cron"] == "15 7 6 * *"
    assert schedules["monthly-cycle"]["timezone"] == "Asia/Almaty"
    assert schedules["collect-mail"]["cron"] == "*/20 * * * *"
    assert schedules["canary-check"]["cron"] == "0 5 2 * *"
    assert schedules["purge-files"]["cron"] == "30 3 * * *"  # [schedule] purge's default
    parameters = {d["name"]: d["parameters"] for d in found}
    assert parameters["monthly-cycle"] == {"config_path": str(config.resolve())}


def test_deploy_registers_the_deployments_and_the_session_on_a_work_pool(
    tmp_path: Path, prefect: PrefectServer
) -> None:
    config = tmp_path / "cabinet-robot.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {**os.environ, **prefect.env(), "PREFECT_HOME": str(prefect.home)}
    command = [sys.executable, "-m", "cli.main", "deploy", "--pool", "robots", "-c", str(config)]
    for _ in range(2):  # a second deploy updates the same deployments, pool and automation
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert "deployed cabinet-session/cabinet-session on work pool robots" in done.stdout

    found = {d["name"]: d for d in deployments(prefect)}
    assert sorted(found) == [
        "cabinet-session", "canary-check", "collect-mail", "monthly-cycle", "purge-files",
    ]  # fmt: skip
    assert {d["work_pool_name"] for d in found.values()} == {"robots"}
    assert found["monthly-cycle"]["parameters"] == {
        "config_path": str(config.resolve()),
        "pooled": True,
    }
    assert found["monthly-cycle"]["schedules"][0]["schedule"]["cron"] == "15 7 6 * *"
    assert found["cabinet-session"]["schedules"] == []  # started by the cycle only
    assert found["cabinet-session"]["entrypoint"] == "flows.session.cabinet_session"
    heartbeat = found["cabinet-session"]["job_variables"]["env"]
    assert heartbeat["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == "30"
    pool = httpx.get(f"{prefect.api_url}/work_pools/robots", timeout=30).json()
    assert pool["type"] == "process"
    automations = httpx.post(f"{prefect.api_url}/automations/filter", json={}, timeout=30)
    crash = [a for a in automations.json() if a["name"].startswith("cabinet-robot: crash")]
    assert len(crash) == 1 and crash[0]["actions"][0]["state"] == "CRASHED", crash
    # Only the robot's runs (tagged by their deployments) are judged by it.
    assert {d["tags"][0] for d in found.values()} == {"cabinet-robot"}
    assert crash[0]["trigger"]["match_related"] == {
        "prefect.resource.role": "tag", "prefect.resource.id": "prefect.tag.cabinet-robot",
    }  # fmt: skip


def test_deploy_without_a_prefect_server_or_with_one_away_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "deploy", "--pool", "robots"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "cabinet-robot deploy needs a Prefect server" in done.stderr
    assert "export PREFECT_API_URL=" in done.stderr

    config = tmp_path / "cabinet-robot.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env["PREFECT_API_URL"] = "http://127.0.0.1:9/api"  # nothing listens there
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "deploy", "--pool", "robots", "-c", str(config)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("cabinet-robot: cannot reach the Prefect server at "), done.stderr
    assert "Traceback" not in done.stderr
