"""Login protections a cabinet may have: a lockout after wrong passwords, a code sent by
SMS that must be typed before the session is logged in (sent again on request, after a
delay), and the «forgot password» flow built on it (``PasswordRecovery``: the number,
the code by SMS, a new password that must follow the cabinet's rules).

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

    # «Забыли пароль?» (Kcell): number -> code -> new password
    PasswordRecovery.start(session, self.sms, phone=number, login=number)
    PasswordRecovery.resend(session, self.sms, after_s=60)  # False while too early
    if PasswordRecovery.verify(session, code, ttl_s=300, max_attempts=5) is SmsVerdict.RIGHT:
        login = PasswordRecovery.verified(session)  # may now set a new password
    problem = new_password_problem(new, repeat)  # None, MISMATCH or WEAK
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

__all__ = [
    "LoginLockout",
    "PasswordProblem",
    "PasswordRecovery",
    "SmsChallenge",
    "SmsVerdict",
    "new_password_problem",
]

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
    def resend_in(session: Session, *, after_s: float) -> float | None:
        """Seconds until the code may be sent again (0 when it may be now), ``None`` when
        no code is pending in this session."""
        challenge = session.data.get(_KEY)
        if not isinstance(challenge, _Challenge):
            return None
        return max(0.0, challenge.sent + after_s - time.monotonic())

    @staticmethod
    def resend(session: Session, gateway: SmsGateway, *, after_s: float) -> bool:
        """Send a new code to the same phone if ``after_s`` passed since the last one (the
        old code is void, the count of wrong codes starts again); ``False`` if too early
        or no code is pending."""
        challenge = session.data.get(_KEY)
        if not isinstance(challenge, _Challenge):
            return False
        if time.monotonic() - challenge.sent < after_s:
            return False
        SmsChallenge.issue(session, gateway, phone=challenge.phone, login=challenge.login)
        return True

    @staticmethod
    def cancel(session: Session) -> None:
        session.data.pop(_KEY, None)


_RECOVERED = "password_recovery"  # session data: the login whose code was right


class PasswordRecovery:
    """«Забыли пароль?»: a code by SMS to the login's phone, then a new password.

    Kept in the anonymous session: first the SMS challenge (``SmsChallenge``; the code
    may be sent again after a delay), then, once the code was right, the login whose
    password the session may set (``verified``) until ``finish``.
    """

    @staticmethod
    def start(session: Session, gateway: SmsGateway, *, phone: str, login: str) -> str:
        """Send a code to ``phone`` for ``login``; an earlier recovery is void."""
        session.data.pop(_RECOVERED, None)
        return SmsChallenge.issue(session, gateway, phone=phone, login=login)

    @staticmethod
    def pending(session: Session) -> tuple[str, str] | None:
        """(login, phone) whose code is awaited, if any."""
        return SmsChallenge.pending(session)

    @staticmethod
    def resend_in(session: Session, *, after_s: float) -> float | None:
        return SmsChallenge.resend_in(session, after_s=after_s)

    @staticmethod
    def resend(session: Session, gateway: SmsGateway, *, after_s: float) -> bool:
        return SmsChallenge.resend(session, gateway, after_s=after_s)

    @staticmethod
    def verify(session: Session, code: str, *, ttl_s: float, max_attempts: int) -> SmsVerdict:
        """Check the typed code; RIGHT makes the login ``verified``."""
        pending = SmsChallenge.pending(session)
        verdict = SmsChallenge.check(session, code, ttl_s=ttl_s, max_attempts=max_attempts)
        if verdict is SmsVerdict.RIGHT and pending is not None:
            session.data[_RECOVERED] = pending[0]
        return verdict

    @staticmethod
    def verified(session: Session) -> str | None:
        """The login whose new password this session may set, once the code was right."""
        login = session.data.get(_RECOVERED)
        return login if isinstance(login, str) else None

    @staticmethod
    def finish(session: Session) -> None:
        """The recovery is over (the password was set, or it was abandoned)."""
        session.data.pop(_RECOVERED, None)
        SmsChallenge.cancel(session)


class PasswordProblem(enum.Enum):
    """Why a new password is refused."""

    MISMATCH = "mismatch"  # the two fields differ
    WEAK = "weak"  # too short, or not both letters and digits


def new_password_problem(new: str, repeat: str, *, min_length: int = 8) -> PasswordProblem | None:
    """What is wrong with a new password typed twice, or ``None``: the fields must be
    equal, and the password ``min_length`` characters or more with letters and digits."""
    if not secrets.compare_digest(new.encode(), repeat.encode()):
        return PasswordProblem.MISMATCH
    letters = any(c.isalpha() for c in new)
    digits = any(c.isdigit() for c in new)
    if len(new) < min_length or not (letters and digits):
        return PasswordProblem.WEAK
    return None
