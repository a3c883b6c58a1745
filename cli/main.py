"""``cabinet-robot``: the command line (typer + rich)."""

from __future__ import annotations

import gc
import json
import sys
from typing import Annotated

import typer

from cli.check import check
from cli.common import CommandApp, ConfigOption, VerboseOption, fail, log_to_file, setup_logging
from cli.cycle import prefect_defaults, run, status
from cli.logs import LOG_BACKUPS, LOG_FILE, LOG_MAX_BYTES
from cli.order import order
from cli.purge import purge
from cli.review import review_app
from cli.sandbox import sandbox_app
from cli.scenario import scenario_app
from cli.serve import deploy, serve
from cli.subscribers import subscribers
from cli.survey import survey
from robots.errors import ConfigurationError, RobotError

app = CommandApp(
    name="cabinet-robot",
    help="Collects telecom operators' documents into Tarifer.",
    epilog=(
        f"Every command logs to stderr and to `<state>/logs/{LOG_FILE}` (`<state>`: `dir` "
        f"of the configuration's `[state]`), rotated at {LOG_MAX_BYTES // 2**20} MB with "
        f"{LOG_BACKUPS} old files kept, readable by its owner only."
    ),
    add_completion=False,
    pretty_exceptions_enable=False,
)
_LISTED_PATHS = 30  # past this, the manifest is the list

app.command()(order)
app.command()(subscribers)
app.command()(check)
app.command()(survey)
app.command()(run)
app.command()(status)
app.command()(serve)
app.command()(deploy)
app.command()(purge)

config_app = CommandApp(help="Inspect the configuration.")
app.add_typer(config_app, name="config")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(scenario_app, name="scenario")
app.add_typer(review_app, name="review")


@app.command()
def collect(
    config: ConfigOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object.")
    ] = False,
    verbose: VerboseOption = False,
) -> None:
    """Collect the operators' mail into Tarifer's import folder, once."""
    from cli.progress import progress_reporter
    from config.loader import load_config
    from robots.mail.collector import Collector

    interactive = sys.stderr.isatty()
    setup_logging(interactive, verbose)
    try:
        settings = load_config(config)
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        with progress_reporter(interactive, "Collecting mail") as report:
            summary = Collector(settings, progress=report).run()
    except RobotError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(summary.as_json()))
        return
    from rich.console import Console

    console = Console(soft_wrap=True, highlight=False)
    console.print(
        f"messages {summary.messages}: delivered {summary.delivered} file(s), "
        f"{summary.duplicates} duplicate(s), {summary.quarantined} quarantined, "
        f"{summary.in_review} waiting for review, "
        f"{summary.ignored} not the robot's, {summary.errors} to retry"
    )
    shown = summary.delivered_paths[:_LISTED_PATHS]
    for path in shown:
        console.print(f"  {settings.tarifer.inbox / path}")
    if len(summary.delivered_paths) > len(shown):
        more = len(summary.delivered_paths) - len(shown)
        console.print(f"  ... and {more} more: see {settings.tarifer.inbox / 'manifest.jsonl'}")


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"cabinet-robot {version('cabinet-robot')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("cabinet-robot (not installed: no version)")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the installed version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Collects telecom operators' documents into Tarifer."""
    prefect_defaults()  # before any command imports Prefect


@config_app.command("check")
def config_check(
    config: ConfigOption = None,
    no_secrets: Annotated[
        bool,
        typer.Option(
            "--no-secrets",
            help="Do not look for the passwords (checking a file meant for another machine).",
        ),
    ] = False,
) -> None:
    """Validate the configuration and that the passwords it names are set; print a summary,
    secrets masked. Exit 2 when something is wrong."""
    from cli.summary import config_summary, needed_secrets, unavailable
    from config.loader import config_path, load_config

    try:
        settings = load_config(config)
    except ConfigurationError as exc:
        fail(exc)
    path = config_path(config)
    if no_secrets:
        typer.echo(config_summary(settings, path))
        return
    problems = {s: why for s in needed_secrets(settings) if (why := unavailable(s)) is not None}
    typer.echo(config_summary(settings, path, missing=set(problems)))
    if problems:
        fail(
            ConfigurationError(
                f"{path}: {'; '.join(problems.values())} (set them, or check a file meant "
                "for another machine with --no-secrets)"
            )
        )


def main() -> None:
    """The ``cabinet-robot`` command."""
    try:
        app()
    finally:
        # Whatever the command left is freed by the exit itself: collecting a large heap
        # once more at shutdown costs 0.2-0.3 s of every command.
        gc.freeze()


if __name__ == "__main__":
    main()
