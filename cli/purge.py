"""``cabinet-robot purge``: remove the copies ``[privacy]`` keeps no longer, and say what went."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import ConfigOption, VerboseOption, fail, log_to_file, setup_logging
from robots.errors import RobotError

if TYPE_CHECKING:
    from robots.retention import PurgeReport, Sweep


def purge(
    config: ConfigOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print what would be removed, and remove nothing."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Remove the evidence, kept spool, decided review files, recordings and rotated logs
    older than `[privacy]` keeps them; files in use (a batch not yet committed, a file
    waiting in review) stay. `serve` runs it every night (`[schedule] purge`)."""
    from config.loader import load_config
    from robots.retention import purge as purge_files

    setup_logging(sys.stderr.isatty(), verbose)
    try:
        settings = load_config(config)
        if not dry_run:
            log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        report = purge_files(settings, dry_run=dry_run)
    except RobotError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    _print(report)


def _print(report: PurgeReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    removed = "would remove" if report.dry_run else "removed"
    table = Table(
        title=f"Purge at {report.now:%Y-%m-%d %H:%M} UTC" + (" (dry run)" * report.dry_run)
    )
    for column in ("place", "keep", removed, "oldest kept", "folder"):
        table.add_column(column, overflow="fold")
    for sweep in report.sweeps:
        table.add_row(
            sweep.place, _days(sweep.keep), _what(sweep), _oldest(sweep), str(sweep.folder)
        )
    console.print(table)
    for sweep in report.sweeps:
        for folder in sweep.folders:
            console.print(f"  {removed} {folder}")
    console.print(f"{removed} {report.files} file(s), {_size(report.bytes)} in all")


def _what(sweep: Sweep) -> str:
    if sweep.skipped:
        return f"skipped: {sweep.skipped}"
    folders = f", {len(sweep.folders)} folder(s)" if sweep.folders else ""
    return f"{sweep.files} file(s){folders}, {_size(sweep.bytes)}"


def _oldest(sweep: Sweep) -> str:
    if sweep.oldest_kept is None:
        return "nothing kept" if not sweep.skipped else ""
    return f"{sweep.oldest_kept:%Y-%m-%d} ({sweep.kept} kept)"


def _days(keep: dt.timedelta) -> str:
    days = keep.total_seconds() / 86400
    return f"{days:g}d" if days >= 1 or not keep else str(keep)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024**2:.1f} MB"
