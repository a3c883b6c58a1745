"""The robot on a Prefect work pool, as several machines would run it, on this one: a
Prefect server, ``cabinet-robot deploy --pool``, and process workers, each in a process
group of its own (``sandbox.prefect_worker``). For the pool's e2e test and
``bench/cycle.py --workers N``.

Example::

    with PoolStack(tmp_path / "pool", env, workers=2) as pool:
        pool.start_month("2026-11", today)
        pool.wait_month(timeout_s=900)
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

import httpx

from sandbox.lifecycle import Service
from sandbox.prefect_server import PrefectServer
from sandbox.prefect_worker import PrefectWorker

POOL = "cabinet-robots"
WORKER_POLL_S = 2  # how often the sandbox's workers look for runs
_PAGE = 200  # the API's largest page
_NOT_ENDED = ("SCHEDULED", "PENDING", "RUNNING")


class PoolStack(Service):
    """``workers`` process workers of ``limit`` runs each, on a pool of a server of its own.

    Args:
        directory: the server's home and the workers' logs.
        env: what the robot needs (the sandbox's passwords, ``CABINET_ROBOT_CONFIG``, a
            shared ledger's ``CABINET_ROBOT_STATE__DATABASE_URL``, ...).
    """

    def __init__(
        self, directory: Path, env: Mapping[str, str], workers: int = 2, limit: int = 1
    ) -> None:
        self.directory = directory
        self.server = PrefectServer(directory / "prefect")
        self._robot_env = dict(env)
        self._count, self._limit = workers, limit
        self.workers: list[PrefectWorker] = []

    @property
    def env(self) -> dict[str, str]:
        return {**self._robot_env, **self.server.env(), "PREFECT_HOME": str(self.server.home)}

    def start(self) -> Self:
        self.server.start()
        try:
            self.deployed = self._run("-m", "cli.main", "deploy", "--pool", POOL)
            # The workers look for runs every 2 s, not Prefect's 10: each step of a month
            # here starts the next within seconds, and would otherwise wait for a poll.
            env = {**self.env, "PREFECT_WORKER_QUERY_SECONDS": str(WORKER_POLL_S)}
            for n in range(1, self._count + 1):
                log = self.directory / f"worker-{n}.log"
                self.workers.append(PrefectWorker(POOL, env, log, self._limit).start())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.server.stop()

    def start_month(self, period: str, today: dt.date) -> None:
        """A run of the monthly-cycle deployment, as its schedule or a person starts one."""
        parameters = ["--param", f"period={period}", "--param", f"today={today.isoformat()}"]
        self._run("-m", "prefect", "deployment", "run", "monthly-cycle/monthly-cycle", *parameters)

    def runs(self, flow: str, period: str) -> list[dict[str, Any]]:
        """``flow``'s runs for ``period``, by expected start."""
        query = {"flows": {"name": {"any_": [flow]}}, "sort": "EXPECTED_START_TIME_ASC"}
        found = self._pages("flow_runs/filter", query)
        return [r for r in found if r["parameters"].get("period") == period]

    def log_lines(self, containing: str) -> list[str]:
        """The runs' log lines (the robot's own included) that contain ``containing``."""
        lines = self._pages("logs/filter", {"logs": {"level": {"ge_": 0}}, "sort": "TIMESTAMP_ASC"})
        return [f"{line['timestamp']} {line['message']}" for line in lines
                if containing in line["message"]]  # fmt: skip

    def month_done(self, period: str) -> bool:
        """The month's last step ended: none running or scheduled, and none to come.

        Raises:
            AssertionError: a step crashed, or failed for another reason than an order
                left unconfirmed (which a month may end with, for a person).
        """
        steps = self.runs("monthly-cycle", period)
        for step in steps:
            state = step["state"]
            if state["type"] == "CRASHED" or (
                state["type"] == "FAILED" and "unconfirmed" not in (state["message"] or "")
            ):
                raise AssertionError(f"{step['name']}: {state['type']}: {state['message']}")
        if not steps or any(s["state"]["type"] in _NOT_ENDED for s in steps):
            return False
        return "next step" not in (steps[-1]["state"]["message"] or "")

    def wait_month(self, period: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.month_done(period):
            if time.monotonic() > deadline:
                raise AssertionError(f"the month {period} did not end within {timeout_s:.0f} s")
            time.sleep(1.0)  # other processes' work: nothing to wait on but the API

    def _pages(self, endpoint: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            body = {**query, "limit": _PAGE, "offset": len(found)}
            response = httpx.post(f"{self.server.api_url}/{endpoint}", json=body, timeout=30)
            response.raise_for_status()
            page = response.json()
            found += page
            if len(page) < _PAGE:
                return found

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done.stdout
