"""A Prefect process worker on a work pool, as one machine of several would run it:
``prefect worker start --pool NAME`` in a process group of its own, so the flow runs it
starts go with it when it is killed (a machine that dies).

Example::

    with PrefectWorker("robots", env, log=tmp_path / "worker-1.log", limit=1) as worker:
        ...
        worker.kill()  # SIGKILL: the worker and the runs it started, at once
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Self

from sandbox.lifecycle import Service, stop_group


class PrefectWorker(Service):
    """One worker; ``limit`` flow runs at once (the sessions this machine holds)."""

    def __init__(self, pool: str, env: Mapping[str, str], log: Path, limit: int = 1) -> None:
        self.pool, self.env, self.log, self.limit = pool, dict(env), log, limit
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> Self:
        if self._process is not None:
            return self
        command = [sys.executable, "-m", "prefect", "worker", "start", "--pool", self.pool,
                   "--limit", str(self.limit), "--type", "process"]  # fmt: skip
        with open(self.log, "ab") as log:  # the child keeps its own copy
            self._process = subprocess.Popen(
                command,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self) -> None:
        """SIGKILL to the worker and every process it started (Prefect starts each flow run
        in a process group of its own): they all end without a word, as on a machine that
        lost its power."""
        process, self._process = self._process, None
        if process is None:
            return
        groups = {os.getpgid(pid) for pid in _descendants(process.pid) if _exists(pid)}
        for group in {process.pid, *groups}:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_group(process)


def _descendants(root: int) -> list[int]:
    """The processes under ``root`` (from /proc: each process's parent)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _exists(pid: int) -> bool:
    try:
        os.getpgid(pid)
    except ProcessLookupError:
        return False
    return True
