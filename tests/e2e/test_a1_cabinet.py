"""The A1 robot end to end: every login method, the supervisor's accounts, invoices,
call details (ticked and uploaded), reconciliation acts, delivery settings, subscribers.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from robots.cabinets import OrderRequest
from robots.cabinets import a1 as a1_robot
from robots.domain import DocumentKind, Period
from robots.errors import CredentialsError, OrderRefused
from sandbox.stack import Sandbox
from support.driving import Driver

pytestmark = pytest.mark.integration

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
LAST_MONTH = Period.of(TODAY).previous()
CABINET = "a1-sandbox"
ACCOUNT = "1234567890123"
OTHER_ACCOUNT = "1234567890124"


def use(sandbox: Sandbox, **keys: str) -> None:
    """Change keys of the A1 cabinet's entry in the sandbox's robot configuration."""
    path = sandbox.config_path
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index('name = "a1-sandbox"')
    for key, value in keys.items():
        for i in range(start, len(lines)):
            if lines[i].startswith(f"{key} = "):
                lines[i] = f'{key} = "{value}"'
                break
        else:
            lines.insert(start + 1, f'{key} = "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_invoice_in_excel_arrives_zipped_and_is_collected(sandbox: Sandbox, driver: Driver) -> None:
    with driver.robot(CABINET) as robot:
        setting = robot.set_delivery(ACCOUNT, invoice_format="Excel")
        assert setting.invoice_format == "Excel"
    placed = driver.order(
        CABINET, "--kind", "invoice", "--period", str(LAST_MONTH), "--account", ACCOUNT
    )
    assert placed["results"][0]["format"] == "xlsx"
    (line,) = driver.collect()
    assert (line["operator"], line["account"], line["kind"], line["format"]) == (
        "a1",
        ACCOUNT,
        "invoice",
        "xlsx",
    )
    assert "zip" in line["source"].lower()  # it came out of the ZIP A1 sends


def test_call_details_ticked_and_uploaded(
    sandbox: Sandbox, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    with driver.robot(CABINET) as robot:
        ticked = robot.order(OrderRequest(DocumentKind.CALL_DETAILS, LAST_MONTH, ACCOUNT))
        monkeypatch.setattr(a1_robot, "TICK_AT_MOST", 1)  # a "long" list: uploaded as .xlsx
        uploaded = robot.order(
            OrderRequest(DocumentKind.CALL_DETAILS, LAST_MONTH, ACCOUNT, numbers=ticked.numbers)
        )
    assert len(ticked.numbers) >= 2 and uploaded.numbers == ticked.numbers
    orders = sandbox.cabinet("a1").orders()
    assert [sorted(o["numbers"]) for o in orders] == [list(ticked.numbers)] * 2
    lines = driver.collect()
    assert [(line["kind"], line["format"]) for line in lines] == [("call_details", "xlsx")]


def test_a_refused_upload_is_reported(
    sandbox: Sandbox, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(a1_robot, "TICK_AT_MOST", 0)  # always upload
    not_a_number = OrderRequest(DocumentKind.CALL_DETAILS, LAST_MONTH, ACCOUNT, numbers=("12345",))
    with pytest.raises(OrderRefused, match="12-значные номера"), driver.robot(CABINET) as robot:
        robot.order(not_a_number)
    assert sandbox.cabinet("a1").orders() == []


def test_reconciliation_act_for_another_account_of_the_supervisor(
    sandbox: Sandbox, driver: Driver
) -> None:
    placed = driver.order(
        CABINET, "--kind", "reconciliation_act", "--period", str(LAST_MONTH),
        "--account", OTHER_ACCOUNT,
    )  # fmt: skip
    assert placed["results"][0]["status"] == "ordered"
    (line,) = driver.collect()
    assert (line["kind"], line["account"]) == ("reconciliation_act", OTHER_ACCOUNT)


def test_subscribers_of_every_account_feed_the_inventory(sandbox: Sandbox, driver: Driver) -> None:
    result = driver.cli("subscribers", "--cabinet", CABINET, "--json")
    assert result.exit_code == 0, result.output
    accounts = {s["account"] for s in json.loads(result.stdout)["subscribers"]}
    assert {ACCOUNT, OTHER_ACCOUNT} <= accounts


@pytest.mark.parametrize("method", ["sms", "email", "account"])
def test_every_login_method(sandbox: Sandbox, driver: Driver, method: str) -> None:
    logins = {"sms": "291234567", "email": "admin@a1-company.by", "account": "1234567890125"}
    role = "administrator" if method == "account" else "supervisor"
    use(sandbox, login_method=method, login=logins[method], role=role)
    with driver.robot(CABINET) as robot:
        assert robot.check_session() is False
        assert robot.accounts()


def test_a_wrong_password_is_a_credentials_error(
    sandbox: Sandbox, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_A1_PASSWORD", "wrong-password-1")
    with pytest.raises(CredentialsError, match="Неверные данные"), driver.robot(CABINET) as robot:
        robot.check_session()


def test_injected_faults_are_retried_and_maintenance_reported(
    sandbox: Sandbox, driver: Driver
) -> None:
    sandbox.cabinet("a1").set_faults("error_rate=0.1,seed=4")
    placed = driver.order(
        CABINET, "--kind", "invoice", "--period", str(LAST_MONTH), "--account", ACCOUNT
    )
    assert placed["results"][0]["status"] == "ordered"
    sandbox.cabinet("a1").set_faults("maintenance=a1")
    down = driver.cli("order", "--cabinet", CABINET, "--kind", "invoice", "--period", "2026-10")
    assert down.exit_code == 1 and "Технические работы" in down.stderr


def test_a_reconciliation_act_beyond_three_years_is_refused(
    sandbox: Sandbox, driver: Driver
) -> None:
    # The screen's own intro says «Акт сверки будет отправлен на адрес…»: not a confirmation
    # (a slow answer leaves the robot a while to take it for one).
    sandbox.cabinet("a1").set_faults("latency_ms=400")
    long_ago = Period(year=TODAY.year - 4, month=TODAY.month)
    request = OrderRequest(DocumentKind.RECONCILIATION_ACT, long_ago, ACCOUNT)
    refused = pytest.raises(OrderRefused, match="Доступен период 3 года")
    with refused, driver.robot(CABINET) as robot:
        robot.order(request)
    assert sandbox.cabinet("a1").orders() == []
