"""Server-side sessions: the browser holds only a random id in an HttpOnly cookie.

Every session carries its CSRF token (every POST form sends it back) and the login
it belongs to (``None`` before logging in: the login form needs a token too). A
session older than the TTL is gone; the store tells "expired" from "unknown" so a
cabinet can say "Время сеанса истекло" instead of just showing the login page.

The store also remembers when each logged-in session was first and last used, so a test
can tell whether two sessions of one login were ever open at once (``spans``).
"""

from __future__ import annotations

import enum
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Lookup", "Session", "SessionStore"]

_MAX_SESSIONS = 10_000  # past this the oldest are dropped: a runaway client cannot fill memory
_DEFAULT_TTL_S = 8 * 3600.0  # a working day, when no fault shortens it


@dataclass
class Session:
    """One browser's session."""

    id: str
    csrf_token: str
    created: float  # time.monotonic()
    login: str | None = None  # None: not logged in yet
    data: dict[str, Any] = field(default_factory=dict)


class Lookup(enum.Enum):
    """Why there is no session."""

    MISSING = "missing"  # no cookie, or an id the store never had or has forgotten
    EXPIRED = "expired"  # the session outlived the TTL


class SessionStore:
    """Sessions by id, with a TTL read at each lookup (it may change at runtime).

    Args:
        ttl_s: returns the current TTL in seconds, or ``None`` for the default
            (8 hours).
    """

    def __init__(self, ttl_s: Callable[[], float | None] = lambda: None) -> None:
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._expired: set[str] = set()  # ended by ``expire_all``, told apart until next seen
        self._used: dict[str, tuple[str, float, float]] = {}  # id -> login, first, last use

    def create(self, login: str | None = None) -> Session:
        """A new session with a fresh id and CSRF token."""
        session = Session(
            id=secrets.token_urlsafe(24),
            csrf_token=secrets.token_urlsafe(24),
            created=time.monotonic(),
            login=login,
        )
        with self._lock:
            if len(self._sessions) >= _MAX_SESSIONS:
                oldest = min(self._sessions.values(), key=lambda s: s.created)
                del self._sessions[oldest.id]
            self._sessions[session.id] = session
            self._note_use(session)
        return session

    def get(self, session_id: str | None) -> Session | Lookup:
        """The live session with this id, or why there is none (an expired one is removed)."""
        if not session_id:
            return Lookup.MISSING
        ttl = self._ttl_s()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                if session_id in self._expired:
                    self._expired.discard(session_id)
                    return Lookup.EXPIRED
                return Lookup.MISSING
            if time.monotonic() - session.created > (_DEFAULT_TTL_S if ttl is None else ttl):
                del self._sessions[session_id]
                return Lookup.EXPIRED
            self._note_use(session)
            return session

    def _note_use(self, session: Session) -> None:
        if session.login is None:
            return
        now = time.monotonic()
        login, first, _ = self._used.get(session.id, (session.login, now, now))
        self._used[session.id] = (login, first, now)
        if len(self._used) > _MAX_SESSIONS:
            del self._used[next(iter(self._used))]

    def spans(self, login: str) -> list[tuple[float, float]]:
        """When each session of ``login`` was first and last used (``time.monotonic()``),
        in the order they were opened."""
        with self._lock:
            return [(first, last) for who, first, last in self._used.values() if who == login]

    def expire_all(self) -> None:
        """End every session now, as an expiry would (tests of "session expired")."""
        with self._lock:
            self._expired = set(self._sessions) if len(self._sessions) < _MAX_SESSIONS else set()
            self._sessions.clear()

    def delete(self, session_id: str) -> None:
        """End a session (logout); an unknown id is ignored."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)
