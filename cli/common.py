"""What the commands share: the --config option, logging, failing with one line."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from robots.errors import ConfigurationError, RobotError

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Configuration file (default: $CABINET_ROBOT_CONFIG, else ./cabinet-robot.toml)",
        dir_okay=False,
    ),
]


def fail(exc: RobotError) -> NoReturn:
    """One line on stderr and a non-zero exit: 2 for configuration, 1 for the rest."""
    evidence = f" (trace and screenshot in {exc.evidence})" if exc.evidence else ""
    typer.echo(f"cabinet-robot: {exc}{evidence}", err=True)
    raise typer.Exit(2 if isinstance(exc, ConfigurationError) else 1)


def setup_logging(interactive: bool, verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.INFO
    if interactive:
        from rich.logging import RichHandler

        handler: logging.Handler = RichHandler(show_path=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for noisy in ("imapclient", "httpx", "httpcore", "pypdf", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
