"""Retention: the copies the robot keeps of personal data go when ``[privacy]`` says.

Each place the robot keeps copies in is swept by its own rule, ages counted from
``clock.now()``:

- evidence (``<state>/evidence/<cabinet>/<time>/``, ``<state>/canary/<time>/``,
  ``<state>/survey/<time>/``): a failure's, a canary run's or a survey's folder, by the
  time in its name, after ``keep_evidence``;
- spool (``<state>/spool/committed/``): raw messages of committed batches, kept for
  ``keep_spool`` (none at all with the default ``0d``); a batch in flight is in the spool
  folder itself and never touched;
- review (``<state>/review/<sha256>``): a file once every review item of it is decided
  (assigned or rejected), ``keep_review`` after the last decision; a waiting file stays;
- recordings (the scenario folders under ``[privacy] recordings``): by their
  ``recorded_at``, after ``keep_recordings``;
- logs (``<state>/logs/cabinet-robot.log.<n>``): a rotated file after ``keep_logs``.

The spool and the review queue are swept under the collector's lock: while a
collection runs, its batch is not committed and its review files not recorded, so
both are left for the next purge. The ledger keeps its rows (hashes, ids, dates):
what was delivered and decided stays known after the copies are gone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from config.models import RobotConfig
from robots import clock
from robots.errors import CollectionRunning
from robots.ledger import Ledger, ReviewState
from robots.mail.recovery import exclusive
from robots.mail.spool import COMMITTED
from robots.scenarios.scenario import DESCRIPTION_FILE

log = logging.getLogger(__name__)

_STAMPS = ("%Y%m%dT%H%M%S.%fZ", "%Y%m%dT%H%M%SZ")  # evidence and canary folder names
LOG_NAME = "cabinet-robot.log"  # cli.logs.LOG_FILE: robots do not import the CLI


@dataclass(frozen=True)
class _Copy:
    """One thing that may go: a file or a folder, since when it counts, its size."""

    path: Path
    since: dt.datetime
    size: int
    files: int
    folder: bool = False
    in_use: bool = False  # kept whatever its age (a review file still waiting)


@dataclass
class Sweep:
    """What one place's rule removed (or, in a dry run, would remove), and what it kept."""

    place: str
    folder: Path
    keep: dt.timedelta
    files: int = 0
    bytes: int = 0
    folders: list[Path] = field(default_factory=list)  # whole folders removed
    kept: int = 0  # files and folders kept (too young, or in use)
    oldest_kept: dt.datetime | None = None
    skipped: str | None = None  # why the place was not swept at all

    def as_json(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "folder": str(self.folder),
            "keep_days": self.keep.total_seconds() / 86400,
            "files": self.files,
            "bytes": self.bytes,
            "folders": [str(f) for f in self.folders],
            "kept": self.kept,
            "oldest_kept": self.oldest_kept.isoformat(timespec="seconds")
            if self.oldest_kept
            else None,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class PurgeReport:
    """Every place's sweep, at ``now``."""

    now: dt.datetime
    dry_run: bool
    sweeps: tuple[Sweep, ...]

    @property
    def files(self) -> int:
        return sum(s.files for s in self.sweeps)

    @property
    def bytes(self) -> int:
        return sum(s.bytes for s in self.sweeps)

    def as_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(timespec="seconds"),
            "dry_run": self.dry_run,
            "files": self.files,
            "bytes": self.bytes,
            "places": [s.as_json() for s in self.sweeps],
        }


def purge(config: RobotConfig, *, dry_run: bool = False) -> PurgeReport:
    """Remove what ``config.privacy`` keeps no longer; with ``dry_run``, only say it."""
    now = clock.now()
    privacy, state = config.privacy, config.state.dir
    sweep = partial(_sweep, now=now, dry_run=dry_run)
    evidence = sweep("evidence", state / "evidence", privacy.keep_evidence, _evidence(state))
    spool_folder, review_folder = state / "spool" / COMMITTED, state / "review"
    try:
        with _collector_lock(config, dry_run):
            spool = sweep("spool", spool_folder, privacy.keep_spool, _files(spool_folder))
            review = sweep(
                "review", review_folder, privacy.keep_review, _decided_review_files(config)
            )
    except CollectionRunning:
        why = "a collection is running: its batch and review files are left for the next purge"
        spool = Sweep("spool", spool_folder, privacy.keep_spool, skipped=why)
        review = Sweep("review", review_folder, privacy.keep_review, skipped=why)
    recordings = sweep(
        "recordings",
        privacy.recordings,
        privacy.keep_recordings,
        _recordings(privacy.recordings),
    )
    logs = sweep("logs", state / "logs", privacy.keep_logs, _rotated_logs(state / "logs"))
    report = PurgeReport(now, dry_run, (evidence, spool, review, recordings, logs))
    if not dry_run:
        for done in report.sweeps:
            _log(done)
    return report


def _log(sweep: Sweep) -> None:
    """One line per place: the log keeps the trail of what was removed, never its content."""
    if sweep.skipped:
        log.info("purge %s: skipped: %s", sweep.place, sweep.skipped)
        return
    log.info(
        "purge %s: removed %d file(s), %d bytes, %d folder(s) older than %s from %s; %d kept",
        sweep.place, sweep.files, sweep.bytes, len(sweep.folders),
        f"{sweep.keep.total_seconds() / 86400:g}d", sweep.folder,
        sweep.kept,
    )  # fmt: skip


def _collector_lock(config: RobotConfig, dry_run: bool) -> AbstractContextManager[None]:
    """The collector's lock, not waited for; a dry run removes nothing and needs none."""
    state = config.state.dir
    if dry_run or not state.is_dir():
        return nullcontext()
    return exclusive(state / "collect.lock", config.state.ledger_url)


def _sweep(
    place: str,
    folder: Path,
    keep: dt.timedelta,
    copies: Iterable[_Copy],
    *,
    now: dt.datetime,
    dry_run: bool,
) -> Sweep:
    sweep = Sweep(place, folder, keep)
    for copy in copies:
        if copy.in_use or now - copy.since < keep:
            sweep.kept += 1
            if sweep.oldest_kept is None or copy.since < sweep.oldest_kept:
                sweep.oldest_kept = copy.since
            continue
        if not dry_run:
            _remove(copy.path)
        sweep.files += copy.files
        sweep.bytes += copy.size
        if copy.folder:
            sweep.folders.append(copy.path)
    return sweep


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


def _file(path: Path, since: dt.datetime | None = None) -> _Copy:
    return _Copy(path, since or _mtime(path), path.stat().st_size, 1)


def _folder(path: Path, since: dt.datetime) -> _Copy:
    files = [p for p in path.rglob("*") if p.is_file()]
    return _Copy(path, since, sum(p.stat().st_size for p in files), len(files), folder=True)


def _files(folder: Path) -> Iterator[_Copy]:
    if folder.is_dir():
        yield from (_file(p) for p in sorted(folder.iterdir()) if p.is_file())


def _stamp(folder: Path) -> dt.datetime:
    """When an evidence or canary folder was made: its name, else its modification time."""
    for form in _STAMPS:
        try:
            return dt.datetime.strptime(folder.name, form).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return _mtime(folder)


def _evidence(state: Path) -> Iterator[_Copy]:
    """Each failure's folder (``evidence/<cabinet>/<time>``), each canary run's and each
    survey's (``canary/<time>``, ``survey/<time>``)."""
    evidence = state / "evidence"
    if evidence.is_dir():
        for cabinet in sorted(evidence.iterdir()):
            if cabinet.is_dir() and not cabinet.name.startswith("."):  # .raw: live sessions
                yield from (_folder(f, _stamp(f)) for f in sorted(cabinet.iterdir()) if f.is_dir())
    for runs in (state / "canary", state / "survey"):
        if runs.is_dir():
            yield from (_folder(f, _stamp(f)) for f in sorted(runs.iterdir()) if f.is_dir())


def _recordings(root: Path) -> Iterator[_Copy]:
    """Each scenario folder under ``root``, since its ``recorded_at``."""
    if not root.is_dir():
        return
    for description in sorted(root.rglob(DESCRIPTION_FILE)):
        folder = description.parent
        if folder.name.startswith("."):  # a recording being written
            continue
        try:
            recorded = dt.datetime.fromisoformat(json.loads(description.read_text())["recorded_at"])
        except (ValueError, KeyError, TypeError):
            recorded = _mtime(description)
        yield _folder(folder, recorded if recorded.tzinfo else recorded.replace(tzinfo=dt.UTC))


def _rotated_logs(folder: Path) -> Iterator[_Copy]:
    """The rotated files; the current log is never removed."""
    if folder.is_dir():
        for path in sorted(folder.glob(f"{LOG_NAME}.*")):
            if path.is_file() and path.name.removeprefix(f"{LOG_NAME}.").isdigit():
                yield _file(path)


def _decided_review_files(config: RobotConfig) -> Iterator[_Copy]:
    """Each kept review file whose items are all decided, since the last decision.

    A file no item names (a run killed between keeping it and committing) is left: the
    next collection records it again.
    """
    if not (config.state.dir / "review").is_dir():
        return
    ledger = Ledger(config.state.ledger_url)
    try:
        items = ledger.reviews(None)
    finally:
        ledger.close()
    by_path: dict[str, list[dt.datetime | None]] = {}
    for item in items:
        decided = item.resolved_at if item.state is not ReviewState.WAITING else None
        by_path.setdefault(item.path, []).append(decided)
    for name, decisions in sorted(by_path.items()):
        path = Path(name)
        if not path.is_file():  # removed by an earlier purge
            continue
        if all(decisions):
            last = max(d for d in decisions if d is not None)
            yield _file(path, last if last.tzinfo else last.replace(tzinfo=dt.UTC))
        else:
            waiting = _file(path)
            yield _Copy(path, waiting.since, waiting.size, 1, in_use=True)
