"""``cabinet-robot serve`` and ``deploy``: the scheduled deployments, served from this
machine or registered on a Prefect work pool for workers on several machines."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.common import ConfigOption, fail, log_to_file, setup_logging
from cli.cycle import prefect_defaults
from robots.errors import ConfigurationError, RobotError

NO_SERVER = """\
cabinet-robot {command} needs a Prefect server to keep the schedules and show the runs.
Start one (it keeps its database in ~/.prefect) and point the robot at it:

    prefect server start            # the UI and API on http://127.0.0.1:4200
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    cabinet-robot {command}
"""


def serve(config: ConfigOption = None) -> None:
    """Register the monthly cycle, the collection, the canary and the purge with their
    schedules, and run them when they are due (until interrupted)."""
    import prefect

    from config.loader import config_path, load_config
    from flows.deploy import deployments

    _need_server("serve")
    try:
        settings = load_config(config)
        path = config_path(config).resolve()
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
    except ConfigurationError as exc:
        fail(exc)
    try:
        prefect.serve(*deployments(settings, path))
    except RobotError as exc:
        fail(exc)


PoolOption = Annotated[
    str,
    typer.Option("--pool", help="The Prefect work pool (made, of type process, if missing).",
                 metavar="NAME"),
]  # fmt: skip


def deploy(pool: PoolOption, config: ConfigOption = None) -> None:
    """Register the monthly cycle, the collection, the canary, the purge and the cabinet
    session on a work pool, for `prefect worker start --pool NAME` on each machine."""
    _need_server("deploy")
    import httpx
    from prefect.settings import get_current_settings

    from config.loader import config_path, load_config
    from flows.deploy import deploy_to_pool

    try:
        settings = load_config(config)
        path = config_path(config).resolve()
        names = deploy_to_pool(settings, path, pool)
    except ConfigurationError as exc:
        fail(exc)
    except httpx.TransportError as exc:
        url = get_current_settings().api.url
        typer.echo(f"cabinet-robot: cannot reach the Prefect server at {url} ({exc}): "
                   "start it, or point PREFECT_API_URL at it", err=True)  # fmt: skip
        raise typer.Exit(1) from None
    except httpx.HTTPStatusError as exc:
        typer.echo(f"cabinet-robot: the Prefect server refused the deployments: {exc}", err=True)
        raise typer.Exit(1) from None
    for name in names:
        typer.echo(f"deployed {name} on work pool {pool}")
    typer.echo(f"start a worker on each machine: prefect worker start --pool {pool}")


def _need_server(command: str) -> None:
    """Logging set up, Prefect's defaults, and a Prefect server named, or exit 2 saying how."""
    from prefect.settings import get_current_settings

    setup_logging(sys.stderr.isatty(), verbose=False)
    prefect_defaults()
    if not get_current_settings().api.url:
        typer.echo(NO_SERVER.format(command=command), err=True)
        raise typer.Exit(2)
