"""The cabinets' health as the month's HTML report shows it: each cabinet's last runs as a
row of coloured cells, the newest right, each cell with its letter and a title (the run's
date, source and the screens that were not ok), so that it reads without colour too."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence

from robots.health import CABINET, RUNS_SHOWN, CabinetHealth, Health, RunHealth
from robots.masking import shown

# (letter, word, background) in the report's words.
_CELLS = {
    Health.OK: ("Р", "работает", "#7fd18b"),
    Health.HEALED: ("П", "подлечен", "#ffe066"),
    Health.CHANGED: ("И", "изменился", "#ff8080"),
    Health.UNAVAILABLE: ("Н", "недоступен", "#c8c8c8"),
}
_SOURCES = {
    "canary": "проверка экранов",
    "cycle": "ежемесячный цикл",
    "order": "заказ вручную",
    "survey": "обследование",
}


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone()


ScreenLabel = Callable[[str], str]  # a screen's name as the report says it («Счёт»)


def _about(run: RunHealth, mask: bool, label: ScreenLabel) -> str:
    """A run in one line: when, which run, and what was not ok."""
    word = _CELLS[run.status][1]
    about = f"{_local(run.at):%d.%m.%Y %H:%M}, {_SOURCES.get(run.source, run.source)}: {word}"
    problems = [
        f"{'кабинет' if p.screen == CABINET else label(p.screen)} — {_CELLS[p.status][1]}"
        + (f": {p.detail}" if p.detail else "")
        for p in run.problems()
    ]
    return shown(about + ("; " + "; ".join(problems) if problems else ""), mask)


def _cell(run: RunHealth, mask: bool, label: ScreenLabel) -> str:
    e = html.escape
    letter, _, colour = _CELLS[run.status]
    return (
        f'<td class="h" style="background:{colour}" title="{e(_about(run, mask, label))}">'
        f"<b>{letter}</b><br><small>{_local(run.at):%d.%m}</small></td>"
    )


def health_html(
    cabinets: Sequence[CabinetHealth], mask: bool = True, label: ScreenLabel = str
) -> str:
    """The section «Состояние кабинетов»; empty when no run recorded any health.

    Args:
        cabinets: Each cabinet's last runs (``robots.health.history``).
        mask: ``[privacy] mask_numbers``.
        label: A screen's name in the report's words (the cycle's screens are kinds).
    """
    if not cabinets:
        return ""
    e = html.escape
    width = max(len(c.runs) for c in cabinets)
    rows = []
    for cabinet in cabinets:
        blank = "<td></td>" * (width - len(cabinet.runs))
        cells = "".join(_cell(run, mask, label) for run in cabinet.runs)
        rows.append(f"<tr><th>{e(cabinet.cabinet)}</th>{blank}{cells}</tr>")
    legend = ", ".join(f"<b>{letter}</b> — {word}" for letter, word, _ in _CELLS.values())
    problems = [
        f"<li>{e(cabinet.cabinet)}, {e(_about(run, mask, label))}</li>"
        for cabinet in cabinets
        for run in reversed(cabinet.runs)
        if run.status is not Health.OK
    ]
    listed = (
        f"<p>Что было не так, по кабинетам, новые сначала:</p><ul>{''.join(problems)}</ul>"
        if problems
        else ""
    )
    return (
        "<h2>Состояние кабинетов</h2>"
        f"<p>Последние {RUNS_SHOWN} проверок каждого кабинета (проверка экранов, ежемесячный "
        f"цикл, заказ вручную), новые справа: {legend}. Подробности — в подсказке ячейки "
        "и в cabinet-robot status --health.</p>"
        f"<table>{''.join(rows)}</table>{listed}"
    )
