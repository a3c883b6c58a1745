"""Serve an ASGI app with uvicorn from a background thread on a free loopback port.

The socket is bound before uvicorn starts and handed to it, so the port the caller
reads is the port that serves: no window in which another process can take it.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Self

import uvicorn
from fastapi import FastAPI

from sandbox.lifecycle import Service

__all__ = ["AppServer"]

_START_TIMEOUT_S = 10.0


class AppServer(Service):
    """One app on ``http://host:port/``, served until ``stop()``.

    Args:
        app: the ASGI app.
        host: the loopback address to listen on.
        port: 0 (the default) for a free port chosen by the kernel.
    """

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        self._app = app
        self._host = host
        self._wanted_port = port
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the server has not been started")
        return self._port

    @property
    def url(self) -> str:
        """The base URL with a trailing slash, e.g. ``http://127.0.0.1:41234/``."""
        return f"http://{self._host}:{self.port}/"

    def start(self) -> Self:
        """Bind, start serving in a thread, return once uvicorn accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        # proto=IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only
        # then, and without it every keep-alive response waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._wanted_port))
        sock.listen(128)
        self._socket = sock
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self._app,
            log_config=None,  # leave the process's logging alone
            log_level="warning",
            access_log=False,
            lifespan="off",
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn:{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the web server on {self._host} did not start")
            time.sleep(0.01)
        return self

    def begin_stop(self) -> None:
        """Ask uvicorn to exit without waiting (uvicorn looks every 0.1 s): several servers
        told first and then ``stop``ped one by one stop in the time of one."""
        if self._server is not None:
            self._server.should_exit = True

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for its thread, close the socket."""
        self.begin_stop()
        if self._thread is not None:
            self._thread.join(timeout=_START_TIMEOUT_S)
        if self._socket is not None:
            self._socket.close()
        self._server, self._thread, self._socket = None, None, None
