"""Record the committed scenarios again, from a fresh sandbox.

    python -m sandbox.scenarios [--out tests/scenarios] [--cabinet sip ...]   (make scenarios)

Every operation the robots have, in every cabinet: login, accounts, each order kind and
each download kind. The sandbox's calendar and the robot's date are both the 15th of
the current month, a working day on which every cabinet gives every document (as in the
end-to-end tests). The robot runs as an operator runs it, through ``cabinet-robot
scenario record`` once per scenario (the sandbox never imports the robot); each
recording replaces its folder only once it is complete, scrubbed and scanned.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from robots.domain import Operator, Period
from sandbox.cabinets.base import Timings
from sandbox.stack import Sandbox
from sandbox.world import accounts_of

DEFAULT_OUT = Path("tests/scenarios")


def scenarios(today: dt.date) -> dict[Operator, list[list[str]]]:
    """The ``scenario record`` arguments of every scenario, by operator."""
    this_month = Period.of(today)
    last_month = this_month.previous()

    def document(operator: Operator, operation: str, kind: str, period: Period) -> list[str]:
        account = accounts_of(operator)[0].id
        return [f"--operation={operation}", f"--kind={kind}", f"--period={period}",
                f"--account={account}"]  # fmt: skip

    def of(operator: Operator, *documents: tuple[str, str, Period]) -> list[list[str]]:
        found = [["--operation=login"], ["--operation=accounts"]]
        return found + [document(operator, *item) for item in documents]

    return {
        Operator.SIP: of(
            Operator.SIP,
            ("order", "invoice", last_month),
            ("order", "call_details", this_month),
            ("order", "charges", this_month),
            ("download", "invoice", last_month),
        ),
        Operator.MTS: of(
            Operator.MTS,
            ("order", "invoice", last_month),
            ("order", "call_details", last_month),
        ),
        Operator.KCELL: of(
            Operator.KCELL,
            ("order", "reconciliation_act", last_month),
            ("order", "payments_report", last_month),
            ("order", "numbers_report", this_month),
            ("download", "call_details", last_month),
            ("download", "work_act", last_month),
            ("download", "invoice_register", last_month),
        ),
        Operator.A1: of(
            Operator.A1,
            ("order", "invoice", last_month),
            ("order", "call_details", last_month),
            ("order", "reconciliation_act", last_month),
        ),
    }


def folder_name(arguments: list[str]) -> str:
    """``login``, ``order-invoice``: as the scenario names its operation."""
    values = dict(a.removeprefix("--").split("=", 1) for a in arguments)
    return "-".join(v for v in (values["operation"], values.get("kind")) if v)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="scenarios folder")
    parser.add_argument(
        "--cabinet", action="append", choices=[str(o) for o in Operator], help="only these"
    )
    args = parser.parse_args(argv)
    today = dt.date.today().replace(day=15)
    chosen = {Operator(c) for c in args.cabinet} if args.cabinet else set(Operator)
    failed = []
    with (
        tempfile.TemporaryDirectory(prefix="sandbox-scenarios-") as directory,
        Sandbox(Path(directory), today=today, timings=Timings.uniform(0.2)) as sandbox,
    ):
        env = {**os.environ, **sandbox.env, "CABINET_ROBOT_CONFIG": str(sandbox.config_path)}
        for operator, recordings in scenarios(today).items():
            if operator not in chosen:
                continue
            for arguments in recordings:
                folder = args.out.resolve() / str(operator) / folder_name(arguments)
                command = [sys.executable, "-m", "cli.main", "scenario", "record",
                           f"--cabinet={operator}-sandbox", *arguments, f"--out={folder}",
                           f"--today={today}"]  # fmt: skip
                if subprocess.run(command, env=env, check=False).returncode != 0:
                    failed.append(f"{operator}/{folder.name}")
    if failed:
        print(f"not recorded: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
