"""The cycle's rules without a browser: calendars, deadlines, what is due, the report."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from config.models import CabinetSettings, CycleSettings, NotifySettings
from robots.cabinets import ROBOTS
from robots.cabinets.a1 import A1Robot
from robots.cabinets.kcell import BY_EMAIL, DOWNLOADS, KcellRobot
from robots.cabinets.mts import MtsRobot
from robots.cabinets.sip import SipRobot
from robots.cycle.book import Item, ItemState, opened_book
from robots.cycle.matrix import Status, markdown, reconcile
from robots.cycle.plan import Expected
from robots.cycle.report import write_reports
from robots.cycle.work import gone_missing, to_order
from robots.domain import CABINET_KINDS, DocumentKind, Operator, Period

OCTOBER = Period.parse("2026-10")
NOW = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)


def item(state: ItemState, **changes: object) -> Item:
    values: dict[str, object] = {
        "period": "2026-10",
        "cabinet": "mts-main",
        "operator": "mts",
        "account": "277012345678",
        "kind": "invoice",
        "format": None,
        "via": None,
        "state": state,
        "available_from": dt.date(2026, 11, 1),
        "deadline": dt.timedelta(hours=24),
        "orders": 0,
        "ordered_at": None,
        "due_at": None,
        "reason": None,
        "evidence": None,
        "delivered": (),
    }
    values.update(changes)
    return Item(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("robot", "kind", "today", "available"),
    [
        (MtsRobot, DocumentKind.INVOICE, "2026-10-20", "2026-11-01"),  # the month is not over
        (MtsRobot, DocumentKind.INVOICE, "2026-11-02", "2026-11-02"),
        (SipRobot, DocumentKind.INVOICE, "2026-11-01", "2026-11-04"),  # «с 1 по 3 число»
        (SipRobot, DocumentKind.CALL_DETAILS, "2026-12-02", "2026-12-04"),  # any month's 1st-3rd
        (SipRobot, DocumentKind.INVOICE, "2026-11-15", "2026-11-15"),
        (KcellRobot, DocumentKind.WORK_ACT, "2026-11-05", "2026-11-06"),  # «после 5 числа»
        (KcellRobot, DocumentKind.INVOICE_REGISTER, "2026-11-02", "2026-11-04"),  # «с 4 числа»
        (KcellRobot, DocumentKind.RECONCILIATION_ACT, "2026-11-03", "2026-11-04"),
        (KcellRobot, DocumentKind.CALL_DETAILS, "2026-11-01", "2026-11-01"),
        (KcellRobot, DocumentKind.WORK_ACT, "2026-12-02", "2026-12-02"),  # older: any day
        (A1Robot, DocumentKind.RECONCILIATION_ACT, "2026-11-01", "2026-11-01"),
    ],
)
def test_each_cabinet_gives_last_month_by_its_manual(
    robot: type[MtsRobot], kind: DocumentKind, today: str, available: str
) -> None:
    day = dt.date.fromisoformat(today)
    assert robot.available_from(kind, OCTOBER, day) == dt.date.fromisoformat(available)


def test_a_cabinet_is_configured_only_with_documents_its_cabinet_gives() -> None:
    for operator, robot in ROBOTS.items():
        assert set(robot.default_kinds) <= CABINET_KINDS[operator]
    assert set(DOWNLOADS) | set(BY_EMAIL) == CABINET_KINDS[Operator.KCELL]
    kcell = {"name": "kcell", "operator": "kcell"}
    CabinetSettings.model_validate({**kcell, "documents": [{"kind": "work_act"}]})
    with pytest.raises(
        ValidationError, match="the kcell cabinet has no invoice to order; it offers"
    ):
        CabinetSettings.model_validate({**kcell, "documents": [{"kind": "invoice"}]})
    refused = MtsRobot.not_offered(DocumentKind.RECONCILIATION_ACT)
    assert (
        str(refused)
        == "the mts cabinet has no reconciliation_act to order; it offers call_details, invoice"
    )


def test_deadlines_come_from_the_manual_unless_configured() -> None:
    assert SipRobot.delivery_time(DocumentKind.CALL_DETAILS) == dt.timedelta(hours=30)
    assert A1Robot.delivery_time(DocumentKind.RECONCILIATION_ACT) == dt.timedelta(days=14)
    assert MtsRobot.delivery_time(DocumentKind.INVOICE) == dt.timedelta(days=1)
    cycle = CycleSettings(deadlines={"a1.call_details": "2d", "*": "90m"})  # type: ignore[dict-item]
    assert cycle.deadlines == {
        "a1.call_details": dt.timedelta(days=2),
        "*": dt.timedelta(hours=1.5),
    }


@pytest.mark.parametrize(
    ("deadlines", "message"),
    [
        ({"invoices": "1d"}, "deadlines key 'invoices'"),
        ({"beeline.invoice": "1d"}, "deadlines key 'beeline.invoice'"),
        ({"invoice": "one day"}, "'one day' is not a duration"),
    ],
)
def test_bad_deadlines_are_named(deadlines: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CycleSettings(deadlines=deadlines)  # type: ignore[arg-type]


def test_plain_smtp_is_refused_for_a_remote_relay() -> None:
    with pytest.raises(ValidationError, match="loopback"):
        NotifySettings(
            to=("a@b.c",), sender="r@b.c", smtp_host="smtp.example.com", security="plain"
        )  # type: ignore[arg-type]


def test_what_is_due_now() -> None:
    planned = item(ItemState.PLANNED)
    not_yet = item(ItemState.PLANNED, account="1", available_from=dt.date(2026, 11, 20))
    waiting = item(ItemState.ORDERED, account="2", orders=1, due_at=NOW + dt.timedelta(hours=1))
    late = item(ItemState.ORDERED, account="3", orders=1, due_at=NOW - dt.timedelta(hours=1))
    late_again = item(ItemState.ORDERED, account="4", orders=2, due_at=NOW - dt.timedelta(hours=1))
    failed = item(ItemState.FAILED, account="5")
    missing = item(ItemState.MISSING, account="6", orders=2)
    delivered = item(ItemState.DELIVERED, account="7")
    items = [planned, not_yet, waiting, late, late_again, failed, missing, delivered]
    today = NOW.date()

    assert to_order(items, today, NOW, first_round=True) == [planned, late, failed, missing]
    assert to_order(items, today, NOW, first_round=False) == [planned, late]
    assert gone_missing(items, NOW) == [late_again]


def test_the_report_for_accounting(tmp_path: Path) -> None:
    items = [
        item(ItemState.DELIVERED, delivered=("mts/277012345678/2026-10/invoice.pdf",)),
        item(ItemState.ORDERED, kind="call_details", orders=2, ordered_at=NOW, due_at=NOW),
        item(ItemState.FAILED, account="9", reason="login refused: wrong password", evidence="/e"),
        item(
            ItemState.PLANNED, account="9", kind="call_details", available_from=dt.date(2026, 12, 4)
        ),
    ]
    cells = reconcile(items, NOW.date())
    assert [c.status for c in cells] == [
        Status.DELIVERED, Status.WAITING, Status.FAILED, Status.WAITING
    ]  # fmt: skip
    assert cells[3].detail == "the cabinet gives it from 2026-12-04"

    reports = write_reports(tmp_path / "inbox", "2026-10", cells)
    page = reports.html.read_text(encoding="utf-8")
    assert reports.html.name == "report-2026-10.html" and "login refused: wrong password" in page
    with open(reports.csv, encoding="utf-8-sig") as report:
        rows = list(csv.DictReader(report, delimiter=";"))
    assert [r["status"] for r in rows] == ["delivered", "waiting", "failed", "waiting"]
    assert rows[0]["Файлы"] == "invoice.pdf" and rows[2]["Состояние"] == "Ошибка"
    assert rows[0]["Итого к оплате"] == "—", "the file is not in the inbox: no amount"
    assert "cannot be read from the inbox" in rows[0]["Подробности"]
    assert str(tmp_path) not in page + reports.csv.read_text(encoding="utf-8-sig")
    assert not list((tmp_path / "inbox").glob(".*.tmp")), "no temporary file left behind"

    text = markdown("2026-10", cells)
    assert "| mts-main | 277012345678 | ✅ delivered | ⏳ waiting |" in text
    assert "- mts-main 9 invoice: failed: login refused: wrong password (evidence: `/e`)" in text


def test_an_order_the_run_ended_in_is_unconfirmed_and_never_ordered_again_by_itself(
    database_url: str,
) -> None:
    expected = Expected(
        OCTOBER, "mts-main", Operator.MTS, "277012345678", DocumentKind.INVOICE, None, None,
        dt.date(2026, 11, 1), dt.timedelta(hours=24),
    )  # fmt: skip
    with opened_book(database_url) as book:  # on SQLite and on Postgres
        book.expect([expected])
        key = expected.key
        before = book.placing(key)  # the robot is filling in the order form
        assert (before, book.state(key)) == (ItemState.PLANNED, ItemState.UNCONFIRMED)
        book.restore(key, before)  # the cabinet refused it
        assert book.state(key) is ItemState.PLANNED
        book.placing(key)  # ... and here the process was killed
        items = book.items("2026-10")

    assert to_order(items, NOW.date(), NOW, first_round=True) == []
    assert gone_missing(items, NOW) == []
    (cell,) = reconcile(items, NOW.date())
    assert cell.status is Status.FAILED
    assert cell.detail.startswith("unconfirmed: ") and "by hand" in cell.detail


def test_the_wait_for_a_login_is_configured_like_the_other_durations() -> None:
    assert CycleSettings().slot_wait == dt.timedelta(minutes=30)
    assert CycleSettings(slot_wait="90s").slot_wait == dt.timedelta(seconds=90)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not a duration"):
        CycleSettings(slot_wait="soon")  # type: ignore[arg-type]
