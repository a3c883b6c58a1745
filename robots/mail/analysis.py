"""What a message holds, worked out away from the mailbox: parse, unpack, recognise.

These are pure functions of the message's bytes, so they run in worker processes
while the collector fetches the next batch and delivers the previous one: reading
PDFs and spreadsheets is CPU work, and the machine's cores share it.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from config.models import LimitsSettings
from robots.mail.files import FoundFile, Refusal
from robots.mail.message import ParsedMessage, parse_message
from robots.recognition import CorruptDocument, NotAnOperatorDocument, Recognition, recognise
from robots.recognition.common import sniff_format

log = logging.getLogger(__name__)

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class Recognised:
    """A file and what it is."""

    found: FoundFile
    recognition: Recognition


@dataclass
class Analysis:
    """A message taken apart: its headers, its documents, what could not be used, its links."""

    parsed: ParsedMessage
    documents: list[Recognised] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)


def analyse_file(found: FoundFile) -> Recognised | Refusal:
    """Recognise one file; a Refusal with a reason a person can act on otherwise."""
    try:
        return Recognised(found, recognise(found.data))
    except CorruptDocument as exc:
        return Refusal(found.origin, f"corrupt: {exc}")
    except NotAnOperatorDocument as exc:
        mismatch = _name_mismatch(found)
        if mismatch:
            return Refusal(found.origin, f"{mismatch}: {exc}")
        return Refusal(found.origin, f"not an operator document: {exc}", unsafe=False)
    except Exception as exc:  # a reader bug must not stop the run: keep the evidence
        log.exception("recognition failed on %s", found.origin)
        return Refusal(found.origin, f"cannot read: {type(exc).__name__}: {exc}")


def analyse_message(raw: bytes, limits: LimitsSettings) -> Analysis:
    """Parse ``raw``, open its archives and recognise every file in it."""
    try:
        parsed = parse_message(raw, limits)
    except Exception as exc:  # the parsers are lenient; this is a bug meeting odd mail
        log.exception("cannot parse a message")
        parsed = ParsedMessage(sender=None, subject=None, message_id=None)
        parsed.refusals.append(Refusal("message", f"cannot parse MIME: {exc}"))
    analysis = Analysis(parsed, refusals=list(parsed.refusals))
    for found in parsed.files:
        result = analyse_file(found)
        if isinstance(result, Refusal):
            analysis.refusals.append(result)
        else:
            analysis.documents.append(result)
    parsed.files = []  # the documents carry their bytes; do not send them twice
    return analysis


def _name_mismatch(found: FoundFile) -> str | None:
    """ "named 'x.pdf' but it is HTML": a telling reason for a disguised file."""
    if not found.name or "." not in found.name:
        return None
    extension = found.name.rsplit(".", 1)[-1].lower()
    actual = sniff_format(found.data)
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


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end when the collector ends, even by kill -9.

    Otherwise an orphaned worker waits forever on a queue nobody will write to.
    """
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
    # fork: the workers inherit the loaded modules and logging set-up at no cost.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        yield pool
