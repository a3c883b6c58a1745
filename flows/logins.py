"""One browser session per cabinet login at a time, across every flow run.

A cabinet that sees its login open a second session may end the first (the manuals are
silent; a bank-like cabinet does). The monthly cycle, a manual ``run`` and the canary may
overlap, so each session holds a Prefect global concurrency limit of 1 named after its
login, created by the session that first needs it: the limit lives on the Prefect server,
so it holds across processes and machines.

How a slot is held, and how one left behind is taken back:

- The slot is a Prefect lease of ``LEASE_S`` (Prefect's shortest), renewed while the
  session lasts and released when it ends. On a Prefect server that keeps running
  (``prefect server start``) that is all a run that died needs: nobody renews its lease,
  and the server's repossessor frees the slot about a minute later.
- Without ``PREFECT_API_URL`` it is not enough: every run starts a temporary server on the
  same database in ``PREFECT_HOME``, and the server keeps its leases in memory. A run that
  dies with its server leaves the slot counted as taken in the database, with no lease
  left that could expire. So the session also writes who holds the slot (host, process,
  flow run, since when, the lease) to a Prefect variable beside the limit
  (``<limit>-holder``), and a session that finds the slot taken reads it before waiting.
  A holder that was a process of this host and is gone, or a slot taken with no holder
  written for two looks in a row, is taken back: the dead lease is released where the
  server still knows it, else the limit's active slots are set back to 0.
- A live holder (or one on another host, which only its lease can speak for) is waited
  for, with one line saying who holds the login and since when, until ``[cycle]
  slot_wait`` has passed: then ``LoginInUse`` names the cabinet and the holder. The wait
  answers a stop (``robots.stopping``) at once.

This is Prefect's own acquisition (the ``increment-with-lease`` API that
``prefect.concurrency.sync.concurrency`` calls), asked once per look rather than through
``concurrency()``: its wait can be neither interrupted nor told who holds the slot, and
it does not give the lease id that a holder's record and a hard stop need.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from uuid import UUID

import httpx
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate
from prefect.client.schemas.objects import ConcurrencyLeaseHolder
from prefect.exceptions import ObjectAlreadyExists
from prefect.variables import Variable

from config.models import CabinetSettings
from robots import stopping
from robots.errors import LoginInUse

log = logging.getLogger(__name__)

LEASE_S = 60.0  # the shortest lease Prefect grants: a dead holder's slot is freed soonest
POLL_S = 2.0  # between looks at a slot that is taken
DEFAULT_WAIT = dt.timedelta(minutes=30)  # [cycle] slot_wait's default

_held: dict[str, UUID] = {}  # limit name -> lease, of this process's sessions
_held_lock = threading.Lock()


def login_limit(cabinet: CabinetSettings) -> str:
    """The concurrency limit's name for ``cabinet``'s login (no secret, no special chars)."""
    identity = f"{cabinet.operator}|{cabinet.url}|{cabinet.login}"
    return "cabinet-login-" + hashlib.sha256(identity.encode()).hexdigest()[:16]


def _ensure_limit(client: SyncPrefectClient, name: str) -> None:
    """Create the limit (or set it back to 1) before a session asks for a slot."""
    # Prefect's upsert reads, then creates: another run may create it in between (the
    # same limit of 1), which is no error here.
    with suppress(ObjectAlreadyExists):
        client.upsert_global_concurrency_limit_by_name(name, 1)


def _process_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot), so a reused pid is told apart."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:  # the name in it may be any bytes
            return stat.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


@dataclass(frozen=True)
class Holder:
    """Who holds a login's slot, as the session that took it wrote it down."""

    cabinet: str
    host: str
    pid: int
    started: str | None  # the process's start, see _process_start
    run: str | None  # the flow run's name
    since: str  # ISO 8601, UTC
    lease: str

    @classmethod
    def me(cls, cabinet: str, lease: UUID) -> Holder:
        from prefect.runtime import flow_run

        pid = os.getpid()
        return cls(
            cabinet=cabinet,
            host=socket.gethostname(),
            pid=pid,
            started=_process_start(pid),
            run=flow_run.name or None,
            since=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            lease=str(lease),
        )

    def gone(self) -> bool:
        """The holder was a process of this host that no longer runs."""
        if self.host != socket.gethostname():
            return False  # only its lease can tell
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # another user's process
        started = _process_start(self.pid)
        return started is not None and self.started is not None and started != self.started

    def describe(self) -> str:
        since = dt.datetime.fromisoformat(self.since).astimezone()
        run = f" ({self.run})" if self.run else ""
        return f"pid {self.pid} on {self.host}{run} since {since:%Y-%m-%d %H:%M:%S}"


def _record_name(limit: str) -> str:
    return f"{limit}-holder"


def _read_holder(limit: str) -> Holder | None:
    value = Variable.get(_record_name(limit), default=None)
    if not isinstance(value, dict):
        return None
    try:
        return Holder(**value)
    except TypeError:
        return None  # written by another version: as good as none


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    from prefect import get_run_logger
    from prefect.exceptions import MissingContextError

    try:
        return get_run_logger()
    except MissingContextError:
        return log


def _try_acquire(client: SyncPrefectClient, limit: str) -> UUID | None:
    """One ask for the slot: the lease, or None while another session holds it."""
    from prefect.runtime import task_run

    # The task run as the lease's holder: what Prefect itself can say about the slot.
    holder = ConcurrencyLeaseHolder(type="task_run", id=UUID(task_run.id)) if task_run.id else None
    try:
        response = client.increment_concurrency_slots_with_lease(
            names=[limit], slots=1, mode="concurrency", lease_duration=LEASE_S, holder=holder
        )
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code == httpx.codes.LOCKED:
            return None
        raise
    return UUID(response.json()["lease_id"])


def _reclaim(client: SyncPrefectClient, limit: str, holder: Holder | None) -> None:
    """Free a slot whose holder is gone (``None``: a slot taken that no record explains)."""
    if _read_holder(limit) != holder:
        return  # someone else took it back (and maybe the slot) meanwhile
    # The record goes first: a session that sees none waits a look before acting.
    Variable.unset(_record_name(limit))
    if holder is not None:
        try:
            client.renew_concurrency_lease(UUID(holder.lease), LEASE_S)
        except httpx.HTTPStatusError:
            pass  # the server never knew this lease: its temporary server is gone
        else:  # the server still has the lease: releasing it frees the slot, once
            client.release_concurrency_slots_with_lease(UUID(holder.lease))
            return
    client.update_global_concurrency_limit(limit, GlobalConcurrencyLimitUpdate(active_slots=0))


def _minutes(wait: dt.timedelta) -> str:
    seconds = wait.total_seconds()
    return f"{seconds:g} s" if seconds < 120 else f"{seconds / 60:g} min"


def _acquire(client: SyncPrefectClient, cabinet: str, limit: str, wait: dt.timedelta) -> UUID:
    """The slot's lease once free; ``LoginInUse`` after ``wait``; ``Stopped`` on a stop."""
    deadline = time.monotonic() + wait.total_seconds()
    told: Holder | None = None
    unexplained = 0
    while True:
        stopping.check()
        lease = _try_acquire(client, limit)
        if lease is not None:
            with _held_lock:
                _held[limit] = lease
            Variable.set(_record_name(limit), asdict(Holder.me(cabinet, lease)), overwrite=True)
            if told is not None:
                _logger().info("%s: the login is free now", cabinet)
            return lease
        holder = _read_holder(limit)
        unexplained = unexplained + 1 if holder is None else 0
        if (holder is not None and holder.gone()) or unexplained >= 2:
            left = f"by {holder.describe()}" if holder else "with no holder recorded"
            _logger().warning("%s: taking back the login's slot, left %s", cabinet, left)
            _reclaim(client, limit, holder)
            unexplained = 0
            continue
        if holder is not None and holder != told:
            _logger().info(
                "%s: the login is in use by %s; waiting up to %s",
                cabinet,
                holder.describe(),
                _minutes(wait),
            )
            told = holder
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            who = told.describe() if told else "another session"
            raise LoginInUse(
                f"cabinet {cabinet}: the login was still in use by {who} after "
                f"{_minutes(wait)}: let that run finish or stop it, or raise [cycle] slot_wait"
            )
        stopping.wait(min(POLL_S, remaining))


def _release(client: SyncPrefectClient, limit: str, lease: UUID) -> None:
    with _held_lock:
        if _held.get(limit) != lease:
            return  # a hard stop gave it back already
        del _held[limit]
    Variable.unset(_record_name(limit))
    client.release_concurrency_slots_with_lease(lease)


class _Renewal:
    """Renews a lease every half of its duration until stopped, in a thread of its own."""

    def __init__(self, cabinet: str, lease: UUID) -> None:
        self._cabinet = cabinet
        self._lease = lease
        self._stop = threading.Event()
        context = contextvars.copy_context()  # the run's Prefect settings and logger
        self._thread = threading.Thread(
            target=context.run, args=(self._loop,), name=f"lease-{cabinet}", daemon=True
        )

    def _loop(self) -> None:
        with get_client(sync_client=True) as client:
            while not self._stop.wait(LEASE_S / 2):
                try:
                    client.renew_concurrency_lease(self._lease, LEASE_S)
                except (httpx.HTTPError, RuntimeError) as exc:
                    _logger().warning(
                        "%s: could not renew the login's slot: %s", self._cabinet, exc
                    )

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@contextmanager
def login_slot(cabinet: CabinetSettings, wait: dt.timedelta = DEFAULT_WAIT) -> Iterator[None]:
    """Wait until no other session of ``cabinet``'s login is open, and hold it meanwhile.

    Raises:
        LoginInUse: another run held the login for all of ``wait``.
        Stopped: a stop was asked for while waiting.
    """
    limit = login_limit(cabinet)
    with get_client(sync_client=True) as client:
        _ensure_limit(client, limit)
        lease = _acquire(client, cabinet.name, limit, wait)
        try:
            with _Renewal(cabinet.name, lease):
                yield
        finally:
            try:
                _release(client, limit, lease)
            except httpx.HTTPError as exc:
                _logger().warning(
                    "%s: could not give back the login's slot (%s): the next run takes it back",
                    cabinet.name,
                    exc,
                )


def release_held() -> None:
    """Give back every slot this process holds: a hard stop, just before the process ends."""
    with _held_lock:
        held = dict(_held)
        _held.clear()
    if not held:
        return
    with get_client(sync_client=True) as client:
        for limit, lease in held.items():
            with suppress(Exception):  # ending anyway: the next run takes back what is left
                Variable.unset(_record_name(limit))
                client.release_concurrency_slots_with_lease(lease)
