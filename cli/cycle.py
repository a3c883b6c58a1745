"""``cabinet-robot run`` and ``status``: the monthly cycle now, and the matrix from the ledger."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from cli.common import ConfigOption, VerboseOption, fail, log_to_file, setup_logging
from robots.errors import ConfigurationError, RobotError

if TYPE_CHECKING:
    from prefect import State
    from rich.console import Console, RenderableType

    from config.models import RobotConfig
    from robots.cycle.matrix import Cell
    from robots.review import ReviewLead

PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="Month, YYYY-MM, up to the current one (default: the previous month).",
        metavar="YYYY-MM",
    ),
]
ClosedPeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="Month, YYYY-MM, one that is over (default: the previous month).",
        metavar="YYYY-MM",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the matrix as JSON.")]


def prefect_defaults() -> None:
    """Prefect's settings the robot wants unless the operator set them: no telemetry
    to the internet (the robot's machines often have none); the robot's own log lines
    in the runs' logs (the UI), not only on the console, and no complaint about the ones
    logged outside a run. Effective when set before Prefect is imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "robots")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


def _period(period: str | None, today: dt.date, closed: bool = False) -> str:
    from cli.period import period_option
    from robots.domain import Period

    if period is None:
        return str(Period.of(today).previous())
    return str(period_option(period, today, closed=closed))


def run(
    period: ClosedPeriodOption = None,
    cabinet: Annotated[
        list[str] | None,
        typer.Option(
            "--cabinet", help="Only this cabinet (repeat for several); default all.", metavar="NAME"
        ),
    ] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Judge the cabinets' calendars as on this day, YYYY-MM-DD (rehearsals).",
            metavar="YYYY-MM-DD",
            hidden=True,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print what would be ordered or downloaded, per cabinet, account and kind, "
            "and stop: no login, no order, nothing written.",
        ),
    ] = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the monthly cycle now: order, collect until everything came or is late,
    re-order once, reconcile. Exit 1 when something is missing or failed (documents the
    cabinets do not give yet are waiting, not failed).

    With --dry-run, only what the first round would order or download now, from the
    plan and the order book: nothing is logged into, sent or written."""
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
    month = _period(period, day, closed=True)
    try:
        settings = load_config(config)
        path = str(config_path(config).resolve())
        for name in cabinet or []:
            find_cabinet(settings, name)
        if dry_run:
            _dry_run(settings, month, day, cabinet, as_json)
            return
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        live = interactive and not as_json
        # Ctrl-C / SIGTERM: stop at a safe point, exit 130 / 143 with one line.
        with stoppable(release_held), _live_progress(settings, month, day, live):
            state = monthly_cycle(
                period=month, config_path=path, today=day, cabinets=cabinet, return_state=True
            )
            result = _outcome(state)
    except RobotError as exc:
        fail(exc)
    _show(result, settings, month, day, as_json)
    if result["problems"]:
        raise typer.Exit(1)


def _outcome(state: State[Any]) -> dict[str, Any]:
    """The cycle's result from its final state, a failed month's too (its data)."""
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, BaseException):  # the flow raised: the same error as ever
        raise outcome
    return cast(dict[str, Any], outcome)


def status(
    period: PeriodOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
    problems: Annotated[
        bool,
        typer.Option("--problems", help="Only the documents missing, failed or in review."),
    ] = False,
    health: Annotated[
        bool,
        typer.Option(
            "--health",
            help="Instead of the matrix: each cabinet's last 12 runs (canary, cycle, order) "
            "as a row of cells, ok / healed / changed / unavailable, and what was not ok.",
        ),
    ] = False,
) -> None:
    """Print the month's matrix from the ledger, without running anything, and the files
    of the operators' mail that wait in review (a document they may be is «in review»).
    With --health, the cabinets' health over their last runs instead."""
    from config.loader import load_config

    day = dt.date.today()
    month = _period(period, day)
    try:
        settings = load_config(config)
    except ConfigurationError as exc:
        fail(exc)
    if health:
        from cli.health import show_health

        show_health(settings, as_json)
        return
    _show({"period": month}, settings, month, day, as_json, problems_only=problems)


def _dry_run(
    settings: RobotConfig, period: str, today: dt.date, cabinets: list[str] | None, as_json: bool
) -> None:
    from rich.console import Console
    from rich.table import Table

    from cli.dry_run import as_json as plan_json
    from cli.dry_run import plan_steps, summary
    from robots.masking import shown

    steps = plan_steps(settings, period, today, cabinets)
    if as_json:
        typer.echo(json.dumps(plan_json(period, steps), ensure_ascii=False))
        return
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"What a run would do now for {period} (dry run)")
    for column in ("cabinet", "account", "kind", "action", "detail"):
        table.add_column(column, overflow="fold")
    for step in steps:
        action = step.action if step.action == "nothing" else f"[bold]{step.action}[/]"
        detail = shown(step.detail, settings.privacy.mask_numbers)
        table.add_row(step.cabinet, step.account, step.kind, action, detail)
    if steps:
        console.print(table)
    else:
        console.print(f"Nothing expected for {period}: no cabinet the robot logs into.")
    console.print(summary(steps))


def _cells(
    settings: RobotConfig, period: str, today: dt.date, review: list[ReviewLead] | None = None
) -> list[Cell]:
    from robots.cycle.book import opened_book
    from robots.cycle.matrix import reconcile

    with opened_book(settings.state.ledger_url) as book:
        return reconcile(book.items(period), today, review or ())


def _show(
    result: dict[str, Any],
    settings: RobotConfig,
    period: str,
    today: dt.date,
    as_json: bool,
    problems_only: bool = False,
) -> None:
    from rich.console import Console

    from robots.cycle.matrix import NEEDS_ATTENTION, rows, tally
    from robots.masking import shown
    from robots.review import waiting_leads

    review = waiting_leads(settings)
    cells = _cells(settings, period, today, review)
    everything = cells
    if problems_only:
        cells = [c for c in cells if c.status in NEEDS_ATTENTION]
    if as_json:
        waiting = [lead.as_json() for lead in review]
        payload = {**result, "matrix": rows(cells), "review": waiting}
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    # Not on a terminal (a log, a pipe): wide enough for the matrix rather than 80 columns.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    mask = settings.privacy.mask_numbers  # the tables are for people; --json is not masked
    if problems_only and everything and not cells:
        console.print(f"Nothing missing, failed or in review for {period} ({tally(everything)}).")
    elif problems_only:
        title = f"Documents missing, failed or in review for {period}"
        _print_matrix(console, period, cells, title=title, counted=everything, mask=mask)
    else:
        _print_matrix(console, period, cells, mask=mask)
    if review:
        console.print(
            f"{len(review)} file(s) of the operators' mail wait for a person to place them: "
            "cabinet-robot review list"
        )
        for lead in review:
            console.print(shown(f"  {lead.id}: {lead.file}, {lead.known}: {lead.command}", mask))
    if "report_xlsx" in result:
        console.print(f"Report for accounting: {result['report_xlsx']} (and .html, .csv)")


def _print_matrix(
    console: Console,
    period: str,
    cells: list[Cell],
    title: str | None = None,
    counted: list[Cell] | None = None,
    mask: bool = True,
) -> None:
    """The matrix as a table (``title``: another than the whole month's), then the tally
    of ``counted`` (default: of ``cells``); subscriber numbers masked when ``mask``."""
    from rich.table import Table

    from robots.cycle.matrix import Status, tally
    from robots.masking import shown

    colours = {
        Status.DELIVERED: "green",
        Status.WAITING: "yellow",
        Status.MISSING: "red",
        Status.FAILED: "red",
        Status.IN_REVIEW: "blue",
    }
    if not cells:
        console.print(f"Nothing expected for {period} yet: run the cycle first.")
        return
    table = Table(title=title or f"Documents for {period}")
    for column in ("cabinet", "account", "kind", "status", "detail"):
        table.add_column(column, overflow="fold")
    for cell in cells:
        detail = cell.detail
        if cell.files:  # the names say enough here; the report has the paths
            detail = ", ".join(path.rsplit("/", 1)[-1] for path in cell.files)
        if cell.evidence:
            detail += f" (evidence: {cell.evidence})"
        status = f"[{colours[cell.status]}]{cell.status}[/]"
        table.add_row(cell.cabinet, cell.account, cell.kind, status, shown(detail, mask))
    console.print(table)
    console.print(tally(cells if counted is None else counted))


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
