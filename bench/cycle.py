"""Benchmark of the monthly cycle: the parallel runner against one browser at a time, or
the month on a work pool with one worker against several.

``python bench/cycle.py --accounts N`` starts the sandbox with N accounts spread over the
four cabinets (one login each, every response delayed by ``--latency-ms`` as a distant
cabinet would be) and a Prefect server, then runs the whole monthly cycle twice, each
time on a fresh sandbox and ledger: once with ``cycle.max_browsers = 1`` (sequential)
and once with ``--browsers`` (the parallel runner). A run counts the documents it
delivered (every expected document must be delivered) over its wall time.

``--workers 1 2`` runs the month on a Prefect work pool instead (``cabinet-robot deploy
--pool``, a Postgres ledger, process workers of one session each; ``sandbox.pool``), once
per worker count, each on a fresh sandbox, ledger and Prefect server, from the month's
first run to its last step.

Usage::

    .venv/bin/python bench/cycle.py --accounts 40 [--latency-ms 250] [--browsers 4]
    .venv/bin/python bench/cycle.py --accounts 12 --workers 1 2

The last line is one JSON object: ``accounts``, ``documents``, ``sequential_docs_per_min``,
``parallel_docs_per_min`` and ``ratio`` (with ``--workers``: ``docs_per_min`` per worker
count, and ``ratio`` of the last to the first). Goals on two cores: ratio >= 1.8 at N = 40
for the browsers; >= 1.6 for two workers against one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from robots.domain import Operator, Period  # noqa: E402
from sandbox.cabinets.base import Timings  # noqa: E402
from sandbox.prefect_server import PrefectServer  # noqa: E402
from sandbox.stack import Sandbox  # noqa: E402
from sandbox.world import generated_accounts  # noqa: E402

TODAY = dt.date.today().replace(day=15)


def spread(accounts: int) -> dict[Operator, int]:
    """N accounts over the four operators, as evenly as they go."""
    operators = list(Operator)
    return {op: accounts // 4 + (i < accounts % 4) for i, op in enumerate(operators)}


def _sandbox(workdir: Path, accounts: int, latency_ms: int) -> Sandbox:
    """N generated accounts over the four cabinets, every response ``latency_ms`` late."""
    per_operator = {op: generated_accounts(op, n) for op, n in spread(accounts).items()}
    return Sandbox(
        workdir,
        today=TODAY,
        timings=Timings.uniform(0.5),
        faults=f"latency_ms={latency_ms}",
        accounts=per_operator,
    )


def one_cycle(workdir: Path, accounts: int, latency_ms: int, browsers: int) -> dict[str, float]:
    """A fresh sandbox, one whole cycle with ``browsers`` at most; documents and seconds."""
    from flows.cycle import monthly_cycle

    with _sandbox(workdir, accounts, latency_ms) as sandbox:
        os.environ.update(sandbox.env)
        os.environ["CABINET_ROBOT_CYCLE__MAX_BROWSERS"] = str(browsers)
        started = time.monotonic()
        state = monthly_cycle(
            period=str(Period.of(TODAY).previous()),
            config_path=str(sandbox.config_path),
            today=TODAY,
            return_state=True,  # a month with failures ends Failed: its matrix is still wanted
        )
        result: Any = state.result(raise_on_failure=False)
        if isinstance(result, BaseException):
            raise result
        seconds = time.monotonic() - started
    statuses = [row["status"] for row in result["matrix"]]
    if set(statuses) != {"delivered"}:
        raise SystemExit(f"not everything was delivered with {browsers} browser(s): {statuses}")
    return {"documents": len(statuses), "seconds": seconds}


def pooled_cycle(
    workdir: Path, accounts: int, latency_ms: int, workers: int, database_url: str
) -> dict[str, float]:
    """A fresh sandbox, the month on a pool of ``workers``; documents and seconds."""
    from robots.cycle.book import ItemState, opened_book
    from sandbox.pool import PoolStack

    period = str(Period.of(TODAY).previous())
    with _sandbox(workdir, accounts, latency_ms) as sandbox:
        env = {
            **sandbox.env,
            "CABINET_ROBOT_CONFIG": str(sandbox.config_path),
            "CABINET_ROBOT_STATE__DATABASE_URL": database_url,
            "CABINET_ROBOT_CYCLE__POLL_INTERVAL": "10s",  # between the month's steps
        }
        with PoolStack(workdir / "pool", env, workers=workers) as pool:
            started = time.monotonic()
            pool.start_month(period, TODAY)
            pool.wait_month(period, timeout_s=3600)
            seconds = time.monotonic() - started
        with opened_book(database_url) as book:
            states = [item.state for item in book.items(period)]
    if set(states) != {ItemState.DELIVERED}:
        raise SystemExit(f"not everything was delivered with {workers} worker(s): {states}")
    return {"documents": len(states), "seconds": seconds}


def pooled(args: argparse.Namespace, base: Path) -> dict[str, Any]:
    from sandbox.postgres import PostgresServer

    runs = {}
    with PostgresServer() as postgres:
        for workers in args.workers:
            url = postgres.create_database(f"bench_{workers}")
            run = pooled_cycle(base / f"pool-{workers}", args.accounts, args.latency_ms,
                               workers, url)  # fmt: skip
            run["docs_per_min"] = run["documents"] / run["seconds"] * 60
            runs[workers] = run
            print(
                f"{workers:>3} worker(s): {run['documents']:.0f} documents in "
                f"{run['seconds']:.1f} s = {run['docs_per_min']:.1f} documents/min",
                flush=True,
            )
    first, last = runs[args.workers[0]], runs[args.workers[-1]]
    return {
        "accounts": args.accounts,
        "latency_ms": args.latency_ms,
        "documents": last["documents"],
        "docs_per_min": {str(w): round(r["docs_per_min"], 1) for w, r in runs.items()},
        "ratio": round(last["docs_per_min"] / first["docs_per_min"], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--latency-ms", type=int, default=250)
    parser.add_argument("--browsers", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", help="on a work pool: worker counts")
    args = parser.parse_args()

    if args.workers:
        base = Path(tempfile.mkdtemp(prefix="bench-pool-"))
        os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
        try:
            print(json.dumps(pooled(args, base)))
        finally:
            shutil.rmtree(base, ignore_errors=True)
        return 0
    base = Path(tempfile.mkdtemp(prefix="bench-cycle-"))
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    try:
        with PrefectServer(base / "prefect") as prefect:
            os.environ.update(prefect.env())
            runs = {}
            for name, browsers in (("sequential", 1), ("parallel", args.browsers)):
                run = one_cycle(base / name, args.accounts, args.latency_ms, browsers)
                run["docs_per_min"] = run["documents"] / run["seconds"] * 60
                runs[name] = run
                print(
                    f"{name:>10}: {browsers} browser(s), {run['documents']:.0f} documents "
                    f"in {run['seconds']:.1f} s = {run['docs_per_min']:.1f} documents/min",
                    flush=True,
                )
            from prefect.logging.handlers import APILogWorker

            APILogWorker.drain_all(timeout=5)  # the runs' last log lines, while the server is up
    finally:
        shutil.rmtree(base, ignore_errors=True)
    summary = {
        "accounts": args.accounts,
        "latency_ms": args.latency_ms,
        "browsers": args.browsers,
        "documents": runs["parallel"]["documents"],
        "sequential_docs_per_min": round(runs["sequential"]["docs_per_min"], 1),
        "parallel_docs_per_min": round(runs["parallel"]["docs_per_min"], 1),
        "ratio": round(runs["parallel"]["docs_per_min"] / runs["sequential"]["docs_per_min"], 2),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
