"""The ledger: what the robot has seen and delivered, in a SQL database (SQLite by default).

Messages are keyed by (mailbox, UIDVALIDITY, UID), so a rerun never processes a
message twice; documents are keyed by their SHA-256, so a file is delivered once.
Beside them, each cabinet's health: what every run (canary, cycle session, order) found
on each screen (``robots.health``).
The database is reached through SQLAlchemy so that a Postgres URL can replace the
SQLite file without code changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from robots.permissions import private_dirs, private_file
from robots.schema import upgrade

log = logging.getLogger(__name__)

# Values bound in one ``IN (...)``: well under SQLite's and Postgres' parameter limits.
_IN_CHUNK = 500
T = TypeVar("T")


def _chunks(values: list[T]) -> Iterator[list[T]]:
    """``values`` in slices of at most ``_IN_CHUNK``, one ``IN (...)`` each."""
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


class Outcome(StrEnum):
    """What became of a message."""

    PROCESSED = "processed"  # its documents are delivered (or were duplicates)
    QUARANTINED = "quarantined"  # the robot's, but something in it was unusable
    IGNORED = "ignored"  # not the robot's mail: left exactly as it was
    RETRY = "retry"  # a transient failure (a link did not answer): try again next run
    REVIEW = "review"  # files a person must place: stays in the folder until they are


class ReviewState(StrEnum):
    """Where a file in the review queue stands."""

    WAITING = "waiting"
    ASSIGNED = "assigned"  # a person said what it is: delivered (or a duplicate)
    REJECTED = "rejected"  # a person said it is no document for Tarifer


class _Base(DeclarativeBase):
    pass


class MessageRow(_Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)  # IMAP's are unsigned 32-bit
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str | None] = mapped_column(String(998))
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    target_folder: Mapped[str | None] = mapped_column(String(255))
    moved: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DocumentRow(_Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    doc_id: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    supersedes: Mapped[str | None] = mapped_column(String(64))
    # What gave each field, as the manifest line says it (JSON); None before it was kept.
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)


class FolderRow(_Base):
    """How far the robot has read a folder: every UID up to last_uid is in the ledger."""

    __tablename__ = "folders"

    mailbox: Mapped[str] = mapped_column(String(255), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    last_uid: Mapped[int] = mapped_column(BigInteger)


class ReviewRow(_Base):
    """A file of the robot's message that the robot could not place, kept for a person.

    (mailbox, uidvalidity, uid) is its message's row in ``messages``: the sender and
    subject are read from there. A ledger made before kept copies of them in this table
    (nullable ``sender`` and ``subject`` columns); they are left as they are, unread.
    """

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)  # IMAP's are unsigned 32-bit
    uid: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(Text)  # the message's IMAP URL and Message-ID
    origin: Mapped[str] = mapped_column(Text)  # where in the message, as in the manifest
    name: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)  # what the recogniser found, and what not
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(255))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(Text)  # the inbox path, or why rejected


class HealthRow(_Base):
    """What one run found on one screen of one cabinet (``robots.health``): no personal
    data, the detail's subscriber numbers are masked before they are written."""

    __tablename__ = "cabinet_health"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run: Mapped[str] = mapped_column(String(64))  # one run of one source, any cabinets
    source: Mapped[str] = mapped_column(String(16))  # canary, cycle, order, survey
    cabinet: Mapped[str] = mapped_column(String(64), index=True)
    screen: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # ok, healed, changed, unavailable
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StateRow(_Base):
    __tablename__ = "state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class LatestVersion:
    sha256: str
    version: int
    path: str


@dataclass(frozen=True)
class HealthRecord:
    """One screen of one cabinet as one run saw it (a row of ``cabinet_health``)."""

    run: str
    source: str
    cabinet: str
    screen: str
    status: str
    detail: str
    at: dt.datetime


@dataclass(frozen=True)
class MessageRecord:
    """A message outcome, as written by a batch commit."""

    uid: int
    message_id: str | None
    sender: str | None
    subject: str | None
    outcome: Outcome
    reason: str | None
    target_folder: str | None


@dataclass(frozen=True)
class DocumentRecord:
    """A delivered document, as written by a batch commit (also read back from the manifest)."""

    sha256: str
    doc_id: str
    version: int
    path: str
    size: int
    source: str
    received_at: dt.datetime
    supersedes: str | None
    evidence: str | None = None  # JSON: what gave each field


@dataclass(frozen=True)
class ReviewRecord:
    """A file of a batch's message put in the review queue, as written by a batch commit."""

    uid: int
    source: str
    origin: str
    name: str | None
    reason: str
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ReviewItem:
    """A file in the review queue, with its message and, once resolved, who did what."""

    id: int
    mailbox: str
    uidvalidity: int
    uid: int
    sender: str | None
    subject: str | None
    source: str
    origin: str
    name: str | None
    reason: str
    path: str
    sha256: str
    size: int
    state: ReviewState
    received_at: dt.datetime
    resolved_by: str | None
    resolved_at: dt.datetime | None
    resolution: str | None


def _review_item(row: ReviewRow, message: MessageRow | None) -> ReviewItem:
    return ReviewItem(
        id=row.id,
        mailbox=row.mailbox,
        uidvalidity=row.uidvalidity,
        uid=row.uid,
        sender=message.sender if message else None,
        subject=message.subject if message else None,
        source=row.source,
        origin=row.origin,
        name=row.name,
        reason=row.reason,
        path=row.path,
        sha256=row.sha256,
        size=row.size,
        state=ReviewState(row.state),
        received_at=row.received_at,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        resolution=row.resolution,
    )


# Each review item with its message (its sender and subject).
_REVIEWS_WITH_MESSAGES = select(ReviewRow, MessageRow).outerjoin(
    MessageRow,
    (MessageRow.mailbox == ReviewRow.mailbox)
    & (MessageRow.uidvalidity == ReviewRow.uidvalidity)
    & (MessageRow.uid == ReviewRow.uid),
)


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes for what was written as UTC.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # The journal mode (WAL) is the file's, set once when the ledger is made (robots.schema).
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA synchronous=FULL")  # a commit survives a crash of the machine
    cursor.close()


class Ledger:
    """Access to the ledger database; every write is one short transaction."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            # Messages' senders and subjects: the robot's user's alone, whatever the umask.
            database = Path(url.removeprefix("sqlite:///"))
            private_file(private_dirs(database.parent) / database.name)
        self._engine: Engine = create_engine(url)
        if self._engine.dialect.name == "sqlite":
            event.listen(self._engine, "connect", _sqlite_pragmas)
        upgrade(self._engine)  # the ledger's and the order book's tables, migrated

    @property
    def engine(self) -> Engine:
        """The database, for the cycle's order book (tables of its own beside these)."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self._engine) as session, session.begin():
            yield session

    # -- folders and messages ---------------------------------------------------------

    def last_uid(self, mailbox: str, uidvalidity: int) -> int:
        with self._session() as s:
            row = s.get(FolderRow, (mailbox, uidvalidity))
            return row.last_uid if row else 0

    def retry_uids(self, mailbox: str, uidvalidity: int) -> list[int]:
        with self._session() as s:
            rows = s.scalars(
                select(MessageRow.uid).where(
                    MessageRow.mailbox == mailbox,
                    MessageRow.uidvalidity == uidvalidity,
                    MessageRow.outcome == Outcome.RETRY,
                )
            )
            return sorted(rows)

    def attempts(self, mailbox: str, uidvalidity: int, uid: int) -> int:
        with self._session() as s:
            row = s.scalar(
                select(MessageRow.attempts).where(
                    MessageRow.mailbox == mailbox,
                    MessageRow.uidvalidity == uidvalidity,
                    MessageRow.uid == uid,
                )
            )
            return row or 0

    def pending_moves(self, mailbox: str, uidvalidity: int) -> dict[str, list[int]]:
        """Messages recorded as processed or quarantined whose move did not happen yet."""
        with self._session() as s:
            rows = s.execute(
                select(MessageRow.target_folder, MessageRow.uid).where(
                    MessageRow.mailbox == mailbox,
                    MessageRow.uidvalidity == uidvalidity,
                    MessageRow.target_folder.is_not(None),
                    MessageRow.moved.is_(False),
                )
            )
            pending: dict[str, list[int]] = {}
            for folder, uid in rows:
                if folder is not None:
                    pending.setdefault(folder, []).append(uid)
            return pending

    def messages(self, outcome: Outcome | None = None) -> list[MessageRecord]:
        """Messages the ledger knows, oldest first, optionally of one outcome."""
        query = select(MessageRow).order_by(MessageRow.id)
        if outcome is not None:
            query = query.where(MessageRow.outcome == outcome)
        with self._session() as s:
            return [
                MessageRecord(
                    uid=row.uid,
                    message_id=row.message_id,
                    sender=row.sender,
                    subject=row.subject,
                    outcome=Outcome(row.outcome),
                    reason=row.reason,
                    target_folder=row.target_folder,
                )
                for row in s.scalars(query)
            ]

    def mark_moved(self, mailbox: str, uidvalidity: int, uids: Iterable[int]) -> None:
        uid_list = list(uids)
        if not uid_list:
            return
        with self._session() as s:
            s.execute(
                update(MessageRow)
                .where(
                    MessageRow.mailbox == mailbox,
                    MessageRow.uidvalidity == uidvalidity,
                    MessageRow.uid.in_(uid_list),
                )
                .values(moved=True)
            )

    # -- documents ----------------------------------------------------------------

    def known_shas(self, shas: Iterable[str]) -> set[str]:
        """Which of ``shas`` are delivered documents already (one query per 500)."""
        wanted = list(dict.fromkeys(shas))
        with self._session() as s:
            return self._known_shas(s, wanted)

    @staticmethod
    def _known_shas(s: Session, shas: list[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(shas):
            known.update(s.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(chunk))))
        return known

    def latest_versions(self, doc_ids: Iterable[str]) -> dict[str, LatestVersion]:
        """The newest delivered version of each of ``doc_ids`` that has one."""
        wanted = list(dict.fromkeys(doc_ids))
        latest: dict[str, LatestVersion] = {}
        with self._session() as s:
            for chunk in _chunks(wanted):
                rows = s.scalars(
                    select(DocumentRow)
                    .where(DocumentRow.doc_id.in_(chunk))
                    .order_by(DocumentRow.version)
                )
                for row in rows:  # ascending: the last one seen of a document is its newest
                    latest[row.doc_id] = LatestVersion(row.sha256, row.version, row.path)
        return latest

    def document_count(self) -> int:
        with self._session() as s:
            return s.scalar(select(func.count(DocumentRow.id))) or 0

    # -- the batch commit -----------------------------------------------------------

    def commit_batch(
        self,
        *,
        mailbox: str,
        uidvalidity: int,
        messages: list[MessageRecord],
        documents: list[DocumentRecord],
        manifest_offset: int,
        last_uid: int | None,
        reviews: Iterable[ReviewRecord] = (),
    ) -> None:
        """Record a batch in one transaction: its messages, documents, the files put in
        the review queue and the manifest size.

        Called after the batch's files and manifest lines are durably written, and
        before its messages are moved: a crash on either side of this commit is
        recovered from (see the collector).
        """
        now = dt.datetime.now(dt.UTC)
        with self._session() as s:
            self._insert_documents(s, documents)
            # One query for the batch's earlier attempts, not one per message.
            seen = {
                row.uid: row
                for chunk in _chunks([record.uid for record in messages])
                for row in s.scalars(
                    select(MessageRow).where(
                        MessageRow.mailbox == mailbox,
                        MessageRow.uidvalidity == uidvalidity,
                        MessageRow.uid.in_(chunk),
                    )
                )
            }
            for record in messages:
                existing = seen.get(record.uid)
                if existing is None:
                    s.add(
                        MessageRow(
                            mailbox=mailbox,
                            uidvalidity=uidvalidity,
                            uid=record.uid,
                            message_id=record.message_id,
                            sender=record.sender,
                            subject=record.subject,
                            outcome=record.outcome,
                            reason=record.reason,
                            target_folder=record.target_folder,
                            moved=False,
                            attempts=1,
                            seen_at=now,
                        )
                    )
                else:
                    existing.outcome = record.outcome
                    existing.reason = record.reason
                    existing.target_folder = record.target_folder
                    existing.attempts += 1
                    existing.seen_at = now
            batch = {record.uid for record in messages}
            for review in reviews:
                if review.uid not in batch:
                    raise ValueError(f"review item of UID {review.uid}, a message not in the batch")
                s.add(
                    ReviewRow(
                        mailbox=mailbox,
                        uidvalidity=uidvalidity,
                        uid=review.uid,
                        source=review.source,
                        origin=review.origin,
                        name=review.name,
                        reason=review.reason,
                        path=review.path,
                        sha256=review.sha256,
                        size=review.size,
                        state=ReviewState.WAITING,
                        received_at=now,
                    )
                )
            self._set_state(s, "manifest_offset", str(manifest_offset))
            if last_uid is not None:
                folder = s.get(FolderRow, (mailbox, uidvalidity))
                if folder is None:
                    s.add(FolderRow(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=last_uid))
                elif last_uid > folder.last_uid:
                    folder.last_uid = last_uid

    def commit_documents(self, documents: list[DocumentRecord], manifest_offset: int) -> None:
        """Record documents that came without a message (a cabinet's download)."""
        with self._session() as s:
            self._insert_documents(s, documents)
            self._set_state(s, "manifest_offset", str(manifest_offset))

    @staticmethod
    def _insert_documents(s: Session, documents: list[DocumentRecord]) -> None:
        known = Ledger._known_shas(s, [doc.sha256 for doc in documents])
        for doc in documents:
            if doc.sha256 not in known:
                known.add(doc.sha256)
                s.add(
                    DocumentRow(
                        sha256=doc.sha256,
                        doc_id=doc.doc_id,
                        version=doc.version,
                        path=doc.path,
                        size=doc.size,
                        source=doc.source,
                        received_at=doc.received_at,
                        supersedes=doc.supersedes,
                        evidence=doc.evidence,
                    )
                )
        s.flush()

    # -- the review queue -------------------------------------------------------------

    def reviews(self, state: ReviewState | None = ReviewState.WAITING) -> list[ReviewItem]:
        """Files in the review queue, oldest first: those waiting, or of ``state`` (None: all)."""
        query = _REVIEWS_WITH_MESSAGES.order_by(ReviewRow.id)
        if state is not None:
            query = query.where(ReviewRow.state == state)
        with self._session() as s:
            return [_review_item(row, message) for row, message in s.execute(query)]

    def review(self, item_id: int) -> ReviewItem | None:
        with self._session() as s:
            found = s.execute(_REVIEWS_WITH_MESSAGES.where(ReviewRow.id == item_id)).first()
            return _review_item(*found) if found else None

    def resolve_review(
        self,
        item_id: int,
        *,
        state: ReviewState,
        by: str,
        resolution: str,
        processed_folder: str,
        documents: Iterable[DocumentRecord] = (),
        manifest_offset: int | None = None,
    ) -> bool:
        """Record a person's decision on a waiting file, with the document it delivered.

        When it was the last waiting file of a message held for review, the message is
        marked for the processed folder: the next collection moves it there.

        Returns:
            Whether the message is now due to move to ``processed_folder``.
        """
        with self._session() as s:
            row = s.get(ReviewRow, item_id)
            if row is None or row.state != ReviewState.WAITING:
                raise ValueError(f"review item {item_id} is not waiting")
            self._insert_documents(s, list(documents))
            if manifest_offset is not None:
                self._set_state(s, "manifest_offset", str(manifest_offset))
            row.state, row.resolution = state, resolution
            row.resolved_by, row.resolved_at = by, dt.datetime.now(dt.UTC)
            s.flush()
            waiting = s.scalar(
                select(func.count(ReviewRow.id)).where(
                    ReviewRow.mailbox == row.mailbox,
                    ReviewRow.uidvalidity == row.uidvalidity,
                    ReviewRow.uid == row.uid,
                    ReviewRow.state == ReviewState.WAITING,
                )
            )
            message = s.scalar(
                select(MessageRow).where(
                    MessageRow.mailbox == row.mailbox,
                    MessageRow.uidvalidity == row.uidvalidity,
                    MessageRow.uid == row.uid,
                )
            )
            if waiting or message is None or message.outcome != Outcome.REVIEW:
                return False
            message.outcome = Outcome.PROCESSED
            message.target_folder, message.moved = processed_folder, False
            return True

    # -- cabinet health ---------------------------------------------------------------

    def record_health(self, records: Iterable[HealthRecord]) -> None:
        """Add what a run found on each screen (one transaction)."""
        with self._session() as s:
            s.add_all(
                HealthRow(
                    run=r.run,
                    source=r.source,
                    cabinet=r.cabinet,
                    screen=r.screen,
                    status=r.status,
                    detail=r.detail,
                    at=r.at,
                )
                for r in records
            )

    def health(self, runs: int = 12, cabinets: Iterable[str] | None = None) -> list[HealthRecord]:
        """The screens of each cabinet's last ``runs`` runs, oldest run first, each run's
        screens in the order they were recorded (``cabinets``: only those)."""
        chosen = set(cabinets) if cabinets is not None else None
        with self._session() as s:
            started = func.min(HealthRow.at)
            newest_first = s.execute(
                select(HealthRow.cabinet, HealthRow.run)
                .group_by(HealthRow.cabinet, HealthRow.run)
                .order_by(started.desc(), func.min(HealthRow.id).desc())
            )
            kept: dict[str, list[str]] = {}
            for cabinet, run in newest_first:
                if chosen is not None and cabinet not in chosen:
                    continue
                if len(latest := kept.setdefault(cabinet, [])) < runs:
                    latest.append(run)
            wanted = {(cabinet, run) for cabinet, latest in kept.items() for run in latest}
            rows = s.scalars(
                select(HealthRow)
                .where(HealthRow.run.in_({run for _, run in wanted}))
                .order_by(HealthRow.at, HealthRow.id)
            )
            return [
                HealthRecord(
                    row.run,
                    row.source,
                    row.cabinet,
                    row.screen,
                    row.status,
                    row.detail,
                    _utc(row.at),
                )
                for row in rows
                if (row.cabinet, row.run) in wanted
            ]

    # -- manifest recovery ------------------------------------------------------------

    def manifest_offset(self) -> int:
        with self._session() as s:
            row = s.get(StateRow, "manifest_offset")
            return int(row.value) if row else 0

    def import_manifest_tail(self, documents: list[DocumentRecord], new_offset: int) -> None:
        """Adopt manifest lines written before a crash but never committed here."""
        with self._session() as s:
            self._insert_documents(s, documents)
            self._set_state(s, "manifest_offset", str(new_offset))

    @staticmethod
    def _set_state(s: Session, key: str, value: str) -> None:
        row = s.get(StateRow, key)
        if row is None:
            s.add(StateRow(key=key, value=value))
        else:
            row.value = value
