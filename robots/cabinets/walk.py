"""The canary's walk: every screen a robot uses, reached the way the robot reaches it
and checked up to the button that would send something, which is never pressed.

Each stop starts again from the cabinet's start page, so one changed screen hides no
other. A stop is ``ok`` when its screen came and every control the robot uses there
shows; ``changed`` (with a screenshot) when the screen or a control did not come;
``unavailable`` when the cabinet could not be asked (unreachable, maintenance, a login
refused, a service it shows as closed today): then the page objects were not checked,
not found wrong.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from page_objects.base import Controls, Screen
from robots.browser import translated_errors
from robots.errors import RobotError, UnexpectedScreen

log = logging.getLogger(__name__)
T = TypeVar("T")
# The screen has come when a control is looked for: its controls come with it, so a
# short wait suffices, and a missing one is reported without waiting out the timeout.
CONTROL_TIMEOUT_S = 5.0


class Status(StrEnum):
    OK = "ok"
    CHANGED = "changed"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Stop:
    """A screen on the walk: its name, and how to reach it from the start page (giving
    the controls the robot uses there)."""

    screen: str
    reach: Callable[[], Controls]


@dataclass(frozen=True)
class ScreenCheck:
    """What the canary found on one screen of one cabinet."""

    cabinet: str
    screen: str
    status: Status
    detail: str = ""
    screenshot: Path | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "cabinet": self.cabinet,
            "screen": self.screen,
            "status": str(self.status),
            "detail": self.detail,
            "screenshot": str(self.screenshot) if self.screenshot else None,
        }


def walk_stops(
    cabinet: str,
    page: Page,
    stops: list[Stop],
    attempt: Callable[[Callable[[], Controls]], Controls],
    screenshots: Path,
) -> list[ScreenCheck]:
    """Visit ``stops`` in order (each through ``attempt``: transient failures retried)."""
    checks: list[ScreenCheck] = []
    for number, stop in enumerate(stops, start=1):
        if checks and checks[0].status is not Status.OK:
            reason = f"not reached: {checks[0].screen} is {checks[0].status}"
            checks.append(ScreenCheck(cabinet, stop.screen, Status.UNAVAILABLE, reason))
            continue
        try:
            with translated_errors():
                controls = attempt(stop.reach)
                # A refusal in place of the form: the service is closed today («с 1 по 3»).
                refusal = Screen(page).alert()
            missing = _missing(controls, wait=refusal is None)
            if not missing:
                checks.append(ScreenCheck(cabinet, stop.screen, Status.OK))
                continue
            if refusal:
                checks.append(ScreenCheck(cabinet, stop.screen, Status.UNAVAILABLE, refusal))
                continue
            problem = f"missing {', '.join(missing)}"
        except UnexpectedScreen as exc:  # the page objects no longer match
            problem = str(exc)
        except RobotError as exc:  # unreachable, maintenance, a login or a service refused
            checks.append(ScreenCheck(cabinet, stop.screen, Status.UNAVAILABLE, str(exc)))
            continue
        shot = _screenshot(page, screenshots / f"{number:02d}-{_slug(stop.screen)}.png")
        log.warning("%s: %s changed: %s", cabinet, stop.screen, problem)
        checks.append(ScreenCheck(cabinet, stop.screen, Status.CHANGED, problem, shot))
    return checks


def _missing(controls: Controls, wait: bool) -> list[str]:
    """The controls that do not show within CONTROL_TIMEOUT_S (``wait``), shared by all
    of them: a screen that lost several controls costs one wait, not one each."""
    deadline = time.monotonic() + (CONTROL_TIMEOUT_S if wait else 0)
    missing = []
    for name, locator in controls.items():
        left_ms = max((deadline - time.monotonic()) * 1000, 1)  # 0 would wait forever
        try:
            locator.first.wait_for(state="visible", timeout=left_ms)
        except PlaywrightError:
            missing.append(name)
    return missing


def _screenshot(page: Page, path: Path) -> Path | None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        page.screenshot(path=path, full_page=True)
    except PlaywrightError as exc:
        log.warning("no screenshot of the changed screen: %s", exc)
        return None
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:60]
