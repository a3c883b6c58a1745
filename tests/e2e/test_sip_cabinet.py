"""The SIP robot end to end: headless Chromium → the sandbox cabinet → Dovecot → collect.

Each test has a sandbox of its own (the cabinet in this process, the worker's Dovecot),
with the calendar fixed on the 15th of the current month unless a test moves it, and
back-office delays of a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from config.loader import load_config
from robots.cabinets import CabinetRobot, OrderRequest, find_cabinet, open_robot
from robots.domain import DocumentKind, Period
from robots.errors import CabinetMaintenance, OrderRefused, UnexpectedScreen
from sandbox.cabinets.base import Timings
from sandbox.mailserver import MailServer
from sandbox.stack import Sandbox

pytestmark = pytest.mark.integration

TODAY = dt.date.today().replace(day=15)
THIS_MONTH = Period.of(TODAY)
LAST_MONTH = THIS_MONTH.previous()
ACCOUNT = "1100023456"
CABINET = "sip-sandbox"


@pytest.fixture
def sandbox(
    mail_server: MailServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Sandbox]:
    """A running sandbox whose passwords are in this test's environment."""
    with Sandbox(
        tmp_path / "sandbox", mail_server=mail_server, today=TODAY, timings=Timings.uniform(0.2)
    ) as running:
        for key, value in running.env.items():
            monkeypatch.setenv(key, value)
        yield running


@contextmanager
def sip_robot(sandbox: Sandbox) -> Iterator[CabinetRobot]:
    config = load_config(sandbox.config_path)
    with open_robot(config, find_cabinet(config, CABINET)) as robot:
        yield robot


def cli(sandbox: Sandbox, *args: str) -> Result:
    env = {**sandbox.env, "CABINET_ROBOT_CONFIG": str(sandbox.config_path)}
    return CliRunner().invoke(app, list(args), env=env)


def order(sandbox: Sandbox, *args: str) -> dict[str, Any]:
    result = cli(sandbox, "order", "--cabinet", CABINET, "--json", *args)
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def collect(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Wait for the cabinet's e-mails, collect, return the manifest lines."""
    sandbox.outbox.wait_idle(timeout=30)
    result = cli(sandbox, "collect", "--json")
    assert result.exit_code == 0, result.output
    inbox = load_config(sandbox.config_path).tarifer.inbox
    lines = (inbox / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_invoice_by_email_is_ordered_mailed_and_collected(sandbox: Sandbox) -> None:
    placed = order(
        sandbox, "--kind", "invoice", "--period", str(LAST_MONTH), "--via", "email",
        "--account", ACCOUNT,
    )  # fmt: skip
    (result,) = placed["results"]
    assert (result["status"], result["format"]) == ("ordered", "pdf")
    assert result["email"] == sandbox.mailbox.address

    (recorded,) = sandbox.cabinet("sip").orders()
    assert recorded["kind"] == "invoice" and recorded["method"] == "email"
    assert (recorded["account"], recorded["period"]) == (ACCOUNT, str(LAST_MONTH))

    (line,) = collect(sandbox)
    assert (line["operator"], line["account"], line["kind"]) == ("sip", ACCOUNT, "invoice")
    assert line["period"] == str(LAST_MONTH) and line["format"] == "pdf"


def test_call_details_for_the_sip_subscribers_of_the_account(sandbox: Sandbox) -> None:
    placed = order(
        sandbox, "--kind", "call_details", "--period", str(THIS_MONTH), "--account", ACCOUNT
    )
    (result,) = placed["results"]
    (recorded,) = sandbox.cabinet("sip").orders()
    assert recorded["kind"] == "call_details"
    assert sorted(recorded["numbers"]) == result["numbers"]
    assert result["numbers"], "the account has «SIP-соединение» subscribers"

    (line,) = collect(sandbox)
    assert (line["kind"], line["account"], line["period"]) == (
        "call_details",
        ACCOUNT,
        str(THIS_MONTH),
    )
    assert line["numbers"] == result["numbers"]


def test_current_charges(sandbox: Sandbox) -> None:
    if Period.of(dt.date.today()) != THIS_MONTH:  # pragma: no cover - midnight at a month's end
        pytest.skip("the month changed during the test")
    order(sandbox, "--kind", "charges", "--period", str(THIS_MONTH), "--account", ACCOUNT)
    (line,) = collect(sandbox)
    assert (line["kind"], line["account"], line["period"]) == ("charges", ACCOUNT, str(THIS_MONTH))


def test_invoice_by_link_is_downloaded_once_ready_and_delivered(sandbox: Sandbox) -> None:
    placed = order(sandbox, "--kind", "invoice", "--period", str(LAST_MONTH), "--account", ACCOUNT)
    (result,) = placed["results"]
    assert (result["via"], result["status"]) == ("download", "delivered")
    delivered = Path(result["path"])
    assert delivered.read_bytes().startswith(b"%PDF")
    (recorded,) = sandbox.cabinet("sip").orders()
    assert recorded["method"] == "download"

    again = order(sandbox, "--kind", "invoice", "--period", str(LAST_MONTH), "--account", ACCOUNT)
    assert again["results"][0]["status"] == "duplicate"


def test_invoices_are_refused_from_the_1st_to_the_3rd(sandbox: Sandbox) -> None:
    sandbox.cabinet("sip").set_today(TODAY.replace(day=2))
    result = cli(
        sandbox, "order", "--cabinet", CABINET, "--kind", "invoice", "--period", str(LAST_MONTH),
        "--account", ACCOUNT, "--via", "email",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "с 1 по 3 число каждого месяца" in result.stdout
    assert sandbox.cabinet("sip").orders() == []


def test_wrong_password_fails_with_evidence_and_no_password_in_it(sandbox: Sandbox) -> None:
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
    evidence = Path(result.stderr.split("trace and screenshot in ")[1].split(")")[0])
    assert (evidence / "screenshot.png").stat().st_size > 0
    with zipfile.ZipFile(evidence / "trace.zip") as trace:
        for name in trace.namelist():
            data = trace.read(name)
            assert wrong.encode() not in data, name
            assert sandbox.env["CABINET_ROBOT_SIP_PASSWORD"].encode() not in data, name


def test_a_saved_session_is_reused_and_a_stale_one_replaced(sandbox: Sandbox) -> None:
    with sip_robot(sandbox) as robot:
        assert robot.check_session() is False  # first run: logged in
    session = load_config(sandbox.config_path).state.dir / "sessions" / f"{CABINET}.json"
    assert session.stat().st_mode & 0o777 == 0o600
    with sip_robot(sandbox) as robot:
        assert robot.check_session() is True  # the saved cookies opened the cabinet
    sandbox.cabinet("sip").expire_sessions()
    with sip_robot(sandbox) as robot:
        assert robot.check_session() is False
        accounts = robot.accounts()
    assert ACCOUNT in [a.id for a in accounts]


def test_a_session_that_ends_mid_order_is_logged_into_again(sandbox: Sandbox) -> None:
    expired: list[str] = []

    def expire_once(request: Any) -> None:
        # The first form sent is the account step: the session dies between the steps.
        if request.method == "POST" and "/bills/email" in request.url and not expired:
            expired.append(request.url)
            sandbox.cabinet("sip").expire_sessions()

    with sip_robot(sandbox) as robot:
        robot.session.page.on("request", expire_once)
        placed = robot.order(OrderRequest(DocumentKind.INVOICE, LAST_MONTH, ACCOUNT))
    assert expired
    assert placed.period == LAST_MONTH
    assert [o["kind"] for o in sandbox.cabinet("sip").orders()] == ["invoice"]


def test_maintenance_is_reported_not_hammered(sandbox: Sandbox) -> None:
    sandbox.cabinet("sip").set_faults("maintenance=sip")
    with pytest.raises(CabinetMaintenance) as info, sip_robot(sandbox) as robot:
        robot.check_session()
    assert info.value.evidence is not None and (info.value.evidence / "trace.zip").exists()


def test_injected_server_errors_are_retried(sandbox: Sandbox) -> None:
    sandbox.cabinet("sip").set_faults("error_rate=0.15,seed=3")
    result = cli(
        sandbox, "order", "--cabinet", CABINET, "--kind", "invoice", "--period", str(LAST_MONTH),
        "--account", ACCOUNT, "--via", "email", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["status"] == "ordered"
    assert "Внутренняя ошибка" in result.stderr and "trying again" in result.stderr
    assert [o["kind"] for o in sandbox.cabinet("sip").orders()] == ["invoice"]


def test_delivery_email_and_format_are_read_validated_and_set(sandbox: Sandbox) -> None:
    with sip_robot(sandbox) as robot:
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


def test_mail_only_cabinet_and_unknown_cabinet_are_configuration_errors(sandbox: Sandbox) -> None:
    for name, message in [("mts-sandbox", "only collects its mail"), ("nope", "no cabinet named")]:
        result = cli(
            sandbox, "order", "--cabinet", name, "--kind", "invoice", "--period", "2026-10"
        )
        assert result.exit_code == 2, result.output
        assert message in result.stderr


def test_new_ids_classes_and_nesting_do_not_stop_the_robot(sandbox: Sandbox) -> None:
    sandbox.cabinet("sip").set_markup("restyle,seed=21")
    with sip_robot(sandbox) as robot:
        placed = robot.order(OrderRequest(DocumentKind.CALL_DETAILS, THIS_MONTH, ACCOUNT))
        assert robot.delivery(ACCOUNT).invoice_format == "PDF"
    assert placed.numbers and [o["kind"] for o in sandbox.cabinet("sip").orders()] == [
        "call_details"
    ]


def test_a_renamed_button_is_an_unexpected_screen_with_evidence(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_BROWSER__TIMEOUT_S", "3")  # fail fast: it will not come
    sandbox.cabinet("sip").set_markup("rename=Сформировать детализацию=>Заказать")
    with pytest.raises(UnexpectedScreen) as info, sip_robot(sandbox) as robot:
        robot.order(OrderRequest(DocumentKind.CALL_DETAILS, THIS_MONTH, ACCOUNT))
    assert "Сформировать детализацию" in str(info.value)
    assert info.value.evidence is not None
    assert (info.value.evidence / "screenshot.png").exists()
    assert sandbox.cabinet("sip").orders() == []
