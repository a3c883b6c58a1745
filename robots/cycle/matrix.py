"""The reconciliation: cabinet × account × kind → delivered / waiting / missing / failed,
as rows (JSON, CSV, Prefect's table), as a markdown matrix, and as the HTML report
accounting reads beside the manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from robots.cycle.book import Item, ItemState


class Status(StrEnum):
    DELIVERED = "delivered"
    WAITING = "waiting"
    MISSING = "missing"
    FAILED = "failed"


_MARKS = {Status.DELIVERED: "✅", Status.WAITING: "⏳", Status.MISSING: "❌", Status.FAILED: "⚠️"}
_COLOURS = {
    Status.DELIVERED: "#d7f5dd",
    Status.WAITING: "#fff4c2",
    Status.MISSING: "#ffd6d6",
    Status.FAILED: "#ffd6d6",
}


@dataclass(frozen=True)
class Cell:
    """One expected document and what became of it."""

    period: str
    cabinet: str
    operator: str
    account: str
    kind: str
    status: Status
    detail: str  # the reason, the deadline, or the delivered files
    evidence: str | None
    files: tuple[str, ...]


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "?"


def cell_of(item: Item, today: dt.date) -> Cell:
    """How ``item`` stands today."""
    status, detail = {
        ItemState.DELIVERED: (Status.DELIVERED, ", ".join(item.delivered)),
        ItemState.MISSING: (Status.MISSING, item.reason or "never arrived"),
        ItemState.FAILED: (Status.FAILED, item.reason or "failed"),
        # A person must look: the cabinet may or may not have taken the order.
        ItemState.UNCONFIRMED: (
            Status.FAILED,
            "unconfirmed: the run stopped while ordering it; check the cabinet's orders "
            "and order it by hand if it is not there (it is not ordered again by itself)",
        ),
        ItemState.ORDERED: (
            Status.WAITING,
            f"ordered {_when(item.ordered_at)}, due by {_when(item.due_at)}"
            + (f" ({item.orders} orders)" if item.orders > 1 else ""),
        ),
        ItemState.PLANNED: (
            Status.WAITING,
            f"the cabinet gives it from {item.available_from}"
            if item.available_from > today
            else "not ordered yet",
        ),
    }[item.state]
    return Cell(
        period=item.period,
        cabinet=item.cabinet,
        operator=item.operator,
        account=item.account,
        kind=item.kind,
        status=status,
        detail=detail,
        evidence=item.evidence,
        files=item.delivered,
    )


def reconcile(items: list[Item], today: dt.date) -> list[Cell]:
    return [cell_of(item, today) for item in items]


def counts(cells: list[Cell]) -> dict[str, int]:
    return {str(status): sum(c.status is status for c in cells) for status in Status}


def tally(cells: list[Cell]) -> str:
    """``"25 delivered, 2 failed"``: the counts that are not zero."""
    return ", ".join(f"{n} {status}" for status, n in counts(cells).items() if n)


def complete(cells: list[Cell]) -> bool:
    """Everything delivered."""
    return all(c.status is Status.DELIVERED for c in cells)


def rows(cells: list[Cell]) -> list[dict[str, str]]:
    """One flat dictionary per cell (CSV, JSON, Prefect's table artifact)."""
    flat = []
    for cell in cells:
        row = {k: v for k, v in asdict(cell).items() if k != "files"}
        row["status"] = str(cell.status)
        row["evidence"] = cell.evidence or ""
        row["files"] = " ".join(cell.files)
        flat.append(row)
    return flat


def _pivot(cells: list[Cell]) -> tuple[list[str], dict[tuple[str, str], dict[str, Cell]]]:
    kinds = list(dict.fromkeys(c.kind for c in cells))
    table: dict[tuple[str, str], dict[str, Cell]] = {}
    for cell in cells:
        table.setdefault((cell.cabinet, cell.account), {})[cell.kind] = cell
    return kinds, table


def markdown(period: str, cells: list[Cell]) -> str:
    """The matrix as markdown (the Prefect run's artifact)."""
    kinds, table = _pivot(cells)
    total = tally(cells)
    lines = [
        f"# Documents for {period}",
        "",
        total or "nothing expected",
        "",
        "| cabinet | account | " + " | ".join(kinds) + " |",
        "|---|---|" + "---|" * len(kinds),
    ]
    for (cabinet, account), by_kind in table.items():
        marks = []
        for kind in kinds:
            cell = by_kind.get(kind)
            marks.append(f"{_MARKS[cell.status]} {cell.status}" if cell else "")
        lines.append(f"| {cabinet} | {account} | " + " | ".join(marks) + " |")
    problems = [c for c in cells if c.status in (Status.MISSING, Status.FAILED)]
    if problems:
        lines += ["", "## Needs attention", ""]
        lines += [
            f"- {c.cabinet} {c.account} {c.kind}: {c.status}: {c.detail}"
            + (f" (evidence: `{c.evidence}`)" if c.evidence else "")
            for c in problems
        ]
    return "\n".join(lines) + "\n"


def report_html(period: str, cells: list[Cell], generated: dt.datetime) -> str:
    """The matrix as a page accounting can open from Tarifer's import folder."""
    kinds, table = _pivot(cells)
    e = html.escape
    head = "".join(f"<th>{e(kind)}</th>" for kind in kinds)
    body = []
    for (cabinet, account), by_kind in table.items():
        tds = []
        for kind in kinds:
            cell = by_kind.get(kind)
            if cell is None:
                tds.append("<td></td>")
                continue
            tds.append(
                f'<td style="background:{_COLOURS[cell.status]}" title="{e(cell.detail)}">'
                f"<b>{e(str(cell.status))}</b><br><small>{e(cell.detail)}</small></td>"
            )
        body.append(f"<tr><th>{e(cabinet)}</th><td>{e(account)}</td>{''.join(tds)}</tr>")
    total = tally(cells)
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        f"<title>Documents for {e(period)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}"
        "small{color:#444}</style>"
        f"<h1>Documents for {e(period)}</h1>"
        f"<p>{e(total or 'nothing expected')}. Generated {e(_when(generated))}.</p>"
        f"<table><tr><th>cabinet</th><th>account</th>{head}</tr>{''.join(body)}</table>"
        "</html>\n"
    )


def report_csv(cells: list[Cell]) -> str:
    out = io.StringIO()
    flat = rows(cells)
    fields = list(flat[0]) if flat else [*Cell.__dataclass_fields__]
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(flat)
    return out.getvalue()


def write_reports(inbox: Path, period: str, cells: list[Cell]) -> tuple[Path, Path]:
    """``report-<period>.html`` and ``.csv`` beside the manifest, each replaced atomically."""
    inbox.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    written = []
    for suffix, text in (("html", report_html(period, cells, now)), ("csv", report_csv(cells))):
        path = inbox / f"report-{period}.{suffix}"
        temporary = path.with_name(f".{path.name}.tmp")
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        written.append(path)
    return written[0], written[1]
