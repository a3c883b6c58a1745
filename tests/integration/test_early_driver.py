"""Playwright's driver started ahead of the browser (``robots.driver``), the modules
imported ahead (``robots.preload``), and the entry point that starts both for a browser
command (``cli.launch``).

Each case runs in a process of its own: a sync Playwright belongs to its thread, and the
test process may hold one already (the browser fixtures).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ENTRY_POINT = Path(sys.executable).parent / "cabinet-robot"
CHROMIUM = os.environ.get("CABINET_ROBOT_CHROMIUM", "/usr/bin/chromium")

THE_FIRST_BROWSER_OF_ITS_THREAD = textwrap.dedent(
    """
    import threading
    from robots import driver

    driver.start_early()
    early = driver._started[0]
    elsewhere = []

    def in_another_thread():
        with driver.playwright() as started:
            elsewhere.append(started)
            started.chromium.launch(executable_path=CHROMIUM).close()

    worker = threading.Thread(target=in_another_thread)
    worker.start()
    worker.join()
    assert elsewhere and elsewhere[0] is not early, "another thread took this thread's driver"
    with driver.playwright() as first:
        assert first is early, "the first browser of the thread started its own driver"
        first.chromium.launch(executable_path=CHROMIUM).close()
    with driver.playwright() as second:
        assert second is not early, "the early driver was handed out twice"
        second.chromium.launch(executable_path=CHROMIUM).close()
    print("ok")
    """
)


def test_the_early_driver_serves_the_first_browser_of_its_own_thread_only() -> None:
    script = f"CHROMIUM = {CHROMIUM!r}\n{THE_FIRST_BROWSER_OF_ITS_THREAD}"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"


def test_a_browser_command_that_fails_before_its_browser_says_why_and_exits(
    tmp_path: Path,
) -> None:
    # The driver started for it is stopped at exit; the error is the command's own.
    missing = tmp_path / "nowhere.toml"
    done = subprocess.run(
        [str(ENTRY_POINT), "order", "--cabinet", "sip", "--kind", "invoice",
         "--period", "2026-10", "--config", str(missing)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr[-3000:]
    assert str(missing) in done.stderr
    assert "Traceback" not in done.stderr


PRELOAD_WITH_A_BROKEN_MODULE = textwrap.dedent(
    """
    import sys
    from robots import preload

    preload.begin(["no_such_module_of_the_robot"])
    preload.begin(["robots.recognition.pdf"])
    preload.wait_all()  # returns although an import failed, once the others are done
    assert "pypdf" in sys.modules, "the PDF reader was not imported"
    try:
        import no_such_module_of_the_robot  # noqa: F401
    except ModuleNotFoundError as exc:
        print("its own error:", exc.name)
    """
)


def test_a_module_that_fails_to_preload_fails_where_the_command_imports_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PRELOAD_WITH_A_BROKEN_MODULE],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "its own error: no_such_module_of_the_robot"
