"""``make demo``: the robot's month on the sandbox, from the cabinet to Tarifer's inbox.

Starts the sandbox (a real Dovecot and the SIP cabinet on loopback; the sandbox
calendar on the 15th of this month), delivers a realistic month of operator e-mails to
the robot's mailbox, then runs the robot exactly as an operator would:
``cabinet-robot order`` downloads last month's SIP invoice and orders this month's call
details by e-mail, and ``cabinet-robot collect`` delivers everything that arrived. It
ends with what was delivered where.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from robots.domain import Period
from sandbox.cabinets.base import Timings
from sandbox.mailset import month_of_mail
from sandbox.stack import Sandbox

SIP_ACCOUNT = "1100023456"


def main() -> int:
    console = Console(width=None if sys.stdout.isatty() else 140)
    workdir = Path("var/demo").resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    today = dt.date.today().replace(day=15)
    this_month = Period.of(today)
    period = this_month.previous()

    with Sandbox(workdir, today=today, timings=Timings.uniform(1.0)) as sandbox:
        box = sandbox.mailbox
        sip = sandbox.cabinet("sip")
        console.rule("[bold]cabinet-robot demo")
        console.print(f"Mail server (Dovecot) on 127.0.0.1:{box.port}, mailbox {box.address}")
        console.print(f"SIP cabinet on {sip.url} (sandbox date {today})")
        letters = month_of_mail(period, box.address)
        box.deliver_many(letter.message for letter in letters)
        console.print(f"Delivered {len(letters)} e-mails for {period}:")
        for letter in letters:
            console.print(f"  • {letter.description}  [dim](expected: {letter.expected})[/dim]")

        env = {**os.environ, **sandbox.env, "CABINET_ROBOT_CONFIG": str(sandbox.config_path)}
        steps = [
            ["order", "--cabinet", "sip-sandbox", "--kind", "invoice", "--period", str(period),
             "--account", SIP_ACCOUNT],
            ["order", "--cabinet", "sip-sandbox", "--kind", "call_details",
             "--period", str(this_month), "--account", SIP_ACCOUNT],
            ["collect"],
        ]  # fmt: skip
        for step in steps:
            if step == ["collect"]:
                console.print("\n[dim]waiting for the cabinet's e-mails ...[/dim]")
                sandbox.outbox.wait_idle(timeout=60)
            console.print(f"\n$ cabinet-robot {' '.join(step)}")
            result = subprocess.run([sys.executable, "-m", "cli.main", *step], env=env, check=False)
            if result.returncode != 0:
                console.print(f"[red]{step[0]} failed with exit code {result.returncode}")
                return result.returncode

        show_manifest(console, workdir / "tarifer")
        console.print(
            f"\nMailbox after the run: INBOX {box.count('INBOX')} (a person's letter, untouched), "
            f"Processed {box.count('Processed')}, Quarantine {box.count('Quarantine')}"
        )
        console.print(f"Configuration, ledger and Tarifer's inbox are kept in {workdir}")
    return 0


def show_manifest(console: Console, inbox: Path) -> None:
    table = Table(title=f"Delivered to {inbox} (manifest.jsonl)")
    for column in ("file", "operator", "kind", "period", "version"):
        table.add_column(column, no_wrap=column == "file")
    for line in (inbox / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line)
        table.add_row(
            entry["path"],
            entry["operator"],
            entry["kind"],
            entry["period"],
            _version(int(entry["version"])),
        )
    console.print(table)


def _version(version: int) -> str:
    return f"v{version}" + (f", supersedes v{version - 1}" if version > 1 else "")


if __name__ == "__main__":
    sys.exit(main())
