"""The reconciliation: cabinet × account × kind → delivered / waiting / missing / failed,
or in review (a file of the cabinet's mail waits for a person and may be the document),
as rows (JSON, Prefect's table) and as a markdown matrix. The reports accounting reads
beside the manifest are written by ``robots.cycle.report``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

from robots.cycle.book import Item, ItemState
from robots.heals import HealNote
from robots.masking import shown
from robots.review import ReviewLead


class Status(StrEnum):
    DELIVERED = "delivered"
    WAITING = "waiting"
    MISSING = "missing"
    FAILED = "failed"
    IN_REVIEW = "in review"  # not delivered; a file waiting in review may be it


_MARKS = {
    Status.DELIVERED: "✅",
    Status.WAITING: "⏳",
    Status.MISSING: "❌",
    Status.FAILED: "⚠️",
    Status.IN_REVIEW: "👀",
}
HEALED_MARK = "🩹"  # beside the status of a document ordered through a healed control
# What a person must act on: the run ends Failed and the summary mail is sent.
NEEDS_ATTENTION = (Status.MISSING, Status.FAILED, Status.IN_REVIEW)


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
    files: tuple[str, ...]  # paths relative to the inbox, oldest first
    ordered_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    review: tuple[int, ...] = ()  # the review items that may be this document
    heals: tuple[HealNote, ...] = ()  # controls healed in ordering it, for a person to confirm


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "?"


def cell_of(item: Item, today: dt.date, leads: Sequence[ReviewLead] = ()) -> Cell:
    """How ``item`` stands today; not delivered, and a file of ``leads`` may be it: in review."""
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
    review: tuple[int, ...] = ()
    if item.state is not ItemState.DELIVERED:
        maybe = [
            lead
            for lead in leads
            if lead.may_be(item.cabinet, item.account, item.kind, item.period)
        ]
        if maybe:
            status, review = Status.IN_REVIEW, tuple(lead.id for lead in maybe)
            detail = "; ".join(_lead_detail(lead) for lead in maybe) + f" (was: {detail})"
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
        ordered_at=item.ordered_at,
        due_at=item.due_at,
        review=review,
        heals=item.heals,
    )


def _lead_detail(lead: ReviewLead) -> str:
    return f"review item {lead.id} may be it: {lead.file}, {lead.known}; {lead.command}"


def reconcile(items: list[Item], today: dt.date, leads: Sequence[ReviewLead] = ()) -> list[Cell]:
    """The cells of ``items`` today, those a waiting file in ``leads`` may fill in review."""
    return [cell_of(item, today, leads) for item in items]


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
        row = {k: v for k, v in asdict(cell).items() if k not in ("files", "review", "heals")}
        row["status"] = str(cell.status)
        row["review"] = " ".join(map(str, cell.review))
        row["evidence"] = cell.evidence or ""
        row["files"] = " ".join(cell.files)
        row["ordered_at"] = cell.ordered_at.isoformat() if cell.ordered_at else ""
        row["due_at"] = cell.due_at.isoformat() if cell.due_at else ""
        row["heals"] = "; ".join(note.short for note in cell.heals)
        flat.append(row)
    return flat


def pivot(cells: list[Cell]) -> tuple[list[str], dict[tuple[str, str], dict[str, Cell]]]:
    """The kinds in order of appearance, and (cabinet, account) → kind → cell."""
    kinds = list(dict.fromkeys(c.kind for c in cells))
    table: dict[tuple[str, str], dict[str, Cell]] = {}
    for cell in cells:
        table.setdefault((cell.cabinet, cell.account), {})[cell.kind] = cell
    return kinds, table


def markdown(period: str, cells: list[Cell], mask_numbers: bool = True) -> str:
    """The matrix as markdown (the Prefect run's artifact); subscriber numbers masked
    unless ``mask_numbers`` is false (``[privacy] mask_numbers``)."""
    kinds, table = pivot(cells)
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
            mark = f" {HEALED_MARK} healed" if cell and cell.heals else ""
            marks.append(f"{_MARKS[cell.status]} {cell.status}{mark}" if cell else "")
        lines.append(f"| {cabinet} | {account} | " + " | ".join(marks) + " |")
    problems = [c for c in cells if c.status in NEEDS_ATTENTION]
    if problems:
        lines += ["", "## Needs attention", ""]
        lines += [
            f"- {c.cabinet} {c.account} {c.kind}: {c.status}: {c.detail}"
            + (f" (evidence: `{c.evidence}`)" if c.evidence else "")
            for c in problems
        ]
    with_heals = [c for c in cells if c.heals]
    if with_heals:
        lines += ["", "## Healed controls: confirm each as an override", ""]
        lines += [
            f"- {c.cabinet} {c.account} {c.kind}: {note.line}"
            + (f" (screenshot: `{note.screenshot}`)" if note.screenshot else "")
            for c in with_heals
            for note in c.heals
        ]
    return shown("\n".join(lines) + "\n", mask_numbers)
