"""A loopback HTTP server for the files an operator's mail links to."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ClassVar

NOT_FOUND = b"<html>Not Found</html>"


@dataclass
class FileServer:
    """``url`` serves ``files``: a path to its body (200) or to (status, body); 404 else."""

    url: str = ""
    files: dict[str, bytes | tuple[int, bytes]] = field(default_factory=dict)


class _Handler(http.server.BaseHTTPRequestHandler):
    server_files: ClassVar[FileServer]

    def do_GET(self) -> None:
        found = self.server_files.files.get(self.path)
        if found is None:
            status, body, kind = 404, NOT_FOUND, "text/html"
        elif isinstance(found, bytes):
            status, body, kind = 200, found, "application/octet-stream"
        else:
            (status, body), kind = found, "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving_files() -> Iterator[FileServer]:
    """A FileServer on a free loopback port, stopped on leaving."""
    served = FileServer()
    handler = type("Handler", (_Handler,), {"server_files": served})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
