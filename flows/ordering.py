"""``order_documents``: every cabinet's due documents, ordered in parallel browsers.

One task per cabinet session. Cabinets run side by side in Prefect's thread pool (one
Playwright per task: its sync API is bound to the thread that started it), at most
``cycle.max_browsers`` at once, and never two sessions with the same login
(``flows.logins``: the canary, a manual run and the cycle cannot log each other out).

Retries, as each error class declares (``robots.errors.Retry``): the robot retries a page
that answered 5xx within seconds (tenacity); the task is retried by Prefect, minutes
apart, only when the whole cabinet is unreachable; never both for the same error.
A login refused, a lockout, a person needed, a maintenance page or a refusal are
reported, never retried. A stop (``robots.stopping``) ends each session between two
documents; sessions not started yet end before logging in.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import Task

from config.loader import load_config
from config.models import BrowserSettings, RobotConfig
from flows.logins import login_slot
from robots import stopping
from robots.cabinets import find_cabinet
from robots.cycle.book import Item, ItemState, OrderBook, opened_book
from robots.cycle.plan import plan_period
from robots.cycle.work import CabinetWork, describe, to_order, work_cabinet
from robots.domain import Period
from robots.errors import Retry, RobotError, retry_of
from robots.evidence_view import Evidence, evidence_markdown, make_previews
from robots.masking import shown
from robots.stopping import Stopped

log = logging.getLogger(__name__)


def _transient(task: Task[Any, Any], run: TaskRun, state: State[Any]) -> bool:
    """Retry the session when its error class says so (the cabinet could not be reached
    at all), and no stop was asked for: the retry's delay would keep the run."""
    error = state.result(raise_on_failure=False)
    return (
        isinstance(error, BaseException)
        and retry_of(error) is Retry.LATER_SESSION
        and not stopping.requested()
    )


@task(name="order-in-cabinet", task_run_name="order in {cabinet_name}", cache_policy=NO_CACHE)
def order_in_cabinet(
    config_path: str | None, cabinet_name: str, period: str, today: dt.date, first_round: bool
) -> dict[str, Any]:
    """Order (or download) ``cabinet_name``'s due documents in one browser session."""
    return work_session(config_path, cabinet_name, period, today, first_round)


def retried_session(settings: RobotConfig) -> Task[..., dict[str, Any]]:
    """``order_in_cabinet`` with the configured retries of a cabinet that cannot be reached."""
    delays = [settings.cycle.retry_delay.total_seconds() * 2**n for n in range(10)]
    return order_in_cabinet.with_options(
        retries=settings.cycle.retries,
        retry_delay_seconds=delays[: settings.cycle.retries] or 0,
        retry_condition_fn=_transient,
    )


def work_session(
    config_path: str | None, cabinet_name: str, period: str, today: dt.date, first_round: bool
) -> dict[str, Any]:
    """One browser session for ``cabinet_name``'s due documents: what it did.

    What is due is read inside the login's slot: a session that waited for the slot (a
    rerun of a crashed one, or two runs of the month) orders only what the holder left.
    """
    settings = load_config(Path(config_path) if config_path else None)
    cabinet = find_cabinet(settings, cabinet_name)
    with opened_book(settings.state.ledger_url) as book:
        if not _due(book, cabinet_name, period, today, first_round):
            return asdict(CabinetWork(cabinet_name))  # no login for nothing
        try:
            with login_slot(cabinet, settings.cycle.slot_wait):
                due = _due(book, cabinet_name, period, today, first_round)
                work = work_cabinet(settings, cabinet, due, book) if due else None
        except Stopped:  # while waiting for the login: nothing was done
            return asdict(CabinetWork(cabinet_name))
    return asdict(work or CabinetWork(cabinet_name))  # its failures were logged by the robot


def _due(
    book: OrderBook, cabinet: str, period: str, today: dt.date, first_round: bool
) -> list[Item]:
    # Read afresh each time: a retried task goes on from what the last attempt left due.
    items = book.items(period, {cabinet})
    return to_order(items, today, dt.datetime.now(dt.UTC), first_round)


def record_session_failure(
    settings: RobotConfig,
    cabinet: str,
    period: str,
    today: dt.date,
    first_round: bool,
    error: BaseException,
) -> None:
    """A session that ended in an error: its still-due documents fail with that reason."""
    reason = (
        describe(error) if isinstance(error, RobotError) else f"{type(error).__name__}: {error}"
    )
    evidence = getattr(error, "evidence", None)
    with opened_book(settings.state.ledger_url) as book:
        now = dt.datetime.now(dt.UTC)
        for item in to_order(book.items(period, {cabinet}), today, now, first_round):
            book.failed(item.key, reason, str(evidence) if evidence else None)


def publish_evidence(
    items: list[Item], browser: BrowserSettings, heading: str, mask_numbers: bool = True
) -> None:
    """One markdown artifact on the run: each failure's reason, screenshot and trace command
    (subscriber numbers in the words masked unless ``mask_numbers`` is false).

    A folder of evidence can stand for several documents (a session that ended in an
    error fails all that were still due).
    """
    failed: dict[str, list[Item]] = {}
    for item in items:
        if item.state is ItemState.FAILED and item.evidence:
            failed.setdefault(item.evidence, []).append(item)
    if not failed:
        return
    evidence = []
    for folder, those in failed.items():
        screenshot, trace = Path(folder) / "screenshot.png", Path(folder) / "trace.zip"
        what = [f"{i.account} {i.kind}" for i in those]
        if len(what) > 3:  # a session of many accounts: the matrix names them all
            what = [*what[:2], f"{len(what) - 2} more"]
        evidence.append(
            Evidence(
                title=shown(f"{those[0].cabinet}: {', '.join(what)}", mask_numbers),
                # Only the words: the page embeds the screenshot, whose base64 is no number.
                detail=shown(those[0].reason or "failed", mask_numbers),
                screenshot=screenshot if screenshot.is_file() else None,
                trace=trace if trace.is_file() else None,
            )
        )
    make_previews([e.screenshot for e in evidence if e.screenshot], browser)
    create_markdown_artifact(
        evidence_markdown(heading, evidence),
        description=f"{heading}: screenshots and the command to open each trace",
    )


def publish_heals(
    items: list[Item], browser: BrowserSettings, heading: str, mask_numbers: bool = True
) -> None:
    """One markdown artifact on the run: each control healed in ordering a document, its
    screenshot, and the override that confirms it."""
    evidence = [
        Evidence(
            title=shown(f"{item.cabinet}: {item.account} {item.kind}: {note.short}", mask_numbers),
            detail=shown(note.line, mask_numbers),
            screenshot=Path(note.screenshot) if note.screenshot else None,
        )
        for item in items
        for note in item.heals
    ]
    if not evidence:
        return
    make_previews([e.screenshot for e in evidence if e.screenshot], browser)
    create_markdown_artifact(
        evidence_markdown(heading, evidence),
        description=f"{heading}: confirm each as a labels override in the cabinet's configuration",
    )


@flow(name="order-documents", flow_run_name="order documents for {period}")
def order_documents(
    period: str,
    config_path: str | None = None,
    today: dt.date | None = None,
    first_round: bool = True,
    cabinets: list[str] | None = None,
) -> dict[str, Any]:
    """Order the due documents for ``period`` of every cabinet (or of ``cabinets``);
    idempotent: the book knows what was ordered. Returns what each session did."""
    settings = load_config(Path(config_path) if config_path else None)
    day = today or dt.date.today()
    month = Period.parse(period)
    chosen = [find_cabinet(settings, name) for name in cabinets] if cabinets else None
    with opened_book(settings.state.ledger_url) as book:
        book.expect(plan_period(settings, month, day, chosen))
        # What came by mail before the book expected it (a month's first run, when the
        # operators had mailed some documents already) is delivered: not ordered again.
        book.note_arrivals(period)
        items = book.items(period, set(cabinets) if cabinets else None)
        due = to_order(items, day, dt.datetime.now(dt.UTC), first_round)
    working = [find_cabinet(settings, name) for name in dict.fromkeys(i.cabinet for i in due)]
    if not working:
        return {"sessions": []}
    session = retried_session(settings)
    # The pool is sized from the configuration, so it is made here rather than on the flow.
    runner: ThreadPoolTaskRunner[Any] = ThreadPoolTaskRunner(
        max_workers=settings.cycle.max_browsers
    )
    sessions: list[dict[str, Any]] = []
    with runner:
        common = {"config_path": config_path, "period": period, "today": day,
                  "first_round": first_round}  # fmt: skip
        futures: dict[str, PrefectFuture[dict[str, Any]]] = {
            c.name: runner.submit(session, {**common, "cabinet_name": c.name}) for c in working
        }
        wait(list(futures.values()))
        for name, future in futures.items():
            state = future.state
            if state.is_completed():
                sessions.append(future.result())
                continue
            error = state.result(raise_on_failure=False)
            get_run_logger().error("%s: %s", name, error)
            if isinstance(error, BaseException):
                record_session_failure(settings, name, period, day, first_round, error)
            sessions.append({"cabinet": name, "error": str(error)})
    with opened_book(settings.state.ledger_url) as book:
        worked_on = book.items(period, set(futures))
    publish_evidence(
        worked_on,
        settings.browser,
        f"What failed in ordering {period}",
        settings.privacy.mask_numbers,
    )
    publish_heals(
        worked_on,
        settings.browser,
        f"Controls healed in ordering {period}",
        settings.privacy.mask_numbers,
    )
    return {"sessions": sessions}
