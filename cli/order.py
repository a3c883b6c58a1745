"""``cabinet-robot order``: one order (or download) in one cabinet, for one or all accounts."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import FORMATS, KINDS, ConfigOption, VerboseOption, fail, log_to_file, setup_logging
from cli.period import period_option
from robots.domain import DocumentFormat, DocumentKind, Via
from robots.errors import OrderRefused, RobotError

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from config.models import RobotConfig
    from robots.cabinets import CabinetRobot
    from robots.domain import Period
    from robots.downloads import Delivered
    from robots.health import SessionHealth


@dataclass
class OrderResult:
    """What happened for one account, as printed and as JSON."""

    account: str
    kind: str
    period: str
    via: str
    status: str  # ordered | delivered | duplicate | refused
    format: str | None = None
    numbers: list[str] | None = None
    email: str | None = None
    path: str | None = None
    message: str | None = None
    heals: list[str] | None = None  # controls healed on the way (``[healing]``)

    def line(self) -> str:
        healed = f" ({'; '.join(self.heals)})" if self.heals else ""
        return self._outcome() + healed

    def _outcome(self) -> str:
        what = f"{self.kind} {self.period} of {self.account}"
        if self.status == "refused":
            return f"{what}: refused: {self.message}"
        if self.status == "ordered":
            to = f" to {self.email}" if self.email else ""
            numbers = f" for {', '.join(self.numbers)}" if self.numbers else ""
            return f"{what}: ordered by e-mail{to}{numbers}"
        if self.status == "duplicate":
            return f"{what}: downloaded; already delivered before"
        return f"{what}: downloaded and delivered to {self.path}"


def order(
    cabinet: Annotated[
        str,
        typer.Option("--cabinet", help="Cabinet name in the configuration.", metavar="NAME"),
    ],
    kind: Annotated[
        DocumentKind,
        typer.Option("--kind", help=f"Document kind: {KINDS}.", metavar="KIND"),
    ],
    period: Annotated[
        str,
        typer.Option("--period", help="Month, YYYY-MM, up to the current one.", metavar="YYYY-MM"),
    ],
    account: Annotated[
        str | None,
        typer.Option("--account", help="Personal account (default: all configured).", metavar="ID"),
    ] = None,
    fmt: Annotated[
        DocumentFormat | None,
        typer.Option(
            "--format", help=f"File format: {FORMATS} (default: the cabinet's).", metavar="FORMAT"
        ),
    ] = None,
    via: Annotated[
        Via | None,
        typer.Option(
            "--via",
            help="email or download (default: download where the cabinet offers a file).",
            metavar="email|download",
        ),
    ] = None,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Order a document in a cabinet (or download it and deliver it to Tarifer's inbox)."""
    from config.loader import load_config
    from robots.cabinets import find_cabinet, open_robot
    from robots.cycle.work import describe
    from robots.health import Source, session_health
    from robots.ledger import Ledger

    setup_logging(sys.stderr.isatty(), verbose)
    results: list[OrderResult] = []
    try:
        month = period_option(period, dt.date.today())
        settings = load_config(config)
        log_to_file(settings.state.dir, settings.privacy.mask_numbers)
        target = find_cabinet(settings, cabinet)
        accounts = [account] if account else [a.id for a in target.accounts]
        ledger = Ledger(settings.state.ledger_url)  # the session's health is recorded there
        try:
            with (
                session_health(ledger, Source.ORDER, target.name, describe) as health,
                open_robot(settings, target) as robot,
            ):
                if not accounts:
                    accounts = [a.id for a in robot.accounts()]
                for account_id in accounts:
                    results += _order_one(
                        settings, robot, health, account_id, kind, month, fmt, via
                    )
        finally:
            ledger.close()
    except RobotError as exc:
        fail(exc)
    _report(cabinet, results, as_json)
    if any(r.status == "refused" for r in results):
        raise typer.Exit(1)


def _order_one(
    settings: RobotConfig,
    robot: CabinetRobot,
    health: SessionHealth,
    account_id: str,
    kind: DocumentKind,
    month: Period,
    fmt: DocumentFormat | None,
    via: Via | None,
) -> list[OrderResult]:
    """Order (or download) ``kind`` for one account; a refusal is a result, not an error."""
    from page_objects.healing import clear_heals
    from robots.cabinets import OrderRequest
    from robots.cycle.work import ONE_DOCUMENT, describe
    from robots.downloads import deliver_downloads

    request = OrderRequest(kind, month, account_id, fmt)
    chosen = via or (Via.DOWNLOAD if robot.offers_download(kind, month) else Via.EMAIL)
    base = OrderResult(account_id, str(kind), str(month), str(chosen), "ordered")
    clear_heals(robot.session.page)
    try:
        if chosen is Via.DOWNLOAD:
            files = robot.download(request)
            base.heals = _heals(robot.session.page)
            delivered = deliver_downloads(settings, files)
            health.done(str(kind))
            return [_delivered(base, item, settings.tarifer.inbox) for item in delivered]
        placed = robot.order(request)
    except OrderRefused as exc:
        health.failed(str(kind), exc, describe(exc))
        base.status, base.message = "refused", str(exc)
        return [base]
    except ONE_DOCUMENT as exc:  # about this document: its kind's health says so
        health.failed(str(kind), exc, describe(exc))
        raise
    health.done(str(kind))
    base.heals = _heals(robot.session.page)
    base.format = str(placed.format) if placed.format else None
    base.numbers = list(placed.numbers) or None
    base.email = placed.email
    return [base]


def _heals(page: Page) -> list[str] | None:
    """The controls healed in the last order (logged too, with the override to confirm)."""
    from page_objects.healing import heals_on

    return [heal.note for heal in heals_on(page)] or None


def _delivered(base: OrderResult, item: Delivered, inbox: Path) -> OrderResult:
    """The result of one downloaded file."""
    document = item.document
    return replace(
        base,
        format=str(document.format),
        numbers=list(document.numbers) or None,
        status="duplicate" if item.duplicate else "delivered",
        path=None if item.duplicate else str(inbox / (item.path or "")),
    )


def _report(cabinet: str, results: list[OrderResult], as_json: bool) -> None:
    if as_json:
        payload = {"cabinet": cabinet, "results": [asdict(r) for r in results]}
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    for result in results:
        typer.echo(f"{cabinet}: {result.line()}")
