"""``Service``: what the sandbox starts and stops (servers, threads), usable with ``with``."""

from __future__ import annotations

import os
import signal
import subprocess
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class Service(ABC):
    """Started by ``start()`` (or entering ``with``), stopped by ``stop()`` (or leaving it)."""

    @abstractmethod
    def start(self) -> Self: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def stop_group(process: subprocess.Popen[bytes] | None, timeout_s: float = 20) -> None:
    """SIGTERM to the process group ``process`` leads (started with a session of its
    own), SIGKILL if it outlives ``timeout_s``; nothing for None."""
    if process is None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
