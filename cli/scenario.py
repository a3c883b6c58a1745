"""``cabinet-robot scenario record|replay``: recorded cabinet scenarios for QA."""

from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    FORMATS,
    KINDS,
    CommandApp,
    ConfigOption,
    VerboseOption,
    fail,
    log_to_file,
    setup_logging,
)
from cli.period import period_option
from robots.domain import DocumentFormat, DocumentKind
from robots.errors import RobotError

scenario_app = CommandApp(
    help="Record a robot operation in a cabinet (scrubbed HAR + trace) and replay it offline."
)


@scenario_app.command("record")
def record(
    cabinet: Annotated[
        str,
        typer.Option("--cabinet", help="Cabinet name in the configuration.", metavar="NAME"),
    ],
    operation: Annotated[
        str,
        typer.Option(
            "--operation",
            help="login, accounts, order or download (order:KIND and download:KIND too).",
            metavar="OPERATION",
        ),
    ],
    kind: Annotated[
        DocumentKind | None,
        typer.Option("--kind", help=f"Document kind (order, download): {KINDS}.", metavar="KIND"),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Month, YYYY-MM, up to the current one.", metavar="YYYY-MM"),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account", help="Personal account (default: the first configured).", metavar="ID"
        ),
    ] = None,
    fmt: Annotated[
        DocumentFormat | None,
        typer.Option(
            "--format", help=f"File format: {FORMATS} (default: the cabinet's).", metavar="FORMAT"
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Scenario folder (default: the operation's folder in OPERATOR/ under "
            "[privacy] recordings, var/scenarios beside the configuration).",
            metavar="DIR",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="The robot's date (for a sandbox with a date of its own).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Run one operation in the cabinet and keep it as a scenario: the HAR and the trace,
    scrubbed of passwords, codes, cookies, tokens, e-mail addresses and phone numbers.
    An order is really placed: record against a sandbox or a test account."""
    from config.loader import load_config
    from robots import clock
    from robots.cabinets import find_cabinet
    from robots.scenarios.operation import Operation, OperationName
    from robots.scenarios.record import record_scenario

    setup_logging(sys.stderr.isatty(), verbose)
    try:
        name, _, named_kind = operation.partition(":")
        try:
            what = OperationName(name)
            day = dt.date.fromisoformat(today) if today else None
            month = period_option(period, day or dt.date.today()) if period else None
            kind = DocumentKind(named_kind) if named_kind else kind
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        settings = load_config(config)
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        target = find_cabinet(settings, cabinet)
        if account is None and what in (OperationName.ORDER, OperationName.DOWNLOAD):
            account = target.accounts[0].id if target.accounts else None
        chosen = Operation(what, kind, month, account, fmt)
        folder = out or settings.privacy.recordings / str(target.operator) / chosen.slug
        with clock.frozen_today(day) if day else nullcontext():
            scenario = record_scenario(settings, target, chosen, folder)
    except RobotError as exc:
        fail(exc)
    typer.echo(f"recorded {scenario.name} in {folder}: {scenario.summary}")


@scenario_app.command("replay")
def replay(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Scenario folders, or folders holding scenarios.", metavar="PATH"),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="Where the traces of failed replays go.", metavar="DIR"),
    ] = Path("var/replay"),
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Replay scenarios offline (no network: the recorded answers only) with today's page
    objects; exit code 1 when one failed. Only the [browser] section of a configuration
    given with --config is used (and its [state] folder for the log)."""
    from config.loader import load_config
    from config.models import BrowserSettings
    from robots.scenarios.replay import replay_scenarios
    from robots.scenarios.scenario import scenario_folders

    setup_logging(sys.stderr.isatty(), verbose)
    try:
        settings = BrowserSettings()
        if config:  # its browser, and its state folder for the log
            loaded = load_config(config)
            log_to_file(loaded.state.dir, loaded.privacy.mask_numbers)
            settings = loaded.browser
        results = replay_scenarios(scenario_folders(paths), settings, out)
    except RobotError as exc:
        fail(exc)
    if as_json:
        listed = [
            {
                "scenario": str(r.folder),
                "name": r.name,
                "passed": r.passed,
                "message": r.message,
                "screen": r.screen,
                "misses": list(r.misses),
                "trace": str(r.evidence / "trace.zip") if r.evidence else None,
                "recorded_trace": str(r.recorded_trace) if r.recorded_trace else None,
            }
            for r in results
        ]
        typer.echo(json.dumps({"results": listed}, ensure_ascii=False))
    else:
        for result in results:
            typer.echo(result.report())
        failed = sum(not r.passed for r in results)
        typer.echo(f"{len(results) - failed} passed, {failed} failed")
    if any(not r.passed for r in results):
        raise typer.Exit(1)
