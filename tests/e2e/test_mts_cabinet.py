"""The MTS robot end to end: Chromium → «Виртуальный менеджер» in the sandbox → Dovecot
→ collect. The personal account is dragged into «Текущая выборка», the «Документ» dialog
filled in, the e-mail (or its download link) collected.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from robots.cabinets import OrderRequest
from robots.domain import DocumentFormat, DocumentKind, Period
from robots.errors import CredentialsError, OrderRefused
from sandbox.cabinets.mts import MtsSettings
from sandbox.stack import Sandbox
from support.driving import Driver

pytestmark = pytest.mark.integration

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
THIS_MONTH = Period.of(TODAY)
LAST_MONTH = THIS_MONTH.previous()
CABINET = "mts-sandbox"
ACCOUNT = "277012345678"
NUMBERS = ["79161234567", "79161234568", "79161234569"]


def test_invoice_is_ordered_for_the_dragged_account_and_collected(
    sandbox: Sandbox, driver: Driver
) -> None:
    placed = driver.order(
        CABINET, "--kind", "invoice", "--period", str(LAST_MONTH), "--account", ACCOUNT
    )
    (result,) = placed["results"]
    assert (result["status"], result["format"], result["email"]) == (
        "ordered",
        "pdf",
        sandbox.mailbox.address,
    )
    (recorded,) = sandbox.cabinet("mts").orders()
    assert (recorded["kind"], recorded["account"], recorded["period"]) == (
        "invoice",
        ACCOUNT,
        str(LAST_MONTH),
    )
    assert sorted(recorded["numbers"]) == NUMBERS
    (line,) = driver.collect()
    assert (line["operator"], line["account"], line["kind"], line["format"]) == (
        "mts",
        ACCOUNT,
        "invoice",
        "pdf",
    )


def test_the_installed_command_orders_as_the_command_run_in_process(sandbox: Sandbox) -> None:
    # `cabinet-robot` itself (``cli.launch``): Playwright's driver starts while the
    # command's modules load, and the order's browser works in it.
    command = Path(sys.executable).parent / "cabinet-robot"
    env = {**os.environ, **sandbox.env, "CABINET_ROBOT_CONFIG": str(sandbox.config_path)}
    done = subprocess.run(
        [str(command), "order", "--json", "--cabinet", CABINET, "--kind", "invoice",
         "--period", str(LAST_MONTH), "--account", ACCOUNT],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (result,) = json.loads(done.stdout)["results"]
    assert (result["status"], result["email"]) == ("ordered", sandbox.mailbox.address)
    (recorded,) = sandbox.cabinet("mts").orders()
    assert (recorded["kind"], recorded["account"]) == ("invoice", ACCOUNT)


@pytest.mark.parametrize("fmt", ["pdf", "xml", "html"])
def test_call_details_in_each_format(sandbox: Sandbox, driver: Driver, fmt: str) -> None:
    driver.order(
        CABINET, "--kind", "call_details", "--period", str(LAST_MONTH), "--account", ACCOUNT,
        "--format", fmt,
    )  # fmt: skip
    (recorded,) = sandbox.cabinet("mts").orders()
    assert recorded["format"] == fmt
    (line,) = driver.collect()
    assert (line["kind"], line["format"], line["period"]) == ("call_details", fmt, str(LAST_MONTH))
    assert line["numbers"] == NUMBERS


def test_call_details_of_chosen_numbers(sandbox: Sandbox, driver: Driver) -> None:
    with driver.robot(CABINET) as robot:
        placed = robot.order(
            OrderRequest(
                DocumentKind.CALL_DETAILS, LAST_MONTH, ACCOUNT, DocumentFormat.XML, ("79161234568",)
            )
        )
    assert placed.numbers == ("79161234568",)
    (recorded,) = sandbox.cabinet("mts").orders()
    assert recorded["numbers"] == ["79161234568"]
    (line,) = driver.collect()
    assert line["numbers"] == ["79161234568"]


@pytest.mark.parametrize(
    "sandbox_options",
    [{"settings": {"mts": MtsSettings(max_attachment_kb=20, calls_per_number=200)}}],
    indirect=True,
)
def test_a_large_detail_file_arrives_as_a_link(sandbox: Sandbox, driver: Driver) -> None:
    driver.order(
        CABINET, "--kind", "call_details", "--period", str(LAST_MONTH), "--account", ACCOUNT,
        "--format", "xml",
    )  # fmt: skip
    (line,) = driver.collect()
    assert line["kind"] == "call_details" and line["format"] == "xml"
    assert "http://127.0.0.1" in line["source"]  # fetched from the link in the e-mail


@pytest.mark.parametrize("sandbox_options", [{"mts_sms": True}], indirect=True)
def test_the_sms_step_is_passed_with_the_code_from_the_gateway(
    sandbox: Sandbox, driver: Driver
) -> None:
    with driver.robot(CABINET) as robot:
        assert robot.check_session() is False
        assert {a.id for a in robot.accounts()} >= {ACCOUNT}
    assert sandbox.cabinet("mts").last_sms("79161234567") is not None  # a code was asked for


def test_dialog_refusals_are_not_retried(sandbox: Sandbox, driver: Driver) -> None:
    too_old = TODAY.replace(day=1) - dt.timedelta(days=250)
    with driver.robot(CABINET) as robot:
        with pytest.raises(OrderRefused, match="шести месяцев"):
            robot.order(OrderRequest(DocumentKind.CALL_DETAILS, Period.of(too_old), ACCOUNT))
        with pytest.raises(OrderRefused, match=str(THIS_MONTH)):
            robot.order(OrderRequest(DocumentKind.INVOICE, THIS_MONTH, ACCOUNT))
    assert sandbox.cabinet("mts").orders() == []


def test_a_wrong_password_is_tried_once_and_a_locked_login_reported(
    sandbox: Sandbox, driver: Driver
) -> None:
    args = ("order", "--cabinet", CABINET, "--kind", "invoice", "--period", str(LAST_MONTH))
    wrong = driver.cli(*args, CABINET_ROBOT_MTS_PASSWORD="not-the-password")
    assert wrong.exit_code == 1 and "Неверный номер или пароль" in wrong.stderr
    assert "not-the-password" not in wrong.output
    sandbox.cabinet("mts").lock_login()  # as after five wrong passwords
    locked = driver.cli(*args)
    assert locked.exit_code == 1 and "заблокирован" in locked.stderr
    with pytest.raises(CredentialsError), driver.robot(CABINET) as robot:
        robot.check_session()


def test_a_session_that_ends_mid_order_is_logged_into_again(
    sandbox: Sandbox, driver: Driver
) -> None:
    expired: list[str] = []

    def expire_once(request: Any) -> None:
        if request.method == "POST" and "order" in request.url and not expired:
            expired.append(request.url)
            sandbox.cabinet("mts").expire_sessions()

    with driver.robot(CABINET) as robot:
        robot.session.page.on("request", expire_once)
        placed = robot.order(OrderRequest(DocumentKind.INVOICE, LAST_MONTH, ACCOUNT))
    assert expired and placed.period == LAST_MONTH
    assert [o["kind"] for o in sandbox.cabinet("mts").orders()] == ["invoice"]


def test_injected_server_errors_are_retried(sandbox: Sandbox, driver: Driver) -> None:
    sandbox.cabinet("mts").set_faults("error_rate=0.1,seed=5")
    result = driver.cli(
        "order", "--cabinet", CABINET, "--kind", "invoice", "--period", str(LAST_MONTH),
        "--account", ACCOUNT,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [o["kind"] for o in sandbox.cabinet("mts").orders()] == ["invoice"]
