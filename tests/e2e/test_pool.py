"""The month on a Prefect work pool, as several machines would run it: a Prefect server, a
Postgres ledger, two process workers of one session each, the sandbox with 12 accounts
over the four cabinets (``sandbox.pool``). One worker is killed, with the session it
runs, in the middle of a cabinet session (the Kcell session, held inside a download by
the sandbox so that no order is in flight); the month still completes, nothing is ordered
or delivered twice, and no two sessions of one login were ever open at once.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from config.loader import load_config
from robots.cycle.book import ItemState, opened_book
from robots.domain import Operator, Period
from sandbox.pool import PoolStack
from sandbox.stack import Sandbox
from sandbox.world import generated_accounts

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
PERIOD = str(Period.of(TODAY).previous())
MONTH_S = 900  # the whole month on a busy 2-core machine, a lost worker's 90 s included
ACCOUNTS = {op: generated_accounts(op, 3) for op in Operator}


def poll(condition: Callable[[], Any], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(1.0)  # polling other processes' work: nothing to wait on
    raise AssertionError(f"{what}: not within {timeout_s} s")


@pytest.mark.parametrize("sandbox_options", [{"accounts": ACCOUNTS}], indirect=True)
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_month_on_two_workers_survives_a_lost_worker_ordering_nothing_twice(
    sandbox: Sandbox, database_url: str, tmp_path: Path
) -> None:
    env = {
        **sandbox.env,
        "CABINET_ROBOT_CONFIG": str(sandbox.config_path),
        "CABINET_ROBOT_STATE__DATABASE_URL": database_url,
        "CABINET_ROBOT_CYCLE__POLL_INTERVAL": "10s",  # between the month's steps
    }
    kcell = sandbox.cabinet("kcell")
    kcell.set_faults("hold_files=true")  # its first file answer waits, until lifted
    with PoolStack(tmp_path / "pool", env, workers=2) as pool:
        assert "deployed cabinet-session/cabinet-session on work pool" in pool.deployed
        pool.start_month(PERIOD, TODAY)
        lost = poll(lambda: _inside_a_download(pool, sandbox), MONTH_S, "Kcell's download")
        victim = next(w for w in pool.workers if w.pid in _ancestors(lost["pid"]))
        victim.kill()
        kcell.set_faults("")
        pool.wait_month(PERIOD, MONTH_S)
        sessions = pool.runs("cabinet-session", PERIOD)
        last_step = pool.runs("monthly-cycle", PERIOD)[-1]["state"]

    crashed = next(r for r in sessions if r["id"] == lost["id"])
    assert crashed["state"]["type"] == "CRASHED", crashed["state"]
    cabinet = crashed["parameters"]["cabinet_name"]
    again = [r for r in sessions if r["parameters"]["cabinet_name"] == cabinet]
    assert again[-1]["state"]["type"] == "COMPLETED", [r["state"] for r in again]  # elsewhere
    assert last_step["type"] == "COMPLETED", last_step["message"]

    settings = load_config(sandbox.config_path)
    with opened_book(settings.state.ledger_url) as book:
        items = book.items(PERIOD)
    states = collections.Counter(item.state for item in items)
    assert set(states) == {ItemState.DELIVERED}, states
    assert len(items) == 3 * (4 + 3 + 2 + 2)  # three accounts: Kcell 4 kinds, A1 3, MTS, SIP 2

    for running in sandbox.cabinets:
        # A download orders nothing (the one the kill cut short was downloaded again);
        # what is placed by e-mail must be placed once.
        placed = collections.Counter(
            (o["kind"], o["account"], o["period"])
            for o in running.orders()
            if o["method"] == "email"
        )
        assert not placed or max(placed.values()) == 1, f"{running.name} ordered twice: {placed}"
        spans = sorted(running.login_spans())
        for (_, ends), (opens, _) in itertools.pairwise(spans):
            assert ends < opens, f"{running.name}: two sessions of one login at once"
    inbox = settings.tarifer.inbox
    files = [p for p in inbox.rglob("*") if p.is_file() and p.parent != inbox]
    digests = collections.Counter(hashlib.sha256(p.read_bytes()).hexdigest() for p in files)
    assert files and max(digests.values()) == 1, "a file delivered twice"


def _inside_a_download(pool: PoolStack, sandbox: Sandbox) -> dict[str, Any] | None:
    """The Kcell session's run and process, once the cabinet holds one of its files."""
    pool.month_done(PERIOD)  # raises at once if a step failed
    if not sandbox.cabinet("kcell").held_files():
        return None
    for run in pool.runs("cabinet-session", PERIOD):
        pid = (run.get("infrastructure_pid") or "").rpartition(":")[2]
        if run["parameters"]["cabinet_name"] == "kcell-sandbox" and pid.isdigit():
            return {"id": run["id"], "pid": int(pid)}
    return None


def _ancestors(pid: int) -> list[int]:
    found = []
    while pid > 1:
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
        except OSError:
            break
        pid = int(stat.rsplit(b")", 1)[1].split()[1])
        found.append(pid)
    return found
