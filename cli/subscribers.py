"""``cabinet-robot subscribers``: read a cabinet's subscriber list into the inventory."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from cli.common import ConfigOption, VerboseOption, fail, log_to_file, setup_logging
from robots.errors import RobotError


def subscribers(
    cabinet: Annotated[
        str,
        typer.Option("--cabinet", help="Cabinet name in the configuration.", metavar="NAME"),
    ],
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Read the cabinet's subscribers (number → personal account) into the inventory the
    collector resolves numbers with."""
    from config.loader import load_config
    from robots.cabinets import find_cabinet, open_robot
    from robots.inventory import save_subscribers

    setup_logging(sys.stderr.isatty(), verbose)
    try:
        settings = load_config(config)
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        target = find_cabinet(settings, cabinet)
        with open_robot(settings, target) as robot:
            found = robot.subscribers()
        path = save_subscribers(settings, target.name, found)
    except RobotError as exc:
        fail(exc)
    if as_json:
        listed = [s.model_dump(mode="json") for s in found]
        typer.echo(json.dumps({"cabinet": cabinet, "inventory": str(path), "subscribers": listed}))
        return
    from robots.masking import mask_number

    mask = settings.privacy.mask_numbers  # the list for people; --json and the inventory: whole
    for subscriber in found:
        extra = ", ".join(v for v in (subscriber.tariff, subscriber.name) if v)
        number = mask_number(subscriber.number) if mask else subscriber.number
        typer.echo(f"{number}  {subscriber.account}  {extra}")
    typer.echo(f"{len(found)} subscriber(s) of {cabinet} saved to {path}")
