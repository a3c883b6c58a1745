"""The canary's walk: every screen a robot uses, reached the way the robot reaches it
and checked up to the button that would send something, which is never pressed.

Each stop starts again from the cabinet's start page, so one changed screen hides no
other. A stop is ``ok`` when its screen came and every control the robot uses there
shows; ``healed`` when one of them shows under another name, close enough for a heal
(``page_objects.healing``: the walk heals whether or not the runs do, as it presses
nothing that sends), with the heal's screenshot and the override that confirms it;
``changed`` (with a screenshot) when the screen or a control did not come;
``unavailable`` when the cabinet could not be asked (unreachable, maintenance, a login
refused, a service it shows as closed today): then the page objects were not checked,
not found wrong.

Screens are waited for as the robot waits for them (the page timeout); once a screen
has come, what it should show is given the short probe timeout only, each control on
its own, and so is an action on the way to the next screen: one renamed link is
reported as that link, and costs seconds, not a page timeout per screen behind it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from page_objects.base import Controls, Screen, set_screen_timeout
from page_objects.healing import clear_heals, heals_on
from robots.browser import translated_errors
from robots.errors import RobotError, UnexpectedScreen
from robots.evidence import private_dirs, write_private
from robots.heals import HealNote, kept

log = logging.getLogger(__name__)
T = TypeVar("T")


class Status(StrEnum):
    OK = "ok"
    HEALED = "healed"  # a control the robot uses is renamed, and would be healed
    CHANGED = "changed"
    UNAVAILABLE = "unavailable"


# What lets the walk go on to the next screen: the controls on the way are there.
_REACHED = (Status.OK, Status.HEALED)


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
    heals: tuple[HealNote, ...] = ()  # the controls it would heal (``page_objects.healing``)

    def as_json(self) -> dict[str, Any]:
        return {
            "cabinet": self.cabinet,
            "screen": self.screen,
            "status": str(self.status),
            "detail": self.detail,
            "screenshot": str(self.screenshot) if self.screenshot else None,
            "heals": [asdict(note) for note in self.heals],
        }


@dataclass(frozen=True)
class Timeouts:
    """How long the walk waits (seconds): for a screen, and for what a screen shows."""

    screen_s: float
    probe_s: float


@dataclass(frozen=True)
class Visit:
    """One stop as the walk left it, for an ``observe`` callback (the survey): the check,
    the controls the robot uses there (None when the screen was not reached), and the
    error that stopped it, if any. The page still shows what the check saw."""

    number: int
    stop: Stop
    check: ScreenCheck
    controls: Controls | None
    error: RobotError | None


def walk_stops(
    cabinet: str,
    page: Page,
    stops: list[Stop],
    attempt: Callable[[Callable[[], Controls]], Controls],
    screenshots: Path,
    timeouts: Timeouts,
    observe: Callable[[Visit], None] | None = None,
    runs_heal: bool = False,
) -> list[ScreenCheck]:
    """Visit ``stops`` in order (each through ``attempt``: transient failures retried),
    calling ``observe`` after each one.

    ``page`` heals (``page_objects.healing``) whether or not the runs do (``runs_heal``):
    the walk presses nothing that sends, so it can always say what a run would heal.
    """
    with _probing(page, timeouts):
        return _walk(
            cabinet, page, stops, attempt, screenshots, timeouts.probe_s, observe, runs_heal
        )


@contextmanager
def _probing(page: Page, timeouts: Timeouts) -> Iterator[None]:
    """Actions on ``page`` wait the probe timeout, screens and navigations the page's."""
    screen_ms = timeouts.screen_s * 1000
    page.set_default_timeout(timeouts.probe_s * 1000)
    page.set_default_navigation_timeout(screen_ms)
    set_screen_timeout(page, screen_ms)
    try:
        yield
    finally:
        set_screen_timeout(page, None)
        page.set_default_timeout(screen_ms)


def _walk(
    cabinet: str,
    page: Page,
    stops: list[Stop],
    attempt: Callable[[Callable[[], Controls]], Controls],
    screenshots: Path,
    probe_s: float,
    observe: Callable[[Visit], None] | None,
    runs_heal: bool,
) -> list[ScreenCheck]:
    checks: list[ScreenCheck] = []
    missing_before: dict[str, str] = {}  # a control found missing → the screen lacking it
    for number, stop in enumerate(stops, start=1):
        if checks and checks[0].status not in _REACHED:
            reason = f"not reached: {checks[0].screen} is {checks[0].status}"
            checks.append(ScreenCheck(cabinet, stop.screen, Status.UNAVAILABLE, reason))
            continue
        visit = _visit(
            cabinet, page, number, stop, attempt, probe_s, missing_before, screenshots, runs_heal
        )
        if visit.check.status is Status.CHANGED:
            shot = _screenshot(page, screenshots / f"{number:02d}-{slug(stop.screen)}.png")
            log.warning("%s: %s changed: %s", cabinet, stop.screen, visit.check.detail)
            visit = dataclasses.replace(
                visit, check=dataclasses.replace(visit.check, screenshot=shot)
            )
        checks.append(visit.check)
        if observe is not None:
            observe(visit)
    return checks


def _visit(
    cabinet: str,
    page: Page,
    number: int,
    stop: Stop,
    attempt: Callable[[Callable[[], Controls]], Controls],
    probe_s: float,
    missing_before: dict[str, str],
    screenshots: Path,
    runs_heal: bool,
) -> Visit:
    """Reach one stop and check what it shows (and what it would heal)."""
    clear_heals(page)
    heals: list[HealNote] = []

    def seen(
        status: Status, detail: str = "", controls: Controls | None = None, shot: Path | None = None
    ) -> Visit:
        check = ScreenCheck(cabinet, stop.screen, status, detail, shot, tuple(heals))
        return Visit(number, stop, check, controls, None)

    try:
        with translated_errors(page):
            controls = attempt(stop.reach)
            # A refusal in place of the form: the service is closed today («с 1 по 3»).
            refusal = Screen(page).alert()
        missing = _missing(controls, probe_s if refusal is None else 0)
        heals = kept(heals_on(page), screenshots, f"{number:02d}-healed")
        if not missing and heals:
            shot = Path(heals[0].screenshot) if heals[0].screenshot else None
            return seen(Status.HEALED, _healed(heals, runs_heal), controls, shot)
        if not missing:
            return seen(Status.OK, controls=controls)
        if refusal:
            return seen(Status.UNAVAILABLE, refusal, controls)
        missing_before.update((name, stop.screen) for name in missing)
        problem = f"missing {', '.join(missing)}"
        if heals:
            problem += f"; {_healed(heals, runs_heal)}"
        return seen(Status.CHANGED, problem, controls)
    except UnexpectedScreen as exc:  # the page objects no longer match
        behind = _behind(str(exc), missing_before)
        status = Status.UNAVAILABLE if behind else Status.CHANGED
        return dataclasses.replace(seen(status, behind or str(exc)), error=exc)
    except RobotError as exc:  # unreachable, maintenance, a login or a service refused
        return dataclasses.replace(seen(Status.UNAVAILABLE, str(exc)), error=exc)


def _healed(heals: list[HealNote], runs_heal: bool) -> str:
    """What the walk would heal, and what a person does about it."""
    what = "; ".join(note.short for note in heals)
    confirm = "; ".join(note.override for note in heals)
    if runs_heal:
        return f"{what}; runs use it: if it is right, confirm it in the configuration: {confirm}"
    return f"{what}; healing is off, so runs fail here: if it is right, add {confirm}"


def _missing(controls: Controls, probe_s: float) -> list[str]:
    """The controls that do not show. Each one visible now is found at once; one that is
    not gets what is left of ``probe_s``: a screen that lost several controls costs one
    probe, and the controls after a missing one are not cut short."""
    deadline = time.monotonic() + probe_s
    missing = []
    for name, locator in controls.items():
        if locator.first.is_visible():
            continue
        left_ms = (deadline - time.monotonic()) * 1000
        if left_ms >= 1:  # 0 would wait forever
            try:
                locator.first.wait_for(state="visible", timeout=left_ms)
                continue
            except PlaywrightError:
                pass
        missing.append(name)
    return missing


def _behind(problem: str, missing_before: dict[str, str]) -> str | None:
    """ "not reached: ..." when ``problem`` is waiting for a control an earlier screen of
    the walk was found to lack (the way to this screen goes through it)."""
    for control, screen in missing_before.items():
        shown = re.search(r"«(.+)»", control)
        # Playwright names a role locator ``name="…"``; the primitives describe theirs «…».
        if shown and (f'name="{shown[1]}"' in problem or f"«{shown[1]}»" in problem):
            waited = re.search(r"\(([^()]*)\)$", problem)  # Playwright's «Timeout … exceeded»
            return f"not reached: {control} is missing on «{screen}»" + (
                f" ({waited[1]})" if waited else ""
            )
    return None


def _screenshot(page: Page, path: Path) -> Path | None:
    private_dirs(path.parent)
    try:
        return write_private(path, page.screenshot(full_page=True))
    except PlaywrightError as exc:
        log.warning("no screenshot of the changed screen: %s", exc)
        return None


def slug(text: str) -> str:
    """``text`` as a part of a file name."""
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:60]
