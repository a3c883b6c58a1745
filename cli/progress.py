"""Progress for long work: a rich bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("cabinet_robot.progress")

Report = Callable[[int, int], None]


@contextmanager
def progress_reporter(interactive: bool, title: str) -> Iterator[Report]:
    """Yield ``report(done, total)``; draw a bar on a terminal, else log every few seconds."""
    if interactive:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            f"[bold]{title}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=True,
        ) as progress:
            task = progress.add_task(title, total=None)

            def draw(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            yield draw
        return

    last = 0.0

    def log_line(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done in (0, total) or now - last >= 5:
            last = now
            log.info("%s: %d/%d", title, done, total)

    yield log_line
