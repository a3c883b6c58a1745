"""``make demo``: the robot's month on the sandbox, from the cabinets to Tarifer's inbox.

Starts the sandbox (a real Dovecot and the four cabinets on loopback; the sandbox
calendar on the 15th of this month; back offices answering within a second) and a
Prefect server, delivers what the operators had already e-mailed this month (a re-sent
invoice, a person's letter, a damaged file...), then runs the monthly cycle exactly as
an operator would: ``cabinet-robot run`` orders last month's documents in all four
cabinets, collects them, and prints the matrix. It ends with where the files, the
report and the Prefect UI are.

``--screenshot PATH`` also saves a picture of the cycle's run in the Prefect UI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from robots.domain import Operator, Period
from sandbox.cabinets.base import Timings
from sandbox.mailset import month_of_mail
from sandbox.prefect_server import PrefectServer
from sandbox.stack import Sandbox
from sandbox.world import accounts_of


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", type=Path, help="save the Prefect UI's run page here")
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 140)
    workdir = Path("var/demo").resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    today = dt.date.today().replace(day=15)
    period = Period.of(today).previous()

    console.rule("[bold]cabinet-robot demo")
    console.print("Starting the sandbox and a Prefect server ...")
    with (
        Sandbox(workdir, today=today, timings=Timings.uniform(1.0)) as sandbox,
        PrefectServer(workdir / "prefect") as prefect,
    ):
        box = sandbox.mailbox
        console.print(f"Mail server (Dovecot) on 127.0.0.1:{box.port}, mailbox {box.address}")
        for running in sandbox.cabinets:
            console.print(f"{running.cabinet.title} on {running.url}")
        console.print(f"Prefect UI on {prefect.url} (sandbox date {today})")
        letters = month_of_mail(period, box.address)
        box.deliver_many(letter.message for letter in letters)
        console.print(f"\nAlready in the mailbox: {len(letters)} e-mails the operators sent")

        env = {
            **os.environ,
            **sandbox.env,
            **prefect.env(),
            "CABINET_ROBOT_CONFIG": str(sandbox.config_path),
        }
        command = ["run", "--period", str(period), "--today", today.isoformat()]
        console.print(f"\n$ cabinet-robot {' '.join(command[:3])}\n")
        result = subprocess.run([sys.executable, "-m", "cli.main", *command], env=env, check=False)
        if args.screenshot:
            screenshot_last_run(prefect, args.screenshot)
        inbox = workdir / "tarifer"
        delivered = len((inbox / "manifest.jsonl").read_text(encoding="utf-8").splitlines())
        console.print(
            f"\n{delivered} files in Tarifer's inbox {inbox} (manifest.jsonl lists them); "
            f"the report for accounting: {inbox / f'report-{period}.xlsx'} (and .html, .csv)"
        )
        console.print(
            f"Mailbox after the run: INBOX {box.count('INBOX')} (a person's letter, untouched, "
            "and the scan's, until it is placed), "
            f"Processed {box.count('Processed')}, Quarantine {box.count('Quarantine')}"
        )
        scanned_account = accounts_of(Operator.SIP)[1].id  # the mail's scanned invoice
        for letter in (letter for letter in letters if letter.expected == "review"):
            console.print(
                f"Waits in review: {letter.description}; `cabinet-robot review list` shows it, "
                f"`cabinet-robot review assign ID --operator sip --account {scanned_account} "
                f"--period {period} --kind invoice` places it"
            )
        console.print(
            "The runs, their logs and the matrix artifact stay in the Prefect UI: "
            f"PREFECT_HOME={workdir / 'prefect'} .venv/bin/prefect server start, "
            "then open http://127.0.0.1:4200/runs"
        )
    return result.returncode


def screenshot_last_run(prefect: PrefectServer, path: Path) -> None:
    """The monthly cycle's latest run in the Prefect UI, as a PNG (for the README)."""
    import httpx
    from playwright.sync_api import sync_playwright

    runs = httpx.post(
        f"{prefect.api_url}/flow_runs/filter",
        json={"limit": 1, "sort": "START_TIME_DESC",
              "flows": {"name": {"any_": ["monthly-cycle"]}}},
        timeout=30,
    ).json()  # fmt: skip
    url = f"{prefect.url}/runs/flow-run/{runs[0]['id']}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.get_by_text("Finished in state").first.wait_for()  # the run's logs are shown
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path)
        browser.close()
    print(json.dumps({"screenshot": str(path), "run": url}))


if __name__ == "__main__":
    sys.exit(main())
