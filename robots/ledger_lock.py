"""One writer to Tarifer's inbox and the ledger across machines: a Postgres advisory lock.

The collector's file lock (``robots.mail.recovery.exclusive``) holds on one machine.
Machines that share a Postgres ledger (and Tarifer's inbox, a shared folder) also take
this lock, on the ledger's database, for as long as the file lock is held. A SQLite ledger
is one machine's file: the file lock is all it needs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

_KEY = 0x6361_6269_6E65_7402  # "cabinet\x02"; migrations hold "cabinet\x01"


@contextmanager
def across_machines(ledger_url: str, *, wait: bool) -> Iterator[bool]:
    """Hold the ledger's lock in the block: True, or False when another holds it and
    ``wait`` is false (the block then runs without it: the caller gives up)."""
    if make_url(ledger_url).get_backend_name() != "postgresql":
        yield True
        return
    engine = create_engine(ledger_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            tried = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _KEY})
            got = bool(tried.scalar())
            if not got and wait:
                log.info("waiting for the collection running on another machine (ledger lock)")
                connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _KEY})
                got = True
            connection.commit()  # a session-level lock: it outlives the transaction
            try:
                yield got
            finally:
                if got:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _KEY})
                    connection.commit()
    finally:
        engine.dispose()
