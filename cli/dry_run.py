"""``cabinet-robot run --dry-run``: what the cycle's first round would order or download.

The plan and the order book's current state decide it, as in a real run, but nothing
is logged into, sent or written: the book is only read (and not even opened when its
database does not exist yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from robots.cabinets import find_cabinet, robot_class_for
from robots.cycle.book import Item, ItemState, OrderBook
from robots.cycle.plan import Expected, plan_period
from robots.cycle.work import to_order
from robots.domain import DocumentKind, Period, Via
from robots.ledger import DocumentRow, Ledger

if TYPE_CHECKING:
    from config.models import RobotConfig
    from robots.browser import BrowserSession


@dataclass(frozen=True)
class Step:
    """What the run would do about one expected document."""

    cabinet: str
    account: str
    kind: str
    action: str  # order by e-mail | download | order again | nothing
    detail: str


def plan_steps(
    config: RobotConfig, period: str, today: dt.date, cabinets: list[str] | None
) -> list[Step]:
    """Every expected document of ``period`` and what the run would do about it now."""
    chosen = [find_cabinet(config, name) for name in cabinets] if cabinets else None
    expected = plan_period(config, Period.parse(period), today, chosen)
    items = _as_the_book_has_them(config, period, expected)
    due = {item.key for item in to_order(items, today, dt.datetime.now(dt.UTC), True)}
    return [_step(config, item, item.key in due, today) for item in items]


def _as_the_book_has_them(config: RobotConfig, period: str, expected: list[Expected]) -> list[Item]:
    """The expected documents as the book has them; ones it does not know yet as planned,
    ones the ledger already delivered (mail collected before) as delivered."""
    planned = [_planned(e) for e in expected]
    url = config.state.ledger_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return planned  # no ledger yet: everything is still to order
    ledger = Ledger(url)
    try:
        known = {item.key: item for item in OrderBook(ledger).items(period)}
        items = [known.get(item.key, item) for item in planned]
        with Session(ledger.engine) as session:
            return [_with_arrivals(session, item) for item in items]
    finally:
        ledger.close()


def _planned(expected: Expected) -> Item:
    return Item(
        period=str(expected.period),
        cabinet=expected.cabinet,
        operator=str(expected.operator),
        account=expected.account,
        kind=str(expected.kind),
        format=str(expected.format) if expected.format else None,
        via=str(expected.via) if expected.via else None,
        state=ItemState.PLANNED,
        available_from=expected.available_from,
        deadline=expected.deadline,
        orders=0,
        ordered_at=None,
        due_at=None,
        reason=None,
        evidence=None,
        delivered=(),
    )


def _with_arrivals(session: Session, item: Item) -> Item:
    """``item`` delivered when the ledger holds its document (the run would note it so)."""
    if item.state is ItemState.DELIVERED:
        return item
    prefix = f"{item.operator}/{item.account}/{item.period}/{item.kind}/"
    paths = session.scalars(
        select(DocumentRow.path).where(DocumentRow.doc_id.startswith(prefix, autoescape=True))
    ).all()
    return replace(item, state=ItemState.DELIVERED, delivered=tuple(paths)) if paths else item


def _step(config: RobotConfig, item: Item, due: bool, today: dt.date) -> Step:
    def step(action: str, detail: str) -> Step:
        return Step(item.cabinet, item.account, item.kind, action, detail)

    if not due:
        if item.state is ItemState.DELIVERED:
            return step("nothing", "delivered already")
        if item.state is ItemState.ORDERED:
            return step("nothing", f"ordered, awaited until {_when(item.due_at)}")
        if item.available_from > today:
            return step("nothing", f"the cabinet gives it from {item.available_from}")
        return step("nothing", f"{item.state}: {item.reason or 'not ordered again'}")
    how = _via(config, item)
    fmt = f" as {item.format}" if item.format else ""
    if item.state is ItemState.ORDERED:
        return step("order again", f"not arrived by {_when(item.due_at)}{fmt}")
    action = "download" if how is Via.DOWNLOAD else "order by e-mail"
    if item.state in (ItemState.FAILED, ItemState.MISSING):
        return step(action, f"again: it was {item.state} ({item.reason}){fmt}")
    return step(action, f"first time{fmt}")


def _via(config: RobotConfig, item: Item) -> Via:
    """How the run would get ``item``: as configured, else a download where offered."""
    if item.via:
        return Via(item.via)
    cabinet = find_cabinet(config, item.cabinet)
    # Asked only what it offers, which needs no browser: no session is opened.
    robot = robot_class_for(cabinet)(config, cabinet, cast("BrowserSession", None))
    offered = robot.offers_download(DocumentKind(item.kind), Period.parse(item.period))
    return Via.DOWNLOAD if offered else Via.EMAIL


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone().isoformat(timespec="minutes") if moment else "?"


def as_json(period: str, steps: list[Step]) -> dict[str, object]:
    """The plan as ``run --dry-run --json`` prints it."""
    return {"period": period, "dry_run": True, "steps": [asdict(s) for s in steps]}


def summary(steps: list[Step]) -> str:
    """One line: how many of each action, and that nothing was done."""
    counts: dict[str, int] = {}
    for s in steps:
        counts[s.action] = counts.get(s.action, 0) + 1
    wanted = ("order by e-mail", "download", "order again")
    said = ", ".join(f"{counts[a]} to {a}" for a in wanted if counts.get(a))
    return f"{said or 'nothing to order'}; dry run: nothing was sent or written"
