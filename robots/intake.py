"""From a recognised file to a delivered document: operator, account, duplicates, versions.

The operator comes from the one rule of ``robots.recognition.evidence`` (the content
and the cabinet the file came from). Shared by the mail collector and the cabinet
robots' downloads, so that a file gets the same name, the same de-duplication and the
same manifest line whichever way it came.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from config.models import CabinetSettings, RobotConfig
from robots.cycle.book import opened_book
from robots.delivery import ManifestEntry, StagedFile, relative_path
from robots.domain import Document, DocumentKind, Operator, Subscriber
from robots.ledger import LatestVersion, Ledger
from robots.recognition import Recognition
from robots.recognition.evidence import (
    ConfiguredIssuer,
    Contradiction,
    Order,
    Origin,
    answered_order,
    place_operator,
)


class NumberIndex:
    """Which account a subscriber number is on: configured, else from the inventory."""

    def __init__(
        self, cabinets: tuple[CabinetSettings, ...], inventory: Iterable[Subscriber] = ()
    ) -> None:
        self._accounts: dict[str, tuple[Operator, str]] = {
            s.number: (s.operator, s.account) for s in inventory
        }
        for cabinet in cabinets:
            for account in cabinet.accounts:
                for number in account.numbers:
                    self._accounts[number] = (cabinet.operator, account.id)

    def account_for(self, operator: Operator, numbers: tuple[str, ...]) -> str | None:
        """The one account all ``numbers`` are on; None if unknown or several."""
        accounts = {self._accounts.get(n) for n in numbers}
        if len(accounts) != 1:
            return None
        found = accounts.pop()
        return found[1] if found and found[0] is operator else None


def cabinet_of_sender(
    cabinets: Iterable[CabinetSettings], sender: str | None
) -> CabinetSettings | None:
    """The cabinet whose ``mail_from`` (an address, or ``@domain``) ``sender`` matches."""
    if not sender:
        return None
    sender = sender.lower()
    for cabinet in cabinets:
        for pattern in cabinet.mail_from:
            pattern = pattern.lower()
            if sender == pattern or (pattern.startswith("@") and sender.endswith(pattern)):
                return cabinet
    return None


def cabinet_origin(
    cabinet: CabinetSettings | None, how: str = "sender", orders: Iterable[Order] = ()
) -> Origin | None:
    """The evidence a file's cabinet gives: its operator, and the orders of ``orders``
    placed in it, which the file may answer."""
    if cabinet is None:
        return None
    mine = tuple(order for order in orders if order.cabinet == cabinet.name)
    return Origin(cabinet.name, cabinet.operator, how, mine)


def ordered_documents(config: RobotConfig) -> tuple[Order, ...]:
    """What the robot ordered by e-mail in its cabinets, from the order book."""
    with opened_book(config.state.ledger_url) as book:
        return book.orders()


def configured_issuers(cabinets: Iterable[CabinetSettings]) -> tuple[ConfiguredIssuer, ...]:
    """What the configuration says each cabinet's operator is called (``recognition``)."""
    return tuple(
        ConfiguredIssuer(cabinet.name, cabinet.operator, marker)
        for cabinet in cabinets
        if cabinet.recognition is not None
        for marker in (*cabinet.recognition.tax_ids, *cabinet.recognition.names)
    )


@dataclass(frozen=True)
class Placed:
    """A recognised file placed: the document, and the evidence behind each field."""

    document: Document
    evidence: dict[str, str]


def place(
    rec: Recognition,
    numbers: NumberIndex,
    origin: Origin | None = None,
    configured: Iterable[ConfiguredIssuer] = (),
) -> Placed | str:
    """The document ``rec`` describes with its evidence, or why it cannot be delivered.

    The operator by the rule of ``robots.recognition.evidence``; the account as printed,
    else from the subscriber numbers (configured, then the inventory).
    """
    try:
        placed = place_operator(rec, origin, configured)
    except Contradiction as exc:
        return str(exc)
    if placed is None:
        return (
            f"operator unknown from content ({rec.kind} for {rec.period}), and the file came "
            "from no cabinet: add the sender to the cabinet's mail_from"
        )
    operator, operator_why = placed
    evidence = {**dict(rec.evidence), "operator": operator_why}
    account = rec.account
    if account is None:
        account = numbers.account_for(operator, rec.numbers)
        if account is not None:
            evidence["account"] = f"numbers {', '.join(rec.numbers[:3])}" + (
                " …" if len(rec.numbers) > 3 else ""
            )
    answered = answered_order(rec, origin)
    if answered is not None and account in (None, answered.account):
        account = answered.account
        for field_name in ("account", "period", "kind"):
            given = evidence.get(field_name)
            evidence[field_name] = f"{given}, {answered}" if given else str(answered)
    if account is None:
        shown = ", ".join(rec.numbers[:5]) + (" ..." if len(rec.numbers) > 5 else "")
        return (
            f"{operator} {rec.kind} for {rec.period} names no account, and its numbers "
            f"({shown or 'none'}) are not on one configured account"
        )
    narrowed = rec.numbers if rec.kind is DocumentKind.CALL_DETAILS else ()
    if not narrowed:
        evidence.pop("numbers", None)
    try:
        document = Document(
            operator=operator,
            account=account,
            period=rec.period,
            kind=rec.kind,
            format=rec.format,
            numbers=tuple(sorted(set(narrowed))),
        )
    except ValueError as exc:
        return f"unusable identifiers: {exc}"
    order = ("operator", "account", "period", "kind", "numbers")
    return Placed(document, {key: evidence[key] for key in order if key in evidence})


@dataclass(frozen=True)
class Incoming:
    """A document ready for delivery; ``source`` says where it came from, for the manifest.

    ``data`` is the file's bytes, or the file a worker process already staged.
    """

    document: Document
    data: bytes | StagedFile
    source: str
    name: str | None
    evidence: dict[str, str] = field(default_factory=dict, compare=False)

    @cached_property
    def sha256(self) -> str:
        if isinstance(self.data, StagedFile):
            return self.data.sha256
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return self.data.size if isinstance(self.data, StagedFile) else len(self.data)


@dataclass
class Staged:
    """What to write: new files with their manifest lines; duplicates only counted.

    ``written`` says of each incoming item, in order, whether it is written (True) or
    is a duplicate (False), so that a caller can account for every file it handed in.
    """

    files: list[tuple[str, bytes | StagedFile]] = field(default_factory=list)
    entries: list[ManifestEntry] = field(default_factory=list)
    duplicates: int = 0
    written: list[bool] = field(default_factory=list)


def stage(incoming: Iterable[Incoming], ledger: Ledger, received_at: dt.datetime) -> Staged:
    """Drop byte-identical files; give a changed document the next version."""
    staged = Staged()
    items = list(incoming)
    # Two queries for the whole batch: a transaction per document was most of the
    # collector process's own CPU (README, "Where the processor time goes").
    seen = ledger.known_shas(item.sha256 for item in items)
    latest = ledger.latest_versions(item.document.id for item in items)
    for item in items:
        staged.written.append(item.sha256 not in seen)
        if item.sha256 in seen:
            staged.duplicates += 1
            continue
        seen.add(item.sha256)
        doc_id = item.document.id
        previous = latest.get(doc_id)
        version = previous.version + 1 if previous else 1
        path = relative_path(item.document, version)
        staged.files.append((path, item.data))
        staged.entries.append(
            ManifestEntry(
                document=item.document,
                path=path,
                sha256=item.sha256,
                size=item.size,
                source=item.source,
                received_at=received_at,
                supersedes=previous.path if previous else None,
                supersedes_sha256=previous.sha256 if previous else None,
                version=version,
                original_name=item.name,
                evidence=item.evidence,
            )
        )
        latest[doc_id] = LatestVersion(item.sha256, version, path)
    return staged
