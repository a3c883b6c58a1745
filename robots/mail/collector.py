"""The mail collector: intake → recognition → delivery → move → ledger.

One run reads the messages that arrived since the last run, in batches:

1. fetch a batch (``BODY.PEEK[]``: nothing is marked seen) into the spool directory,
   a large message alone and in pieces (``robots.mail.spool``);
2. take each message apart, recognise its files and write the documents into the
   inbox's staging folder, in worker processes while the previous batch is delivered
   (``robots.mail.analysis``), then decide what becomes of each message (``_plan``);
3. move the new files into Tarifer's inbox (fsynced, renamed), drop the duplicates,
   then append the manifest lines (one fsynced write);
4. commit the batch to the ledger: messages, documents, the manifest's size;
5. move the batch's messages to the processed or quarantine folder, then mark them
   moved in the ledger.

A kill at any point is recovered by the next run: files written but not in the
manifest are written again under the same name; manifest lines not in the ledger
are adopted from the manifest's tail (``robots.mail.recovery``); messages committed but not moved
are moved first thing (``_finish_moves``); messages not committed are processed
again, and their documents are then duplicates of what was delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import partial

import httpx

from config.models import CabinetSettings, RobotConfig
from robots import clock
from robots.delivery import ManifestEntry, StagedFile, TariferInbox
from robots.domain import Document, DocumentFormat
from robots.errors import TransientError
from robots.intake import (
    Incoming,
    NumberIndex,
    cabinet_of_sender,
    cabinet_origin,
    configured_issuers,
    ordered_documents,
    place,
    stage,
)
from robots.inventory import load_subscribers
from robots.ledger import Ledger, MessageRecord, Outcome, ReviewRecord
from robots.mail.analysis import (
    Analysis,
    StagedDocument,
    analyse_spooled,
    analysers,
    stage_file,
    worker_count,
)
from robots.mail.archive import files_in
from robots.mail.files import FoundFile, Refusal, megabytes
from robots.mail.imap import FolderInfo, Mailbox, open_mailbox
from robots.mail.links import LinkUnavailable, fetch_link, host_allowed
from robots.mail.message import ParsedMessage, sender_address
from robots.mail.recovery import exclusive, recover
from robots.mail.spool import Spool, Spooled
from robots.permissions import private_folder
from robots.recognition.common import sniff_format
from robots.review import ReviewFolder

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
_MAX_BATCH_MESSAGES = 200
_BATCHES_IN_FLIGHT = 3  # fetched, not yet delivered: 3 x mail.fetch_batch_mb on disk at most
# A message larger than this is fetched alone, in pieces of this size, straight to a
# spool file of its own; the worker then reads it piece by piece too.
_FETCH_PIECE_BYTES = 4_000_000


class FileFate(StrEnum):
    """What became of one file of the robot's message."""

    DELIVERED = "delivered"
    DUPLICATE = "duplicate"  # byte-identical to a file delivered before
    QUARANTINED = "quarantined"  # held with its message in quarantine, for the reason given
    REVIEW = "review"  # readable but not placed: kept in the review queue for a person


@dataclass(frozen=True)
class FileOutcome:
    """One file of a message (``origin`` as in the manifest) and what became of it."""

    uid: int
    origin: str
    fate: FileFate
    reason: str | None = None


@dataclass
class CollectSummary:
    """What one collection found; ``errors`` counts messages left for a later run.

    ``delivered``, ``duplicates``, ``files_quarantined`` and ``files_in_review`` count
    files, the others messages; ``files`` has one outcome per file of the robot's messages.
    """

    messages: int = 0
    delivered: int = 0
    duplicates: int = 0
    quarantined: int = 0
    files_quarantined: int = 0
    files_in_review: int = 0
    in_review: int = 0
    ignored: int = 0
    errors: int = 0
    delivered_paths: list[str] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)

    def as_json(self) -> dict[str, int]:
        data = asdict(self)
        data.pop("delivered_paths")
        data.pop("files")
        return data


@dataclass
class _Delivery:
    document: Document
    content: StagedFile
    origin: str
    name: str | None
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass
class _Plan:
    """What to do with one message."""

    uid: int
    parsed: ParsedMessage
    outcome: Outcome
    reason: str | None = None
    deliveries: list[_Delivery] = field(default_factory=list)
    held: list[Refusal] = field(default_factory=list)  # its files the robot cannot use
    review: list[Refusal] = field(default_factory=list)  # readable, for a person to place
    staged: list[StagedFile] = field(default_factory=list)  # removed after the commit


@dataclass
class _Batch:
    """Messages fetched together: analyses under way, and the oversized ones planned here."""

    uids: list[int]
    analyses: dict[int, Future[Analysis]] = field(default_factory=dict)
    spooled: list[Spooled] = field(default_factory=list)
    oversized: dict[int, _Plan] = field(default_factory=dict)


class Collector:
    """Collect the robot's mail into Tarifer's inbox. One instance, one run."""

    def __init__(self, config: RobotConfig, progress: ProgressCallback | None = None) -> None:
        self._config = config
        self._limits = config.limits
        self._mail = config.mail
        self._progress = progress or (lambda done, total: None)
        self._inbox = TariferInbox.of(config.tarifer)
        self._spool = Spool(config.state.dir / "spool")
        self._numbers = NumberIndex(config.cabinets, load_subscribers(config))
        self._issuers = configured_issuers(config.cabinets)
        self._orders = ordered_documents(config)  # a message may answer one of them
        self._review = ReviewFolder(config.state.dir)
        self._summary = CollectSummary()

    # -- the run ------------------------------------------------------------------------

    def run(self) -> CollectSummary:
        """Collect once; raise MailError, MailUnavailable or CredentialsError if it cannot."""
        private_folder(self._config.state.dir)
        with exclusive(self._config.state.dir / "collect.lock", self._config.state.ledger_url):
            self._inbox.prepare()
            self._spool.prepare()
            ledger = Ledger(self._config.state.ledger_url)
            try:
                recover(ledger, self._inbox)
                with open_mailbox(self._mail) as mailbox, httpx.Client() as http:
                    self._collect(mailbox, ledger, http)
            finally:
                ledger.close()
        return self._summary

    def _collect(self, mailbox: Mailbox, ledger: Ledger, http: httpx.Client) -> None:
        for target in (self._mail.processed_folder, self._mail.quarantine_folder):
            mailbox.ensure_folder(target)
        folder = mailbox.select(self._mail.folder)
        self._finish_moves(mailbox, ledger, folder)
        retry = sorted(mailbox.existing(ledger.retry_uids(folder.name, folder.uidvalidity)))
        uids = retry + mailbox.uids_after(ledger.last_uid(folder.name, folder.uidvalidity))
        total = len(uids)
        self._progress(0, total)
        if not uids:
            return
        sizes = mailbox.sizes(uids)
        done = 0
        pending: deque[_Batch] = deque()
        with analysers(worker_count(self._mail.workers), total) as analyser:
            # While batch n is delivered, the workers read n+1 and n+2 is fetched: they
            # always have a batch queued, however long a delivery waits for the disk.
            for uids_in_batch in _batches(uids, sizes, self._mail.fetch_batch_mb * 1_000_000):
                pending.append(self._fetch(mailbox, analyser, uids_in_batch, sizes))
                if len(pending) == _BATCHES_IN_FLIGHT:
                    done += self._finish(mailbox, ledger, http, folder, pending.popleft())
                    self._progress(done, total)
            while pending:
                done += self._finish(mailbox, ledger, http, folder, pending.popleft())
                self._progress(done, total)

    def _fetch(
        self, mailbox: Mailbox, analyser: Executor, uids: list[int], sizes: dict[int, int]
    ) -> _Batch:
        """Spool a batch and hand its messages to the analysers; oversized ones stay here."""
        limit = self._message_limit()
        oversized = [uid for uid in uids if sizes.get(uid, 0) > limit]
        large = [uid for uid in uids if _FETCH_PIECE_BYTES < sizes.get(uid, 0) <= limit]
        small = [uid for uid in uids if sizes.get(uid, 0) <= _FETCH_PIECE_BYTES]
        batch = _Batch(uids)
        if oversized:
            for uid, header in mailbox.senders(oversized).items():
                batch.oversized[uid] = self._plan_oversized(uid, sizes[uid], header)
        raw = mailbox.fetch_raw(small) if small else {}
        # A message expunged by someone else meanwhile is simply not there.
        present = [uid for uid in small if uid in raw]
        spooled = self._spool.write(f"{uids[0]}.batch", map(raw.pop, present)) if present else []
        messages = dict(zip(present, spooled, strict=True))
        for uid in large:
            fetch = partial(mailbox.fetch_into, uid, chunk_bytes=_FETCH_PIECE_BYTES)
            if (message := self._spool.write_with(f"{uid}.eml", fetch)) is not None:
                messages[uid] = message
        batch.spooled = list(messages.values())
        staging = self._inbox.staging
        for uid, message in messages.items():
            batch.analyses[uid] = analyser.submit(analyse_spooled, message, self._limits, staging)
        return batch

    def _finish(
        self,
        mailbox: Mailbox,
        ledger: Ledger,
        http: httpx.Client,
        folder: FolderInfo,
        batch: _Batch,
    ) -> int:
        """Plan the batch's messages from their analyses, deliver, commit and move them."""
        plans = list(batch.oversized.values())
        for uid, future in batch.analyses.items():
            attempts = partial(ledger.attempts, folder.name, folder.uidvalidity, uid)
            try:
                analysis = future.result()
            except BrokenProcessPool:
                raise TransientError(
                    f"a worker reading attachments died (UID {uid}); "
                    "nothing of this batch was delivered, the next run reads it again"
                ) from None
            plans.append(self._plan(uid, analysis, http, attempts))
        keep_spool = bool(self._config.privacy.keep_spool)
        if not keep_spool:
            self._spool.remove(batch.spooled)
        plans.sort(key=lambda p: p.uid)
        self._commit(mailbox, ledger, folder, plans)
        if keep_spool:  # committed: now a copy for [privacy] keep_spool, purged later
            self._spool.keep(batch.spooled, clock.now().strftime("%Y%m%dT%H%M%S.%fZ"))
        return len(batch.uids)

    def _finish_moves(self, mailbox: Mailbox, ledger: Ledger, folder: FolderInfo) -> None:
        """Move what a crashed run committed but did not move."""
        for target, uids in ledger.pending_moves(folder.name, folder.uidvalidity).items():
            still_here = mailbox.existing(uids)
            mailbox.move(sorted(still_here), target)
            ledger.mark_moved(folder.name, folder.uidvalidity, uids)
            log.info(
                "moved %d message(s) left over by an interrupted run to %s", len(still_here), target
            )

    # -- planning -------------------------------------------------------------------------

    def _message_limit(self) -> int:
        # An attachment at the limit, base64-encoded, plus room for the rest of the message.
        return int(self._limits.max_attachment_mb * 1_000_000 * 1.4) + 1_000_000

    def _plan_oversized(self, uid: int, size: int, header: bytes) -> _Plan:
        import email
        from email import policy

        sender = sender_address(email.message_from_bytes(header, policy=policy.default))
        parsed = ParsedMessage(sender=sender, subject=None, message_id=None)
        if self._cabinet_for(sender) is None:
            return _Plan(uid, parsed, Outcome.IGNORED)
        return _Plan(
            uid,
            parsed,
            Outcome.QUARANTINED,
            f"message is {megabytes(size)}, over the "
            f"{self._limits.max_attachment_mb:g} MB attachment limit",
        )

    def _cabinet_for(self, sender: str | None) -> CabinetSettings | None:
        return cabinet_of_sender(self._config.cabinets, sender)

    def _plan(
        self, uid: int, analysis: Analysis, http: httpx.Client, attempts: Callable[[], int]
    ) -> _Plan:
        """What becomes of a message: Processed only when every file of it is delivered
        (or a duplicate); any file it cannot use sends it to quarantine, with each such
        file named and its reason, while the files it can use are delivered all the same.
        A readable file it cannot place goes to the review queue, and its message, unless
        quarantined, stays where it is until a person has decided on each such file.
        """
        parsed = analysis.parsed
        cabinet = self._cabinet_for(parsed.sender)
        documents = list(analysis.documents)
        refusals = list(analysis.refusals)
        transient: str | None = None
        links = [u for u in parsed.links if cabinet and host_allowed(u, cabinet.link_hosts)]
        if cabinet is not None:
            for url in links:
                try:
                    fetched = fetch_link(url, cabinet.link_hosts, self._limits, http)
                except LinkUnavailable as exc:
                    transient = str(exc)
                    continue
                if isinstance(fetched, Refusal):
                    refusals.append(fetched)
                else:
                    self._take_linked(fetched, documents, refusals)
        plan = _Plan(uid, parsed, Outcome.IGNORED, staged=[d.content for d in documents])
        body = analysis.body
        if isinstance(body, StagedDocument):
            plan.staged.append(body.content)
        # The body of a message from a cabinet's sender with no attachment (else there is
        # no body to read) and no link to the cabinet's hosts may be the document: the
        # operator's HTML mail. A letter that sends a link is about the file behind it.
        body_counts = cabinet is not None and not links
        if body_counts and isinstance(body, StagedDocument):
            documents.append(body)
        for recognised in documents:
            delivery = self._delivery(recognised, refusals, cabinet)
            if delivery is not None:
                plan.deliveries.append(delivery)
        # Kept for review, unless the message turns out to be retried or not the robot's.
        plan.staged.extend(r.kept for r in refusals if r.kept is not None)
        if isinstance(body, Refusal) and body.kept is not None:
            plan.staged.append(body.kept)  # a letter's text is no file for review
        if cabinet is None and not plan.deliveries:
            return plan  # not the robot's mail: leave it exactly as it is
        if transient is not None:
            tried = attempts() + 1
            if tried < self._limits.max_attempts:
                plan.deliveries.clear()
                plan.outcome, plan.reason = Outcome.RETRY, transient
                return plan
            refusals.append(Refusal("message", f"{transient} (after {tried} attempts)"))
        plan.review = [r for r in refusals if r.kept is not None]
        unsafe = [r for r in refusals if r.unsafe and r.kept is None]
        plan.held = [r for r in unsafe if r.origin != "message"]
        if (plan.deliveries or plan.review) and not unsafe:
            plan.outcome = Outcome.REVIEW if plan.review else Outcome.PROCESSED
            plan.reason = "; ".join(map(str, refusals)) or None
        else:
            plan.outcome = Outcome.QUARANTINED
            nothing = "no attachment or link with an operator document"
            if body_counts and isinstance(body, Refusal):
                nothing += f" ({body})"
            plan.reason = "; ".join(map(str, refusals)) or nothing
        return plan

    def _take_linked(
        self, fetched: FoundFile, documents: list[StagedDocument], refusals: list[Refusal]
    ) -> None:
        """Recognise what a link brought, opening an archive like an attached one.

        A web page that is no document (the operator's site, a login page) or an empty
        answer is no file of the message: noted, it does not hold the message back.
        """
        data = fetched.read()
        page = not data or sniff_format(data) is DocumentFormat.HTML
        max_bytes = int(self._limits.max_link_mb * 1_000_000)
        members, refused = files_in(fetched, self._limits, max_bytes)
        for member in members:
            result = stage_file(member, self._inbox.staging)
            if isinstance(result, Refusal):
                refused.append(result)
            else:
                documents.append(result)
        for refusal in refused:
            if page and refusal.origin == fetched.origin:
                if refusal.kept is not None:  # a web page is nothing to review
                    self._inbox.discard([refusal.kept])
                refusal = Refusal(refusal.origin, refusal.reason, unsafe=False)
            refusals.append(refusal)

    def _delivery(
        self, staged: StagedDocument, refusals: list[Refusal], cabinet: CabinetSettings | None
    ) -> _Delivery | None:
        origin = cabinet_origin(cabinet, orders=self._orders)
        placed = place(staged.recognition, self._numbers, origin, self._issuers)
        if isinstance(placed, str):
            # Readable but not placed (no operator, no account, content and sender at
            # odds): a person places it from the review queue.
            refusals.append(Refusal(staged.origin, placed, kept=staged.content, name=staged.name))
            return None
        return _Delivery(
            placed.document, staged.content, staged.origin, staged.name, placed.evidence
        )

    # -- delivery and commit ----------------------------------------------------------------

    def _commit(
        self, mailbox: Mailbox, ledger: Ledger, folder: FolderInfo, plans: list[_Plan]
    ) -> None:
        incoming = [
            Incoming(
                d.document,
                d.content,
                f"{self._source(folder, plan)} {d.origin}",
                d.name,
                d.evidence,
            )
            for plan in plans
            for d in plan.deliveries
        ]
        staged = stage(incoming, ledger, dt.datetime.now(dt.UTC))
        self._summary.duplicates += staged.duplicates
        self._account_files(plans, staged.written)
        files, entries = staged.files, staged.entries
        self._inbox.write_files(files)
        reviews = self._keep_for_review(folder, plans)
        # Duplicates, and documents of mail that is retried, quarantined or not ours.
        self._inbox.discard([content for plan in plans for content in plan.staged])
        manifest_size = self._inbox.append_manifest(entries)
        records = [self._record(plan) for plan in plans]
        ledger.commit_batch(
            mailbox=folder.name,
            uidvalidity=folder.uidvalidity,
            messages=records,
            documents=[entry.record() for entry in entries],
            manifest_offset=manifest_size,
            last_uid=max((p.uid for p in plans), default=None),
            reviews=reviews,
        )
        self._count(plans, entries)
        by_folder: dict[str, list[int]] = {}
        for record in records:
            if record.target_folder:
                by_folder.setdefault(record.target_folder, []).append(record.uid)
        for target, uids in by_folder.items():
            mailbox.move(uids, target)
            ledger.mark_moved(folder.name, folder.uidvalidity, uids)

    def _keep_for_review(self, folder: FolderInfo, plans: list[_Plan]) -> list[ReviewRecord]:
        """Move the files a person must place into the review folder, before the commit."""
        reviews = []
        for plan in plans:
            if plan.outcome not in (Outcome.REVIEW, Outcome.QUARANTINED):
                continue
            for refusal in plan.review:
                assert refusal.kept is not None
                path = self._review.keep(refusal.kept)
                reviews.append(
                    ReviewRecord(
                        uid=plan.uid,
                        source=self._source(folder, plan),
                        origin=refusal.origin,
                        name=refusal.name,
                        reason=refusal.reason,
                        path=str(path),
                        sha256=refusal.kept.sha256,
                        size=refusal.kept.size,
                    )
                )
        return reviews

    def _account_files(self, plans: list[_Plan], written: list[bool]) -> None:
        """One outcome per file of the batch's messages: delivered, duplicate, held or
        in review."""
        fates = iter(written)
        for plan in plans:
            for delivery in plan.deliveries:
                fate = FileFate.DELIVERED if next(fates) else FileFate.DUPLICATE
                self._summary.files.append(FileOutcome(plan.uid, delivery.origin, fate))
            if plan.outcome in (Outcome.REVIEW, Outcome.QUARANTINED):
                for refusal in plan.review:
                    self._summary.files.append(
                        FileOutcome(plan.uid, refusal.origin, FileFate.REVIEW, refusal.reason)
                    )
                self._summary.files_in_review += len(plan.review)
            if plan.outcome is Outcome.QUARANTINED:
                for refusal in plan.held:
                    self._summary.files.append(
                        FileOutcome(plan.uid, refusal.origin, FileFate.QUARANTINED, refusal.reason)
                    )
                self._summary.files_quarantined += len(plan.held)

    def _count(self, plans: list[_Plan], entries: list[ManifestEntry]) -> None:
        summary = self._summary
        summary.messages += len(plans)
        summary.delivered += len(entries)
        summary.delivered_paths.extend(entry.path for entry in entries)
        for plan in plans:
            if plan.outcome is Outcome.PROCESSED:
                log.debug("processed %s", _describe(plan))
            elif plan.outcome is Outcome.QUARANTINED:
                summary.quarantined += 1
                log.warning("quarantined %s: %s", _describe(plan), plan.reason)
            elif plan.outcome is Outcome.REVIEW:
                summary.in_review += 1
                log.warning(
                    "left for review %s: %s (see `cabinet-robot review list`)",
                    _describe(plan),
                    plan.reason,
                )
            elif plan.outcome is Outcome.IGNORED:
                summary.ignored += 1
                log.debug("left alone %s: not the robot's", _describe(plan))
            elif plan.outcome is Outcome.RETRY:
                summary.errors += 1
                log.warning("will retry %s: %s", _describe(plan), plan.reason)

    def _record(self, plan: _Plan) -> MessageRecord:
        target = {
            Outcome.PROCESSED: self._mail.processed_folder,
            Outcome.QUARANTINED: self._mail.quarantine_folder,
        }.get(plan.outcome)
        return MessageRecord(
            uid=plan.uid,
            message_id=plan.parsed.message_id,
            sender=plan.parsed.sender,
            subject=plan.parsed.subject,
            outcome=plan.outcome,
            reason=plan.reason,
            target_folder=target,
        )

    def _source(self, folder: FolderInfo, plan: _Plan) -> str:
        message_id = plan.parsed.message_id or "(no Message-ID)"
        # RFC 5092 IMAP URL of the message, then its Message-ID.
        mailbox = f"imap://{self._mail.username}@{self._mail.host}/{folder.name}"
        return f"{mailbox};UIDVALIDITY={folder.uidvalidity}/;UID={plan.uid} {message_id}"


def _describe(plan: _Plan) -> str:
    sender = plan.parsed.sender or "unknown sender"
    return f"UID {plan.uid} from {sender} ({plan.parsed.subject or 'no subject'})"


def _batches(uids: list[int], sizes: dict[int, int], budget: int) -> Iterator[list[int]]:
    batch: list[int] = []
    used = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (used + size > budget or len(batch) >= _MAX_BATCH_MESSAGES):
            yield batch
            batch, used = [], 0
        batch.append(uid)
        used += size
    if batch:
        yield batch
