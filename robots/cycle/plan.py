"""Which documents each cabinet owes for a period, from when, and how long they may take."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from config.models import CabinetSettings, DocumentSettings, RobotConfig
from robots.cabinets import ROBOTS
from robots.domain import DocumentFormat, DocumentKind, Operator, Period, Via
from robots.inventory import load_subscribers


@dataclass(frozen=True)
class Expected:
    """One document the cycle expects: a cabinet's account's kind for the period."""

    period: Period
    cabinet: str
    operator: Operator
    account: str
    kind: DocumentKind
    format: DocumentFormat | None
    via: Via | None  # None: download where the cabinet offers a file
    available_from: dt.date  # the first day the cabinet gives it
    deadline: dt.timedelta  # how long it may take to arrive once ordered

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (str(self.period), self.cabinet, self.account, str(self.kind))


def documents_of(cabinet: CabinetSettings) -> tuple[DocumentSettings, ...]:
    """What the cycle orders in ``cabinet``: its ``documents``, else the operator's defaults."""
    if cabinet.documents is not None:
        return cabinet.documents
    return tuple(DocumentSettings(kind=kind) for kind in ROBOTS[cabinet.operator].default_kinds)


def deadline(config: RobotConfig, operator: Operator, kind: DocumentKind) -> dt.timedelta:
    """How long ``kind`` may take: the configuration's most specific key, else the manual's."""
    given = config.cycle.deadlines
    for key in (f"{operator}.{kind}", str(kind), "*"):
        if key in given:
            return given[key]
    return ROBOTS[operator].delivery_time(kind)


def accounts_of(config: RobotConfig, cabinet: CabinetSettings) -> list[str]:
    """The cabinet's accounts: configured, else as its subscriber list was last read."""
    if cabinet.accounts:
        return [a.id for a in cabinet.accounts]
    return list(dict.fromkeys(s.account for s in load_subscribers(config, cabinet.name)))


def plan_period(
    config: RobotConfig,
    period: Period,
    today: dt.date,
    cabinets: list[CabinetSettings] | None = None,
) -> list[Expected]:
    """Every document the robot's cabinets owe for ``period``.

    Mail-only cabinets (no login) are left out: the robot cannot order anything there,
    so it has nothing to reconcile against.
    """
    chosen = cabinets if cabinets is not None else list(config.cabinets)
    expected = []
    for cabinet in chosen:
        if not cabinet.has_login:
            continue
        robot = ROBOTS[cabinet.operator]
        for account in accounts_of(config, cabinet):
            for document in documents_of(cabinet):
                expected.append(
                    Expected(
                        period=period,
                        cabinet=cabinet.name,
                        operator=cabinet.operator,
                        account=account,
                        kind=document.kind,
                        format=document.format,
                        via=document.via,
                        available_from=robot.available_from(document.kind, period, today),
                        deadline=deadline(config, cabinet.operator, document.kind),
                    )
                )
    return expected
