"""Errors, grouped by what the caller must do about them.

::

    RobotError                       base: everything the robot raises on purpose
    ├── ConfigurationError           the configuration is wrong: fix it, nothing is retried
    ├── CredentialsError             a cabinet or the mailbox refused the login: alert, never retry
    ├── HumanActionRequired          a person must act in the cabinet (contract, consent, lock)
    │   └── InteractionRequired      an SMS code or captcha is needed and no source gave one
    ├── TransientError               try again later, the same way
    │   ├── CabinetUnavailable       timeouts, network errors: the cabinet cannot be reached
    │   │   ├── CabinetServerError   the cabinet's own error page (HTTP 5xx): again in seconds
    │   │   └── CabinetMaintenance   the cabinet's own maintenance page: later, not in seconds
    │   ├── DocumentNotReady         ordered, not generated yet: poll later
    │   ├── MailUnavailable          the mail server cannot be reached right now
    │   ├── CollectionRunning        another collection holds the inbox: it does the work
    │   └── LoginInUse               another run holds the cabinet's login: later
    ├── SessionExpired               log in again and resume where the robot was
    ├── UnexpectedScreen             the cabinet changed or a parse failed: keep evidence
    │   ├── ScreenNotShown           another screen came than the ones expected (their titles)
    │   └── ParseError               a document or page could not be read as expected
    ├── OrderRefused                 the cabinet refused the order (date rules, limits)
    ├── OrderUnconfirmed             neither confirmed nor refused: a person checks, no re-order
    └── MailError                    the mailbox is not usable (folder missing, protocol error)

Library exceptions (Playwright, imapclient, socket, zipfile, pypdf) never leave the
layer that called the library: they are translated into one of these, inside the
robot's attempt at one operation, where the retry is decided. An error raised while a
browser was open carries ``evidence``: the folder with its trace and screenshot.

Each class declares its retry once (``retry``): again within the robot's attempt,
seconds apart (tenacity), or the whole cabinet session later, minutes apart (Prefect),
never both.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar


class Retry(StrEnum):
    """Who tries again after an error, if anyone."""

    NEVER = "never"
    IN_ATTEMPT = "in_attempt"  # the robot repeats the operation, seconds apart
    LATER_SESSION = "later_session"  # the flow repeats the cabinet's session, minutes apart


class RobotError(Exception):
    """Base of every error the robot raises on purpose."""

    evidence: Path | None = None
    retry: ClassVar[Retry] = Retry.NEVER


class ConfigurationError(RobotError):
    """The configuration is invalid or incomplete; the message names the key and file."""


class CredentialsError(RobotError):
    """A login was refused: do not retry, alert a person."""


class HumanActionRequired(RobotError):
    """Something only a person can do in the cabinet."""


class InteractionRequired(HumanActionRequired):
    """An SMS code or captcha is needed and no configured source supplied it."""


class TransientError(RobotError):
    """Retry later, the same way."""

    retry: ClassVar[Retry] = Retry.LATER_SESSION


class CabinetUnavailable(TransientError):
    """The cabinet does not answer (a navigation timeout, a network error)."""


class CabinetServerError(CabinetUnavailable):
    """The cabinet answered with its own error page (HTTP 5xx): a moment later it may not."""

    retry: ClassVar[Retry] = Retry.IN_ATTEMPT


class CabinetMaintenance(CabinetUnavailable):
    """The cabinet shows its maintenance page: hours, not minutes; reported, not retried."""

    retry: ClassVar[Retry] = Retry.NEVER


class DocumentNotReady(TransientError):
    """The document is ordered but not generated yet (the cycle looks again later)."""

    retry: ClassVar[Retry] = Retry.NEVER


class MailUnavailable(TransientError):
    """The mail server cannot be reached right now."""


class CollectionRunning(TransientError):
    """Another collection is writing to the same inbox and ledger right now."""


class LoginInUse(TransientError):
    """Another run kept a cabinet's login longer than the session would wait for it."""


class SessionExpired(RobotError):
    """The cabinet session ended: log in again and resume."""


class UnexpectedScreen(RobotError):
    """The page or document is not what the robot expects: the site changed."""


class ScreenNotShown(UnexpectedScreen):
    """Another screen came than the ones expected: ``expected`` are their titles in the
    manual's words, ``shown`` what the page showed as its heading."""

    def __init__(self, message: str, expected: tuple[str, ...] = (), shown: str = "") -> None:
        super().__init__(message, expected, shown)
        self.expected = expected
        self.shown = shown

    def __str__(self) -> str:
        return str(self.args[0])


class ParseError(UnexpectedScreen):
    """A document or page could not be read as expected."""


class OrderRefused(RobotError):
    """The cabinet refused the order with its own message (date rules, limits)."""


class OrderUnconfirmed(RobotError):
    """The cabinet showed neither its confirmation nor its refusal: the order may have
    been taken, so it is never placed again by itself; a person checks the cabinet."""


def retry_of(error: BaseException) -> Retry:
    """Who tries again after ``error`` (nobody for what the robot did not raise)."""
    return error.retry if isinstance(error, RobotError) else Retry.NEVER


class MailError(RobotError):
    """The mailbox cannot be used as configured (missing folder, protocol error)."""
