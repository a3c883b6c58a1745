"""The ledger database's schema, brought to the robot's version at start (Alembic).

One history (``robots/migrations/versions/``) for the ledger's tables and the cycle's
order book, on SQLite and Postgres alike: a deployed ledger upgrades in place instead of
breaking on a new column, and a ledger made before migrations is adopted by the first
revision with its rows. Two processes starting at once (a collection and a cycle) do not
both migrate: they take a lock first (Postgres: an advisory lock; SQLite: a lock on a
file beside the database), and the second finds the schema current.

A new revision, for the next engineer: change the models, then
``python -m robots.schema "what changed"`` writes the revision Alembic finds against a
fresh ledger at ``HEAD`` into ``robots/migrations/versions/``; read it, name its file and
``revision`` in the order of the others, and set ``HEAD`` below to it.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine

from robots.permissions import PRIVATE_FILE

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

HEAD = "0003_heals"  # the newest revision; a test checks it is the history's head
_SCRIPTS = "robots:migrations"
_LOCK_KEY = 0x6361_6269_6E65_7401  # "cabinet\x01": the advisory lock of migrations


def upgrade(engine: Engine) -> None:
    """Bring the database of ``engine`` to ``HEAD``; nothing to do costs one query."""
    with engine.connect() as connection:
        if _current(connection) == HEAD:
            return
    with _migrating(engine) as connection:
        before = _current(connection)
        if before == HEAD:  # another process did it while this one waited
            return
        new = not inspect(connection).get_table_names()
        from alembic import command  # only when there is something to do: 0.1 s of imports

        command.upgrade(_config(connection), "head")
        connection.commit()
    if new:
        log.debug("ledger: made at schema %s", HEAD)
    else:
        log.info("ledger: schema upgraded from %s to %s", before or "before migrations", HEAD)


def _current(connection: Connection) -> str | None:
    """The revision the database is at (Alembic's own table), None before migrations."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _config(connection: Connection) -> Config:
    """Alembic's configuration of this history, on ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", _SCRIPTS)
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection holding the migration lock."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            try:
                yield connection
            finally:
                connection.rollback()  # what failed is not kept; the unlock runs anew
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        with engine.connect() as connection:
            yield connection
        return
    lock = Path(f"{database}.migrating")
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        with engine.connect() as connection:
            # WAL, so readers (status) never block the collector. The mode is the file's and
            # stays; it is set here, under the lock, because switching it while another
            # connection opens the new file fails at once with "database is locked".
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            yield connection
    finally:
        os.close(descriptor)  # releases the lock; the empty file stays, harmless


def _write_revision(message: str) -> None:
    """Autogenerate a revision from the models' difference to a fresh ledger at HEAD."""
    import tempfile

    from sqlalchemy import create_engine

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/ledger.sqlite3")
        upgrade(engine)
        with engine.connect() as connection:
            from alembic import command

            command.revision(_config(connection), message, autogenerate=True)


if __name__ == "__main__":
    import sys

    _write_revision(" ".join(sys.argv[1:]) or "a change of the ledger")
