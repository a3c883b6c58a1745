"""The month on a work pool: each step orders, notes what came, and hands over.

No process waits for mail. A step (``monthly_cycle`` with ``pooled=True``, as
``cabinet-robot deploy --pool`` registers it) collects, notes arrivals and what went
missing, starts a ``cabinet-session`` run for each cabinet with documents due and no
session of its own under way, and then either schedules the month's next step (a run of
the ``monthly-cycle`` deployment, by Prefect, at the next deadline or poll) or, when
nothing is awaited any more, reconciles and reports as ``monthly_cycle`` does. All state
is in the order book and on the Prefect server, so any worker continues any month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from prefect import State, get_run_logger
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.deployments import run_deployment
from prefect.states import Completed

from config.models import RobotConfig
from flows.session import SESSION_FLOW
from robots.cabinets import find_cabinet
from robots.cycle.book import ItemState, opened_book
from robots.cycle.plan import plan_period
from robots.cycle.work import mark_missing, to_order
from robots.domain import Period

CYCLE_FLOW = "monthly-cycle"  # the flow's name, and its deployment's
CRASH_RESTARTS = 1  # a cabinet's session whose worker was lost is started once more
# Said in full: Prefect 3.8.8's sync client sends the defaults as nulls, which its API refuses.
_EVERY_RUN: dict[str, Any] = {"sort": FlowRunSort.EXPECTED_START_TIME_ASC, "limit": 200}
_UNDER_WAY = [StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING, StateType.CANCELLING,
              StateType.PAUSED]  # fmt: skip


def step_month(
    settings: RobotConfig,
    config_path: str | None,
    period: str,
    today: dt.date,
    cabinets: list[str] | None,
    month_began: dt.datetime | None,
) -> State[dict[str, Any]] | None:
    """One step of the month; None when nothing is awaited any more (the caller reports).

    ``month_began``: when the month's first step began, for the steps it schedules;
    None for the first step itself, which orders again what failed or went missing
    before (as a rerun of ``monthly_cycle`` does) and forgets sessions that crashed
    before it (a person who starts the month again gives them another try).
    """
    logger = get_run_logger()
    chosen = set(cabinets) if cabinets else None
    now = dt.datetime.now(dt.UTC)
    first_round, began = month_began is None, month_began or now
    with opened_book(settings.state.ledger_url) as book:
        picked = [find_cabinet(settings, name) for name in cabinets] if cabinets else None
        book.expect(plan_period(settings, Period.parse(period), today, picked))
        book.note_arrivals(period)
        mark_missing(book, period, chosen)
        items = book.items(period, chosen)
    due = Counter(i.cabinet for i in to_order(items, today, now, first_round))
    with get_client(sync_client=True) as client:
        under_way = [_cabinet(r) for r in _sessions(client, period, _UNDER_WAY)]
        crashed = Counter(
            _cabinet(r)
            for r in _sessions(client, period, [StateType.CRASHED])
            if r.start_time and r.start_time >= began
        )
        for cabinet in sorted(set(due) - set(under_way)):
            if crashed[cabinet] > CRASH_RESTARTS:
                _give_up(settings, period, today, cabinet, crashed[cabinet], first_round)
                continue
            run = _start_session(config_path, cabinet, period, today, first_round)
            logger.info("%s: %d document(s) due, session %s started", cabinet, due[cabinet], run)
            under_way.append(cabinet)
        wake = _next_wake(settings, period, chosen, busy=bool(under_way))
        if wake is None:
            return None
        at = _schedule_next(client, config_path, period, today, cabinets, wake, began)
    working = f"sessions under way: {', '.join(sorted(set(under_way)))}; " if under_way else ""
    return Completed(message=f"{working}the month's next step at {at:%Y-%m-%d %H:%M} UTC")


def _sessions(client: SyncPrefectClient, period: str, states: list[StateType]) -> list[FlowRun]:
    """``period``'s session runs in ``states``."""
    runs = client.read_flow_runs(
        flow_filter=FlowFilter(name=FlowFilterName(any_=[SESSION_FLOW])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=states))
        ),
        **_EVERY_RUN,
    )
    return [r for r in runs if r.parameters.get("period") == period]


def _cabinet(run: FlowRun) -> str:
    return str(run.parameters["cabinet_name"])


def _start_session(
    config_path: str | None,
    cabinet: str,
    period: str,
    today: dt.date,
    first_round: bool,
) -> str:
    run: FlowRun = run_deployment(  # type: ignore[assignment]  # sync here
        f"{SESSION_FLOW}/{SESSION_FLOW}",
        parameters={
            "cabinet_name": cabinet,
            "period": period,
            "config_path": config_path,
            "today": today.isoformat(),
            "first_round": first_round,
        },
        timeout=0,  # the step does not wait: the next one looks
    )
    return run.name


def _give_up(
    settings: RobotConfig, period: str, today: dt.date, cabinet: str, times: int, first: bool
) -> None:
    """A cabinet whose sessions keep losing their worker: its due documents fail, saying so."""
    reason = (
        f"crashed: the session's worker was lost {times} times; see the cabinet-session "
        "runs of this month in Prefect, then run the month again"
    )
    now = dt.datetime.now(dt.UTC)
    with opened_book(settings.state.ledger_url) as book:
        for item in to_order(book.items(period, {cabinet}), today, now, first):
            book.failed(item.key, reason, None)
    get_run_logger().error("%s: %s", cabinet, reason)


def _next_wake(
    settings: RobotConfig, period: str, cabinets: set[str] | None, busy: bool
) -> float | None:
    """Seconds until the next step; None when no session works and nothing is awaited."""
    with opened_book(settings.state.ledger_url) as book:
        items = book.items(period, cabinets)
    dues = [i.due_at for i in items if i.state is ItemState.ORDERED and i.due_at]
    if not dues and not busy:
        return None
    poll = settings.cycle.poll_interval.total_seconds()
    until_due = (min(dues) - dt.datetime.now(dt.UTC)).total_seconds() if dues else poll
    return max(0.0, min(poll, until_due))


def _schedule_next(
    client: SyncPrefectClient,
    config_path: str | None,
    period: str,
    today: dt.date,
    cabinets: list[str] | None,
    wake: float,
    month_began: dt.datetime,
) -> dt.datetime:
    """The month's next step, unless one is scheduled already (two runs of the month)."""
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wake)
    for run in client.read_flow_runs(
        flow_filter=FlowFilter(name=FlowFilterName(any_=[CYCLE_FLOW])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
        ),
        **_EVERY_RUN,
    ):
        if run.parameters.get("period") == period and run.expected_start_time:
            return run.expected_start_time
    run_deployment(
        f"{CYCLE_FLOW}/{CYCLE_FLOW}",
        parameters={
            "period": period,
            "config_path": config_path,
            "today": today.isoformat(),
            "cabinets": cabinets,
            "pooled": True,
            "month_began": month_began.isoformat(),
        },
        scheduled_time=at,
        timeout=0,
        as_subflow=False,  # the next step is the month's, not this run's
    )
    return at
