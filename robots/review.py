"""The review queue: files of the robot's mail that are readable but that it cannot place.

A scanned invoice with no text, a file whose account, period or kind the recogniser
cannot tell: such a file is no reason to quarantine its message. The collector keeps
it under the state folder (readable by the robot's user only) with what the
recogniser found, and leaves the message in its folder; a person then says what the
file is (``assign``: delivered like any other document, with ``review`` as its
source) or that it is nothing for Tarifer (``reject``). When the last waiting file of
a message is decided, the ledger marks the message for the processed folder and the
next ``collect`` moves it there.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.models import RobotConfig
from robots.cycle.book import OrderBook
from robots.delivery import StagedFile, TariferInbox
from robots.domain import Document, DocumentFormat, DocumentKind, Operator, Period
from robots.errors import ConfigurationError
from robots.intake import Incoming, cabinet_of_sender, stage
from robots.ledger import Ledger, ReviewItem, ReviewState
from robots.mail.recovery import exclusive, recover
from robots.permissions import private_folder
from robots.recognition import Recognition, UnknownIssuer, recognise
from robots.recognition.common import sniff_format


class ReviewFolder:
    """Where the queue's files are kept: ``<state>/review/<sha256>``, 0600 in a 0700 folder."""

    def __init__(self, state_dir: Path) -> None:
        self.root = state_dir / "review"

    def keep(self, staged: StagedFile) -> Path:
        """Move a staged file into the folder (named by its content: a rerun keeps it once)."""
        private_folder(self.root)
        target = self.root / staged.sha256
        if target.exists():
            staged.path.unlink(missing_ok=True)
        else:
            shutil.move(staged.path, target)  # the inbox may be on another file system
        target.chmod(0o600)
        fd = os.open(target, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return target


class ReviewError(ConfigurationError):
    """What a person asked of the queue cannot be done as given (exit 2, one line)."""


@dataclass(frozen=True)
class Decision:
    """What became of a review item: the inbox path (None: a duplicate), the message's move."""

    item: ReviewItem
    path: str | None
    message_due: bool


def _person() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container): the number says who
        return str(os.getuid())


def _waiting(ledger: Ledger, item_id: int) -> ReviewItem:
    item = ledger.review(item_id)
    if item is None:
        raise ReviewError(f"no review item {item_id}: `cabinet-robot review list` shows them")
    if item.state is not ReviewState.WAITING:
        raise ReviewError(
            f"review item {item_id} is already {item.state} by {item.resolved_by} "
            f"({item.resolution})"
        )
    return item


def document_of(
    config: RobotConfig, operator: str, account: str, period: str, kind: str, data: bytes
) -> Document:
    """The document a person says a file is; ReviewError naming what is wrong otherwise."""
    configured = {cabinet.operator.value for cabinet in config.cabinets}
    if operator not in configured:
        names = ", ".join(sorted(configured)) or "none"
        raise ReviewError(f"--operator {operator!r} has no cabinet in the configuration: {names}")
    if kind not in set(DocumentKind):
        raise ReviewError(f"--kind {kind!r} is not one of {', '.join(DocumentKind)}")
    try:
        month = Period.parse(period)
    except ValueError as exc:
        raise ReviewError(f"--period: {exc}") from None
    try:
        return Document(
            operator=Operator(operator),
            account=account,
            period=month,
            kind=DocumentKind(kind),
            format=sniff_format(data) or DocumentFormat.TXT,
        )
    except ValueError as exc:
        raise ReviewError(f"--account {account!r} cannot name a document: {exc}") from None


@dataclass(frozen=True)
class ReviewLead:
    """A file waiting in review and what is known of it: the cells of the month's matrix
    it may be the document of say so, and the reports list it with what to do.

    ``cabinets`` are those it may belong to: its sender's, and the cabinets of the
    operator its content names (both, when they contradict each other). ``kind``,
    ``period`` and ``account`` are what its content says, None where it says nothing.
    """

    id: int
    received_at: dt.datetime
    sender: str | None
    file: str  # where in the message, as ``review show`` says
    found: str  # what the recogniser found, and what not
    cabinets: tuple[str, ...] = ()
    kind: str | None = None
    period: str | None = None
    account: str | None = None

    @property
    def command(self) -> str:
        """What a person runs to see the file and place it."""
        return f"cabinet-robot review show {self.id}"

    @property
    def known(self) -> str:
        """«from mts-main (noreply@mts.ru); invoice for 2026-10, account unknown»."""
        where = ", ".join(self.cabinets) or "no cabinet"
        sender = f" ({self.sender})" if self.sender else ""
        read = [self.kind or "kind unknown", f"for {self.period or 'an unknown period'}"]
        read.append(f"account {self.account}" if self.account else "account unknown")
        return f"from {where}{sender}; {' '.join(read[:2])}, {read[2]}"

    def as_json(self) -> dict[str, Any]:
        """As the run's result and ``status --json`` give it."""
        return {
            "id": self.id,
            "received_at": self.received_at.isoformat(),
            "sender": self.sender,
            "file": self.file,
            "cabinets": list(self.cabinets),
            "kind": self.kind,
            "period": self.period,
            "account": self.account,
            "known": self.known,
            "found": self.found,
            "command": self.command,
        }

    def may_be(self, cabinet: str, account: str, kind: str, period: str) -> bool:
        """Whether this file may be that cell's document: nothing known says otherwise.

        A file says nothing about a month that began after it arrived.
        """
        if cabinet not in self.cabinets:
            return False
        if self.period is None and Period.parse(period).first_day > self.received_at.date():
            return False
        return all(
            known is None or known == wanted
            for known, wanted in ((self.kind, kind), (self.period, period), (self.account, account))
        )


def _content_of(path: Path) -> Recognition | None:
    """What a kept file's content says, read again; None where it says nothing usable."""
    try:
        return recognise(path)
    except UnknownIssuer as exc:
        return exc.recognition
    except Exception:  # a scan, a reader's refusal or its bug: the sender is all we know
        return None


def lead_of(config: RobotConfig, item: ReviewItem) -> ReviewLead:
    """What is known of ``item``: its sender's cabinet, and what its content says."""
    sender_cabinet = cabinet_of_sender(config.cabinets, item.sender)
    cabinets = [sender_cabinet.name] if sender_cabinet is not None else []
    content = _content_of(Path(item.path))
    if content is not None and content.operator is not None:
        cabinets += [c.name for c in config.cabinets if c.operator is content.operator]
    return ReviewLead(
        id=item.id,
        received_at=item.received_at,
        sender=item.sender,
        file=item.origin,
        found=item.reason,
        cabinets=tuple(dict.fromkeys(cabinets)),
        kind=str(content.kind) if content else None,
        period=str(content.period) if content else None,
        account=content.account if content else None,
    )


def waiting_leads(config: RobotConfig) -> list[ReviewLead]:
    """The files waiting in review, oldest first, with what is known of each."""
    ledger = Ledger(config.state.ledger_url)
    try:
        items = ledger.reviews(ReviewState.WAITING)
    finally:
        ledger.close()
    return [lead_of(config, item) for item in items]


class ReviewQueue:
    """The queue's decisions, each under the collector's lock and in one ledger transaction."""

    def __init__(self, config: RobotConfig) -> None:
        self._config = config

    def items(self, state: ReviewState | None = ReviewState.WAITING) -> list[ReviewItem]:
        ledger = Ledger(self._config.state.ledger_url)
        try:
            return ledger.reviews(state)
        finally:
            ledger.close()

    def item(self, item_id: int) -> ReviewItem:
        ledger = Ledger(self._config.state.ledger_url)
        try:
            item = ledger.review(item_id)
        finally:
            ledger.close()
        if item is None:
            raise ReviewError(f"no review item {item_id}: `cabinet-robot review list` shows them")
        return item

    def assign(
        self, item_id: int, *, operator: str, account: str, period: str, kind: str
    ) -> Decision:
        """Deliver the file as the document a person says it is, as the collector would."""
        config = self._config
        private_folder(config.state.dir)
        inbox = TariferInbox.of(config.tarifer)
        with exclusive(config.state.dir / "collect.lock", config.state.ledger_url, wait=True):
            inbox.prepare()
            ledger = Ledger(config.state.ledger_url)
            try:
                item = _waiting(ledger, item_id)
                data = Path(item.path).read_bytes()
                document = document_of(config, operator, account, period, kind, data)
                recover(ledger, inbox)
                by = _person()
                source = f"review {item.id} by {by}: {item.source} {item.origin}"
                staged = stage([Incoming(document, data, source, item.name)], ledger, _now())
                inbox.write_files(staged.files)
                manifest_size = inbox.append_manifest(staged.entries)
                path = staged.entries[0].path if staged.entries else None
                due = ledger.resolve_review(
                    item.id,
                    state=ReviewState.ASSIGNED,
                    by=by,
                    resolution=path or f"{document.id}: a duplicate of a delivered file",
                    processed_folder=config.mail.processed_folder,
                    documents=[entry.record() for entry in staged.entries],
                    manifest_offset=manifest_size,
                )
                _fill_cells(ledger, document)
            finally:
                ledger.close()
        return Decision(item, path, due)

    def reject(self, item_id: int, reason: str) -> Decision:
        """Record that the file is nothing for Tarifer; its copy stays for the record."""
        config = self._config
        with exclusive(config.state.dir / "collect.lock", config.state.ledger_url, wait=True):
            ledger = Ledger(config.state.ledger_url)
            try:
                item = _waiting(ledger, item_id)
                due = ledger.resolve_review(
                    item.id,
                    state=ReviewState.REJECTED,
                    by=_person(),
                    resolution=reason,
                    processed_folder=config.mail.processed_folder,
                )
            finally:
                ledger.close()
        return Decision(item, None, due)


def _fill_cells(ledger: Ledger, document: Document) -> None:
    """The month's matrix shows the assigned document delivered now, not after the next
    cycle: the expected cell it fills is marked in the order book."""
    OrderBook(ledger).note_arrivals(str(document.period))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
