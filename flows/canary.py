"""``canary_check``: the QA canary as a flow, a few days before the monthly cycle.

Its sessions take the same one-per-login slots as the cycle's (``flows.logins``), so a
canary started during a run cannot log the run out. A run whose canary found a changed
or unreachable screen ends Failed, so the Prefect UI (and any automation on failed runs)
shows it; the table of screens is its artifact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow
from prefect.artifacts import create_table_artifact

from config.loader import load_config
from flows.logins import login_slot
from robots.canary import run_canary
from robots.errors import UnexpectedScreen


@flow(name="canary-check", flow_run_name="canary check")
def canary_check(
    config_path: str | None = None, cabinets: list[str] | None = None
) -> dict[str, Any]:
    """Walk every screen the robot uses in the cabinets, submitting nothing."""
    settings = load_config(Path(config_path) if config_path else None)
    report = run_canary(settings, cabinets, guard=login_slot)
    create_table_artifact(
        [check.as_json() for check in report.checks],
        key="canary",
        description="Every screen the robot uses: ok / changed / unavailable",
    )
    if not report.ok:
        raise UnexpectedScreen(
            "the canary found screens that are not as the robot expects: "
            + "; ".join(f"{c.cabinet} {c.screen}: {c.status}" for c in report.problems())
            + f" (screenshots in {report.directory})"
        )
    return report.as_json()
