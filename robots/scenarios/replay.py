"""Replaying a scenario offline: the robot and its page objects against the HAR alone.

The robot of the recorded operator runs the recorded operation in a fresh browser
context whose every request is answered by ``HarRouter`` from the HAR (no network: an
unanswered request is aborted), on the recorded date, logging in with the recorded
(scrubbed) login. It passes when the operation completes and says what it said when it
was recorded; it fails with the robot's error (for a page object that no longer
matches, the locator it waited for), the screen it stood on, the requests nothing
answered, and a trace of the replay.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from config.models import (
    BrowserSettings,
    CabinetSettings,
    MailSecurity,
    MailSettings,
    OtpSettings,
    OtpSource,
    RobotConfig,
    StateSettings,
    TariferSettings,
)
from robots import clock
from robots.browser import SessionOptions, launch_chromium, open_browser, translated_errors
from robots.cabinets import CabinetRobot, robot_class_for
from robots.errors import CabinetUnavailable, RobotError
from robots.scenarios.har import load_har
from robots.scenarios.router import HarRouter
from robots.scenarios.scenario import HAR_FILE, TRACE_FILE, Scenario

T = TypeVar("T")
# Every answer comes from memory: what does not show in this time will not show.
REPLAY_TIMEOUT_S = 10.0
DOCUMENT_TIMEOUT_S = 30.0  # a document "being formed" is as many polls away as recorded
# Typed where the recording typed secrets; the HAR holds placeholders there, which match
# any value.
REPLAY_PASSWORD = "replay-password"
REPLAY_CODE = "000000"


@dataclass(frozen=True)
class ReplayResult:
    """One scenario's replay: passed, or what failed, where, and the traces to read."""

    folder: Path
    name: str  # operator/operation, e.g. "sip/order-invoice"
    passed: bool
    message: str  # what the robot did, or why it failed
    screen: str | None = None  # the heading and URL it stood on when it failed
    misses: tuple[str, ...] = ()  # requests the recording had no answer for
    evidence: Path | None = None  # the replay's trace.zip and screenshot.png

    @property
    def recorded_trace(self) -> Path | None:
        trace = self.folder / TRACE_FILE
        return trace if trace.exists() else None

    def report(self) -> str:
        """Lines for a person: PASS/FAIL, and for a failure where to look."""
        lines = [f"{'PASS' if self.passed else 'FAIL'} {self.name}: {self.message}"]
        if self.passed:
            return lines[0]
        if self.screen:
            lines.append(f"    on {self.screen}")
        lines += [f"    no recorded answer: {miss}" for miss in self.misses[:3]]
        if self.evidence:
            lines.append(f"    replay trace: playwright show-trace {self.evidence / 'trace.zip'}")
        if self.recorded_trace:
            lines.append(f"    recorded trace: playwright show-trace {self.recorded_trace}")
        return "\n".join(lines)


def replay_scenarios(
    folders: list[Path], settings: BrowserSettings, out: Path, browser: Browser | None = None
) -> list[ReplayResult]:
    """Replay every scenario in one browser (``browser``, or a Chromium launched here)."""
    if browser is None:
        with launch_chromium(settings) as launched:
            return replay_scenarios(folders, settings, out, launched)
    return [replay_scenario(folder, browser, settings, out) for folder in folders]


def replay_scenario(
    folder: Path, browser: Browser, settings: BrowserSettings, out: Path
) -> ReplayResult:
    """Replay the scenario in ``folder`` in a new context of ``browser``; evidence of a
    failure goes below ``out``."""
    scenario = Scenario.read(folder)
    router = HarRouter(load_har(folder / HAR_FILE))
    cabinet = _cabinet(scenario)
    config = _config(scenario, cabinet, settings, out)
    robot_class = _replaying(robot_class_for(cabinet))
    screen: str | None = None
    try:
        with (
            clock.frozen_today(scenario.robot_today),
            open_browser(config, cabinet, SessionOptions(fresh=True), browser) as session,
        ):
            session.context.route("**/*", router.handle)
            try:
                with translated_errors(session.page):
                    summary = scenario.operation.run(robot_class(config, cabinet, session))
            except RobotError:
                screen = _where(session.page)
                raise
    except RobotError as exc:
        message = str(exc)
        if router.misses and isinstance(exc, CabinetUnavailable):
            message = f"the robot made a request the recording has no answer for ({exc})"
        misses = tuple(router.misses)
        return ReplayResult(folder, scenario.name, False, message, screen, misses, exc.evidence)
    if summary != scenario.summary:
        message = f"the robot did something else: {summary!r}, recorded {scenario.summary!r}"
        return ReplayResult(folder, scenario.name, False, message, misses=tuple(router.misses))
    return ReplayResult(folder, scenario.name, True, summary)


def _cabinet(scenario: Scenario) -> CabinetSettings:
    """The recorded cabinet's settings: its start page, the scrubbed login, a code source
    that answers at once (the HAR holds a placeholder for the code)."""
    code = OtpSettings(
        source=OtpSource.COMMAND, command=(sys.executable, "-c", f"print({REPLAY_CODE!r})")
    )
    return CabinetSettings.model_validate(
        {
            "name": scenario.cabinet,
            "operator": scenario.operator,
            "url": scenario.url,
            "login": scenario.login,
            "password_env": "CABINET_ROBOT_REPLAY_PASSWORD",  # never read: see _replaying
            "email": scenario.email,
            "otp": code,
            "companies": scenario.companies,
            "login_method": scenario.login_method,
            "role": scenario.role,
        }
    )


def _config(
    scenario: Scenario, cabinet: CabinetSettings, settings: BrowserSettings, out: Path
) -> RobotConfig:
    """A configuration of this one cabinet, read from nothing else: a replay must not
    depend on the machine's configuration or environment."""
    browser = settings.model_copy(
        update={
            "timeout_s": min(settings.timeout_s, REPLAY_TIMEOUT_S),
            "document_timeout_s": min(settings.document_timeout_s, DOCUMENT_TIMEOUT_S),
        }
    )
    mail = MailSettings(
        host="127.0.0.1",
        security=MailSecurity.PLAIN,
        username=scenario.email or "robot@example.invalid",
        password_env="CABINET_ROBOT_REPLAY_UNUSED",
    )
    state = out / f"{scenario.operator}-{scenario.operation.slug}"
    return RobotConfig.model_construct(
        mail=mail,
        tarifer=TariferSettings(inbox=state / "tarifer"),
        state=StateSettings(dir=state),
        browser=browser,
        cabinets=(cabinet,),
    )


def _replaying(robot_class: type[CabinetRobot]) -> type[CabinetRobot]:
    """``robot_class`` as a replay runs it: a stand-in password, and no retries (a replay
    answers the same every time: retrying only waits)."""

    def password(self: CabinetRobot) -> str:
        return REPLAY_PASSWORD

    def attempt(self: CabinetRobot, operation: Callable[[], T], account: str | None = None) -> T:
        return operation()

    members = {"password": password, "_attempt": attempt}
    replaying = type(f"Replaying{robot_class.__name__}", (robot_class,), members)
    return cast(type[CabinetRobot], replaying)


def _where(page: Page) -> str:
    """The screen the page shows: its first heading (or title) and URL."""
    try:
        heading = page.get_by_role("heading")
        shown = heading.first.inner_text(timeout=1000) if heading.count() else page.title()
    except PlaywrightError:
        return page.url
    return f"«{' '.join(shown.split())}» ({page.url})"
