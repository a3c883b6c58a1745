"""``cabinet-robot check``: the canary against the configured cabinets."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from cli.common import ConfigOption, VerboseOption, fail, log_to_file, setup_logging
from robots.errors import RobotError


def check(
    cabinet: Annotated[
        list[str] | None,
        typer.Option("--cabinet", help="Only this cabinet (repeat for several).", metavar="NAME"),
    ] = None,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """The canary: log in, walk every screen the robot uses up to the last step before
    sending anything (nothing is sent), and report each screen ok, changed (with a
    screenshot) or unavailable. Exit code 1 when a screen changed or was unavailable."""
    from config.loader import load_config
    from robots.canary import run_canary
    from robots.masking import shown

    setup_logging(sys.stderr.isatty(), verbose)
    try:
        settings = load_config(config)
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        report = run_canary(settings, cabinet)
    except RobotError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:  # for a person: subscriber numbers masked, as in every command's table
        mask = settings.privacy.mask_numbers
        for line in report.lines():
            typer.echo(shown(line, mask))
        problems = report.problems()
        if not problems:
            summary = "all screens ok"
        elif report.ok:  # healed only, and runs heal
            summary = f"{len(problems)} screen(s) healed: confirm each heal as a labels override"
        else:
            summary = f"{len(problems)} screen(s) not ok"
        typer.echo(shown(f"{summary}; screenshots and traces: {report.directory}", mask))
    if not report.ok:
        raise typer.Exit(1)
