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
from typing import Any

from prefect import State, flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.states import Cancelled, Completed, Failed

from config.loader import load_config
from config.models import RobotConfig
from flows.collecting import collect_mail
from flows.ordering import order_documents, publish_evidence, publish_heals
from flows.pooled import step_month
from robots import stopping
from robots.cycle.book import ItemState, opened_book
from robots.cycle.matrix import (
    NEEDS_ATTENTION,
    Cell,
    complete,
    markdown,
    reconcile,
    rows,
    tally,
)
from robots.cycle.notify import send_summary
from robots.cycle.report import ReportFiles, write_reports
from robots.cycle.work import mark_missing
from robots.domain import Period
from robots.errors import MailUnavailable, TransientError
from robots.health import history
from robots.masking import shown, shown_rows
from robots.permissions import inbox_access
from robots.review import ReviewLead, waiting_leads

FIRST_PROBLEMS = 2  # reasons named in a failed run's state message


def default_period(today: dt.date) -> Period:
    """The month a cycle works on when none is given: the previous one."""
    return Period.of(today).previous()


def cycle_month(period: str | None, today: dt.date | str | None) -> str:
    """The month a run works on, from its parameters (a deployment's come as text)."""
    if period:
        return str(Period.parse(period))
    return str(default_period(dt.date.fromisoformat(str(today)) if today else dt.date.today()))


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
    """``monthly cycle 2026-11``: a scheduled run (no period given) names its month too."""
    from prefect.runtime import flow_run

    parameters = flow_run.parameters
    name = f"monthly cycle {cycle_month(parameters.get('period'), parameters.get('today'))}"
    cabinets = parameters.get("cabinets")
    return name + (f" ({', '.join(cabinets)})" if cabinets else "")


@flow(name="monthly-cycle", flow_run_name=_run_name)
def monthly_cycle(
    period: str | None = None,
    config_path: str | None = None,
    today: dt.date | None = None,
    cabinets: list[str] | None = None,
    pooled: bool = False,
    month_began: dt.datetime | None = None,
) -> State[dict[str, Any]]:
    """The month's documents from every cabinet, reconciled.

    Ends Failed when a document is missing or failed (``finish``); the state's data is
    the result either way: call with ``return_state=True`` to read a failed month's.

    Args:
        period: ``YYYY-MM``; default the previous month.
        config_path: the configuration file; default as the command line finds it.
        today: the date the cabinets' calendars are judged by (rehearsals); default today.
        cabinets: only these cabinets (names); default every cabinet the robot logs into.
        pooled: on a work pool (``flows.pooled``): sessions as runs of the cabinet-session
            deployment, and the month's next step scheduled instead of waited for.
        month_began: in the steps a pooled month schedules itself, when its first step
            began (left out otherwise).
    """
    logger = get_run_logger()
    settings = load_config(Path(config_path) if config_path else None)
    day = today or dt.date.today()
    month = cycle_month(period, day)
    _collect(config_path)  # what arrived already is not ordered again
    if pooled:
        step = step_month(settings, config_path, month, day, cabinets, month_began)
        return step or _deployed(finish(settings, month, day, cabinets))
    first_round = True
    while True:
        with opened_book(settings.state.ledger_url) as book:
            book.note_arrivals(month)
            mark_missing(book, month, set(cabinets) if cabinets else None)
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
    return _deployed(finish(settings, month, day, cabinets))


def _deployed(state: State[dict[str, Any]]) -> State[dict[str, Any]]:
    """``state`` as the run may end: in a deployment's run (``serve``, a work pool)
    Prefect's engine reads a failed state's data as the exception to raise, so a failed
    month keeps only its message there (the matrix is in the run's artifacts and the
    report); called in a process (``run``), its data is the result either way."""
    from prefect.runtime import deployment

    return Failed(message=state.message) if deployment.id and state.is_failed() else state


def _stopped(period: str) -> State[dict[str, Any]]:
    """The run's end when the operator stopped it: Cancelled, saying how to go on."""
    message = f"stopped; a rerun for {period} goes on where this one stopped"
    return Cancelled(message=message)


def finish(
    settings: RobotConfig, period: str, today: dt.date, cabinets: list[str] | None = None
) -> State[dict[str, Any]]:
    """Reconcile: artifacts, the report beside the manifest, and a mail if not complete.

    The report covers the whole period, the run's result only the cabinets it worked on:
    the run ends Failed when one of those has a document missing, failed or in review (a
    person must place a file that may be it; waiting ones still have time), with the
    tally and the first problems as the state's message.
    """
    with opened_book(settings.state.ledger_url) as book:
        items = book.items(period)
        mine = book.items(period, set(cabinets) if cabinets else None)
        health = history(book.ledger)
    review = waiting_leads(settings)
    cells = reconcile(items, today, review)
    # People read the artifacts: numbers masked; the run's data (--json) keeps them whole.
    mask = settings.privacy.mask_numbers
    text = markdown(period, cells, mask)
    create_markdown_artifact(text, key=f"matrix-{period}", description=f"Documents for {period}")
    create_table_artifact(shown_rows(rows(cells), mask), key=f"matrix-table-{period}")
    reports = write_reports(
        settings.tarifer.inbox,
        period,
        cells,
        jump_share=settings.report.jump_share,
        review=review,
        access=inbox_access(settings.tarifer),
        mask_numbers=mask,
        health=health,
    )
    get_run_logger().info("documents for %s: %s; report %s", period, tally(cells), reports.xlsx)
    for lead in review:
        get_run_logger().warning(
            "waiting in review: %s, %s: %s", lead.file, lead.known, lead.command
        )
    notified = _notify(settings, period, cells, reports, review)
    publish_evidence(mine, settings.browser, f"What failed in {period}", mask)
    publish_heals(mine, settings.browser, f"Controls healed in {period}", mask)
    my_cells = reconcile(mine, today, review)
    problems = [c for c in my_cells if c.status in NEEDS_ATTENTION]
    result = {
        "period": period,
        "complete": complete(my_cells),
        "problems": len(problems),
        "report_html": str(reports.html),
        "report_xlsx": str(reports.xlsx),
        "report_csv": str(reports.csv),
        "notified": notified,
        "matrix": rows(cells),
        "review": [lead.as_json() for lead in review],
    }
    if problems:
        return Failed(message=shown(_problems_message(problems), mask), data=result)
    return Completed(message=tally(my_cells) or "nothing expected", data=result)


def _problems_message(problems: list[Cell]) -> str:
    """«1 missing, 6 failed: sip-main 1100023456 call_details and 5 more: login refused: …»:
    short, for the list of runs (documents failed for one reason are named once); the
    matrix artifact has the rest."""

    def shortened(text: str, limit: int = 100) -> str:
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    by_reason: dict[tuple[str, str], list[Cell]] = {}
    for cell in problems:
        by_reason.setdefault((cell.cabinet, cell.detail), []).append(cell)
    named = []
    for (cabinet, detail), cells in list(by_reason.items())[:FIRST_PROBLEMS]:
        more = f" and {len(cells) - 1} more" if len(cells) > 1 else ""
        named.append(f"{cabinet} {cells[0].account} {cells[0].kind}{more}: {shortened(detail)}")
    rest = " …" if len(by_reason) > FIRST_PROBLEMS else ""
    return f"{tally(problems)}: {'; '.join(named)}{rest}"


def _notify(
    settings: RobotConfig,
    period: str,
    cells: list[Cell],
    reports: ReportFiles,
    review: list[ReviewLead],
) -> bool:
    # Waiting documents still have time: what is missing, failed or waits for a person
    # raises the alarm.
    if settings.notify is None or not (review or any(c.status in NEEDS_ATTENTION for c in cells)):
        return False
    try:
        send_summary(settings.notify, period, cells, reports, review, settings.privacy.mask_numbers)
    except MailUnavailable as exc:
        get_run_logger().error("%s", exc)
        return False
    return True
