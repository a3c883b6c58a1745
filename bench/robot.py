"""Benchmark of the robot against the minimal script a user would write instead.

For one operation per cabinet, ``cabinet-robot order`` and a plain Playwright script doing
the same clicks (``bench/scripts/``) run as whole processes against one sandbox, A/B
alternating, ``--pairs`` times; each run is checked (the same file saved, or the order
accepted by the cabinet) and timed from start to exit. The operations:

- sip: the invoice by link (PDF) of one account; about 5 s of each run is the cabinet
  forming the invoice (the sandbox's ``invoice_ready_s``);
- mts: an invoice ordered to e-mail for one account;
- kcell: call details (PDF) of the two numbers of one account, two downloads;
- a1: an invoice sent to the delivery e-mail, for an account other than the first.

The robot keeps its login between runs (its saved session), as it does for a user; the
script logs in every time. The robot's bytecode is written first, as installing it does
(``make bytecode``). Usage::

    .venv/bin/python bench/robot.py [--pairs 5] [--cabinet sip mts kcell a1]

The last line is one JSON object: per cabinet the median seconds of each, their
``ratio`` (robot / script) and every run's seconds (``runs``). The goal: every ratio
<= 1.2 on this machine.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from page_objects.base import month_text  # noqa: E402
from robots.domain import Period  # noqa: E402
from sandbox.stack import Sandbox  # noqa: E402

PYTHON = sys.executable
ROBOT = str(Path(PYTHON).parent / "cabinet-robot")
SCRIPTS = ROOT / "bench" / "scripts"
PACKAGES = ("cli", "config", "flows", "page_objects", "robots")  # as the Makefile's


@dataclass(frozen=True)
class Case:
    """One operation: the robot's command, the script's, and what both must leave."""

    robot: list[str]  # cabinet-robot's arguments
    script: list[str]  # the script and its arguments
    check: Callable[[str, Path], None]  # ("robot" | "script", the run's folder) -> raises


def cases(sandbox: Sandbox, period: Period) -> dict[str, Case]:
    """The four operations on ``sandbox`` for ``period``."""
    sip, mts, kcell, a1 = (sandbox.cabinet(name) for name in ("sip", "mts", "kcell", "a1"))
    first, last = period.first_day, period.last_day
    month = month_text(period)  # as the cabinets write it

    def order(cabinet: str, kind: str, account: str, *more: str) -> list[str]:
        return [
            "order", "--json", "--cabinet", f"{cabinet}-sandbox", "--kind", kind,
            "--period", str(period), "--account", account, *more,
        ]  # fmt: skip

    def files(count: int) -> Callable[[str, Path], None]:
        def check(who: str, folder: Path) -> None:
            if who == "robot":
                results = json.loads((folder / "stdout").read_text())["results"]
                done = [r for r in results if r["status"] in ("delivered", "duplicate")]
            else:
                done = [f for f in (folder / "files").iterdir() if f.stat().st_size]
            if len(done) != count:
                raise AssertionError(f"{who}: {count} file(s) expected, got {len(done)}")

        return check

    def ordered(orders: Callable[[], list[dict[str, object]]]) -> Callable[[str, Path], None]:
        seen = [len(orders())]

        def check(who: str, _folder: Path) -> None:
            now = len(orders())
            if now != seen[0] + 1:
                raise AssertionError(f"{who}: one order expected, the cabinet has {now - seen[0]}")
            seen[0] = now

        return check

    # fmt: off
    return {
        "sip": Case(
            order("sip", "invoice", sip.login, "--via", "download", "--format", "pdf"),
            [str(SCRIPTS / "sip_invoice_link.py"), sip.url, sip.login, sip.login, month, "{out}"],
            files(1),
        ),
        "mts": Case(
            order("mts", "invoice", "277012345678", "--format", "pdf"),
            [str(SCRIPTS / "mts_invoice_order.py"), mts.url, mts.login, "277012345678", month,
             sandbox.mailbox.address],
            ordered(mts.orders),
        ),
        "kcell": Case(
            order("kcell", "call_details", "1040123456", "--format", "pdf"),
            [str(SCRIPTS / "kcell_call_details.py"), kcell.url, kcell.login,
             first.strftime("%d-%m-%Y"), last.strftime("%d-%m-%Y"), "{out}",
             "77012223344", "77012223345"],
            files(2),
        ),
        "a1": Case(
            order("a1", "invoice", "1234567890124"),
            [str(SCRIPTS / "a1_invoice_order.py"), a1.url, a1.login,
             "1234567890124", month],
            ordered(a1.orders),
        ),
    }
    # fmt: on


def run(who: str, argv: list[str], folder: Path, env: dict[str, str]) -> float:
    """Run one process to its exit; its wall time. Output kept in ``folder``."""
    (folder / "files").mkdir(parents=True)
    argv = [a.replace("{out}", str(folder / "files")) for a in argv]
    command = [ROBOT, *argv] if who == "robot" else [PYTHON, *argv]
    started = time.perf_counter()
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    (folder / "stdout").write_text(finished.stdout)
    if finished.returncode != 0:
        raise SystemExit(f"{who} failed ({finished.returncode}): {finished.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--cabinet", nargs="+", default=["sip", "mts", "kcell", "a1"])
    args = parser.parse_args()
    for package in PACKAGES:  # as installed, not compiled again at every start
        compileall.compile_dir(ROOT / package, quiet=1)
    figures: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-robot-") as work:
        workdir = Path(work)
        with Sandbox(workdir / "sandbox") as sandbox:
            env = {**os.environ, **sandbox.env, "CABINET_ROBOT_CONFIG": str(sandbox.config_path)}
            period = Period.of(dt.date.today()).previous()
            all_cases = cases(sandbox, period)
            for name in args.cabinet:
                case = all_cases[name]
                times: dict[str, list[float]] = {"robot": [], "script": []}
                for pair in range(args.pairs):
                    order = ("robot", "script") if pair % 2 == 0 else ("script", "robot")
                    for who in order:
                        folder = workdir / "runs" / name / f"{pair}-{who}"
                        argv = case.robot if who == "robot" else case.script
                        times[who].append(run(who, argv, folder, env))
                        case.check(who, folder)
                robot, script = (statistics.median(times[w]) for w in ("robot", "script"))
                figures[name] = {
                    "robot_s": round(robot, 2),
                    "script_s": round(script, 2),
                    "ratio": round(robot / script, 2),
                    "runs": {w: [round(t, 2) for t in times[w]] for w in times},
                }
                print(
                    f"{name:6} robot {robot:6.2f} s  script {script:6.2f} s  "
                    f"ratio {robot / script:4.2f}  ({args.pairs} pairs)",
                    flush=True,
                )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
