"""The order book: one row per document the cycle expects, in the ledger's database.

A row goes planned → ordered → delivered, or ends missing (ordered twice, never came)
or failed (the robot could not order it; the reason and the evidence are kept). A
download goes straight from planned to delivered. Reruns read the book first, so
nothing is ordered twice for the same period and document.

While the robot places an order the row is unconfirmed: a run killed before the cabinet
confirmed the order leaves it so, and no rerun orders it again by itself (the cabinet
may have taken it); a person checks the cabinet, and the document's arrival by mail
settles it as delivered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from robots.domain import DocumentKind, Period
from robots.heals import HealNote, as_text, from_text
from robots.ledger import DocumentRow, Ledger
from robots.recognition.evidence import Order

if TYPE_CHECKING:  # the plan imports every cabinet's robot: not for the mail collector
    from robots.cycle.plan import Expected


class ItemState(StrEnum):
    PLANNED = "planned"  # to be ordered once the cabinet gives it
    ORDERED = "ordered"  # ordered by e-mail, not arrived yet
    DELIVERED = "delivered"  # in Tarifer's inbox
    MISSING = "missing"  # ordered, re-ordered, never arrived
    FAILED = "failed"  # the robot could not order it
    UNCONFIRMED = "unconfirmed"  # the run ended while ordering it: placed or not, unknown


class _Base(DeclarativeBase):
    pass


class ItemRow(_Base):
    __tablename__ = "cycle_items"
    __table_args__ = (UniqueConstraint("period", "cabinet", "account", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    cabinet: Mapped[str] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(16))
    account: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    format: Mapped[str | None] = mapped_column(String(8))
    via: Mapped[str | None] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    available_from: Mapped[dt.date] = mapped_column(Date)
    deadline_s: Mapped[int] = mapped_column(Integer)
    orders: Mapped[int] = mapped_column(Integer, default=0)  # times ordered
    ordered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    delivered: Mapped[str | None] = mapped_column(Text)  # paths in the inbox, one per line
    heals: Mapped[str | None] = mapped_column(Text)  # the last order's heals (robots.heals)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Item:
    """A row of the book as the cycle reads it."""

    period: str
    cabinet: str
    operator: str
    account: str
    kind: str
    format: str | None
    via: str | None
    state: ItemState
    available_from: dt.date
    deadline: dt.timedelta
    orders: int
    ordered_at: dt.datetime | None
    due_at: dt.datetime | None
    reason: str | None
    evidence: str | None
    delivered: tuple[str, ...]
    heals: tuple[HealNote, ...] = ()  # controls healed when it was last ordered or downloaded

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.period, self.cabinet, self.account, self.kind)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite gives back naive datetimes for what was written as UTC.
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment


def _item(row: ItemRow) -> Item:
    return Item(
        period=row.period,
        cabinet=row.cabinet,
        operator=row.operator,
        account=row.account,
        kind=row.kind,
        format=row.format,
        via=row.via,
        state=ItemState(row.state),
        available_from=row.available_from,
        deadline=dt.timedelta(seconds=row.deadline_s),
        orders=row.orders,
        ordered_at=_aware(row.ordered_at),
        due_at=_aware(row.due_at),
        reason=row.reason,
        evidence=row.evidence,
        delivered=tuple(row.delivered.splitlines()) if row.delivered else (),
        heals=from_text(row.heals),
    )


class OrderBook:
    """The cycle's rows in the ledger database; every call is one short transaction."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._engine = ledger.engine  # its table is made by the ledger's migrations

    @property
    def ledger(self) -> Ledger:
        """The ledger the book is kept in (the sessions record the cabinets' health there)."""
        return self._ledger

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self._engine) as session, session.begin():
            yield session

    @staticmethod
    def _find(s: Session, key: tuple[str, str, str, str]) -> ItemRow | None:
        period, cabinet, account, kind = key
        return s.scalars(
            select(ItemRow).where(
                ItemRow.period == period,
                ItemRow.cabinet == cabinet,
                ItemRow.account == account,
                ItemRow.kind == kind,
            )
        ).first()

    def _row(self, s: Session, key: tuple[str, str, str, str]) -> ItemRow:
        row = self._find(s, key)
        if row is None:
            raise KeyError(f"no {key} in the order book")
        row.updated_at = _now()
        return row

    def expect(self, expected: list[Expected]) -> None:
        """Add what is not in the book yet; rows already there keep their state, but learn
        the current calendar and deadline."""
        with self._session() as s:
            for item in expected:
                period, cabinet, account, kind = item.key
                row = self._find(s, item.key)
                if row is None:
                    row = ItemRow(
                        period=period,
                        cabinet=cabinet,
                        operator=str(item.operator),
                        account=account,
                        kind=kind,
                        state=ItemState.PLANNED,
                        orders=0,
                    )
                    s.add(row)
                row.format = str(item.format) if item.format else None
                row.via = str(item.via) if item.via else None
                row.available_from = item.available_from
                row.deadline_s = int(item.deadline.total_seconds())
                row.updated_at = _now()

    def items(self, period: str, cabinets: set[str] | None = None) -> list[Item]:
        with self._session() as s:
            rows = s.scalars(select(ItemRow).where(ItemRow.period == period).order_by(ItemRow.id))
            return [_item(r) for r in rows if cabinets is None or r.cabinet in cabinets]

    def orders(self) -> tuple[Order, ...]:
        """Every document ordered by e-mail (or being ordered) in a cabinet, any month: a
        file from that cabinet's sender may answer one of them."""
        with self._session() as s:
            rows = s.scalars(
                select(ItemRow).where(
                    (ItemRow.orders > 0) | (ItemRow.state == ItemState.UNCONFIRMED)
                )
            )
            return tuple(
                Order(row.cabinet, Period.parse(row.period), DocumentKind(row.kind), row.account)
                for row in rows
            )

    def state(self, key: tuple[str, str, str, str]) -> ItemState | None:
        with self._session() as s:
            row = self._find(s, key)
            return ItemState(row.state) if row else None

    def placing(self, key: tuple[str, str, str, str]) -> ItemState:
        """The order is being placed: unconfirmed until ``ordered`` (or ``restore``).
        Returns the state it had, for ``restore``."""
        with self._session() as s:
            row = self._row(s, key)
            before = ItemState(row.state)
            row.state = ItemState.UNCONFIRMED
            return before

    def restore(self, key: tuple[str, str, str, str], state: ItemState) -> None:
        """The cabinet answered that it did not take the order: back to ``state``."""
        with self._session() as s:
            self._row(s, key).state = state

    def ordered(self, key: tuple[str, str, str, str], note: str | None = None) -> None:
        with self._session() as s:
            row = self._row(s, key)
            now = _now()
            row.state = ItemState.ORDERED
            row.orders += 1
            row.ordered_at = now
            row.due_at = now + dt.timedelta(seconds=row.deadline_s)
            row.reason, row.evidence = note, None

    def delivered(self, key: tuple[str, str, str, str], paths: list[str]) -> None:
        """Mark delivered; no ``paths`` (a duplicate): the ledger's copies are named."""
        with self._session() as s:
            row = self._row(s, key)
            row.state = ItemState.DELIVERED
            row.delivered = "\n".join(paths or self._paths(s, row))
            row.reason, row.evidence = None, None

    def healed(self, key: tuple[str, str, str, str], notes: Sequence[HealNote]) -> None:
        """The controls healed in ordering or downloading it this time (none: forgotten)."""
        with self._session() as s:
            self._row(s, key).heals = as_text(notes)

    def failed(self, key: tuple[str, str, str, str], reason: str, evidence: str | None) -> None:
        with self._session() as s:
            row = self._row(s, key)
            row.state, row.reason, row.evidence = ItemState.FAILED, reason, evidence

    def unconfirmed(
        self, key: tuple[str, str, str, str], reason: str, evidence: str | None
    ) -> None:
        """The cabinet neither confirmed nor refused the order: left for a person."""
        with self._session() as s:
            row = self._row(s, key)
            row.state, row.reason, row.evidence = ItemState.UNCONFIRMED, reason, evidence

    def missing(self, key: tuple[str, str, str, str]) -> None:
        with self._session() as s:
            row = self._row(s, key)
            row.state = ItemState.MISSING
            row.reason = f"ordered {row.orders} time(s), nothing arrived by the deadline"

    def note_arrivals(self, period: str) -> int:
        """Mark delivered every expected document that is now in the ledger; how many."""
        found = 0
        with self._session() as s:
            rows = s.scalars(
                select(ItemRow).where(
                    ItemRow.period == period, ItemRow.state != ItemState.DELIVERED
                )
            )
            for row in rows:
                paths = self._paths(s, row)
                if paths:
                    row.state, row.reason, row.evidence = ItemState.DELIVERED, None, None
                    row.delivered = "\n".join(paths)
                    row.updated_at = _now()
                    found += 1
        return found

    @staticmethod
    def _paths(s: Session, row: ItemRow) -> list[str]:
        """Inbox paths of the documents delivered for ``row`` (any format or version)."""
        prefix = f"{row.operator}/{row.account}/{row.period}/{row.kind}/"
        return list(
            s.scalars(
                select(DocumentRow.path)
                .where(DocumentRow.doc_id.startswith(prefix, autoescape=True))
                .order_by(DocumentRow.id)
            )
        )


@contextmanager
def opened_book(database_url: str) -> Iterator[OrderBook]:
    """The order book of the ledger at ``database_url``, closed on leaving."""
    ledger = Ledger(database_url)
    try:
        yield OrderBook(ledger)
    finally:
        ledger.close()
