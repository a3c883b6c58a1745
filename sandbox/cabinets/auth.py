"""Login protections a cabinet may have: a lockout after wrong passwords, and a code sent
by SMS that must be typed before the session is logged in.

Both are the cabinet's state, not the session's: a lockout holds for every browser
(a new session does not unlock a number), and the SMS code lives in the anonymous
session that typed the right password (another browser cannot use it). Codes are
"sent" through the cabinet's ``SmsGateway``, where tests and the robot's OTP source
read them (``GET /_sandbox/sms?phone=``).

Example (in a cabinet's login handler)::

    if (left := self.lockout.locked_for(number)) is not None:
        ...  # refuse, "try again in {left} s"
    if not good_password:
        locked = self.lockout.failed(number, max_attempts=5, lockout_s=900)
    else:
        self.lockout.succeeded(number)
        SmsChallenge.issue(session, self.sms, phone="79161234567", login=number)
"""

from __future__ import annotations

import enum
import math
import secrets
import threading
import time
from dataclasses import dataclass

from sandbox.cabinets.orders import SmsGateway
from sandbox.cabinets.sessions import Session

__all__ = ["LoginLockout", "SmsChallenge", "SmsVerdict"]

_MAX_TRACKED = 10_000  # logins with failures remembered; past this the oldest are dropped


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0  # time.monotonic(); 0: not locked


class LoginLockout:
    """Wrong passwords in a row per login, and the logins locked because of them.

    Thread-safe. The limits are passed at each call, so a cabinet can change its
    settings while it runs.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, _Failures] = {}

    def locked_for(self, login: str) -> float | None:
        """Seconds until ``login`` is unlocked, or ``None`` if it is not locked."""
        now = time.monotonic()
        with self._lock:
            entry = self._failures.get(login)
            if entry is None or not entry.locked_until:
                return None
            if now >= entry.locked_until:
                del self._failures[login]  # the lock ran out: a fresh start
                return None
            return entry.locked_until - now

    def failed(self, login: str, *, max_attempts: int, lockout_s: float) -> bool:
        """Count a wrong password; ``True`` if this one locks the login."""
        with self._lock:
            entry = self._failures.get(login)
            if entry is None:
                if len(self._failures) >= _MAX_TRACKED:
                    del self._failures[next(iter(self._failures))]
                entry = self._failures[login] = _Failures()
            entry.count += 1
            if entry.count >= max_attempts:
                entry.locked_until = time.monotonic() + lockout_s
                return True
            return False

    def lock(self, login: str, *, lockout_s: float) -> None:
        """Lock ``login`` now for ``lockout_s`` (tests: as after too many wrong passwords)."""
        with self._lock:
            self._failures[login] = _Failures(0, time.monotonic() + lockout_s)

    def succeeded(self, login: str) -> None:
        """A right password: the count starts again."""
        with self._lock:
            self._failures.pop(login, None)


def minutes_left(seconds: float) -> int:
    """Whole minutes, rounded up (at least 1), as a cabinet says "через 15 минут"."""
    return max(1, math.ceil(seconds / 60))


class SmsVerdict(enum.Enum):
    """What a typed SMS code means."""

    RIGHT = "right"
    WRONG = "wrong"  # try again
    EXHAUSTED = "exhausted"  # too many wrong codes: the login starts over
    EXPIRED = "expired"  # the code outlived its validity: the login starts over
    MISSING = "missing"  # no code was sent to this session


_KEY = "sms_challenge"


@dataclass
class _Challenge:
    login: str
    phone: str
    code: str
    sent: float  # time.monotonic()
    wrong: int = 0


class SmsChallenge:
    """The SMS step of a login, kept in the (not yet logged-in) session's data."""

    @staticmethod
    def issue(session: Session, gateway: SmsGateway, *, phone: str, login: str) -> str:
        """Send a new 6-digit code to ``phone`` for ``login``; a previous one is void."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        gateway.send(phone, code)
        session.data[_KEY] = _Challenge(login, phone, code, time.monotonic())
        return code

    @staticmethod
    def pending(session: Session) -> tuple[str, str] | None:
        """(login, phone) waiting for its code in this session, if any."""
        challenge = session.data.get(_KEY)
        return (challenge.login, challenge.phone) if isinstance(challenge, _Challenge) else None

    @staticmethod
    def check(session: Session, code: str, *, ttl_s: float, max_attempts: int) -> SmsVerdict:
        """Check a typed code; anything but WRONG ends the challenge."""
        challenge = session.data.get(_KEY)
        if not isinstance(challenge, _Challenge):
            return SmsVerdict.MISSING
        if time.monotonic() - challenge.sent > ttl_s:
            del session.data[_KEY]
            return SmsVerdict.EXPIRED
        if secrets.compare_digest(code.strip().encode(), challenge.code.encode()):
            del session.data[_KEY]
            return SmsVerdict.RIGHT
        challenge.wrong += 1
        if challenge.wrong >= max_attempts:
            del session.data[_KEY]
            return SmsVerdict.EXHAUSTED
        return SmsVerdict.WRONG

    @staticmethod
    def cancel(session: Session) -> None:
        session.data.pop(_KEY, None)
