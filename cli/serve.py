"""``cabinet-robot serve``: the scheduled deployments, served from this machine."""

from __future__ import annotations

import sys

import typer

from cli.common import ConfigOption, fail, log_to_file, setup_logging
from cli.cycle import prefect_defaults
from robots.errors import ConfigurationError, RobotError

NO_SERVER = """\
cabinet-robot serve needs a Prefect server to keep the schedules and show the runs.
Start one (it keeps its database in ~/.prefect) and point the robot at it:

    prefect server start            # the UI and API on http://127.0.0.1:4200
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    cabinet-robot serve
"""


def serve(config: ConfigOption = None) -> None:
    """Register the monthly cycle, the collection, the canary and the purge with their
    schedules, and run them when they are due (until interrupted)."""
    import prefect
    from prefect.settings import get_current_settings

    from config.loader import config_path, load_config
    from flows.deploy import deployments

    setup_logging(sys.stderr.isatty(), verbose=False)
    prefect_defaults()
    if not get_current_settings().api.url:
        typer.echo(NO_SERVER, err=True)
        raise typer.Exit(2)
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
