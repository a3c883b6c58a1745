"""The cabinets' outgoing mail: documents e-mailed a while after they were ordered.

A cabinet posts a ``Parcel`` (which document, to whom, the message's date) with a
delay; a background thread takes parcels from a heap when they fall due, renders the
document, builds the operator's e-mail (``sandbox.mails.operator_message``, so the
same parcel always gives the same bytes) and hands it to the mail server over LMTP,
one delivery per recipient. A parcel with a ``LinkOffer`` whose file turns out larger
than the offer's limit is sent as a download link instead (``sandbox.mails.link_message``;
the cabinet publishes the file and says the URL). ``wait_idle`` lets a test wait until
everything posted has been sent, without sleeping.

Example::

    outbox = Outbox(mail_server.deliver).start()
    outbox.post(parcel, delay_s=0.2)
    assert outbox.wait_idle(10)
    outbox.stop()
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Self

from sandbox.documents import DocumentSpec, render
from sandbox.lifecycle import Service
from sandbox.mails import link_message, operator_filename, operator_message, zip_bytes

__all__ = ["LinkOffer", "Outbox", "Parcel", "Sent"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkOffer:
    """Send a file over ``max_bytes`` as a link: ``publish(filename, data)`` keeps the file
    (for ``valid_for_s`` seconds) and returns its URL."""

    max_bytes: int
    publish: Callable[[str, bytes], str]
    valid_for_s: float


@dataclass(frozen=True)
class Parcel:
    """One e-mail a cabinet sends: the document ``spec`` describes, to ``to``.

    ``date`` is the message's Date header; cabinets derive it from the order (never
    the wall clock at sending time) so that the same order gives the same bytes (a
    message with a link has a new random URL each time).
    """

    spec: DocumentSpec
    to: tuple[str, ...]
    date: dt.datetime
    link: LinkOffer | None = None  # None: always attach the file
    zipped: bool = False  # attach a .zip holding the file (A1's Excel invoices)

    @property
    def document_filename(self) -> str:
        """The rendered file's name, as the operator names its files."""
        s = self.spec
        return operator_filename(s.operator, s.kind, s.format, account=s.account, period=s.period)

    @property
    def filename(self) -> str:
        """The attachment's name: the file's, or with ``zipped`` the same stem ``.zip``."""
        name = self.document_filename
        return name.rsplit(".", 1)[0] + ".zip" if self.zipped else name

    def message(self) -> EmailMessage:
        """The operator's e-mail with the rendered document attached, or with a link to
        it when the file is over the ``link`` offer's limit (the file is then published)."""
        return self.build()[0]

    def build(self) -> tuple[EmailMessage, str | None]:
        """The e-mail, and the download URL it carries instead of the file (or ``None``)."""
        s = self.spec
        data = render(s)
        if self.link is not None and len(data) > self.link.max_bytes:
            url = self.link.publish(self.filename, data)
            message = link_message(
                s.operator,
                url,
                to=", ".join(self.to),
                date=self.date,
                kind=s.kind,
                account=s.account,
                period=s.period,
                valid_for_s=self.link.valid_for_s,
            )
            return message, url
        if self.zipped:
            data = zip_bytes([(self.document_filename, data)])
        message = operator_message(
            s.operator,
            [(self.filename, data)],
            to=", ".join(self.to),
            date=self.date,
            kind=s.kind,
            account=s.account,
            period=s.period,
        )
        return message, None


@dataclass(frozen=True)
class Sent:
    """One delivered copy of a parcel."""

    recipient: str
    message_id: str
    filename: str
    link: str | None = None  # the download URL sent instead of the file


@dataclass(order=True)
class _Due:
    due: float
    seq: int
    parcel: Parcel = field(compare=False)


class Outbox(Service):
    """Sends parcels when they fall due, from one background thread.

    Args:
        deliver: hands one message to the mail server, e.g. ``MailServer.deliver``
            (recipient, wire bytes); an exception is logged and counted in
            ``failures``, never raised into a cabinet.
    """

    def __init__(self, deliver: Callable[[str, bytes], None]) -> None:
        self._deliver = deliver
        self._cond = threading.Condition()
        self._heap: list[_Due] = []
        self._seq = itertools.count()
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.sent: list[Sent] = []
        self.failures: list[str] = []
        self.lost: list[Parcel] = []
        self._loses: Callable[[Parcel], bool] | None = None

    def lose(self, which: Callable[[Parcel], bool] | None) -> None:
        """From now on, drop the parcels ``which`` selects, as mail sometimes is lost on the
        way (a spam filter, a full mailbox); ``None`` delivers everything again."""
        with self._cond:
            self._loses = which

    def start(self) -> Self:
        """Start the sending thread (once)."""
        with self._cond:
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
                self._thread.start()
        return self

    def post(self, parcel: Parcel, delay_s: float) -> None:
        """Send ``parcel`` ``delay_s`` seconds from now."""
        with self._cond:
            heapq.heappush(self._heap, _Due(time.monotonic() + delay_s, next(self._seq), parcel))
            self._cond.notify_all()

    def pending(self) -> int:
        """Parcels posted and not sent yet (the one being sent included)."""
        with self._cond:
            return len(self._heap) + self._busy

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything posted has been sent; ``False`` if ``timeout`` s passed."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._heap and not self._busy, timeout)

    def stop(self) -> None:
        """Stop the thread after the parcel in hand; parcels not yet due are dropped."""
        with self._cond:
            self._stopping = True
            dropped = len(self._heap)
            self._heap.clear()
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        if dropped:
            log.info("outbox stopped with %d unsent parcel(s)", dropped)

    def _next(self) -> Parcel | None:
        """The next parcel once it is due, or ``None`` when stopping."""
        with self._cond:
            while not self._stopping:
                wait = self._heap[0].due - time.monotonic() if self._heap else None
                if wait is not None and wait <= 0:
                    self._busy = True
                    return heapq.heappop(self._heap).parcel
                self._cond.wait(wait)
            return None

    def _run(self) -> None:
        while (parcel := self._next()) is not None:
            try:
                self._send(parcel)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _send(self, parcel: Parcel) -> None:
        with self._cond:
            loses = self._loses
        if loses is not None and loses(parcel):
            log.info("outbox lost %s on the way", parcel.filename)
            self.lost.append(parcel)
            return
        try:
            message, link = parcel.build()
            data = message.as_bytes(policy=policy.SMTP)
        except Exception as exc:  # a renderer bug must not kill the thread
            log.exception("outbox could not build %s", parcel.filename)
            self.failures.append(f"{parcel.filename}: {exc}")
            return
        message_id = str(message["Message-ID"])
        for recipient in parcel.to:
            try:
                self._deliver(recipient, data)
            except Exception as exc:  # the mail server refused or is gone
                log.warning(
                    "outbox could not deliver %s to %s: %s", parcel.filename, recipient, exc
                )
                self.failures.append(f"{parcel.filename} to {recipient}: {exc}")
                continue
            self.sent.append(Sent(recipient, message_id, parcel.filename, link))
