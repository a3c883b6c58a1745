"""Cabinet health over time: what each run found on each screen of a cabinet.

Every run that meets a cabinet's screens records, per screen, one of:

- ``ok``: the screen came and the robot found what it uses there;
- ``healed``: it did, but a control was found by a close text instead of its own;
- ``changed``: the page objects did not match (a screen or control not found, an
  outcome the robot did not recognise): someone must look;
- ``unavailable``: the cabinet could not be asked (unreachable, maintenance, a login or
  a service refused): its screens were not checked, not found wrong.

The canary records each screen of its walk; the monthly cycle's sessions and ``order``
record each kind of document they worked on (the screens that order it), and the cabinet
itself when the session ended before them. The records go to the ledger
(``cabinet_health``) with the run's source and time; ``cabinet-robot status --health``
and the month's report show the last runs of each cabinet as a row of cells. Subscriber
numbers in a detail are masked before it is written: the ledger keeps none.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from robots.errors import OrderUnconfirmed, RobotError, UnexpectedScreen
from robots.ledger import HealthRecord, Ledger
from robots.masking import mask_numbers_in

log = logging.getLogger(__name__)

RUNS_SHOWN = 12  # the runs of a cabinet the map shows
CABINET = "cabinet"  # the screen of a session that ended before its documents' screens
DETAIL_LIMIT = 300  # characters of a detail kept: what happened, not a stack


class Health(StrEnum):
    """What a run found on a screen (the canary's statuses, by value)."""

    OK = "ok"
    HEALED = "healed"
    CHANGED = "changed"
    UNAVAILABLE = "unavailable"


class Source(StrEnum):
    """Which kind of run recorded the health."""

    CANARY = "canary"
    CYCLE = "cycle"  # a cabinet session of the monthly cycle
    ORDER = "order"  # ``cabinet-robot order``
    SURVEY = "survey"


# A run's cell shows its worst screen: what needs a person first.
_WORST_FIRST = (Health.CHANGED, Health.HEALED, Health.UNAVAILABLE, Health.OK)


def worst(statuses: Iterable[Health]) -> Health:
    """The status a run (or a kind's documents) shows: the first of changed, healed,
    unavailable, ok that is among ``statuses`` (ok when there are none)."""
    present = set(statuses)
    return next((status for status in _WORST_FIRST if status in present), Health.OK)


def of_error(error: BaseException) -> Health:
    """The health an error says: the page objects did not match (changed), or the
    cabinet could not be asked (unavailable)."""
    if isinstance(error, UnexpectedScreen | OrderUnconfirmed):
        return Health.CHANGED
    return Health.UNAVAILABLE


def _clean(detail: str) -> str:
    """A detail as the ledger keeps it: numbers masked, one line, short."""
    text = " ".join(mask_numbers_in(detail).split())
    return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 1].rstrip() + "…"


@dataclass(frozen=True)
class ScreenHealth:
    """One screen of one run."""

    screen: str
    status: Health
    detail: str = ""

    def as_json(self) -> dict[str, str]:
        return {"screen": self.screen, "status": str(self.status), "detail": self.detail}


@dataclass(frozen=True)
class RunHealth:
    """One run of one cabinet: a cell of the map."""

    run: str
    source: str
    at: dt.datetime
    screens: tuple[ScreenHealth, ...]

    @property
    def status(self) -> Health:
        return worst(screen.status for screen in self.screens)

    def problems(self) -> list[ScreenHealth]:
        """The screens that are not ok."""
        return [screen for screen in self.screens if screen.status is not Health.OK]

    def as_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "source": self.source,
            "at": self.at.isoformat(),
            "status": str(self.status),
            "screens": [screen.as_json() for screen in self.screens],
        }


@dataclass(frozen=True)
class CabinetHealth:
    """A cabinet's last runs, oldest first: a row of the map."""

    cabinet: str
    runs: tuple[RunHealth, ...]

    def as_json(self) -> dict[str, Any]:
        return {"cabinet": self.cabinet, "runs": [run.as_json() for run in self.runs]}


def new_run() -> str:
    """An id for a run (the records of one canary run over several cabinets share it)."""
    return uuid.uuid4().hex


def record(
    ledger: Ledger,
    source: Source,
    cabinet: str,
    screens: Sequence[ScreenHealth],
    run: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Write what one run found in ``cabinet``; nothing when it found nothing.

    The health is a by-product of the run: a ledger that cannot be written is logged,
    never the run's failure.
    """
    if not screens:
        return
    moment = at or dt.datetime.now(dt.UTC)
    run_id = run or new_run()
    try:
        ledger.record_health(
            HealthRecord(
                run_id, str(source), cabinet, s.screen, str(s.status), _clean(s.detail), moment
            )
            for s in screens
        )
    except SQLAlchemyError as exc:
        log.warning("%s: the cabinet's health was not recorded in the ledger: %s", cabinet, exc)


def recorded(
    ledger_url: str,
    source: Source,
    cabinet: str,
    screens: Sequence[ScreenHealth],
    run: str | None = None,
) -> None:
    """``record`` in the ledger at ``ledger_url`` (opened and closed here)."""
    if not screens:
        return
    try:
        ledger = Ledger(ledger_url)
    except SQLAlchemyError as exc:
        log.warning("%s: the cabinet's health was not recorded in the ledger: %s", cabinet, exc)
        return
    try:
        record(ledger, source, cabinet, screens, run)
    finally:
        ledger.close()


def history(ledger: Ledger, runs: int = RUNS_SHOWN) -> list[CabinetHealth]:
    """Each cabinet's last ``runs`` runs from the ledger, cabinets by name."""
    by_cabinet: dict[str, dict[str, list[HealthRecord]]] = {}
    for row in ledger.health(runs):
        by_cabinet.setdefault(row.cabinet, {}).setdefault(row.run, []).append(row)
    return [
        CabinetHealth(
            cabinet,
            tuple(
                RunHealth(
                    rows[0].run,
                    rows[0].source,
                    rows[0].at,
                    tuple(ScreenHealth(r.screen, health_of(r.status), r.detail) for r in rows),
                )
                for rows in by_run.values()
            ),
        )
        for cabinet, by_run in sorted(by_cabinet.items())
    ]


def health_of(status: str) -> Health:
    """``status`` (a canary's or the ledger's) as a ``Health``; a status this robot does
    not know (a newer robot's) as changed, the one that gets a person to look."""
    try:
        return Health(status)
    except ValueError:
        return Health.CHANGED


@dataclass
class SessionHealth:
    """What one cabinet session showed, document by document, grouped by kind.

    A kind's screens are ok when each of its documents was ordered or downloaded,
    changed when the page objects failed for one, unavailable when the cabinet refused
    or could not give one; the worst of its documents is kept, with its detail.
    """

    cabinet: str
    screens: dict[str, ScreenHealth] = field(default_factory=dict)
    _last_error: BaseException | None = field(default=None, init=False, repr=False)

    def done(self, kind: str) -> None:
        """A document of ``kind`` was ordered or downloaded."""
        self._note(ScreenHealth(kind, Health.OK))

    def failed(self, kind: str, error: RobotError, detail: str) -> None:
        """A document of ``kind`` failed with ``error`` (``detail``: as the matrix says it)."""
        self._last_error = error
        self._note(ScreenHealth(kind, of_error(error), detail))

    def ended(self, error: BaseException, detail: str) -> None:
        """The session ended with ``error`` before (or between) its documents; an error
        noted already for a document's kind is not noted again for the cabinet."""
        if error is not self._last_error:
            self.screens[CABINET] = ScreenHealth(CABINET, of_error(error), detail)

    def _note(self, found: ScreenHealth) -> None:
        before = self.screens.get(found.screen)
        if before is None or worst((before.status, found.status)) is not before.status:
            self.screens[found.screen] = found

    def as_screens(self) -> list[ScreenHealth]:
        return list(self.screens.values())


@contextmanager
def session_health(
    ledger: Ledger,
    source: Source,
    cabinet: str,
    describe: Callable[[RobotError], str] = str,
) -> Iterator[SessionHealth]:
    """Collect a session's health and record it on leaving, also when an error ends the
    session: a robot error is the cabinet's health (``of_error``, its words by
    ``describe``), then propagates."""
    health = SessionHealth(cabinet)
    try:
        yield health
    except RobotError as exc:
        health.ended(exc, describe(exc))
        raise
    finally:
        record(ledger, source, cabinet, health.as_screens())
