"""``cabinet-robot status --health``: each cabinet's last runs as a row of coloured cells."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from config.models import RobotConfig
    from robots.health import CabinetHealth, RunHealth

# (letter, style): the letter reads without colour, the colour at a glance.
_CELLS = {
    "ok": ("o", "black on green"),
    "healed": ("h", "black on yellow"),
    "changed": ("C", "bold white on red"),
    "unavailable": ("u", "black on grey70"),
}
_NOT_REACHED = "not reached"  # a screen behind one that failed: counted, not listed


def show_health(settings: RobotConfig, as_json: bool) -> None:
    """Print the map from the ledger (``--json``: every run and screen, unmasked)."""
    from robots.health import RUNS_SHOWN, history
    from robots.ledger import Ledger

    ledger = Ledger(settings.state.ledger_url)
    try:
        cabinets = history(ledger, RUNS_SHOWN)
    finally:
        ledger.close()
    if as_json:
        typer.echo(json.dumps({"health": [c.as_json() for c in cabinets]}, ensure_ascii=False))
        return
    from rich.console import Console

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    print_health(console, cabinets, settings.privacy.mask_numbers)


def print_health(console: Console, cabinets: list[CabinetHealth], mask: bool = True) -> None:
    """The map (one row per cabinet, the newest run right, its date under each cell), then
    the screens that were not ok in those runs."""
    from rich.table import Table

    from robots.health import RUNS_SHOWN

    if not cabinets:
        console.print(
            "No cabinet health recorded yet: the canary (cabinet-robot check), "
            "the monthly cycle and cabinet-robot order record it."
        )
        return
    legend = "  ".join(f"[{style}] {letter} [/] {name}" for name, (letter, style) in _CELLS.items())
    table = Table(
        title=f"Cabinet health: the last {RUNS_SHOWN} runs, newest right",
        title_justify="left",
        caption=legend,
        caption_justify="left",
        show_header=False,
        box=None,
        padding=(0, 1, 1, 0),
    )
    table.add_column("cabinet", no_wrap=True)
    for _ in range(max(len(c.runs) for c in cabinets)):
        table.add_column(justify="center", no_wrap=True)
    width = max(len(c.runs) for c in cabinets)
    for cabinet in cabinets:
        blank = [""] * (width - len(cabinet.runs))  # fewer runs: still newest at the right
        table.add_row(cabinet.cabinet, *blank, *(_cell(run) for run in cabinet.runs))
    console.print(table)
    for line in detail_lines(cabinets):
        console.print(_shown(line, mask), markup=False)


def _cell(run: RunHealth) -> Text:
    from rich.text import Text

    letter, style = _CELLS[str(run.status)]
    cell = Text(f"  {letter}  ", style=style)
    cell.append(f"\n{_local(run.at):%d.%m}", style="")
    return cell


def detail_lines(cabinets: list[CabinetHealth]) -> list[str]:
    """Per cabinet, each screen that was not ok in its runs, with the runs that found it
    so, newest first (the screens not reached behind a failed one are counted, not listed)."""
    lines = []
    for cabinet in cabinets:
        found: dict[tuple[str, str, str], list[RunHealth]] = {}
        behind: dict[str, int] = {}
        for run in reversed(cabinet.runs):  # the newest first: what to look at now
            for problem in run.problems():
                if problem.detail.startswith(_NOT_REACHED):
                    behind[run.run] = behind.get(run.run, 0) + 1
                    continue
                key = (str(problem.status), problem.screen, problem.detail)
                found.setdefault(key, []).append(run)
        if not found and not behind:
            continue
        lines.append(f"{cabinet.cabinet}:")
        for (status, screen, detail), runs in found.items():
            when = ", ".join(f"{_local(r.at):%d.%m %H:%M} {r.source}" for r in runs)
            lines.append(
                f"  {status} «{screen}»" + (f": {detail}" if detail else "") + f" ({when})"
            )
        if behind:
            lines.append(
                f"  and {sum(behind.values())} screen(s) not reached behind them "
                f"in {len(behind)} run(s)"
            )
    return lines


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone()


def _shown(line: str, mask: bool) -> str:
    from robots.masking import shown

    return shown(line, mask)
