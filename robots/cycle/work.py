"""Ordering a cabinet's due documents through the robot's capability, and deciding what
is due: to order, to re-order, or to give up on.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from config.models import CabinetSettings, RobotConfig
from page_objects.healing import clear_heals, heals_on
from robots import domain, stopping
from robots.browser import evidence_dir
from robots.cabinets import CabinetRobot, OrderRequest, open_robot
from robots.cycle.book import Item, ItemState, OrderBook
from robots.domain import DocumentFormat, DocumentKind, Period, Via
from robots.downloads import deliver_downloads
from robots.errors import (
    DocumentNotReady,
    OrderRefused,
    OrderUnconfirmed,
    RobotError,
    UnexpectedScreen,
)
from robots.heals import kept
from robots.health import Source, session_health
from robots.recognition.evidence import Order

log = logging.getLogger(__name__)

REORDERS = 1  # a document that did not come by its deadline is ordered once more
# Errors that concern one document: the cabinet goes on with the next one. Anything
# else (login refused, cabinet down, a person needed) ends the cabinet's session.
ONE_DOCUMENT = (OrderRefused, UnexpectedScreen, DocumentNotReady, OrderUnconfirmed)
# What a person looks at: the screen the robot did not expect, or did not understand.
_WITH_EVIDENCE = (UnexpectedScreen, OrderUnconfirmed)


def to_order(items: list[Item], today: dt.date, now: dt.datetime, first_round: bool) -> list[Item]:
    """What should be ordered now.

    Planned documents the cabinet gives by ``today``; ordered ones past their deadline
    that were not re-ordered yet; and, on a rerun's first round, what failed or went
    missing before (a person may have fixed the cause).
    """
    due = []
    for item in items:
        if item.available_from > today:
            continue
        overdue = item.state is ItemState.ORDERED and item.due_at is not None and item.due_at <= now
        if (
            item.state is ItemState.PLANNED
            or (overdue and item.orders <= REORDERS)
            or (first_round and item.state in (ItemState.FAILED, ItemState.MISSING))
        ):
            due.append(item)
    return due


def gone_missing(items: list[Item], now: dt.datetime) -> list[Item]:
    """Ordered and re-ordered, and the last deadline passed."""
    return [
        item
        for item in items
        if item.state is ItemState.ORDERED
        and item.orders > REORDERS
        and item.due_at is not None
        and item.due_at <= now
    ]


def mark_missing(book: OrderBook, period: str, cabinets: set[str] | None) -> None:
    """What was ordered twice and did not come by the last deadline is missing."""
    for late in gone_missing(book.items(period, cabinets), dt.datetime.now(dt.UTC)):
        log.warning("%s %s %s: missing", late.cabinet, late.account, late.kind)
        book.missing(late.key)


@dataclass
class CabinetWork:
    """What one cabinet session did."""

    cabinet: str
    ordered: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def work_cabinet(
    config: RobotConfig, cabinet: CabinetSettings, items: list[Item], book: OrderBook
) -> CabinetWork:
    """Order or download ``items`` in ``cabinet`` in one browser session.

    Each outcome is written to the book as it happens, so a retry of the session (or a
    rerun after a crash) starts from what is still due. An error about one document is
    recorded with its evidence and the session goes on; any other error ends it and
    propagates (the caller decides about retries). A stop asked for (``robots.stopping``)
    ends the session between two documents: the one in hand is finished first.

    What the session showed is recorded as the cabinet's health (``robots.health``): per
    kind, ok when its documents were ordered or downloaded, else as their errors say; the
    cabinet itself when an error ended the session.
    """
    work = CabinetWork(cabinet.name)
    covered: set[tuple[str, str, str, str]] = set()  # ordered along with another's order
    with (
        session_health(book.ledger, Source.CYCLE, cabinet.name, describe) as health,
        open_robot(config, cabinet) as robot,
    ):
        for item in items:
            if stopping.requested():
                log.info("%s: stopping; what is not done yet stays due", cabinet.name)
                break
            what = f"{item.kind} {item.period} of {item.account}"
            if book.state(item.key) is ItemState.DELIVERED or item.key in covered:
                continue  # came with another one's download or order (a company's form)
            clear_heals(robot.session.page)
            try:
                placed = _download(config, robot, item, book)
                if placed is None:
                    work.downloaded.append(what)
                else:
                    work.ordered.append(what)
                    covered |= _ordered_along(book, items, item, placed.also_for)
                health.done(item.kind)
            except ONE_DOCUMENT as exc:
                evidence = None
                if isinstance(exc, _WITH_EVIDENCE):
                    evidence = str(robot.session.keep_evidence(evidence_dir(config, cabinet)))
                if isinstance(exc, OrderUnconfirmed):  # placed or not: a person checks
                    book.unconfirmed(item.key, describe(exc), evidence)
                else:
                    book.failed(item.key, describe(exc), evidence)
                work.failed.append(f"{what}: {exc}")
                health.failed(item.kind, exc, describe(exc))
                log.warning(
                    "%s %s %s %s: %s", cabinet.name, item.account, item.kind, item.period, exc
                )
            finally:
                _note_heals(config, robot, item, book)
    return work


def _note_heals(config: RobotConfig, robot: CabinetRobot, item: Item, book: OrderBook) -> None:
    """The controls healed for ``item``, in the book with their screenshots (or none)."""
    heals = heals_on(robot.session.page)
    notes = kept(heals, evidence_dir(config, robot.cabinet)) if heals else []
    book.healed(item.key, notes)


def _ordered_along(
    book: OrderBook, items: list[Item], item: Item, accounts: tuple[str, ...]
) -> set[tuple[str, str, str, str]]:
    """The session's other items of ``accounts`` that ``item``'s order placed too: in the
    book as ordered (their mail is awaited like the item's), and not to be ordered again."""
    along = {i.key for i in items if i.account in accounts
             and (i.kind, i.period) == (item.kind, item.period)}  # fmt: skip
    for key in along:
        book.ordered(key, f"ordered with {item.account}'s: the cabinet's form covers the company")
    return along


def _download(
    config: RobotConfig, robot: CabinetRobot, item: Item, book: OrderBook
) -> domain.Order | None:
    """Download ``item`` where the cabinet offers a file (None), else order it by e-mail
    (the order placed)."""
    kind, period = DocumentKind(item.kind), Period.parse(item.period)
    fmt = DocumentFormat(item.format) if item.format else None
    request = OrderRequest(kind, period, item.account, fmt)
    via = Via(item.via) if item.via else None
    if via is None:
        via = Via.DOWNLOAD if robot.offers_download(kind, period) else Via.EMAIL
    log.debug("%s: %s", robot.about(request), "downloading" if via is Via.DOWNLOAD else "ordering")
    if via is Via.DOWNLOAD:
        asked = Order(item.cabinet, period, kind, item.account)
        delivered = deliver_downloads(config, robot.download(request), asked)
        mine = [
            d.path
            for d in delivered
            if d.path and d.document.account == item.account and d.document.kind == kind
        ]
        book.delivered(item.key, mine)
        book.note_arrivals(item.period)  # other accounts' files that came along
        return None
    # Unconfirmed until the cabinet says it took the order: a run killed in between
    # leaves it so, and nothing orders it again by itself.
    before = book.placing(item.key)
    try:
        placed = robot.order(request)
    except OrderUnconfirmed:
        raise  # stays unconfirmed: the cabinet may have taken it
    except RobotError:
        book.restore(item.key, before)  # refused, or failed as the robot saw: as before
        raise
    book.ordered(item.key, f"sent to {placed.email}" if placed.email else None)
    return placed


def describe(exc: RobotError) -> str:
    """A failure as the matrix shows it: what kind of failure, then the message."""
    kinds = {
        "OrderRefused": "refused",
        "OrderUnconfirmed": "unconfirmed",
        "CredentialsError": "login refused",
        "InteractionRequired": "needs an SMS code",
        "HumanActionRequired": "needs a person",
        "CabinetMaintenance": "maintenance",
        "CabinetUnavailable": "unavailable",
        "CabinetServerError": "unavailable",
        "UnexpectedScreen": "screen changed",
        "ParseError": "unreadable",
        "ConfigurationError": "configuration",
        "DocumentNotReady": "not ready",
        "LoginInUse": "login in use",
    }
    return f"{kinds.get(type(exc).__name__, type(exc).__name__)}: {exc}"
