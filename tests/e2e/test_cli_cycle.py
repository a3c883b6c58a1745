"""The log of ``cabinet-robot run`` as the operator reads it: each warning once, naming
the cabinet and the account, ISO times, the same lines in the log file.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from config.loader import load_config
from robots.domain import Period
from sandbox.stack import Sandbox
from support.driving import Driver

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
PERIOD = str(Period.of(TODAY).previous())
pytestmark = pytest.mark.xdist_group("prefect-cli-cycle")  # one harness per module


ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"


@pytest.mark.usefixtures("prefect_server")
def test_a_cycle_logs_each_failure_once_with_its_cabinet_and_account(
    sandbox: Sandbox, driver: Driver
) -> None:
    # Two months back the SIP cabinet still gives the invoices as files, but refuses
    # call details («the period is not offered»): one warning per account.
    period = str(Period.parse(PERIOD).previous())
    result = driver.cli(
        "run", "--json", "--period", period, "--today", TODAY.isoformat(),
        "--cabinet", "sip-sandbox",
    )  # fmt: skip

    assert result.exit_code == 1, f"{result.output}\n{result.exception!r}"
    warnings = [line for line in result.stderr.splitlines() if " WARNING " in line]
    for account in ("1100023456", "1100023457"):
        about = [w for w in warnings if f"sip-sandbox {account} call_details {period}" in w]
        assert len(about) == 1, warnings
    assert len(warnings) == len(set(warnings)) == 2, warnings
    logged = [line for line in result.stderr.splitlines() if re.match(ISO, line)]
    assert logged and all(re.match(rf"{ISO} (DEBUG|INFO|WARNING|ERROR) ", x) for x in logged)
    log_file = load_config(sandbox.config_path).state.dir / "logs" / "cabinet-robot.log"
    kept = log_file.read_text(encoding="utf-8")
    assert all(w in kept for w in warnings)
    assert (log_file.stat().st_mode & 0o777) == 0o600
