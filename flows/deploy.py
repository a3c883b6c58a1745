"""The deployments the robot registers: served from this machine (``cabinet-robot serve``)
or on a Prefect work pool (``cabinet-robot deploy --pool``), from the configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import Flow
from prefect.schedules import Cron

from config.models import RobotConfig
from flows.canary import canary_check
from flows.collecting import collect_mail
from flows.cycle import monthly_cycle
from flows.purging import purge_files
from flows.session import SESSION_FLOW, cabinet_session

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.deployments.runner import RunnerDeployment

# A pool's flow runs send a heartbeat this often (Prefect's shortest); a run silent for
# ZOMBIE_AFTER_S lost its worker and is marked Crashed by the automation ``deploy`` makes.
HEARTBEAT_S = 30
ZOMBIE_AFTER_S = 3 * HEARTBEAT_S
ZOMBIE_AUTOMATION = "cabinet-robot: crash runs whose worker was lost"
# On the pool's deployments, so on their runs: the automation judges only these (other
# flows on the same server keep Prefect's own, longer, heartbeat and are left alone).
POOL_TAG = "cabinet-robot"
_TAGGED = f"prefect.tag.{POOL_TAG}"
_POOL_ENV = {
    "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_S),
    "PREFECT_LOGGING_EXTRA_LOGGERS": "robots",  # the robot's own lines in the run's log
}


def _scheduled(settings: RobotConfig) -> list[tuple[Flow[..., Any], str, str, str]]:
    schedule = settings.schedule
    return [
        (monthly_cycle, "monthly-cycle", schedule.monthly_cycle,
         "Order last month's documents, collect them, reconcile."),
        (collect_mail, "collect-mail", schedule.collect,
         "Collect the operators' mail into Tarifer's inbox."),
        (canary_check, "canary-check", schedule.canary,
         "Check every screen the robot uses, submitting nothing."),
        (purge_files, "purge-files", schedule.purge,
         "Remove the copies of personal data [privacy] keeps no longer."),
    ]  # fmt: skip


def deployments(settings: RobotConfig, config_path: Path) -> list[RunnerDeployment]:
    """The monthly cycle, the regular collection, the canary and the purge, on the
    configured schedules, for ``prefect.serve``.

    The cycle's period is left out: each run works on the month before its own date.
    """
    return [
        flow.to_deployment(  # type: ignore[misc,call-arg]
            name=name,
            schedule=Cron(cron, timezone=settings.schedule.timezone),
            parameters={"config_path": str(config_path)},
            _sync=True,  # even where an event loop runs (async_dispatch would give a coroutine)
            description=description,
        )
        for flow, name, cron, description in _scheduled(settings)
    ]


def pool_deployments(settings: RobotConfig, config_path: Path) -> list[RunnerDeployment]:
    """The same four, and the cabinet session the pooled cycle starts, for a work pool.

    Entry points are module paths: a worker runs them from the environment it was started
    in, where cabinet-robot is installed (the same version on every machine). The cycle
    runs pooled (``flows.pooled``): sessions as runs of their own, no run waiting for mail.
    """
    from prefect.types.entrypoint import EntrypointType

    common = {"config_path": str(config_path)}
    scheduled = [
        (flow, name, Cron(cron, timezone=settings.schedule.timezone), description)
        for flow, name, cron, description in _scheduled(settings)
    ]
    session = (cabinet_session, SESSION_FLOW, None,
               "One cabinet's browser session, started by the monthly cycle.")  # fmt: skip
    return [
        flow.to_deployment(  # type: ignore[misc,call-arg]
            name=name,
            schedule=schedule,
            parameters={**common, "pooled": True} if flow is monthly_cycle else common,
            entrypoint_type=EntrypointType.MODULE_PATH,
            job_variables={"env": _POOL_ENV},
            tags=[POOL_TAG],
            _sync=True,
            description=description,
        )
        for flow, name, schedule, description in [*scheduled, session]
    ]


def deploy_to_pool(settings: RobotConfig, config_path: Path, pool: str) -> list[str]:
    """Register the pool's deployments (creating a process pool of that name if there is
    none, and the automation that marks a lost worker's runs Crashed); their names."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        _ensure_pool(client, pool)
        _ensure_zombie_automation(client)
    found = pool_deployments(settings, config_path)
    for deployment in found:
        # What ``prefect.deploy`` does for a pool without images; it is not called because
        # its sync path asks the API for the pool's workers with a body 3.8.8 refuses (422).
        deployment.apply(work_pool_name=pool, _sync=True)  # type: ignore[call-arg]
    return [f"{d.flow_name}/{d.name}" for d in found]


def _ensure_pool(client: SyncPrefectClient, pool: str) -> None:
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    try:
        client.read_work_pool(pool)
    except ObjectNotFound:
        template = ProcessWorker.get_default_base_job_template()
        client.create_work_pool(
            WorkPoolCreate(name=pool, type=ProcessWorker.type, base_job_template=template)
        )


def _ensure_zombie_automation(client: SyncPrefectClient) -> None:
    """Prefect's own recipe for runs whose machine died: no heartbeat, then Crashed."""
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    for earlier in client.read_automations_by_name(ZOMBIE_AUTOMATION):
        client.delete_automation(earlier.id)  # a deploy of this version replaces it
    ended = ["Completed", "Failed", "Cancelled", "Crashed"]
    client.create_automation(
        AutomationCore(
            name=ZOMBIE_AUTOMATION,
            description="A flow run that stopped sending heartbeats lost its worker.",
            trigger=EventTrigger(
                after={"prefect.flow-run.heartbeat"},
                expect={"prefect.flow-run.heartbeat", *(f"prefect.flow-run.{s}" for s in ended)},
                match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
                match_related=ResourceSpecification(
                    {"prefect.resource.role": "tag", "prefect.resource.id": _TAGGED}
                ),
                for_each={"prefect.resource.id"},
                posture=Posture.Proactive,
                threshold=1,
                within=dt.timedelta(seconds=ZOMBIE_AFTER_S),
            ),
            actions=[
                ChangeFlowRunState(
                    state=StateType.CRASHED,
                    message=f"no heartbeat for {ZOMBIE_AFTER_S} s: the worker was lost",
                )
            ],
        )
    )
