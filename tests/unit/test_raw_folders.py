"""Raw evidence folders a dead session left are removed, even while its browser is still
flushing files into them."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from robots.evidence import remove_abandoned


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_dead_sessions_folder_is_removed_while_something_still_writes_into_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / f"{_dead_pid()}-abc"
    folder.mkdir()
    live = tmp_path / "1-live"  # pid 1 always runs
    live.mkdir()
    writing = threading.Event()

    def flush_for_a_moment() -> None:
        # As a browser does once its parent is killed: a few more files, then nothing.
        ends = time.monotonic() + 0.6
        while time.monotonic() < ends:
            try:
                (folder / f"{time.monotonic_ns()}.network").write_bytes(b"x" * 1000)
            except FileNotFoundError:  # the folder is gone: nothing more to write into
                return
            writing.set()

    writer = threading.Thread(target=flush_for_a_moment)
    writer.start()
    writing.wait(5)
    removed = remove_abandoned(tmp_path)
    writer.join()

    assert removed == [folder]
    assert not folder.exists()
    assert live.exists(), "a running process's folder stays"
