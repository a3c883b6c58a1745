"""Self-healing end to end on the SIP sandbox: a renamed button is healed to its one close
text when ``[healing]`` is on, the document is ordered, mailed and delivered, and the
heal is in the book, the matrix and the log with the override that confirms it; off, the
document fails as before; a renamed button that reads as an irreversible action, or a
document that costs money, is never healed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from config.loader import load_config
from robots.cabinets import OrderRequest, find_cabinet
from robots.cycle.book import ItemState, opened_book
from robots.cycle.matrix import markdown, reconcile, rows
from robots.cycle.plan import plan_period
from robots.cycle.work import work_cabinet
from robots.domain import DocumentKind, Period
from robots.errors import UnexpectedScreen
from sandbox.stack import Sandbox
from support.driving import Driver

pytestmark = pytest.mark.integration

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
LAST_MONTH = Period.of(TODAY).previous()
ACCOUNT = "1100023456"
CABINET = "sip-sandbox"
SUBMIT = "Сформировать детализацию"
RENAMED = "Сформировать детализацию звонков"  # similarity 0.80: above the default 0.75
OVERRIDE = f'labels = {{ "{SUBMIT}" = "{RENAMED}" }}'


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """A control that does not come fails in seconds; a heal waits one second for it."""
    monkeypatch.setenv("CABINET_ROBOT_BROWSER__TIMEOUT_S", "3")
    monkeypatch.setenv("CABINET_ROBOT_HEALING__WAIT_S", "1")


def _healing_on(monkeypatch: pytest.MonkeyPatch, threshold: float | None = None) -> None:
    monkeypatch.setenv("CABINET_ROBOT_HEALING__ENABLED", "true")
    if threshold is not None:
        monkeypatch.setenv("CABINET_ROBOT_HEALING__THRESHOLD", str(threshold))


@pytest.mark.usefixtures("fast")
def test_with_healing_on_a_renamed_button_is_healed_delivered_and_reported(
    sandbox: Sandbox,
    driver: Driver,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _healing_on(monkeypatch)
    sandbox.cabinet("sip").set_markup(f"rename={SUBMIT}=>{RENAMED}")
    settings = load_config(sandbox.config_path)
    cabinet = find_cabinet(settings, CABINET)
    period = str(LAST_MONTH)
    with caplog.at_level(logging.WARNING), opened_book(settings.state.ledger_url) as book:
        book.expect(plan_period(settings, LAST_MONTH, TODAY, [cabinet]))
        items = book.items(period, {CABINET})
        details = [i for i in items if i.kind == DocumentKind.CALL_DETAILS]
        assert details
        work = work_cabinet(settings, cabinet, details, book)
        assert work.failed == [] and len(work.ordered) == len(details)
        assert {o["kind"] for o in sandbox.cabinet("sip").orders()} == {"call_details"}
        lines = driver.collect()
        book.note_arrivals(period)
        after = [i for i in book.items(period, {CABINET}) if i.kind == DocumentKind.CALL_DETAILS]

    assert {line["kind"] for line in lines} == {"call_details"}
    for item in after:
        assert item.state is ItemState.DELIVERED
        (note,) = item.heals
        assert (note.looked_for, note.used, note.score) == (SUBMIT, RENAMED, 0.8)
        assert note.screen == "Детализация на E-mail" and note.override == OVERRIDE
        assert note.screenshot and Path(note.screenshot).read_bytes().startswith(b"\x89PNG")

    cells = reconcile(after, TODAY)
    matrix = markdown(period, cells, mask_numbers=False)
    assert f"healed: «{SUBMIT}» → «{RENAMED}» (0.80)" in matrix
    assert OVERRIDE in matrix and "🩹 healed" in matrix
    assert all(row["heals"] == f"healed: «{SUBMIT}» → «{RENAMED}» (0.80)" for row in rows(cells))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(OVERRIDE in message and "healed" in message for message in warnings)


@pytest.mark.usefixtures("fast")
def test_an_order_from_the_command_line_says_what_it_healed(
    sandbox: Sandbox, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    _healing_on(monkeypatch)
    sandbox.cabinet("sip").set_markup(f"rename={SUBMIT}=>{RENAMED}")
    placed = driver.order(
        CABINET, "--kind", "call_details", "--period", str(LAST_MONTH), "--account", ACCOUNT
    )
    (result,) = placed["results"]
    assert result["status"] == "ordered" and result["numbers"]
    assert result["heals"] == [f"healed: «{SUBMIT}» → «{RENAMED}» (0.80)"]
    assert [o["kind"] for o in sandbox.cabinet("sip").orders()] == ["call_details"]


@pytest.mark.usefixtures("fast")
def test_with_healing_off_the_renamed_button_fails_its_document(
    sandbox: Sandbox, driver: Driver
) -> None:
    sandbox.cabinet("sip").set_markup(f"rename={SUBMIT}=>{RENAMED}")
    request = OrderRequest(DocumentKind.CALL_DETAILS, LAST_MONTH, ACCOUNT)
    with pytest.raises(UnexpectedScreen, match=f"«{SUBMIT}»"), driver.robot(CABINET) as robot:
        robot.order(request)
    assert sandbox.cabinet("sip").orders() == []


@pytest.mark.usefixtures("fast")
def test_a_button_renamed_to_an_irreversible_action_is_never_healed(
    sandbox: Sandbox,
    driver: Driver,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # At the lowest threshold «Удалить детализацию» (0.50) would be the one close control.
    _healing_on(monkeypatch, threshold=0.5)
    sandbox.cabinet("sip").set_markup(f"rename={SUBMIT}=>Удалить детализацию")
    request = OrderRequest(DocumentKind.CALL_DETAILS, LAST_MONTH, ACCOUNT)
    with (
        caplog.at_level(logging.WARNING),
        pytest.raises(UnexpectedScreen, match=f"«{SUBMIT}»"),
        driver.robot(CABINET) as robot,
    ):
        robot.order(request)
    assert sandbox.cabinet("sip").orders() == []
    assert any("irreversible" in r.getMessage() for r in caplog.records)


@pytest.mark.usefixtures("fast")
def test_a_document_that_costs_money_is_never_ordered_through_a_heal(
    sandbox: Sandbox, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No document of the manuals costs money: call details stand for one here.
    monkeypatch.setattr("robots.domain.CHARGED_KINDS", frozenset({DocumentKind.CALL_DETAILS}))
    _healing_on(monkeypatch)
    sandbox.cabinet("sip").set_markup(f"rename={SUBMIT}=>{RENAMED}")
    request = OrderRequest(DocumentKind.CALL_DETAILS, LAST_MONTH, ACCOUNT)
    with pytest.raises(UnexpectedScreen, match=f"«{SUBMIT}»"), driver.robot(CABINET) as robot:
        robot.order(request)
    assert sandbox.cabinet("sip").orders() == []


def _canary(driver: Driver, **env: str) -> tuple[int, dict[str, Any]]:
    result = driver.cli("check", "--json", "--cabinet", CABINET, **env)
    assert result.exit_code in (0, 1), f"{result.output}\n{result.exception!r}"
    payload: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, payload


@pytest.mark.usefixtures("fast")
def test_the_canary_reports_what_a_run_would_heal_healing_off_or_on(
    sandbox: Sandbox, driver: Driver
) -> None:
    sandbox.cabinet("sip").set_markup(f"rename={SUBMIT}=>{RENAMED}")

    exit_code, payload = _canary(driver)  # healing off: a run would fail there

    assert (exit_code, payload["ok"]) == (1, False)
    not_ok = [c for c in payload["checks"] if c["status"] != "ok"]
    (healed,) = not_ok
    assert (healed["screen"], healed["status"]) == ("Детализация на E-mail: абоненты", "healed")
    (heal,) = healed["heals"]
    assert (heal["looked_for"], heal["used"], heal["score"]) == (SUBMIT, RENAMED, 0.8)
    assert "healing is off" in healed["detail"] and OVERRIDE in healed["detail"]
    assert Path(healed["screenshot"]).read_bytes().startswith(b"\x89PNG")
    assert sandbox.cabinet("sip").orders() == []

    exit_code, payload = _canary(driver, CABINET_ROBOT_HEALING__ENABLED="true")

    assert (exit_code, payload["ok"]) == (0, True)  # runs heal it: reported, not failed
    assert [c["status"] for c in payload["checks"] if c["status"] != "ok"] == ["healed"]
    assert sandbox.cabinet("sip").orders() == []
