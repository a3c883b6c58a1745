"""The deployments ``cabinet-robot serve`` registers: what runs when, from the configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prefect.schedules import Cron

from config.models import RobotConfig
from flows.canary import canary_check
from flows.collecting import collect_mail
from flows.cycle import monthly_cycle

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment


def deployments(settings: RobotConfig, config_path: Path) -> list[RunnerDeployment]:
    """The monthly cycle, the regular collection and the canary, on the configured schedules.

    The cycle's period is left out: each run works on the month before its own date.
    """
    schedule = settings.schedule
    parameters = {"config_path": str(config_path)}
    return [
        monthly_cycle.to_deployment(  # type: ignore[list-item,call-arg]
            name="monthly-cycle",
            schedule=Cron(schedule.monthly_cycle, timezone=schedule.timezone),
            parameters=parameters,
            _sync=True,  # even where an event loop runs (async_dispatch would give a coroutine)
            description="Order last month's documents, collect them, reconcile.",
        ),
        collect_mail.to_deployment(  # type: ignore[list-item,call-arg]
            name="collect-mail",
            schedule=Cron(schedule.collect, timezone=schedule.timezone),
            parameters=parameters,
            _sync=True,  # even where an event loop runs (async_dispatch would give a coroutine)
            description="Collect the operators' mail into Tarifer's inbox.",
        ),
        canary_check.to_deployment(  # type: ignore[list-item,call-arg]
            name="canary-check",
            schedule=Cron(schedule.canary, timezone=schedule.timezone),
            parameters=parameters,
            _sync=True,  # even where an event loop runs (async_dispatch would give a coroutine)
            description="Check every screen the robot uses, submitting nothing.",
        ),
    ]
