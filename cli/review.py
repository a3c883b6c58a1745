"""``cabinet-robot review``: the operators' files the collector could not place.

A readable file of the robot's mail whose operator, account, period or kind the
recogniser cannot tell (a scanned invoice with no text) waits here for a person:
``assign`` delivers it like any other document, ``reject`` says it is nothing for
Tarifer. Its message goes to the processed folder on the next ``collect`` once each
of its files is delivered, a duplicate or rejected.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import (
    KINDS,
    CommandApp,
    ConfigOption,
    VerboseOption,
    fail,
    log_to_file,
    setup_logging,
)
from cli.period import period_option
from config.models import RobotConfig
from robots.errors import RobotError

if TYPE_CHECKING:
    from robots.ledger import ReviewItem

review_app = CommandApp(help="The operators' files the collector could not place, for a person.")

ItemArgument = Annotated[
    int, typer.Argument(help="The item's number, as `review list` shows.", metavar="ID")
]


def _settings(config: ConfigOption, verbose: bool) -> RobotConfig:
    from config.loader import load_config

    setup_logging(sys.stderr.isatty(), verbose)
    try:
        settings = load_config(config)
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
    except RobotError as exc:
        fail(exc)
    return settings


def _line(item: ReviewItem) -> str:
    received = item.received_at.strftime("%Y-%m-%d %H:%M")
    return f"{item.id:>5}  {received}  {item.sender or 'unknown sender'}  {item.origin}"


def _echo(settings: RobotConfig, line: str) -> None:
    """A line for people: subscriber numbers masked unless ``[privacy] mask_numbers = false``."""
    from robots.masking import shown

    typer.echo(shown(line, settings.privacy.mask_numbers))


@review_app.command("list")
def list_items(
    all_items: Annotated[
        bool, typer.Option("--all", help="Also the items already assigned or rejected.")
    ] = False,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List the files waiting for a person (number, received, sender, file)."""
    from robots.ledger import ReviewState
    from robots.review import ReviewQueue

    settings = _settings(config, verbose)
    items = ReviewQueue(settings).items(None if all_items else ReviewState.WAITING)
    for item in items:
        state = f"  [{item.state}]" if all_items else ""
        _echo(settings, f"{_line(item)}{state}")
        _echo(settings, f"       {item.reason}")
    waiting = sum(item.state is ReviewState.WAITING for item in items)
    typer.echo(f"{waiting} file(s) waiting for review")


@review_app.command()
def show(item: ItemArgument, config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """Show one item: its message, what the recogniser found, where the file is kept."""
    from robots.review import ReviewQueue

    settings = _settings(config, verbose)
    try:
        found = ReviewQueue(settings).item(item)
    except RobotError as exc:
        fail(exc)
    fields = {
        "item": str(found.id),
        "state": str(found.state),
        "sender": found.sender or "unknown",
        "subject": found.subject or "(none)",
        "message": f"{found.mailbox} UIDVALIDITY {found.uidvalidity} UID {found.uid}",
        "source": found.source,
        "file": found.origin,
        "found": found.reason,
        "kept at": f"{found.path} ({found.size} bytes, sha256 {found.sha256})"
        + ("" if Path(found.path).exists() else ", removed by purge ([privacy] keep_review)"),
        "received": found.received_at.isoformat(),
    }
    if found.resolved_at is not None:
        when = found.resolved_at.isoformat()
        fields["decided"] = f"{found.state} by {found.resolved_by} at {when}: {found.resolution}"
    for name, value in fields.items():
        _echo(settings, f"{name + ':':<10} {value}")


@review_app.command()
def assign(
    item: ItemArgument,
    operator: Annotated[
        str,
        typer.Option(
            "--operator", help="The operator, as in the configuration's cabinets.", metavar="NAME"
        ),
    ],
    account: Annotated[
        str, typer.Option("--account", help="The personal account.", metavar="ACCOUNT")
    ],
    period: Annotated[str, typer.Option("--period", help="The month, YYYY-MM.", metavar="MONTH")],
    kind: Annotated[str, typer.Option("--kind", help=f"One of: {KINDS}.", metavar="KIND")],
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Deliver the file as the document you say it is: named, de-duplicated and listed in
    the manifest like any other, with `review` as its source."""
    from robots.review import ReviewQueue

    settings = _settings(config, verbose)
    month = period_option(period, dt.date.today())
    try:
        decision = ReviewQueue(settings).assign(
            item, operator=operator, account=account, period=str(month), kind=kind
        )
    except RobotError as exc:
        fail(exc)
    if decision.path is None:
        typer.echo(f"item {item}: the same file was delivered before, nothing new written")
    else:
        typer.echo(f"item {item} delivered: {settings.tarifer.inbox / decision.path}")
    _say_move(settings, decision.message_due)


@review_app.command()
def reject(
    item: ItemArgument,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="Why it is nothing for Tarifer, for the record.", metavar="TEXT"
        ),
    ] = "rejected in review",
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Record that the file is nothing for Tarifer; it is not delivered."""
    from robots.review import ReviewQueue

    settings = _settings(config, verbose)
    try:
        decision = ReviewQueue(settings).reject(item, reason)
    except RobotError as exc:
        fail(exc)
    typer.echo(f"item {item} rejected: {reason}")
    _say_move(settings, decision.message_due)


def _say_move(settings: RobotConfig, due: bool) -> None:
    if due:
        folder = settings.mail.processed_folder
        typer.echo(f"its message has nothing left to review: the next collect moves it to {folder}")
