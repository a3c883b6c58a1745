"""What a message holds, worked out away from the mailbox: parse, unpack, recognise, stage.

These run in worker processes while the collector fetches the next batch and delivers
the previous one: reading PDFs and spreadsheets is CPU work, and the machine's cores
share it. A worker reads the message from its spool file and writes each recognised
document into the inbox's staging folder itself, so that only file names and
recognitions travel between processes, never the bytes.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from config.models import LimitsSettings
from robots.delivery import StagedFile, stage_bytes
from robots.domain import DocumentFormat
from robots.mail.files import FoundFile, Refusal
from robots.mail.message import ParsedMessage, parse_message, parse_spooled
from robots.mail.spool import Spooled
from robots.recognition import CorruptDocument, NotAnOperatorDocument, Recognition, recognise
from robots.recognition.common import UnknownIssuer, sniff_format
from robots.recognition.text import recognise_html, recognise_txt

log = logging.getLogger(__name__)

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_WORKER_NICENESS = 10
_READERS = ("robots.recognition.pdf", "robots.recognition.sheets", "robots.recognition.xml")


@dataclass(frozen=True)
class Recognised:
    """A file and what it is."""

    found: FoundFile
    recognition: Recognition


@dataclass(frozen=True)
class StagedDocument:
    """A recognised file of a message, written to the staging folder."""

    origin: str
    name: str | None
    recognition: Recognition
    content: StagedFile


@dataclass
class Analysis:
    """A message taken apart: its headers, its documents, what could not be used, its links.

    ``body`` is what the body of a message with no attachment is, read as a document:
    the collector decides whether the message is one whose body may be its document.
    """

    parsed: ParsedMessage
    documents: list[StagedDocument] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    body: StagedDocument | Refusal | None = None


def analyse_file(found: FoundFile) -> Recognised | Refusal:
    """Recognise one file; a Refusal with a reason a person can act on otherwise."""
    try:
        return Recognised(found, _recognise(found))
    except CorruptDocument as exc:
        return Refusal(found.origin, f"corrupt: {exc}")
    except UnknownIssuer as exc:  # placed by the cabinet it came from, if any
        return Recognised(found, exc.recognition)
    except NotAnOperatorDocument as exc:
        mismatch = _name_mismatch(found)
        if mismatch:
            return Refusal(found.origin, f"{mismatch}: {exc}")
        reason = f"not an operator document: {exc}"
        return Refusal(found.origin, reason, reviewable=True, name=found.name)
    except Exception as exc:  # a reader bug must not stop the run: keep the evidence
        log.exception("recognition failed on %s", found.origin)
        return Refusal(found.origin, f"cannot read: {type(exc).__name__}: {exc}")


def _recognise(found: FoundFile) -> Recognition:
    """Recognise by content; a body is read as the HTML or text the message says it is."""
    if found.format is DocumentFormat.HTML:
        return recognise_html(found.read())
    if found.format is DocumentFormat.TXT:
        return recognise_txt(found.read())
    return recognise(_content(found))


def stage_file(found: FoundFile, staging: Path) -> StagedDocument | Refusal:
    """Recognise ``found`` and write it to ``staging``; a Refusal leaves nothing behind."""
    result = analyse_file(found)
    if isinstance(result, Refusal) and result.reviewable:  # kept for the review queue
        data = found.data
        return replace(
            result, kept=data if isinstance(data, StagedFile) else stage_bytes(staging, data)
        )
    if isinstance(result, Refusal):
        if isinstance(found.data, StagedFile):
            found.data.path.unlink(missing_ok=True)
        return result
    content = found.data
    if not isinstance(content, StagedFile):
        content = stage_bytes(staging, content)
    return StagedDocument(found.origin, found.name, result.recognition, content)


def analyse_message(raw: bytes, limits: LimitsSettings, staging: Path) -> Analysis:
    """Parse ``raw``, open its archives, recognise every file and stage the documents."""
    return _analysed(lambda: parse_message(raw, limits), staging)


def analyse_spooled(message: Spooled, limits: LimitsSettings, staging: Path) -> Analysis:
    """analyse_message for a message in the spool.

    A message alone in its spool file, too large to hold, is parsed in the file, and
    its large attachments are decoded straight into staged files.
    """
    if message.alone:
        return _analysed(lambda: parse_spooled(message.path, limits, staging), staging)
    return analyse_message(message.read(), limits, staging)


def _analysed(parse: Callable[[], ParsedMessage], staging: Path) -> Analysis:
    try:
        parsed = parse()
    except Exception as exc:  # the parsers are lenient; this is a bug meeting odd mail
        log.exception("cannot parse a message")
        parsed = ParsedMessage(sender=None, subject=None, message_id=None)
        parsed.refusals.append(Refusal("message", f"cannot parse MIME: {exc}"))
    analysis = Analysis(parsed, refusals=list(parsed.refusals))
    for found in parsed.files:
        result = stage_file(found, staging)
        if isinstance(result, Refusal):
            analysis.refusals.append(result)
        else:
            analysis.documents.append(result)
    if parsed.body is not None:
        analysis.body = stage_file(parsed.body, staging)
    parsed.files, parsed.body = [], None  # staged: only the names travel back
    return analysis


def _content(found: FoundFile) -> bytes | Path:
    return found.data.path if isinstance(found.data, StagedFile) else found.data


def _name_mismatch(found: FoundFile) -> str | None:
    """ "named 'x.pdf' but it is HTML": a telling reason for a disguised file."""
    if not found.name or "." not in found.name:
        return None
    extension = found.name.rsplit(".", 1)[-1].lower()
    actual = sniff_format(_content(found))
    if extension in {"pdf", "xls", "xlsx", "xml", "zip"} and actual and actual.value != extension:
        return f"named {found.name!r} but it is {actual.value.upper()}"
    return None


class _Inline(Executor):
    """Runs the work at once, in this process: for small runs, not worth a pool."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def worker_count(configured: int) -> int:
    return configured or os.cpu_count() or 1


def _start_worker(parent: int) -> None:
    """Worker start-up: give way to the collector, and end when it ends, even by kill -9.

    The collector's own work (mailbox, ledger, delivery) is the one stage that cannot be
    shared out: when the workers take the processor from it, they soon wait for it
    (runs 5 % longer, measured). Niceness orders processes within the group the kernel
    schedules together (a session's autogroup, a service's cgroup), so the collector's
    share of the machine stays the same. An orphaned worker would wait forever on a
    queue nobody writes to.
    """
    os.nice(_WORKER_NICENESS)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


@contextmanager
def analysers(workers: int, messages: int) -> Iterator[Executor]:
    """Worker processes for a run with enough messages to share out, else inline work."""
    if workers <= 1 or messages < 4 * workers:
        yield _Inline()
        return
    # fork: the workers inherit the loaded modules and logging set-up at no cost. The
    # readers are loaded first, so that the workers share them too, and every object
    # is then frozen: a worker's garbage collector would otherwise write to each of
    # them and so make a private copy of the pages they are on (each of the two saves
    # 15-20 MB over two workers, measured).
    for module in _READERS:
        importlib.import_module(module)
    gc.freeze()
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        ) as pool:
            # Start the workers now, while the collector holds no mail: whatever memory
            # they inherit stays shared only until one side writes to it.
            pool.submit(int).result()
            yield pool
    finally:
        gc.unfreeze()
