"""Stopping ``cabinet-robot run`` and running it again, as an operator would: the command
in a process of its own against the sandbox, with Prefect's temporary server (no
``PREFECT_API_URL``) or a Prefect server, each test with its own ``PREFECT_HOME``.

Also the login slots a run leaves behind: taken back from a holder that is gone, waited
for (and given up on, with the holder named) while the holder lives.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from config.loader import load_config
from robots.cycle.book import ItemState, opened_book
from robots.domain import Period
from sandbox.prefect_server import PrefectServer
from sandbox.stack import Sandbox

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
PERIOD = str(Period.of(TODAY).previous())
CABINET = "sip-sandbox"
STOP_S = 60  # from the signal to the exit, on a busy 2-core machine (a few seconds idle)
RUN_S = 400  # a whole run of one cabinet, with a temporary Prefect server to start

# Takes the cabinet's login slot as a session does, says so, and holds it until killed.
HOLDER = """
import sys, time
from config.loader import load_config
from flows.logins import login_slot
from robots.cabinets import find_cabinet

with login_slot(find_cabinet(load_config(), sys.argv[1])):
    print("holding", flush=True)
    time.sleep(3600)
"""


def poll(condition: Callable[[], Any], timeout_s: float, what: str) -> Any:
    """``condition()``'s first truthy value within ``timeout_s`` (another process's doing)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)  # polling another process: nothing to wait on
    raise AssertionError(f"{what}: not within {timeout_s} s")


class Robot:
    """``cabinet-robot`` processes against the sandbox, sharing one PREFECT_HOME."""

    def __init__(self, sandbox: Sandbox, directory: Path, api_url: str | None) -> None:
        self.sandbox = sandbox
        self.directory = directory
        self.env = {
            **os.environ,
            **sandbox.env,
            "CABINET_ROBOT_CONFIG": str(sandbox.config_path),
            "PREFECT_HOME": str(directory / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        }
        self.env.pop("PREFECT_API_URL", None)
        if api_url:
            self.env["PREFECT_API_URL"] = api_url
        self._started: list[subprocess.Popen[bytes]] = []
        self._count = 0

    def start(self, *args: str, **env: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
        """A process of its own group (a terminal's Ctrl-C goes to the whole group)."""
        self._count += 1
        out = self.directory / f"{self._count}.out"
        err = self.directory / f"{self._count}.err"
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, *args],
                env={**self.env, **env},
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
            )
        self._started.append(process)
        return process, out, err

    def run(self, **env: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
        args = ["run", "--json", "--period", PERIOD, "--today", TODAY.isoformat()]
        return self.start("-m", "cli.main", *args, "--cabinet", CABINET, **env)

    def hold_slot(self) -> subprocess.Popen[bytes]:
        """A process that holds the cabinet's login slot, once it holds it."""
        process, out, err = self.start("-c", HOLDER, CABINET)
        poll(
            lambda: "holding" in out.read_text() or process.poll() is not None,
            RUN_S,
            "the holder took the slot",
        )
        assert process.poll() is None, err.read_text()
        return process

    def stop_all(self) -> None:
        for process in self._started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(params=["temporary server", "prefect server"])
def robot(request: pytest.FixtureRequest, sandbox: Sandbox, tmp_path: Path) -> Iterator[Robot]:
    if request.param == "prefect server":
        with PrefectServer(tmp_path / "server") as server:
            yield from _robot(sandbox, tmp_path, server.api_url)
    else:
        yield from _robot(sandbox, tmp_path, None)


def _robot(sandbox: Sandbox, tmp_path: Path, api_url: str | None) -> Iterator[Robot]:
    robot = Robot(sandbox, tmp_path, api_url)
    try:
        yield robot
    finally:
        robot.stop_all()


def finished(process: subprocess.Popen[bytes], err: Path, timeout_s: float) -> int:
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {timeout_s} s:\n{err.read_text()}") from None


def orders(sandbox: Sandbox) -> list[dict[str, Any]]:
    return sandbox.cabinet("sip").orders()


def book_states(sandbox: Sandbox) -> list[ItemState]:
    with opened_book(load_config(sandbox.config_path).state.ledger_url) as book:
        return [item.state for item in book.items(PERIOD, {CABINET})]


def last_line(err: Path) -> str:
    lines = [line for line in err.read_text().splitlines() if line.strip()]
    return lines[-1] if lines else ""


@pytest.mark.parametrize(
    ("robot", "signum", "code", "said"),
    [
        ("temporary server", signal.SIGINT, 130, "Ctrl-C (SIGINT)"),
        ("prefect server", signal.SIGTERM, 143, "SIGTERM"),  # as a service manager stops it
    ],
    indirect=["robot"],
)
def test_a_stopped_run_exits_at_once_and_its_rerun_goes_on_without_ordering_twice(
    robot: Robot, sandbox: Sandbox, signum: signal.Signals, code: int, said: str
) -> None:
    process, _, err = robot.run()
    poll(lambda: orders(sandbox), RUN_S, "the session placed its first order")
    if signum is signal.SIGINT:
        os.killpg(process.pid, signum)  # as a terminal does: the whole process group
    else:
        process.send_signal(signum)  # as `kill PID` does
    signalled = time.monotonic()

    assert finished(process, err, STOP_S) == code
    took = time.monotonic() - signalled
    stderr = err.read_text()
    assert last_line(err) == (
        f"cabinet-robot: stopped by {said}; run it again to go on where it stopped"
    ), stderr
    assert "Traceback" not in stderr, stderr
    # Stopped between two documents: nothing half placed, something left for the rerun.
    states = book_states(sandbox)
    assert ItemState.UNCONFIRMED not in states, states
    assert ItemState.PLANNED in states, f"the run did not stop early ({took:.0f} s): {states}"
    placed = orders(sandbox)

    rerun, out, err = robot.run()
    assert finished(rerun, err, RUN_S) == 0, err.read_text()
    assert "Traceback" not in err.read_text(), err.read_text()
    assert json.loads(out.read_text())["complete"] is True
    after = orders(sandbox)
    assert after[: len(placed)] == placed
    again = collections.Counter((o["kind"], o["account"], o["period"]) for o in after)
    assert max(again.values()) == 1, f"ordered twice: {after}"


@pytest.mark.parametrize("robot", ["temporary server"], indirect=True)
def test_a_slot_left_by_a_run_that_died_is_taken_back(robot: Robot, sandbox: Sandbox) -> None:
    holder = robot.hold_slot()
    os.killpg(holder.pid, signal.SIGKILL)  # the holder and its temporary server die at once
    holder.wait()

    process, out, err = robot.run()
    assert finished(process, err, RUN_S) == 0, err.read_text()
    stderr = err.read_text()
    assert f"taking back the login's slot, left by pid {holder.pid}" in stderr, stderr
    assert json.loads(out.read_text())["complete"] is True


@pytest.mark.parametrize("robot", ["prefect server"], indirect=True)
def test_a_slot_held_by_a_live_run_is_waited_for_then_given_up_naming_the_holder(
    robot: Robot, sandbox: Sandbox
) -> None:
    holder = robot.hold_slot()

    started = time.monotonic()
    process, out, err = robot.run(CABINET_ROBOT_CYCLE__SLOT_WAIT="5s")
    assert finished(process, err, RUN_S) == 1, err.read_text()
    stderr = err.read_text()
    assert f"{CABINET}: the login is in use by pid {holder.pid} on " in stderr, stderr
    assert holder.poll() is None, "the waiter took the slot of a live holder"
    assert orders(sandbox) == []
    matrix = json.loads(out.read_text())["matrix"]
    details = {r["detail"] for r in matrix if r["status"] == "failed"}
    given_up = f"login in use: cabinet {CABINET}: the login was still in use by pid {holder.pid}"
    assert details and all(d.startswith(given_up) and "after 5 s" in d for d in details), matrix
    assert time.monotonic() - started < RUN_S


@pytest.mark.parametrize("robot", ["temporary server"], indirect=True)
def test_a_second_ctrl_c_stops_at_once_leaving_the_order_in_flight_unconfirmed(
    robot: Robot, sandbox: Sandbox
) -> None:
    # Slow from the start, so every order is seen in flight (set after the first order,
    # the run could place its last one before the fault applied).
    sandbox.cabinet("sip").set_faults("latency_ms=2000")
    process, _, err = robot.run()
    poll(lambda: ItemState.UNCONFIRMED in book_states(sandbox), RUN_S, "an order in flight")
    os.killpg(process.pid, signal.SIGINT)
    poll(lambda: "stopping (Ctrl-C" in err.read_text(), STOP_S, "the first Ctrl-C was heard")
    os.killpg(process.pid, signal.SIGINT)

    assert finished(process, err, STOP_S) == 130
    stderr = err.read_text()
    assert last_line(err) == (
        "cabinet-robot: stopped by Ctrl-C (SIGINT); run it again to go on where it stopped"
    ), stderr
    assert "Traceback" not in stderr, stderr
    assert book_states(sandbox).count(ItemState.UNCONFIRMED) == 1
    sandbox.cabinet("sip").set_faults("")
    placed = orders(sandbox)

    # The slot was given back (the rerun does not wait), and the unconfirmed order is
    # left for a person: the rerun orders the rest, not it. (If the cabinet took it
    # before the process ended, its mail comes and settles it as delivered.)
    rerun, out, err = robot.run(CABINET_ROBOT_CYCLE__SLOT_WAIT="30s")
    assert finished(rerun, err, RUN_S) in (0, 1), err.read_text()
    assert "the login is in use" not in err.read_text()
    matrix = json.loads(out.read_text())["matrix"]
    problems = [r for r in matrix if r["status"] != "delivered"]
    assert all(r["detail"].startswith("unconfirmed: ") for r in problems), matrix
    after = orders(sandbox)
    again = collections.Counter((o["kind"], o["account"], o["period"]) for o in after)
    assert max(again.values()) == 1, f"ordered twice: {after}"
    assert len(after) > len(placed), "the rerun ordered what was still due"
