"""``cabinet-robot run`` and ``status``: the monthly cycle now, and the matrix from the ledger."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.common import ConfigOption, fail, setup_logging
from robots.errors import ConfigurationError, RobotError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from config.models import RobotConfig
    from robots.cycle.matrix import Cell

PeriodOption = Annotated[
    str | None, typer.Option("--period", help="Month, YYYY-MM (default: the previous month).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the matrix as JSON.")]


def prefect_defaults() -> None:
    """Prefect's settings the robot wants unless the operator set them: no telemetry
    to the internet (the robot's machines often have none)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _period(period: str | None, today: dt.date) -> str:
    from robots.domain import Period

    if period is None:
        return str(Period.of(today).previous())
    try:
        return str(Period.parse(period))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None


def run(
    period: PeriodOption = None,
    cabinet: Annotated[
        list[str] | None,
        typer.Option("--cabinet", help="Only this cabinet (repeat for several); default all."),
    ] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Judge the cabinets' calendars as on this day, YYYY-MM-DD (rehearsals).",
            hidden=True,
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run the monthly cycle now: order, collect until everything came or is late,
    re-order once, reconcile. Exit 1 when something is missing or failed (documents the
    cabinets do not give yet are waiting, not failed)."""
    from cli.signals import stoppable
    from config.loader import config_path, load_config
    from flows.cycle import monthly_cycle
    from flows.logins import release_held
    from robots.cabinets import find_cabinet

    interactive = sys.stderr.isatty()
    setup_logging(interactive, verbose)
    prefect_defaults()
    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        raise typer.BadParameter(f"{today!r} is not YYYY-MM-DD", param_hint="--today") from None
    month = _period(period, day)
    try:
        settings = load_config(config)
        path = str(config_path(config).resolve())
        for name in cabinet or []:
            find_cabinet(settings, name)
        live = interactive and not as_json
        # Ctrl-C / SIGTERM: stop at a safe point, exit 130 / 143 with one line.
        with stoppable(release_held), _live_progress(settings, month, day, live):
            result = monthly_cycle(period=month, config_path=path, today=day, cabinets=cabinet)
    except RobotError as exc:
        fail(exc)
    _show(result, settings, month, day, as_json)
    if result["problems"]:
        raise typer.Exit(1)


def status(
    period: PeriodOption = None, config: ConfigOption = None, as_json: JsonOption = False
) -> None:
    """Print the month's matrix from the ledger, without running anything."""
    from config.loader import load_config

    day = dt.date.today()
    month = _period(period, day)
    try:
        settings = load_config(config)
    except ConfigurationError as exc:
        fail(exc)
    _show({"period": month}, settings, month, day, as_json)


def _cells(settings: RobotConfig, period: str, today: dt.date) -> list[Cell]:
    from robots.cycle.book import opened_book
    from robots.cycle.matrix import reconcile

    with opened_book(settings.state.ledger_url) as book:
        return reconcile(book.items(period), today)


def _show(
    result: dict[str, Any], settings: RobotConfig, period: str, today: dt.date, as_json: bool
) -> None:
    from rich.console import Console

    from robots.cycle.matrix import rows

    cells = _cells(settings, period, today)
    if as_json:
        typer.echo(json.dumps({**result, "matrix": rows(cells)}, ensure_ascii=False))
        return
    # Not on a terminal (a log, a pipe): wide enough for the matrix rather than 80 columns.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    _print_matrix(console, period, cells)
    if "report_html" in result:
        console.print(f"Report: {result['report_html']} (and .csv)")


def _print_matrix(console: Console, period: str, cells: list[Cell]) -> None:
    from rich.table import Table

    from robots.cycle.matrix import Status, tally

    colours = {
        Status.DELIVERED: "green",
        Status.WAITING: "yellow",
        Status.MISSING: "red",
        Status.FAILED: "red",
    }
    if not cells:
        console.print(f"Nothing expected for {period} yet: run the cycle first.")
        return
    table = Table(title=f"Documents for {period}")
    for column in ("cabinet", "account", "kind", "status", "detail"):
        table.add_column(column, overflow="fold")
    for cell in cells:
        detail = cell.detail
        if cell.files:  # the names say enough here; the report has the paths
            detail = ", ".join(path.rsplit("/", 1)[-1] for path in cell.files)
        if cell.evidence:
            detail += f" (evidence: {cell.evidence})"
        status = f"[{colours[cell.status]}]{cell.status}[/]"
        table.add_row(cell.cabinet, cell.account, cell.kind, status, detail)
    console.print(table)
    console.print(tally(cells))


@contextmanager
def _live_progress(
    settings: RobotConfig, period: str, today: dt.date, interactive: bool
) -> Iterator[None]:
    """On a terminal, a table per cabinet redrawn from the order book while the cycle runs."""
    if not interactive:
        yield
        return
    from rich.live import Live

    with Live(_Progress(settings, period, today), refresh_per_second=1, transient=True):
        yield


class _Progress:
    """What each cabinet has so far, read from the book at every redraw."""

    def __init__(self, settings: RobotConfig, period: str, today: dt.date) -> None:
        self._settings = settings
        self._period = period
        self._today = today

    def __rich__(self) -> RenderableType:
        from rich.table import Table

        from robots.cycle.matrix import Status

        table = Table(title=f"Monthly cycle {self._period}", title_justify="left")
        table.add_column("cabinet")
        for status in Status:
            table.add_column(str(status), justify="right")
        per_cabinet: dict[str, dict[Status, int]] = {}
        for cell in _cells(self._settings, self._period, self._today):
            tally = per_cabinet.setdefault(cell.cabinet, dict.fromkeys(Status, 0))
            tally[cell.status] += 1
        for cabinet, tally in per_cabinet.items():
            table.add_row(cabinet, *(str(tally[s]) for s in Status))
        return table
