"""``cabinet-robot status --problems``: only what is missing or failed, or a line saying
there is none."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from robots.cycle.book import opened_book
from robots.cycle.plan import Expected
from robots.domain import DocumentKind, Operator, Period
from support.configs import sandbox_like_config

PERIOD = Period.parse("2026-10")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return sandbox_like_config(tmp_path, "TEST_STATUS_MAIL_PASSWORD")


def expect(config: Path, *accounts: str) -> list[tuple[str, str, str, str]]:
    """Invoices of ``accounts`` in the book, planned; their keys."""
    expected = [
        Expected(
            period=PERIOD,
            cabinet="mts-main",
            operator=Operator.MTS,
            account=account,
            kind=DocumentKind.INVOICE,
            format=None,
            via=None,
            available_from=dt.date(2026, 11, 1),
            deadline=dt.timedelta(days=1),
        )
        for account in accounts
    ]
    with opened_book(load_config(config).state.ledger_url) as book:
        book.expect(expected)
    return [e.key for e in expected]


def status(config: Path, *args: str) -> str:
    result = CliRunner().invoke(
        app, ["status", "--period", str(PERIOD), "--config", str(config), *args]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_problems_lists_only_what_is_missing_or_failed(config: Path) -> None:
    delivered, failed, missing, waiting = expect(
        config, "277000000001", "277000000002", "277000000003", "277000000004"
    )
    with opened_book(load_config(config).state.ledger_url) as book:
        book.delivered(delivered, ["mts/277000000001/2026-10/invoice.pdf"])
        book.failed(failed, "login refused: wrong password", None)
        book.ordered(missing)
        book.ordered(missing)
        book.missing(missing)
        book.ordered(waiting)

    rows = json.loads(status(config, "--problems", "--json"))["matrix"]
    assert {(r["account"], r["status"]) for r in rows} == {
        ("277000000002", "failed"),
        ("277000000003", "missing"),
    }
    text = status(config, "--problems")
    assert "277000000002" in text and "login refused" in text and "277000000003" in text
    assert "277000000001" not in text and "277000000004" not in text
    assert len(json.loads(status(config, "--json"))["matrix"]) == 4, "without it: every cell"


def test_problems_says_so_when_there_are_none(config: Path) -> None:
    (delivered,) = expect(config, "277000000001")
    with opened_book(load_config(config).state.ledger_url) as book:
        book.delivered(delivered, ["mts/277000000001/2026-10/invoice.pdf"])

    text = status(config, "--problems")
    assert text.strip() == "Nothing missing, failed or in review for 2026-10 (1 delivered)."
    assert json.loads(status(config, "--problems", "--json"))["matrix"] == []


@pytest.mark.parametrize("mask", [True, False], ids=["masked", "mask_numbers-false"])
def test_the_matrix_masks_subscriber_numbers_and_the_json_keeps_them(
    config: Path, mask: bool
) -> None:
    if not mask:
        config.write_text(config.read_text() + "\n[privacy]\nmask_numbers = false\n")
    delivered, failed = expect(config, "277012345678", "277012345679")
    details = "mts/277012345678/2026-10/call_details_277012345678_2026-10_79161234567.pdf"
    with opened_book(load_config(config).state.ledger_url) as book:
        book.delivered(delivered, [details])
        book.failed(failed, "the cabinet does not list 79167654321", None)

    text = status(config)
    masked = ["_+7 916 ***-**-67.pdf", "does not list +7 916 ***-**-21"]
    whole = ["_79161234567.pdf", "does not list 79167654321"]
    shown, hidden = (masked, whole) if mask else (whole, masked)
    assert all(s in text for s in shown) and not any(h in text for h in hidden), text
    rows = json.loads(status(config, "--json"))["matrix"]
    assert {r["files"] for r in rows} == {details, ""}
    assert "the cabinet does not list 79167654321" in {r["detail"] for r in rows}
