"""The Kcell robot end to end: Chromium → Kcell Business ID in the sandbox → files
downloaded and delivered, reports e-mailed through Dovecot and collected.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from robots.domain import Operator, Period
from robots.errors import HumanActionRequired
from sandbox.stack import Sandbox
from sandbox.world import accounts_of, generated_accounts
from support.driving import Driver

pytestmark = pytest.mark.integration

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
THIS_MONTH = Period.of(TODAY)
LAST_MONTH = THIS_MONTH.previous()
CABINET = "kcell-sandbox"
ACCOUNT = "1040123456"
NUMBERS = ["77012223344", "77012223345"]
BRANCH_ACCOUNT = "1040123457"  # «Филиал TOO Кабинет»


def order_args(kind: str, account: str = ACCOUNT, *more: str) -> list[str]:
    return ["--kind", kind, "--period", str(LAST_MONTH), "--account", account, *more]


def test_call_details_are_downloaded_for_every_number_of_the_account(
    sandbox: Sandbox, driver: Driver
) -> None:
    placed = driver.order(CABINET, *order_args("call_details"))
    results = placed["results"]
    assert [r["status"] for r in results] == ["delivered", "delivered"]
    assert sorted(n for r in results for n in r["numbers"]) == NUMBERS
    kinds = [(o["kind"], o["method"]) for o in sandbox.cabinet("kcell").orders()]
    assert kinds == [("call_details", "download")] * 2
    xls = driver.order(CABINET, *order_args("call_details", ACCOUNT, "--format", "xls"))
    assert {r["format"] for r in xls["results"]} == {"xls"}


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_work_act_is_downloaded(sandbox: Sandbox, driver: Driver, fmt: str) -> None:
    placed = driver.order(CABINET, *order_args("work_act", ACCOUNT, "--format", fmt))
    (result,) = placed["results"]
    assert (result["status"], result["format"]) == ("delivered", fmt)


def test_invoice_register_and_a_second_company(sandbox: Sandbox, driver: Driver) -> None:
    register = driver.order(CABINET, *order_args("invoice_register"))
    assert register["results"][0]["status"] == "delivered"
    branch = driver.order(CABINET, *order_args("work_act", BRANCH_ACCOUNT))
    (result,) = branch["results"]
    assert result["status"] == "delivered" and f"/{BRANCH_ACCOUNT}/" in result["path"]


def test_acts_and_reports_ordered_by_email_are_collected(sandbox: Sandbox, driver: Driver) -> None:
    for kind in ("reconciliation_act", "payments_report"):
        placed = driver.order(CABINET, *order_args(kind))
        assert placed["results"][0]["email"] == sandbox.mailbox.address
    driver.order(
        CABINET, "--kind", "numbers_report", "--period", str(THIS_MONTH), "--account", ACCOUNT
    )
    lines = driver.collect()
    assert sorted(line["kind"] for line in lines) == [
        "numbers_report",
        "payments_report",
        "reconciliation_act",
    ]
    assert {line["account"] for line in lines} == {ACCOUNT}


def test_availability_rules_follow_the_calendar(sandbox: Sandbox, driver: Driver) -> None:
    kcell = sandbox.cabinet("kcell")
    kcell.set_today(TODAY.replace(day=4))
    refused = driver.cli("order", "--cabinet", CABINET, *order_args("work_act"))
    assert refused.exit_code == 1
    assert "доступны после 5 числа месяца" in refused.stdout
    assert driver.order(CABINET, *order_args("invoice_register"))["results"][0]["status"] == (
        "delivered"
    )
    kcell.set_today(TODAY.replace(day=2))
    act = driver.cli("order", "--cabinet", CABINET, *order_args("reconciliation_act"))
    assert act.exit_code == 1 and "после 3 числа месяца" in act.stdout


@pytest.mark.parametrize("sandbox_options", [{"kcell_first_login": True}], indirect=True)
def test_the_first_login_sets_the_password_with_the_sms_code(
    sandbox: Sandbox, driver: Driver
) -> None:
    with driver.robot(CABINET) as robot:
        assert robot.check_session() is False
    assert sandbox.cabinet("kcell").last_sms("77012223344") is not None
    (sandbox.directory / "state" / "sessions" / f"{CABINET}.json").unlink()
    with driver.robot(CABINET) as robot:  # the password the robot set now opens the cabinet
        assert robot.check_session() is False
        assert {a.id for a in robot.accounts()} == {ACCOUNT, BRANCH_ACCOUNT}


@pytest.mark.parametrize("sandbox_options", [{"kcell_password_expired": True}], indirect=True)
def test_an_expired_password_needs_a_person(sandbox: Sandbox, driver: Driver) -> None:
    with pytest.raises(HumanActionRequired, match="expired"), driver.robot(CABINET) as robot:
        robot.check_session()


def test_injected_server_errors_are_retried(sandbox: Sandbox, driver: Driver) -> None:
    sandbox.cabinet("kcell").set_faults("error_rate=0.1,seed=11")
    placed = driver.order(CABINET, *order_args("work_act"))
    assert placed["results"][0]["status"] == "delivered"


def test_the_numbers_of_every_company_feed_the_inventory(sandbox: Sandbox, driver: Driver) -> None:
    result = driver.cli("subscribers", "--cabinet", CABINET, "--json")
    assert result.exit_code == 0, result.output
    listed = {s["number"]: s["account"] for s in json.loads(result.stdout)["subscribers"]}
    assert listed == {
        "77012223344": ACCOUNT,
        "77012223345": ACCOUNT,
        "77012223346": BRANCH_ACCOUNT,
        "77012223347": BRANCH_ACCOUNT,
    }
    # The list printed for people masks the numbers (the --json above and the inventory
    # keep them whole), unless [privacy] mask_numbers = false.
    text = driver.cli("subscribers", "--cabinet", CABINET)
    assert text.exit_code == 0, text.output
    assert f"+7 701 ***-**-44  {ACCOUNT}" in text.stdout and "77012223344" not in text.stdout
    whole = driver.cli(
        "subscribers", "--cabinet", CABINET, CABINET_ROBOT_PRIVACY__MASK_NUMBERS="false"
    )
    assert whole.exit_code == 0, whole.output
    assert f"77012223344  {ACCOUNT}" in whole.stdout


# 22 more accounts, taking turns between the two companies: 13 numbers in each, more than
# one page of the single-page markup's list (10 a page).
MANY_NUMBERS = {
    "accounts": {
        Operator.KCELL: (*accounts_of(Operator.KCELL), *generated_accounts(Operator.KCELL, 22))
    }
}


@pytest.mark.parametrize("sandbox_options", [MANY_NUMBERS], indirect=True)
def test_a_paged_list_of_numbers_is_read_to_its_end(sandbox: Sandbox, driver: Driver) -> None:
    result = driver.cli("subscribers", "--cabinet", CABINET, "--json")
    assert result.exit_code == 0, result.output
    listed = {s["number"] for s in json.loads(result.stdout)["subscribers"]}
    assert len(listed) == 26 and "77020000020" in listed
    last = "2000000020"  # the last account of «TOO Кабинет»: on the list's second page
    placed = driver.order(CABINET, *order_args("call_details", last))
    assert [(r["status"], r["numbers"]) for r in placed["results"]] == [
        ("delivered", ["77020000020"])
    ]


@pytest.mark.parametrize("sandbox_options", [{"markup": "restyle,seed=5"}], indirect=True)
def test_other_ids_classes_and_wrappers_change_nothing(sandbox: Sandbox, driver: Driver) -> None:
    details = driver.order(CABINET, *order_args("call_details", ACCOUNT, "--format", "xls"))
    assert [r["status"] for r in details["results"]] == ["delivered", "delivered"]
    act = driver.order(CABINET, *order_args("reconciliation_act"))
    assert act["results"][0]["email"] == sandbox.mailbox.address
    register = driver.order(CABINET, *order_args("invoice_register", BRANCH_ACCOUNT))
    assert register["results"][0]["status"] == "delivered"
