"""The SIP robot end to end: headless Chromium → the sandbox cabinet → Dovecot → collect.

Each test has a sandbox of its own (the cabinet in this process, the worker's Dovecot),
with the calendar fixed on the 15th of the current month unless a test moves it, and
back-office delays of a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from robots.cabinets import OrderRequest, find_cabinet
from robots.cycle.book import ItemState, opened_book
from robots.cycle.plan import plan_period
from robots.cycle.work import work_cabinet
from robots.domain import DocumentKind, Period
from robots.errors import CabinetMaintenance, OrderRefused, UnexpectedScreen
from robots.inventory import load_subscribers
from sandbox.stack import Sandbox
from support.driving import Driver

pytestmark = pytest.mark.integration

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
THIS_MONTH = Period.of(TODAY)
LAST_MONTH = THIS_MONTH.previous()
ACCOUNT = "1100023456"
CABINET = "sip-sandbox"


def health_runs(driver: Driver) -> list[dict[str, Any]]:
    """The SIP cabinet's runs as ``status --health --json`` gives them."""
    result = driver.cli("status", "--health", "--json")
    assert result.exit_code == 0, result.output
    cabinets = json.loads(result.stdout)["health"]
    runs: list[dict[str, Any]] = next(c["runs"] for c in cabinets if c["cabinet"] == CABINET)
    return runs


def test_invoice_by_email_is_ordered_mailed_and_collected(sandbox: Sandbox, driver: Driver) -> None:
    placed = driver.order(
        CABINET, "--kind", "invoice", "--period", str(LAST_MONTH), "--via", "email",
        "--account", ACCOUNT,
    )  # fmt: skip
    (result,) = placed["results"]
    assert (result["status"], result["format"]) == ("ordered", "pdf")
    assert result["email"] == sandbox.mailbox.address

    (recorded,) = sandbox.cabinet("sip").orders()
    assert recorded["kind"] == "invoice" and recorded["method"] == "email"
    assert (recorded["account"], recorded["period"]) == (ACCOUNT, str(LAST_MONTH))

    (line,) = driver.collect()
    assert (line["operator"], line["account"], line["kind"]) == ("sip", ACCOUNT, "invoice")
    assert line["period"] == str(LAST_MONTH) and line["format"] == "pdf"


def test_call_details_for_the_sip_subscribers_of_the_account(
    sandbox: Sandbox, driver: Driver
) -> None:
    placed = driver.order(
        CABINET, "--kind", "call_details", "--period", str(THIS_MONTH), "--account", ACCOUNT
    )
    (result,) = placed["results"]
    (recorded,) = sandbox.cabinet("sip").orders()
    assert recorded["kind"] == "call_details"
    assert sorted(recorded["numbers"]) == result["numbers"]
    assert result["numbers"], "the account has «SIP-соединение» subscribers"

    (line,) = driver.collect()
    assert (line["kind"], line["account"], line["period"]) == (
        "call_details",
        ACCOUNT,
        str(THIS_MONTH),
    )
    assert line["numbers"] == result["numbers"]


def test_current_charges(sandbox: Sandbox, driver: Driver) -> None:
    if Period.of(dt.date.today()) != THIS_MONTH:  # pragma: no cover - midnight at a month's end
        pytest.skip("the month changed during the test")
    driver.order(CABINET, "--kind", "charges", "--period", str(THIS_MONTH), "--account", ACCOUNT)
    (line,) = driver.collect()
    assert (line["kind"], line["account"], line["period"]) == ("charges", ACCOUNT, str(THIS_MONTH))


def test_invoice_by_link_is_downloaded_once_ready_and_delivered(
    sandbox: Sandbox, driver: Driver
) -> None:
    placed = driver.order(
        CABINET, "--kind", "invoice", "--period", str(LAST_MONTH), "--account", ACCOUNT
    )
    (result,) = placed["results"]
    assert (result["via"], result["status"]) == ("download", "delivered")
    delivered = Path(result["path"])
    assert delivered.read_bytes().startswith(b"%PDF")
    (recorded,) = sandbox.cabinet("sip").orders()
    assert recorded["method"] == "download"

    again = driver.order(
        CABINET, "--kind", "invoice", "--period", str(LAST_MONTH), "--account", ACCOUNT
    )
    assert again["results"][0]["status"] == "duplicate"


def test_invoices_are_refused_from_the_1st_to_the_3rd(sandbox: Sandbox, driver: Driver) -> None:
    sandbox.cabinet("sip").set_today(TODAY.replace(day=2))
    result = driver.cli(
        "order", "--cabinet", CABINET, "--kind", "invoice", "--period", str(LAST_MONTH),
        "--account", ACCOUNT, "--via", "email",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "с 1 по 3 число каждого месяца" in result.stdout
    assert sandbox.cabinet("sip").orders() == []
    (run,) = health_runs(driver)
    assert (run["source"], run["status"]) == ("order", "unavailable")
    ((screen, detail),) = [(s["screen"], s["detail"]) for s in run["screens"]]
    assert screen == "invoice" and detail.startswith("refused: ")
    assert "с 1 по 3 число каждого месяца" in detail


def test_wrong_password_fails_with_evidence_and_no_password_in_it(
    sandbox: Sandbox, driver: Driver
) -> None:
    wrong = "Wrong-Password-4711"
    env = {**sandbox.env, "CABINET_ROBOT_SIP_PASSWORD": wrong}
    result = CliRunner().invoke(
        app,
        ["order", "--cabinet", CABINET, "--kind", "charges", "--period", str(THIS_MONTH)],
        env={**env, "CABINET_ROBOT_CONFIG": str(sandbox.config_path)},
    )
    assert result.exit_code == 1
    assert "Неверный лицевой счет или пароль" in result.stderr
    assert wrong not in result.stdout + result.stderr  # nor in the log lines
    (run,) = health_runs(driver)
    assert [(s["screen"], s["status"]) for s in run["screens"]] == [("cabinet", "unavailable")]
    assert run["screens"][0]["detail"].startswith("login refused: ")
    assert wrong not in json.dumps(run)
    evidence = Path(result.stderr.split("trace, page and screenshot in ")[1].split(")")[0])
    assert (evidence / "screenshot.png").stat().st_size > 0
    # The page as the login left it: the cabinet's refusal, and no password in it.
    page = (evidence / "page.html").read_text(encoding="utf-8")
    assert "Неверный лицевой счет или пароль" in page
    with zipfile.ZipFile(evidence / "trace.zip") as trace:
        members = {name: trace.read(name) for name in trace.namelist()}
    for name, data in {**members, "page.html": page.encode()}.items():
        assert wrong.encode() not in data, name
        assert sandbox.env["CABINET_ROBOT_SIP_PASSWORD"].encode() not in data, name


def test_a_saved_session_is_reused_and_a_stale_one_replaced(
    sandbox: Sandbox, driver: Driver
) -> None:
    with driver.robot(CABINET) as robot:
        assert robot.check_session() is False  # first run: logged in
    session = load_config(sandbox.config_path).state.dir / "sessions" / f"{CABINET}.json"
    assert session.stat().st_mode & 0o777 == 0o600
    with driver.robot(CABINET) as robot:
        assert robot.check_session() is True  # the saved cookies opened the cabinet
    sandbox.cabinet("sip").expire_sessions()
    with driver.robot(CABINET) as robot:
        assert robot.check_session() is False
        accounts = robot.accounts()
    assert ACCOUNT in [a.id for a in accounts]


def test_a_session_that_ends_mid_order_is_logged_into_again(
    sandbox: Sandbox, driver: Driver
) -> None:
    expired: list[str] = []

    def expire_once(request: Any) -> None:
        # The first form sent is the account step: the session dies between the steps.
        if request.method == "POST" and "/bills/email" in request.url and not expired:
            expired.append(request.url)
            sandbox.cabinet("sip").expire_sessions()

    with driver.robot(CABINET) as robot:
        robot.session.page.on("request", expire_once)
        placed = robot.order(OrderRequest(DocumentKind.INVOICE, LAST_MONTH, ACCOUNT))
    assert expired
    assert placed.period == LAST_MONTH
    assert [o["kind"] for o in sandbox.cabinet("sip").orders()] == ["invoice"]


def test_maintenance_is_reported_not_hammered(sandbox: Sandbox, driver: Driver) -> None:
    sandbox.cabinet("sip").set_faults("maintenance=sip")
    with pytest.raises(CabinetMaintenance) as info, driver.robot(CABINET) as robot:
        robot.check_session()
    assert info.value.evidence is not None and (info.value.evidence / "trace.zip").exists()


def test_injected_server_errors_are_retried(sandbox: Sandbox, driver: Driver) -> None:
    sandbox.cabinet("sip").set_faults("error_rate=0.15,seed=3")
    result = driver.cli(
        "order", "--cabinet", CABINET, "--kind", "invoice", "--period", str(LAST_MONTH),
        "--account", ACCOUNT, "--via", "email", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["status"] == "ordered"
    assert "Внутренняя ошибка" in result.stderr and "trying again" in result.stderr
    assert [o["kind"] for o in sandbox.cabinet("sip").orders()] == ["invoice"]


def test_delivery_email_and_format_are_read_validated_and_set(
    sandbox: Sandbox, driver: Driver
) -> None:
    with driver.robot(CABINET) as robot:
        assert robot.delivery(ACCOUNT).emails == (sandbox.mailbox.address,)
        for bad, message in [
            (("robot@example.com", "not an address"), "Неверный адрес e-mail"),
            (("a" * 190 + "@example.com",), "Максимальная длина поля-200 символов"),
        ]:
            with pytest.raises(OrderRefused, match=message):
                robot.set_delivery(ACCOUNT, emails=bad)
        both = (sandbox.mailbox.address, "accounting@example.com")
        changed = robot.set_delivery(ACCOUNT, emails=both, invoice_format="Excel")
        assert (changed.emails, changed.invoice_format) == (both, "Excel")
        again = robot.delivery(ACCOUNT)
    assert (again.emails, again.invoice_format) == (both, "Excel")


def test_unknown_cabinet_is_a_configuration_error(sandbox: Sandbox, driver: Driver) -> None:
    # Every sandbox operator has a web cabinet now (A1 too): no mail-only case to try here.
    result = driver.cli("order", "--cabinet", "nope", "--kind", "invoice", "--period", "2026-10")
    assert result.exit_code == 2, result.output
    assert "no cabinet named" in result.stderr


def test_new_ids_classes_and_nesting_do_not_stop_the_robot(
    sandbox: Sandbox, driver: Driver
) -> None:
    sandbox.cabinet("sip").set_markup("restyle,seed=21")
    with driver.robot(CABINET) as robot:
        placed = robot.order(OrderRequest(DocumentKind.CALL_DETAILS, THIS_MONTH, ACCOUNT))
        assert robot.delivery(ACCOUNT).invoice_format == "PDF"
    assert placed.numbers and [o["kind"] for o in sandbox.cabinet("sip").orders()] == [
        "call_details"
    ]


def test_a_renamed_button_is_an_unexpected_screen_with_evidence(
    sandbox: Sandbox, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_BROWSER__TIMEOUT_S", "3")  # fail fast: it will not come
    sandbox.cabinet("sip").set_markup("rename=Сформировать детализацию=>Заказать")
    with pytest.raises(UnexpectedScreen) as info, driver.robot(CABINET) as robot:
        robot.order(OrderRequest(DocumentKind.CALL_DETAILS, THIS_MONTH, ACCOUNT))
    assert "Сформировать детализацию" in str(info.value)
    assert info.value.evidence is not None
    assert (info.value.evidence / "screenshot.png").exists()
    assert sandbox.cabinet("sip").orders() == []


def test_a_label_override_in_the_configuration_makes_a_renamed_control_found(
    sandbox: Sandbox, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_BROWSER__TIMEOUT_S", "3")  # the failure comes fast
    sandbox.cabinet("sip").set_markup("rename=Сформировать детализацию=>Заказать")
    request = OrderRequest(DocumentKind.CALL_DETAILS, THIS_MONTH, ACCOUNT)
    with (
        pytest.raises(UnexpectedScreen, match="«Сформировать детализацию»"),
        driver.robot(CABINET) as robot,
    ):
        robot.order(request)
    assert sandbox.cabinet("sip").orders() == []

    driver.add_to_cabinet(CABINET, 'labels = { "Сформировать детализацию" = "Заказать" }')
    with driver.robot(CABINET) as robot:
        placed = robot.order(request)
    (recorded,) = sandbox.cabinet("sip").orders()
    assert recorded["kind"] == "call_details" and placed.numbers
    assert sorted(recorded["numbers"]) == sorted(placed.numbers)


def test_the_subscriber_list_feeds_the_inventory(sandbox: Sandbox, driver: Driver) -> None:
    result = driver.cli("subscribers", "--cabinet", CABINET, "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["subscribers"]
    assert {"number": "375172345682", "account": "1100023457"}.items() <= next(
        s for s in listed if s["number"] == "375172345682"
    ).items()
    saved = load_subscribers(load_config(sandbox.config_path))
    assert {s.number for s in saved} == {s["number"] for s in listed}


def test_a_renamed_control_fails_its_document_only_and_the_others_are_delivered(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_BROWSER__TIMEOUT_S", "3")  # fail fast: it will not come
    sandbox.cabinet("sip").set_markup("rename=Сформировать детализацию=>Заказать")
    settings = load_config(sandbox.config_path)
    cabinet = find_cabinet(settings, CABINET)
    with opened_book(settings.state.ledger_url) as book:
        book.expect(plan_period(settings, LAST_MONTH, TODAY, [cabinet]))
        items = book.items(str(LAST_MONTH), {CABINET})
        # The changed screen first: what comes after it must still be done.
        items.sort(key=lambda item: item.kind != DocumentKind.CALL_DETAILS)
        assert {i.kind for i in items} >= {DocumentKind.CALL_DETAILS, DocumentKind.INVOICE}
        work = work_cabinet(settings, cabinet, items, book)
        after = {(i.account, i.kind): i for i in book.items(str(LAST_MONTH), {CABINET})}
    details = [i for (_, kind), i in after.items() if kind == DocumentKind.CALL_DETAILS]
    assert details and all(i.state is ItemState.FAILED for i in details)
    for item in details:
        assert item.reason and "«Сформировать детализацию»" in item.reason
        assert item.evidence and (Path(item.evidence) / "screenshot.png").exists()
        assert (Path(item.evidence) / "trace.zip").exists()
    invoices = [i for (_, kind), i in after.items() if kind == DocumentKind.INVOICE]
    assert invoices and all(i.state is ItemState.DELIVERED for i in invoices)
    assert len(work.failed) == len(details) and work.downloaded
    # The session's health: the kind whose screen changed, the others ok.
    (run,) = health_runs(Driver(sandbox))
    assert (run["source"], run["status"]) == ("cycle", "changed")
    screens = {s["screen"]: s for s in run["screens"]}
    assert screens["call_details"]["status"] == "changed"
    assert screens["call_details"]["detail"].startswith("screen changed: ")
    assert "«Сформировать детализацию»" in screens["call_details"]["detail"]
    assert {screens[kind]["status"] for kind in screens if kind != "call_details"} == {"ok"}
    assert "invoice" in screens
