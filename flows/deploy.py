"""The deployments ``cabinet-robot serve`` registers: what runs when, from the configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import Flow
from prefect.schedules import Cron

from config.models import RobotConfig
from flows.canary import canary_check
from flows.collecting import collect_mail
from flows.cycle import monthly_cycle
from flows.purging import purge_files

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment


def deployments(settings: RobotConfig, config_path: Path) -> list[RunnerDeployment]:
    """The monthly cycle, the regular collection, the canary and the purge, on the
    configured schedules.

    The cycle's period is left out: each run works on the month before its own date.
    """
    schedule = settings.schedule
    scheduled: list[tuple[Flow[..., Any], str, str, str]] = [
        (monthly_cycle, "monthly-cycle", schedule.monthly_cycle,
         "Order last month's documents, collect them, reconcile."),
        (collect_mail, "collect-mail", schedule.collect,
         "Collect the operators' mail into Tarifer's inbox."),
        (canary_check, "canary-check", schedule.canary,
         "Check every screen the robot uses, submitting nothing."),
        (purge_files, "purge-files", schedule.purge,
         "Remove the copies of personal data [privacy] keeps no longer."),
    ]  # fmt: skip
    return [
        flow.to_deployment(  # type: ignore[misc,call-arg]
            name=name,
            schedule=Cron(cron, timezone=schedule.timezone),
            parameters={"config_path": str(config_path)},
            _sync=True,  # even where an event loop runs (async_dispatch would give a coroutine)
            description=description,
        )
        for flow, name, cron, description in scheduled
    ]
