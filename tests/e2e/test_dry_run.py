"""``cabinet-robot run --dry-run`` against the sandbox: what the first round would order
or download, from the plan and the order book; nothing sent, logged into or written.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx

from config.loader import load_config
from robots.cycle.book import ItemState, opened_book
from robots.cycle.plan import plan_period
from robots.domain import Period
from sandbox.stack import Sandbox
from support.driving import Driver

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
PERIOD = str(Period.of(TODAY).previous())


def sandbox_orders(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Every order the cabinets accepted, as ``GET /_sandbox/orders`` lists them."""
    found: list[dict[str, Any]] = []
    for running in sandbox.cabinets:
        response = httpx.get(f"{running.base_url}_sandbox/orders", timeout=10)
        response.raise_for_status()
        found += response.json()
    return found


def dry_run(driver: Driver, *args: str) -> dict[str, Any]:
    result = driver.cli(
        "run", "--dry-run", "--json", "--period", PERIOD, "--today", TODAY.isoformat(), *args
    )
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def test_a_dry_run_lists_every_due_document_and_touches_nothing(
    sandbox: Sandbox, driver: Driver
) -> None:
    config = load_config(sandbox.config_path)
    ledger = Path(config.state.ledger_url.removeprefix("sqlite:///"))

    payload = dry_run(driver)

    expected = plan_period(config, Period.parse(PERIOD), TODAY)
    steps = {(s["cabinet"], s["account"], s["kind"]): s for s in payload["steps"]}
    assert set(steps) == {(e.cabinet, e.account, str(e.kind)) for e in expected}
    assert payload["dry_run"] is True and payload["period"] == PERIOD
    # The SIP cabinet gives last month's invoice as a file; MTS only by e-mail.
    assert steps["sip-sandbox", "1100023456", "invoice"]["action"] == "download"
    assert steps["mts-sandbox", "277012345678", "call_details"]["action"] == "order by e-mail"
    assert {s["action"] for s in steps.values()} <= {"download", "order by e-mail"}
    # Nothing was sent, nobody logged in, nothing was written.
    assert sandbox_orders(sandbox) == []
    assert all(running.login_spans() == [] for running in sandbox.cabinets)
    assert not ledger.exists(), "the dry run created the ledger"
    assert not (config.state.dir / "logs").exists()


def test_a_dry_run_follows_the_order_book_and_leaves_it_as_it_was(
    sandbox: Sandbox, driver: Driver
) -> None:
    config = load_config(sandbox.config_path)
    mts = config.cabinets[[c.name for c in config.cabinets].index("mts-sandbox")]
    expected = plan_period(config, Period.parse(PERIOD), TODAY, [mts])
    by_key = {(e.account, str(e.kind)): e.key for e in expected}
    with opened_book(config.state.ledger_url) as book:
        book.expect(expected)
        book.ordered(by_key["277012345678", "invoice"])
        book.failed(
            by_key["277012345678", "call_details"],
            "login refused for 79161234567: wrong password",
            None,
        )
        book.delivered(by_key["277012345679", "invoice"], ["mts/277012345679/x.pdf"])
        before = book.items(PERIOD)

    text = driver.cli(
        "run", "--dry-run", "--period", PERIOD, "--today", TODAY.isoformat(),
        "--cabinet", "mts-sandbox",
    )  # fmt: skip
    payload = dry_run(driver, "--cabinet", "mts-sandbox")

    steps = {(s["account"], s["kind"]): s for s in payload["steps"]}
    awaited = steps["277012345678", "invoice"]
    assert awaited["action"] == "nothing" and awaited["detail"].startswith("ordered, awaited")
    again = steps["277012345678", "call_details"]
    assert again["action"] == "order by e-mail" and "login refused" in again["detail"]
    assert steps["277012345679", "invoice"] == {
        "cabinet": "mts-sandbox",
        "account": "277012345679",
        "kind": "invoice",
        "action": "nothing",
        "detail": "delivered already",
    }
    assert text.exit_code == 0, text.output
    assert "dry run: nothing was sent or written" in text.stdout
    assert "277012345678" in text.stdout and "order by e-mail" in text.stdout
    # The table is for people: the number in the error masked; --json keeps it whole.
    assert "login refused for +7 916 ***-**-67" in text.stdout
    assert "79161234567" not in text.stdout and "79161234567" in again["detail"]
    with opened_book(config.state.ledger_url) as book:
        assert book.items(PERIOD) == before
    assert [i.state for i in before].count(ItemState.PLANNED) == len(before) - 3
    assert sandbox_orders(sandbox) == []
