"""The survey: what each screen of one cabinet shows, and how the robot finds its controls.

Made for the first contact with a cabinet (a customer's first run, or after the operator
changed its site): the canary's walk (``CabinetRobot.walk``: logged out, every screen the
robot uses, up to the button that would send something, which is never pressed), and at
each screen it writes

- ``NN-<screen>.aria.yaml``: Playwright's accessibility snapshot of the page;
- ``NN-<screen>.html``: the page's HTML;
- ``NN-<screen>.png``: a screenshot;

and for the screen's title and each control the robot uses there, how it was found
(``page_objects.finding``: exact, tolerant by which rule, the page object's own locator,
or not found with the closest texts the page shows of that kind). What is not found gives
the ``labels``/``titles`` overrides that would make it found, ready to paste into the
cabinet's configuration. ``survey.html`` (for a person) and ``survey.json`` (for tools)
link the rest.

Nothing is ordered: the walk presses no button that sends. The snapshot and the HTML are
scrubbed as a recorded scenario is (``Scrubber``: the password and codes typed, cookies,
tokens, e-mail addresses, subscribers' numbers as stand-ins); a screenshot's pixels cannot
be scrubbed, so the folder is the owner's only (0700, files 0600), under ``<state>/survey/``
where ``purge`` removes it after ``[privacy] keep_evidence``. What each screen showed is
recorded in the ledger as the cabinet's health (``robots.health``), as the canary's is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from config.models import RobotConfig
from page_objects.finding import (
    Closest,
    Finding,
    How,
    clear_winner,
    closest_on,
    described,
    finding_of,
    title_finding,
)
from page_objects.healing import heals_on
from robots.browser import CHECKING, BrowserSession
from robots.cabinets import find_cabinet, open_robot
from robots.cabinets.walk import ScreenCheck, Status, Visit, slug
from robots.errors import RobotError, ScreenNotShown
from robots.health import ScreenHealth, Source, health_of, new_run, recorded
from robots.permissions import private_dirs, write_private
from robots.scenarios.record import configured_secrets
from robots.scenarios.scrub import Scrubber

log = logging.getLogger(__name__)
_CANDIDATES = 3  # the closest texts shown for what is not found
_NOTHING_ORDERED = "Nothing was ordered: the walk stops before every button that sends."


@dataclass(frozen=True)
class ControlSurvey:
    """One control (or a screen's title): how it was found, what is close to it, and the
    text to take for it when there is one clear choice (a heal, or one close text)."""

    control: str
    finding: Finding
    candidates: tuple[Closest, ...] = ()
    use: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "control": self.control,
            "how": str(self.finding.how),
            "rule": self.finding.rule,
            "word": self.finding.word,
            "looked_for": self.finding.shown,
            "candidates": [{"text": c.text, "score": round(c.score, 2)} for c in self.candidates],
            "use": self.use,
        }


@dataclass(frozen=True)
class ScreenSurvey:
    """One screen: the canary's check, its title's and controls' findings, its files."""

    number: int
    check: ScreenCheck
    title: ControlSurvey | None
    controls: tuple[ControlSurvey, ...]
    files: dict[str, str] = field(default_factory=dict)  # kind → name in the survey folder

    def as_json(self) -> dict[str, Any]:
        return {
            **self.check.as_json(),
            "title": self.title.as_json() if self.title else None,
            "controls": [c.as_json() for c in self.controls],
            "files": self.files,
        }


@dataclass(frozen=True)
class Survey:
    """The survey of one cabinet: every screen, and the overrides that would find the rest."""

    cabinet: str
    screens: tuple[ScreenSurvey, ...]
    directory: Path
    labels: dict[str, str]  # the cabinet's labels, with the proposed ones added
    titles: dict[str, str]
    proposed: int  # how many of labels/titles are new

    @property
    def ok(self) -> bool:
        return all(s.check.status is Status.OK for s in self.screens) and not self.proposed

    def overrides_toml(self) -> str:
        """The lines to paste into the cabinet's ``[[cabinets]]`` table ("" when none)."""
        lines = [f"{key} = {_inline_table(table)}" for key, table in self._tables() if table]
        return "\n".join(lines)

    def _tables(self) -> list[tuple[str, dict[str, str]]]:
        return [("labels", self.labels), ("titles", self.titles)]

    def as_json(self) -> dict[str, Any]:
        return {
            "cabinet": self.cabinet,
            "ok": self.ok,
            "directory": str(self.directory),
            "ordered": [],
            "screens": [s.as_json() for s in self.screens],
            "overrides": {"labels": self.labels, "titles": self.titles},
            "proposed": self.proposed,
        }

    def lines(self) -> list[str]:
        """One line per screen and per control not found exactly, for a person."""
        lines = []
        for screen in self.screens:
            check = screen.check
            line = f"{check.status:<11}  {check.screen}"
            lines.append(line + (f": {check.detail}" if check.detail else ""))
            for control in ([screen.title] if screen.title else []) + list(screen.controls):
                if control.finding.how is not How.EXACT:
                    lines.append(f"             {control.control}: {_how(control)}")
        return lines


def _how(control: ControlSurvey) -> str:
    finding = control.finding
    text = str(finding.how) + (f" ({finding.rule})" if finding.rule else "")
    if finding.shown != finding.word:
        text += f", configured as «{finding.shown}»"
    if control.candidates:
        closest = ", ".join(f"«{c.text}» {c.score:.2f}" for c in control.candidates)
        text += f"; closest: {closest}"
    return text


def _inline_table(table: dict[str, str]) -> str:
    """A TOML inline table of strings (a JSON string is a TOML basic string)."""
    pairs = (f"{_quoted(key)} = {_quoted(value)}" for key, value in table.items())
    return "{ " + ", ".join(pairs) + " }"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def run_survey(config: RobotConfig, cabinet_name: str, out: Path | None = None) -> Survey:
    """Walk the cabinet ``cabinet_name`` and write its survey into ``out`` (default:
    ``<state>/survey/<time>/<cabinet>/``).

    Raises:
        ConfigurationError: no such cabinet, or one the robot does not log into.
        RobotError: the browser could not start, a password is not set.
    """
    cabinet = find_cabinet(config, cabinet_name)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    directory = out or config.state.dir / "survey" / stamp / cabinet.name
    private_dirs(directory)
    with open_robot(config, cabinet, CHECKING) as robot:
        accounts = {account.id for account in cabinet.accounts}
        numbers = [number for account in cabinet.accounts for number in account.numbers]
        secrets = {robot.password(), *configured_secrets(config)}
        scrubber = Scrubber(secrets, numbers, accounts)
        recorder = _Recorder(robot.session, directory, scrubber, config.healing.threshold)
        try:
            robot.walk(directory, observe=recorder.observe)
        except RobotError as exc:  # the session could not start: nothing was surveyed
            unreached = ScreenCheck(cabinet.name, "cabinet", Status.UNAVAILABLE, str(exc))
            recorder.screens.append(ScreenSurvey(0, unreached, None, ()))
        labels, titles = dict(cabinet.labels), dict(cabinet.titles)
        proposed = _propose(recorder.screens, labels, titles)
    survey = Survey(cabinet.name, tuple(recorder.screens), directory, labels, titles, proposed)
    screens = [
        ScreenHealth(s.check.screen, health_of(str(s.check.status)), s.check.detail)
        for s in survey.screens
    ]
    recorded(config.state.ledger_url, Source.SURVEY, cabinet.name, screens, new_run())
    write_private(directory / "survey.json", _json(survey).encode())
    write_private(directory / "survey.html", survey_html(survey).encode())
    log.info("%s: surveyed %d screen(s) into %s", cabinet.name, len(survey.screens), directory)
    return survey


def _json(survey: Survey) -> str:
    return json.dumps(survey.as_json(), ensure_ascii=False, indent=2)


class _Recorder:
    """What the walk shows at each stop, written and examined as it goes."""

    def __init__(
        self, session: BrowserSession, directory: Path, scrubber: Scrubber, threshold: float
    ) -> None:
        self.session = session
        self.threshold = threshold
        self.page = session.page
        self.directory = directory
        self.scrubber = scrubber
        self.screens: list[ScreenSurvey] = []

    def observe(self, visit: Visit) -> None:
        files = self._write(visit)
        controls = tuple(
            self._control(description, locator)
            for description, locator in (visit.controls or {}).items()
        )
        title = self._title(visit)
        check = dataclasses.replace(visit.check, screenshot=None)  # the survey's own is kept
        self.screens.append(ScreenSurvey(visit.number, check, title, controls, files))

    def _control(self, description: str, locator: Locator) -> ControlSurvey:
        finding = finding_of(self.page, description, locator)
        if finding.how is How.HEALED:
            used = next(h.used for h in heals_on(self.page) if h.expected == finding.word)
            return ControlSurvey(description, finding, use=used)
        if finding.found:
            return ControlSurvey(description, finding)
        kind = "field" if (described(description) or ("",))[0] in ("field", "choice") else "control"
        near = closest_on(self.page, finding.shown, kind, _CANDIDATES)
        return ControlSurvey(description, finding, tuple(near), self._winner(near))

    def _winner(self, near: list[Closest]) -> str | None:
        winner = clear_winner(near, self.threshold)
        return winner.text if winner else None

    def _title(self, visit: Visit) -> ControlSurvey | None:
        """The title of the screen that did not come (``ScreenNotShown``), else none: a
        screen reached is the title found, as the robot found it."""
        error = visit.error
        if not isinstance(error, ScreenNotShown) or not error.expected:
            return None
        expected = error.expected[0]
        finding = title_finding(self.page, expected)
        near = closest_on(self.page, finding.shown, "title", _CANDIDATES)
        return ControlSurvey(f"title «{expected}»", finding, tuple(near), self._winner(near))

    def _write(self, visit: Visit) -> dict[str, str]:
        stem = f"{visit.number:02d}-{slug(visit.stop.screen)}"
        scrub = self._scrubbing()
        files: dict[str, str] = {}
        try:
            content = self.page.content()
            self.scrubber.learn_tokens_in_html(content)
            snapshot = self.page.locator("body").aria_snapshot()
            shot = self.page.screenshot(full_page=True)
        except PlaywrightError as exc:  # the page went away: what was written stays
            log.warning("%s: no snapshot of «%s»: %s", visit.check.cabinet, visit.stop.screen, exc)
            return files
        for kind, name, data in (
            ("aria", f"{stem}.aria.yaml", scrub(snapshot).encode()),
            ("html", f"{stem}.html", scrub(content).encode()),
            ("screenshot", f"{stem}.png", shot),
        ):
            write_private(self.directory / name, data)
            files[kind] = name
        return files

    def _scrubbing(self) -> Callable[[str], str]:
        """The scrubber, taught what the session typed and its cookies so far."""
        for secret in self.session.secrets:
            self.scrubber.learn_secret(secret)
        for cookie in self.page.context.cookies():
            self.scrubber.learn_cookie(cookie.get("value", ""))
        return self.scrubber.text


def _propose(screens: list[ScreenSurvey], labels: dict[str, str], titles: dict[str, str]) -> int:
    """Add to ``labels``/``titles`` the text to take for each control healed, or not
    found with one clear choice; how many were added. A word with several close texts
    is left to the person reading the candidates."""
    proposed = 0
    for screen in screens:
        for control in ([screen.title] if screen.title else []) + list(screen.controls):
            if control.use is None:
                continue
            table = titles if control.control.startswith("title ") else labels
            word, best = control.finding.word, control.use
            if table.get(word) != best:
                table[word] = best
                proposed += 1
    return proposed


def survey_html(survey: Survey) -> str:
    """The survey as one page a person reads in a browser."""
    environment = Environment(
        loader=PackageLoader("robots", "templates"), autoescape=select_autoescape()
    )
    template = environment.get_template("survey.html")
    return template.render(
        survey=survey, how=_how, nothing_ordered=_NOTHING_ORDERED, How=How, Status=Status
    )
