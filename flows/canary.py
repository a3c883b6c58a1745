"""``canary_check``: the QA canary as a flow, a few days before the monthly cycle.

Its sessions take the same one-per-login slots as the cycle's (``flows.logins``), so a
canary started during a run cannot log the run out. A run whose canary found a changed
or unreachable screen ends Failed, so the Prefect UI (and any automation on failed runs)
shows it; the table of screens is its artifact, and the changed screens' screenshots
(embedded, a browser does not open ``file://`` links) with the command that opens
their trace are another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from config.loader import load_config
from config.models import BrowserSettings
from flows.logins import login_slot
from robots.cabinets.walk import ScreenCheck
from robots.canary import CanaryReport, run_canary
from robots.errors import UnexpectedScreen
from robots.evidence_view import Evidence, evidence_markdown, make_previews
from robots.masking import shown, shown_rows


def _run_name() -> str:
    """``canary check: sip-main, mts-main``, or of every cabinet."""
    from prefect.runtime import flow_run

    cabinets = flow_run.parameters.get("cabinets")
    return f"canary check: {', '.join(cabinets) if cabinets else 'every cabinet'}"


@flow(name="canary-check", flow_run_name=_run_name)
def canary_check(
    config_path: str | None = None, cabinets: list[str] | None = None
) -> dict[str, Any]:
    """Walk every screen the robot uses in the cabinets, submitting nothing."""
    settings = load_config(Path(config_path) if config_path else None)
    report = run_canary(
        settings, cabinets, guard=lambda cabinet: login_slot(cabinet, settings.cycle.slot_wait)
    )
    mask = settings.privacy.mask_numbers  # people read the artifacts; the result keeps them
    create_table_artifact(
        shown_rows([_row(check) for check in report.checks], mask),
        key="canary",
        description="Every screen the robot uses: ok / healed / changed / unavailable",
    )
    if report.problems():  # healed ones too: a person confirms each heal
        _publish_evidence(report, settings.browser, mask)
    if not report.ok:
        raise UnexpectedScreen(
            "the canary found screens that are not as the robot expects: "
            + "; ".join(f"{c.cabinet} {c.screen}: {c.status}" for c in report.problems())
            + f" (screenshots in {report.directory})"
        )
    return report.as_json()


def _row(check: ScreenCheck) -> dict[str, Any]:
    """A screen as the table shows it: its heals as one text."""
    return check.as_json() | {"heals": "; ".join(note.short for note in check.heals)}


def _publish_evidence(report: CanaryReport, browser: BrowserSettings, mask: bool) -> None:
    """The changed screens' screenshots and their cabinet's trace, shown on the run's page."""
    evidence = []
    for check in report.problems():
        trace = report.directory / check.cabinet / "trace.zip"
        if check.screenshot is None and not trace.is_file():
            continue  # unavailable: nothing was seen, the table says why
        evidence.append(
            Evidence(
                title=shown(f"{check.cabinet} «{check.screen}»: {check.status}", mask),
                detail=shown(check.detail, mask),
                screenshot=check.screenshot,
                trace=trace if trace.is_file() else None,
            )
        )
    if not evidence:
        return
    make_previews([e.screenshot for e in evidence if e.screenshot], browser)
    create_markdown_artifact(
        evidence_markdown("Screens that changed or would be healed", evidence),
        description="Screenshots of the changed and healed screens, the command to open each trace",
    )
