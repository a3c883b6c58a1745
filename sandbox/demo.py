"""``make demo``: a month of operator mail collected into Tarifer's inbox, on the sandbox.

Starts the sandbox mail server (Dovecot on loopback), delivers a realistic month of
operator e-mails to the robot's mailbox, runs ``cabinet-robot collect`` exactly as an
operator would, and shows what was delivered where.
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
from sandbox.mailserver import MailServer
from sandbox.mailset import month_of_mail
from sandbox.world import write_robot_config

PASSWORD_ENV = "CABINET_ROBOT_MAIL_PASSWORD"


def main() -> int:
    console = Console(width=None if sys.stdout.isatty() else 140)
    workdir = Path("var/demo").resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    period = Period.of(dt.date.today()).previous()

    with MailServer() as server:
        box = server.mailbox("robot")
        console.rule("[bold]cabinet-robot demo: mail collection")
        console.print(
            f"Mail server (Dovecot) on 127.0.0.1:{server.imap_port}, mailbox {box.address}"
        )
        config = write_robot_config(workdir, box, PASSWORD_ENV)
        letters = month_of_mail(period, box.address)
        box.deliver_many(letter.message for letter in letters)
        console.print(f"Delivered {len(letters)} e-mails for {period}:")
        for letter in letters:
            console.print(f"  • {letter.description}  [dim](expected: {letter.expected})[/dim]")

        console.print(f"\n$ cabinet-robot collect --config {config}")
        env = {**os.environ, PASSWORD_ENV: box.password}
        result = subprocess.run(
            [sys.executable, "-m", "cli.main", "collect", "--config", str(config)],
            env=env,
            check=False,
        )
        if result.returncode != 0:
            console.print(f"[red]collect failed with exit code {result.returncode}")
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
