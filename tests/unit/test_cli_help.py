"""Every command's ``--help`` as a terminal shows it: prose re-flowed to the width, no
type labels, brackets kept, every option explained; and ``--version``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cli.main import app

TYPE_LABEL = re.compile(r"<(str|int|bool|float|path|file|dir)>|list\[", re.IGNORECASE)
BOX = "│╭╮╰╯─"


def commands() -> Iterator[tuple[list[str], Any]]:
    """Every command and group of the application, with the words that reach it."""

    def walk(path: list[str], command: Any) -> Iterator[tuple[list[str], Any]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                yield from walk([*path, name], sub)

    return walk([], typer.main.get_command(app))


COMMANDS = list(commands())
IDS = [" ".join(path) or "cabinet-robot" for path, _ in COMMANDS]


def rendered(path: list[str], columns: int) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def lines_of(text: str) -> list[str]:
    """The help's lines without the panels' borders and padding."""
    return [" ".join(line.strip(BOX + " ").split()) for line in text.splitlines()]


def paragraphs(text: str) -> list[str]:
    """A help text's paragraphs, as one line each, as Markdown shows them."""
    found = [" ".join(p.split()).replace("`", "") for p in text.split("\n\n")]
    return [p for p in found if p]


def visible_options(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option" and not p.hidden]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_prose_is_reflowed_not_broken_where_the_source_broke_its_lines(
    path: list[str], command: Any
) -> None:
    # So wide that nothing needs wrapping: each paragraph must come out as one line.
    lines = lines_of(rendered(path, 400))
    texts = [command.help or ""] + [p.help or "" for p in visible_options(command)]
    for sub in getattr(command, "commands", {}).values():  # summaries in its commands panel
        texts.append((sub.help or "").split("\n\n")[0])
    for paragraph in (p for text in texts for p in paragraphs(text)):
        assert any(paragraph in line for line in lines), f"{paragraph!r} broken or lost"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_at_80_columns_has_no_type_labels_and_nothing_cut(
    path: list[str], command: Any
) -> None:
    text = rendered(path, 80)
    assert not TYPE_LABEL.search(text), text
    assert "…" not in text, text
    for option in visible_options(command):
        assert getattr(option, "help", None), f"{option.opts} has no help"


def test_square_brackets_in_help_are_shown() -> None:
    text = " ".join(lines_of(rendered(["scenario", "replay"], 80)))
    assert "Only the [browser] section of a configuration" in text


def test_the_help_says_where_the_logs_go() -> None:
    text = " ".join(lines_of(rendered([], 80)))
    assert "<state>/logs/cabinet-robot.log" in text and "rotated" in text


def test_version_comes_from_the_installed_package() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"cabinet-robot {version('cabinet-robot')}"


def test_verbose_means_the_same_on_every_command_that_has_it() -> None:
    helps = {
        " ".join(path): option.help
        for path, command in COMMANDS
        for option in visible_options(command)
        if "--verbose" in option.opts
    }
    assert {"run", "collect", "order", "check", "scenario record"} <= set(helps)
    assert len(set(helps.values())) == 1, helps
    assert all(
        "-v" in o.opts for _, c in COMMANDS for o in visible_options(c) if "--verbose" in o.opts
    )
