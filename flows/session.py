"""``cabinet_session``: one cabinet's session as a flow run of its own, for a work pool.

The pooled month (``flows.pooled``) starts one run of the ``cabinet-session`` deployment
per cabinet with documents due, so sessions spread over the pool's workers. The run does
what a thread of ``order_documents`` does: the same task with the same retries, the
login's slot (held across workers by the Prefect server), what is due read inside it, each
outcome written to the book as it happens. An error that ends the session fails its
still-due documents with the reason, as ``order_documents`` does, and fails the run.

A run whose worker died stops sending heartbeats; the server's automation (``flows.deploy``)
marks it Crashed and the month's next step starts the cabinet's session again: the book,
read in the slot, leaves nothing to be ordered twice (an order caught in flight stays
unconfirmed, for a person).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prefect import flow

from config.loader import load_config
from flows.ordering import publish_evidence, publish_heals, record_session_failure, retried_session
from robots.cycle.book import opened_book

SESSION_FLOW = "cabinet-session"


@flow(name=SESSION_FLOW, flow_run_name="{cabinet_name} for {period}")
def cabinet_session(
    cabinet_name: str,
    period: str,
    config_path: str | None = None,
    today: dt.date | None = None,
    first_round: bool = True,
) -> dict[str, Any]:
    """Order (or download) ``cabinet_name``'s due documents for ``period``.

    Args:
        cabinet_name: the cabinet, by its name in the configuration.
        period: ``YYYY-MM``.
        config_path: the configuration file; default as the command line finds it.
        today: the date the cabinet's calendar is judged by; default today.
        first_round: also what failed or went missing before (a month's first step).
    """
    settings = load_config(Path(config_path) if config_path else None)
    day = today or dt.date.today()
    session = retried_session(settings)
    try:
        return session(config_path, cabinet_name, period, day, first_round)
    except Exception as exc:
        record_session_failure(settings, cabinet_name, period, day, first_round, exc)
        raise
    finally:
        with opened_book(settings.state.ledger_url) as book:
            worked_on = book.items(period, {cabinet_name})
        mask = settings.privacy.mask_numbers
        publish_evidence(worked_on, settings.browser, f"What failed in {cabinet_name}", mask)
        publish_heals(worked_on, settings.browser, f"Controls healed in {cabinet_name}", mask)
