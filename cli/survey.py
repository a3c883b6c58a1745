"""``cabinet-robot survey``: what one cabinet's screens show, and how the robot finds them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.common import ConfigOption, VerboseOption, fail, log_to_file, setup_logging
from robots.errors import RobotError


def survey(
    cabinet: Annotated[
        str, typer.Option("--cabinet", help="The cabinet to survey.", metavar="NAME")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the survey (default: survey/TIME/CABINET in the state folder).",
            metavar="DIR",
        ),
    ] = None,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Log in and walk every screen the robot uses, up to the last step before sending
    anything (nothing is ordered), and write each screen's accessibility snapshot, HTML
    and screenshot with how each control was found, in survey.html. Prints the labels
    and titles overrides that would find what was not found. Exit code 1 when a screen
    was not ok or an override is proposed."""
    from config.loader import load_config
    from robots.masking import shown
    from robots.survey import run_survey

    setup_logging(sys.stderr.isatty(), verbose)
    try:
        settings = load_config(config)
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        report = run_survey(settings, cabinet, out)
    except RobotError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        mask = settings.privacy.mask_numbers
        for line in report.lines():
            typer.echo(shown(line, mask))
        if report.proposed:
            typer.echo(f"\nPaste into the [[cabinets]] table of {report.cabinet}:")
            typer.echo(report.overrides_toml())
        typer.echo(f"\nNothing was ordered. The survey: {report.directory / 'survey.html'}")
    if not report.ok:
        raise typer.Exit(1)
