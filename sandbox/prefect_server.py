"""A Prefect server (API and UI) on a free loopback port, for the demo and for tests of
``cabinet-robot serve``: ``prefect server start`` with its own ``PREFECT_HOME``.

Example::

    with PrefectServer(tmp_path / "prefect") as server:
        env = {"PREFECT_API_URL": server.api_url}
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import httpx

from sandbox.lifecycle import Service, stop_group
from sandbox.mailserver import free_ports

STARTUP_S = 90  # about 13 s on an idle 2-core machine; far more under a test run


class PrefectServer(Service):
    """``prefect server start`` in a process group of its own, stopped by its PID."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    def env(self) -> dict[str, str]:
        """What a client of this server needs in its environment."""
        return {"PREFECT_API_URL": self.api_url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}

    def start(self) -> Self:
        if self._process is not None:
            return self
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = free_ports(["127.0.0.1"], 1)[0]
        environment = {
            **os.environ,
            "PREFECT_HOME": str(self.home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_API_URL": self.api_url,  # the UI's default is port 4200
        }
        environment.pop("PREFECT_API_URL", None)
        command = [sys.executable, "-m", "prefect", "server", "start"]
        with open(self.home / "server.log", "ab") as log:  # the child keeps its own copy
            self._process = subprocess.Popen(
                [*command, "--host", "127.0.0.1", "--port", str(self.port)],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers share the group: stopped together
            )
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                self._process = None
                raise RuntimeError(f"the Prefect server exited: see {self.home / 'server.log'}")
            try:
                if httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)  # polling a starting server: nothing to wait on but the port
        self.stop()
        raise RuntimeError(f"the Prefect server did not answer in {STARTUP_S} s")

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_group(process)
