"""A PostgreSQL server of its own on a free loopback port, for tests of the ledger on
Postgres: Debian's ``postgresql`` binaries, ``initdb`` into a temporary folder and
``pg_ctl`` to start and stop it; the folder is removed when it stops.

PostgreSQL refuses to run as root; run as root (a CI container), the server runs as the
``postgres`` system user the Debian package creates, its folder owned by that user.

Example::

    with PostgresServer() as server:
        Ledger(server.url)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

from sandbox.lifecycle import Service
from sandbox.mailserver import free_ports

_BINARIES = Path("/usr/lib/postgresql")
DATABASE = "cabinet_robot"
USER = "robot"
START_S = 60


def postgres_binaries() -> Path:
    """The newest installed PostgreSQL's ``bin`` folder; RuntimeError naming the package."""
    versions = sorted(
        (p for p in _BINARIES.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (Debian's postgresql): run `make setup`")
    return versions[-1]


class PostgresServer(Service):
    """``initdb`` + ``pg_ctl start`` on 127.0.0.1, trust authentication for ``USER``."""

    def __init__(self) -> None:
        self.port = 0
        self._folder: Path | None = None

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the server's database (psycopg 3)."""
        return self.url_of(DATABASE)

    def url_of(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database ``name`` (e.g. one per test); its URL."""
        self._sql(f'CREATE DATABASE "{name}"')
        return self.url_of(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, closing the connections a killed process may have left."""
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _sql(self, statement: str) -> None:
        import psycopg  # the robot's own driver: no client binaries needed

        dsn = f"host=127.0.0.1 port={self.port} user={USER} dbname={DATABASE}"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(statement.encode())

    @property
    def _data(self) -> Path:
        assert self._folder is not None
        return self._folder / "data"

    def start(self) -> Self:
        if self._folder is not None:
            return self
        binaries = postgres_binaries()
        self._folder = Path(tempfile.mkdtemp(prefix="cabinet-postgres-"))
        self._folder.chmod(0o755)  # the server's user, if not ours, must reach its folder
        self.port = free_ports(["127.0.0.1"], 1)[0]
        try:
            self._run(binaries / "initdb", "-D", str(self._data), "-U", USER, "-A", "trust",
                      "-E", "UTF8", "--no-sync")  # fmt: skip
            self._run(
                binaries / "pg_ctl", "-D", str(self._data), "-l", str(self._folder / "server.log"),
                "-w", "-t", str(START_S), "-o",
                f"-c listen_addresses=127.0.0.1 -p {self.port} "
                f"-c unix_socket_directories={self._folder} -c fsync=off",
                "start",
            )  # fmt: skip
            self._run(binaries / "createdb", "-h", "127.0.0.1", "-p", str(self.port),
                      "-U", USER, DATABASE)  # fmt: skip
        except BaseException:
            self.stop()
            raise
        return self

    def _run(self, *command: str | Path) -> None:
        args = [str(part) for part in command]
        if os.geteuid() == 0:  # PostgreSQL will not run as root
            self._give_to("postgres")
            args = ["runuser", "-u", "postgres", "--", *args]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout}")

    def _give_to(self, user: str) -> None:
        assert self._folder is not None
        for path in (self._folder, *self._folder.rglob("*")):
            shutil.chown(path, user)

    def stop(self) -> None:
        folder, self._folder = self._folder, None
        if folder is None:
            return
        pid_file = folder / "data" / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])  # the server this object started
            os.kill(pid, signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
            _wait_gone(pid)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_gone(pid: int, timeout_s: float = 30) -> None:
    """Wait for the process ``pid`` (not our child) to end; SIGKILL it after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)  # not our child: no wait() for it, only polling its pid
    os.kill(pid, signal.SIGKILL)
