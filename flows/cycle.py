"""``monthly_cycle``: order, collect until everything came or its deadline passed,
re-order once what is late, then reconcile and report.

The state lives in the order book (the ledger's database), not in the flow: a cycle
that crashed or was cancelled is simply run again, and goes on where it stopped. A stop
asked for (``robots.stopping``: Ctrl-C, SIGTERM) ends the run Cancelled once the sessions
have finished the document in hand, and cuts the wait between collections short.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.states import Cancelled

from config.loader import load_config
from config.models import RobotConfig
from flows.collecting import collect_mail
from flows.ordering import order_documents
from robots import stopping
from robots.cycle.book import ItemState, opened_book
from robots.cycle.matrix import (
    Cell,
    Status,
    complete,
    markdown,
    reconcile,
    rows,
    tally,
    write_reports,
)
from robots.cycle.notify import send_summary
from robots.cycle.work import gone_missing
from robots.domain import Period
from robots.errors import MailUnavailable, TransientError


def default_period(today: dt.date) -> Period:
    """The month a cycle works on when none is given: the previous one."""
    return Period.of(today).previous()


def _collect(config_path: str | None) -> None:
    try:
        collect_mail(config_path)
    except TransientError as exc:
        # The mail server is away for now: the next round collects again. A refused
        # login or a missing folder stops the cycle instead: waiting would be pointless.
        get_run_logger().warning("collection failed: %s", exc)


def _next_wake(settings: RobotConfig, period: str) -> float | None:
    """Seconds until the next collection, or None when nothing ordered is awaited."""
    with opened_book(settings.state.ledger_url) as book:
        items = book.items(period)
    dues = [i.due_at for i in items if i.state is ItemState.ORDERED and i.due_at]
    if not dues:
        return None
    until_due = (min(dues) - dt.datetime.now(dt.UTC)).total_seconds()
    return max(0.0, min(settings.cycle.poll_interval.total_seconds(), until_due))


def _run_name() -> str:
    from prefect.runtime import flow_run

    period = flow_run.parameters.get("period")
    return f"monthly cycle {period or 'of the previous month'}"


@flow(name="monthly-cycle", flow_run_name=_run_name)
def monthly_cycle(
    period: str | None = None,
    config_path: str | None = None,
    today: dt.date | None = None,
    cabinets: list[str] | None = None,
) -> dict[str, Any]:
    """The month's documents from every cabinet, reconciled.

    Args:
        period: ``YYYY-MM``; default the previous month.
        config_path: the configuration file; default as the command line finds it.
        today: the date the cabinets' calendars are judged by (rehearsals); default today.
        cabinets: only these cabinets (names); default every cabinet the robot logs into.
    """
    logger = get_run_logger()
    settings = load_config(Path(config_path) if config_path else None)
    day = today or dt.date.today()
    month = str(Period.parse(period) if period else default_period(day))
    _collect(config_path)  # what arrived already is not ordered again
    first_round = True
    while True:
        with opened_book(settings.state.ledger_url) as book:
            book.note_arrivals(month)
            chosen = set(cabinets) if cabinets else None
            for late in gone_missing(book.items(month, chosen), dt.datetime.now(dt.UTC)):
                logger.warning("%s %s %s: missing", late.cabinet, late.account, late.kind)
                book.missing(late.key)
        order_documents(month, config_path, day, first_round, cabinets)
        first_round = False
        if stopping.requested():
            return _stopped(month)
        wake = _next_wake(settings, month)
        if wake is None:
            break
        logger.info("waiting %.0f s for the ordered documents, then collecting", wake)
        try:
            stopping.wait(wake)
        except stopping.Stopped:
            return _stopped(month)
        _collect(config_path)
    return finish(settings, month, day, cabinets)


def _stopped(period: str) -> dict[str, Any]:
    """The run's end when the operator stopped it: Cancelled, saying how to go on.

    Prefect makes a state the flow returns its final state (a direct call then raises
    ``CancelledRun``), hence the cast: no result is returned.
    """
    message = f"stopped; a rerun for {period} goes on where this one stopped"
    return cast("dict[str, Any]", Cancelled(message=message))


def finish(
    settings: RobotConfig, period: str, today: dt.date, cabinets: list[str] | None = None
) -> dict[str, Any]:
    """Reconcile: artifacts, the report beside the manifest, and a mail if not complete.

    The report covers the whole period, the run's result only the cabinets it worked on.
    """
    with opened_book(settings.state.ledger_url) as book:
        items = book.items(period)
        mine = book.items(period, set(cabinets) if cabinets else None)
    cells = reconcile(items, today)
    text = markdown(period, cells)
    create_markdown_artifact(text, key=f"matrix-{period}", description=f"Documents for {period}")
    create_table_artifact(rows(cells), key=f"matrix-table-{period}")
    html_path, csv_path = write_reports(settings.tarifer.inbox, period, cells)
    get_run_logger().info("documents for %s: %s; report %s", period, tally(cells), html_path)
    notified = _notify(settings, period, cells)
    my_cells = reconcile(mine, today)
    return {
        "period": period,
        "complete": complete(my_cells),
        "problems": sum(c.status in (Status.MISSING, Status.FAILED) for c in my_cells),
        "report_html": str(html_path),
        "report_csv": str(csv_path),
        "notified": notified,
        "matrix": rows(cells),
    }


def _notify(settings: RobotConfig, period: str, cells: list[Cell]) -> bool:
    # Waiting documents still have time: only what is missing or failed raises the alarm.
    if settings.notify is None or not any(
        c.status in (Status.MISSING, Status.FAILED) for c in cells
    ):
        return False
    try:
        send_summary(settings.notify, period, cells)
    except MailUnavailable as exc:
        get_run_logger().error("%s", exc)
        return False
    return True
