"""What the commands share: the --config and --verbose options, help as the terminal
shows it, failing with one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

from cli.logs import log_to_file, setup_logging
from robots.domain import DocumentFormat, DocumentKind
from robots.errors import ConfigurationError, RobotError

__all__ = [
    "FORMATS",
    "KINDS",
    "CommandApp",
    "ConfigOption",
    "HelpCommand",
    "HelpGroup",
    "VerboseOption",
    "fail",
    "log_to_file",
    "setup_logging",
]

# Choices spelt out in the help text: a long «a|b|c» label would break inside a word.
KINDS = ", ".join(DocumentKind)
FORMATS = ", ".join(DocumentFormat)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Configuration file (default: $CABINET_ROBOT_CONFIG, else ./cabinet-robot.toml).",
        metavar="FILE",
        dir_okay=False,
    ),
]
VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Log the robot's own steps too (DEBUG); the libraries' lines stay at INFO.",
    ),
]


def fail(exc: RobotError) -> NoReturn:
    """One line on stderr and a non-zero exit: 2 for configuration, 1 for the rest."""
    evidence = f" (trace, page and screenshot in {exc.evidence})" if exc.evidence else ""
    typer.echo(f"cabinet-robot: {exc}{evidence}", err=True)
    raise typer.Exit(2 if isinstance(exc, ConfigurationError) else 1)


def _no_type(ctx: Any) -> None:
    return None


def _without_flag_labels(params: list[Any]) -> list[Any]:
    """No type label in the help: a flag takes no value (``--help`` included), an
    argument's name says what it takes (``PATH``)."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
        if isinstance(param, TyperArgument) and param.metavar is not None:
            param.display_type_rich = _no_type  # type: ignore[method-assign]
    return params


class HelpCommand(TyperCommand):
    """A command whose help shows no type label beside a flag."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_labels(super().get_params(ctx))


class HelpGroup(TyperGroup):
    """A group of commands whose help shows no type label beside a flag."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_labels(super().get_params(ctx))


class CommandApp(typer.Typer):
    """A typer app whose help reads well in a terminal: docstrings re-flowed to its width
    (Markdown: a single line break is a space, ``[browser]`` stays), no type labels."""

    def __init__(self, **options: Any) -> None:
        super().__init__(
            cls=HelpGroup, rich_markup_mode="markdown", no_args_is_help=True, **options
        )

    def command(
        self, *args: Any, **options: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(*args, cls=options.pop("cls", HelpCommand), **options)
