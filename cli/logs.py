"""Where the commands' log lines go: stderr, and ``<state>/logs/cabinet-robot.log``.

One format for every command, with ISO 8601 local times and their offset. ``--verbose``
lowers the robot's own loggers to DEBUG; the libraries' stay at INFO or above.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from robots.masking import NUMBER_IN_TEXT, mask_numbers_in
from robots.permissions import private_folder

# The robot's own packages: ``--verbose`` concerns only these.
ROBOT_LOGGERS = ("robots", "flows", "config", "page_objects", "cli", "cabinet_robot")
# Libraries that say too much at INFO for an operator's log.
_QUIET = ("imapclient", "httpx", "httpcore", "pypdf", "asyncio", "alembic")
LOG_FILE = "cabinet-robot.log"
LOG_MAX_BYTES = 5 * 1024 * 1024  # about a month of a busy robot's lines
LOG_BACKUPS = 5  # cabinet-robot.log.1 ... .5, then the oldest goes
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def iso_time(created: float) -> str:
    """A record's time as ``2026-12-06T21:04:05+03:00`` (local time, with its offset)."""
    return dt.datetime.fromtimestamp(created).astimezone().isoformat(timespec="seconds")


class IsoFormatter(logging.Formatter):
    """``<ISO time> <LEVEL> <logger>: <message>``."""

    def __init__(self) -> None:
        super().__init__(_FORMAT)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return iso_time(record.created)


class NumberMasking(logging.Filter):
    """Subscriber numbers in a line's message masked (``+7 916 ***-**-67``), unless
    ``[privacy] mask_numbers = false`` switched it off.

    A number is what ``robots.masking.NUMBER_IN_TEXT`` finds: ``7`` and 10 digits, or
    ``375`` and 9, standing alone. The personal accounts the lines name (8 to 10 or 13
    digits, MTS's 12 beginning with 2) are not of that form and stay readable: they say
    which document a line is about. The record itself is changed, so that every handler
    after this one (the file, the Prefect run's logs) writes the masked line.
    """

    def __init__(self) -> None:
        super().__init__()
        self.enabled = True

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.enabled:
            return True
        message = record.getMessage()
        if NUMBER_IN_TEXT.search(message):
            record.msg, record.args = mask_numbers_in(message), None
        if record.exc_info and not record.exc_text:  # an error's message, in its traceback
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers_in(record.exc_text)
        return True


# One filter on every handler of the robot's: the configuration switches it for all.
_MASKING = NumberMasking()


def _mask_on(handler: logging.Handler) -> None:
    if _MASKING not in handler.filters:
        handler.addFilter(_MASKING)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log readable by its owner only, the rotated files too."""

    def _open(self) -> TextIOWrapper[Any]:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)  # a file made before by someone with another umask
        return TextIOWrapper(open(fd, "ab"), encoding=self.encoding, errors=self.errors)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """To whatever ``sys.stderr`` is when a line is written (a test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def setup_logging(interactive: bool, verbose: bool) -> None:
    """Log to stderr (a rich handler on a terminal), replacing any handler set before."""
    if interactive:
        from rich.console import Console
        from rich.logging import RichHandler
        from rich.text import Text

        handler: logging.Handler = RichHandler(
            console=Console(stderr=True),  # stdout is for what the command prints (--json)
            show_path=False,
            rich_tracebacks=False,
            omit_repeated_times=False,
            log_time_format=lambda moment: Text(moment.astimezone().isoformat(timespec="seconds")),
        )
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = _Stderr()
        handler.setFormatter(IsoFormatter())
    _MASKING.enabled = True  # until the configuration says otherwise (log_to_file)
    _mask_on(handler)
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    for name in ROBOT_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.NOTSET)
    for noisy in _QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def log_to_file(state_dir: Path, mask_numbers: bool = True) -> Path:
    """Also log to ``<state_dir>/logs/cabinet-robot.log`` (folder 0700, files 0600).

    Args:
        state_dir: ``[state] dir``.
        mask_numbers: ``[privacy] mask_numbers``: subscriber numbers masked in every line
            the robot's handlers write (stderr, the file, the Prefect run's logs).
    """
    folder = state_dir / "logs"
    private_folder(folder)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, PrivateRotatingFileHandler)]:
        root.removeHandler(old)
        old.close()
    handler = PrivateRotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(IsoFormatter())
    root.addHandler(handler)
    _MASKING.enabled = mask_numbers
    # The root's, and Prefect's on the robot's loggers and its runs' (the run's logs in the UI).
    for name in ("", *ROBOT_LOGGERS, "prefect.flow_runs", "prefect.task_runs"):
        for each in logging.getLogger(name).handlers:
            _mask_on(each)
    return path
