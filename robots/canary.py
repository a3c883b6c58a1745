"""The canary: do the page objects still match the configured cabinets?

For each cabinet the robot logs into, a fresh browser session (logged out, so the login
screens are checked too, and the monthly run's saved session is neither used nor
replaced) walks every screen the robot uses up to the button that would send something,
and presses none of those: nothing is ordered, nothing changed. A control renamed to a
close text is reported ``healed`` (what a run would heal, healing on or off). Screenshots
of changed and healed screens, and the trace of a cabinet where something changed or was
healed (scrubbed, owner-only), go to ``<state>/canary/<time>/<cabinet>/``; the folders
of the last ``[canary] keep_runs`` runs are kept, older ones removed. What each screen
showed is recorded in the ledger as the cabinet's health (``robots.health``).

``run_canary`` is a plain function for a scheduler (a Prefect deployment runs it a few
days before the monthly cycle); ``cabinet-robot check`` prints its report.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.models import CabinetSettings, RobotConfig
from robots.browser import CHECKING
from robots.cabinets import find_cabinet, open_robot
from robots.cabinets.walk import ScreenCheck, Status
from robots.errors import RobotError
from robots.health import ScreenHealth, Source, health_of, new_run, recorded

log = logging.getLogger(__name__)
_RUN_FOLDER = re.compile(r"^\d{8}T\d{6}Z$")  # <state>/canary/<time>/


@dataclass(frozen=True)
class CanaryReport:
    """Every screen checked, by cabinet, and where the screenshots and traces are."""

    checks: tuple[ScreenCheck, ...]
    directory: Path
    runs_heal: bool = False  # ``[healing] enabled``: a run uses what the canary found healed

    @property
    def ok(self) -> bool:
        """Every screen as the robot expects it, or healed where runs heal."""
        passing = (Status.OK, Status.HEALED) if self.runs_heal else (Status.OK,)
        return all(check.status in passing for check in self.checks)

    def problems(self) -> list[ScreenCheck]:
        return [check for check in self.checks if check.status is not Status.OK]

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "directory": str(self.directory),
            "checks": [check.as_json() for check in self.checks],
        }

    def lines(self) -> list[str]:
        """One line per screen, for a person."""
        lines = []
        width = max((len(check.cabinet) for check in self.checks), default=0)
        for check in self.checks:
            line = f"{check.cabinet:<{width}}  {check.status:<11}  {check.screen}"
            if check.detail:
                line += f": {check.detail}"
            if check.screenshot:
                line += f" (screenshot: {check.screenshot})"
            lines.append(line)
        return lines


# Held around each cabinet's session: the scheduler's one-session-per-login guard.
SessionGuard = Callable[[CabinetSettings], AbstractContextManager[object]]


def run_canary(
    config: RobotConfig,
    cabinet_names: Sequence[str] | None = None,
    guard: SessionGuard = lambda cabinet: nullcontext(),
) -> CanaryReport:
    """Walk the named cabinets (default: every cabinet the robot logs into).

    Raises:
        ConfigurationError: a name that is no configured cabinet.
    """
    if cabinet_names:
        cabinets = [find_cabinet(config, name) for name in cabinet_names]
    else:
        cabinets = [cabinet for cabinet in config.cabinets if cabinet.has_login]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    directory = config.state.dir / "canary" / stamp
    checks: list[ScreenCheck] = []
    run = new_run()
    for cabinet in cabinets:
        own = directory / cabinet.name
        try:
            with guard(cabinet), open_robot(config, cabinet, CHECKING) as robot:
                found = robot.walk(own)
                if any(check.status in (Status.CHANGED, Status.HEALED) for check in found):
                    robot.session.keep_evidence(own)  # trace.zip: the whole walk
        except RobotError as exc:  # no browser, no password: this cabinet was not checked
            found = [ScreenCheck(cabinet.name, "cabinet", Status.UNAVAILABLE, str(exc))]
        log.info(
            "%s: %d screen(s), %d not ok",
            cabinet.name,
            len(found),
            sum(check.status is not Status.OK for check in found),
        )
        checks += found
        screens = [ScreenHealth(c.screen, health_of(str(c.status)), c.detail) for c in found]
        recorded(config.state.ledger_url, Source.CANARY, cabinet.name, screens, run)
    prune_runs(directory.parent, config.canary.keep_runs)
    return CanaryReport(tuple(checks), directory, config.healing.enabled)


def prune_runs(canary_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` run folders of ``canary_dir``; the removed."""
    if not canary_dir.is_dir():
        return []
    runs = sorted(p for p in canary_dir.iterdir() if p.is_dir() and _RUN_FOLDER.match(p.name))
    old = runs[:-keep]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    return old
