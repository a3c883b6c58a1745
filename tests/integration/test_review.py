"""The review queue against a real Dovecot: a scanned invoice waits for a person, who
assigns or rejects it with ``cabinet-robot review``; its message is then Processed.

The scan is built here with fpdf2 (an image, no text layer), as a scanner writes one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import openpyxl
import pytest
from fpdf import FPDF
from PIL import Image
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from config.models import RobotConfig
from robots.cycle.book import ItemState, OrderBook
from robots.cycle.matrix import reconcile
from robots.cycle.plan import Expected
from robots.cycle.report import write_reports
from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.ledger import Ledger, Outcome, ReviewState
from robots.mail.collector import Collector, FileFate
from robots.review import waiting_leads
from sandbox.mailserver import Mailbox
from sandbox.mailset import month_of_mail
from sandbox.world import accounts_of, write_robot_config

pytestmark = pytest.mark.integration

PASSWORD_ENV = "TEST_REVIEW_PASSWORD"
ACCOUNT = "277012345678"


@pytest.fixture
def config_path(mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(PASSWORD_ENV, mailbox.password)
    return write_robot_config(tmp_path, mailbox, PASSWORD_ENV)


@pytest.fixture
def config(config_path: Path) -> RobotConfig:
    return load_config(config_path)


def scanned_invoice(seed: int = 0) -> bytes:
    """A one-page PDF holding only a picture of a page: nothing for a text reader."""
    image = Image.new("L", (620, 877), color=255)
    for y in range(100 + seed, 700, 40):  # grey bars where the scanned lines would be
        for x in range(60, 560):
            image.putpixel((x, y), 90)
    png = io.BytesIO()
    image.save(png, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=210)
    return bytes(pdf.output())


def mts_mail(to: str, attachments: list[tuple[str, bytes]]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "МТС <noreply@mts.ru>"  # MTS's configured sender
    message["To"] = to
    message["Subject"] = "Счет за октябрь"
    message.set_content("Уважаемый клиент! Документы во вложении.")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message


def manifest(config: RobotConfig) -> list[dict[str, object]]:
    path = config.tarifer.inbox / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def review(config_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["review", *args, "--config", str(config_path)])
    return result.exit_code, result.stdout, result.stderr


def message_outcomes(config: RobotConfig) -> list[Outcome]:
    ledger = Ledger(config.state.ledger_url)
    try:
        return [record.outcome for record in ledger.messages()]
    finally:
        ledger.close()


def test_a_scanned_invoice_waits_for_review_then_is_assigned_and_processed(
    mailbox: Mailbox, config: RobotConfig, config_path: Path
) -> None:
    scan = scanned_invoice()
    mailbox.deliver(mts_mail(mailbox.address, [("scan_001.pdf", scan)]))

    summary = Collector(config).run()

    assert [(f.origin, f.fate) for f in summary.files] == [
        ("attachment 'scan_001.pdf'", FileFate.REVIEW)
    ]
    assert (summary.in_review, summary.quarantined, summary.delivered) == (1, 0, 0)
    assert (mailbox.count("INBOX"), mailbox.count("Processed"), mailbox.count("Quarantine")) == (
        1,
        0,
        0,
    )
    assert message_outcomes(config) == [Outcome.REVIEW]
    [kept] = (config.state.dir / "review").iterdir()
    assert kept.read_bytes() == scan
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700

    code, out, _ = review(config_path, "list")
    assert code == 0
    assert "noreply@mts.ru" in out and "scan_001.pdf" in out
    assert "1 file(s) waiting for review" in out
    code, out, _ = review(config_path, "show", "1")
    assert code == 0
    assert "UID 1" in out and "not an operator document" in out and str(kept) in out

    # The month's matrix expects this invoice: missing until the item is assigned.
    [cabinet] = [c.name for c in config.cabinets if c.operator is Operator.MTS]
    cell = Expected(
        Period.parse("2026-10"), cabinet, Operator.MTS, ACCOUNT, DocumentKind.INVOICE,
        DocumentFormat.PDF, None, dt.date(2026, 11, 1), dt.timedelta(days=1),
    )  # fmt: skip
    ledger = Ledger(config.state.ledger_url)
    try:
        OrderBook(ledger).expect([cell])
        assert OrderBook(ledger).note_arrivals("2026-10") == 0
    finally:
        ledger.close()

    status = CliRunner().invoke(app, ["status", "--period", "2026-10", "-c", str(config_path)])
    assert "1 file(s) of the operators' mail wait for a person" in status.stdout

    # Nothing new in the mailbox: a rerun leaves the message waiting, and queues it once.
    assert Collector(config).run().messages == 0
    assert mailbox.count("INBOX") == 1

    code, out, err = review(
        config_path,
        "assign",
        "1",
        "--operator",
        "mts",
        "--account",
        ACCOUNT,
        "--period",
        "2026-10",
        "--kind",
        "invoice",
    )
    assert code == 0, err
    assert "delivered" in out and "next collect moves it to Processed" in out
    [line] = manifest(config)
    assert (line["operator"], line["account"], line["period"], line["kind"], line["format"]) == (
        "mts",
        ACCOUNT,
        "2026-10",
        "invoice",
        "pdf",
    )
    assert str(line["source"]).startswith(f"review 1 by {_user()}: imap://")
    assert (config.tarifer.inbox / str(line["path"])).read_bytes() == scan
    ledger = Ledger(config.state.ledger_url)
    try:
        [item] = ledger.reviews(None)
        assert item.state is ReviewState.ASSIGNED
        assert item.resolved_by == _user() and item.resolved_at is not None
        assert item.resolution == line["path"]
        assert ledger.known_shas([str(line["sha256"])]) == {line["sha256"]}
        # The cell turns from missing to delivered at once, not at the next cycle.
        assert OrderBook(ledger).state(cell.key) is ItemState.DELIVERED
    finally:
        ledger.close()
    code, out, _ = review(config_path, "list")
    assert "0 file(s) waiting for review" in out

    status = CliRunner().invoke(app, ["status", "--period", "2026-10", "-c", str(config_path)])
    assert "wait for a person" not in status.stdout

    Collector(config).run()  # moves what the ledger says is due

    assert (mailbox.count("INBOX"), mailbox.count("Processed")) == (0, 1)
    assert message_outcomes(config) == [Outcome.PROCESSED]


def test_rejected_files_let_the_message_go_to_processed_with_the_reason_on_record(
    mailbox: Mailbox, config: RobotConfig, config_path: Path
) -> None:
    mailbox.deliver(
        mts_mail(mailbox.address, [("a.pdf", scanned_invoice(0)), ("b.pdf", scanned_invoice(7))])
    )
    Collector(config).run()

    code, out, _ = review(config_path, "reject", "1", "--reason", "an advertising leaflet")
    assert code == 0
    assert "next collect" not in out  # item 2 still waits
    code, out, _ = review(config_path, "reject", "2")
    assert code == 0 and "next collect moves it to Processed" in out
    code, _, err = review(config_path, "reject", "1")
    assert code == 2
    assert err.strip().startswith("cabinet-robot: review item 1 is already rejected")

    Collector(config).run()

    assert (mailbox.count("INBOX"), mailbox.count("Processed")) == (0, 1)
    assert manifest(config) == []
    code, out, _ = review(config_path, "show", "1")
    assert f"rejected by {_user()}" in out and "an advertising leaflet" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("show", "9"), "no review item 9"),
        (("reject", "9"), "no review item 9"),
        (("assign", "9", "--operator", "mts"), "no review item 9"),
        (("assign", "1", "--period", "2026-13"), "has no month 13"),
        (("assign", "1", "--period", "2099-01"), "is in the future"),
        (("assign", "1", "--operator", "beeline"), "--operator 'beeline' has no cabinet"),
        (("assign", "1", "--kind", "letter"), "--kind 'letter' is not one of"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    mailbox: Mailbox,
    config: RobotConfig,
    config_path: Path,
    args: tuple[str, ...],
    says: str,
) -> None:
    mailbox.deliver(mts_mail(mailbox.address, [("scan.pdf", scanned_invoice())]))
    Collector(config).run()
    given = dict(zip(args[2::2], args[3::2], strict=True)) if args[0] == "assign" else {}
    full = list(args[:2])
    if args[0] == "assign":
        options = {
            "--operator": "mts",
            "--account": ACCOUNT,
            "--period": "2026-10",
            "--kind": "invoice",
        }
        options.update(given)
        full += [part for pair in options.items() for part in pair]

    code, _, err = review(config_path, *full)

    assert code == 2
    [line] = err.strip().splitlines()
    assert line.startswith("cabinet-robot: ") and says in line
    assert manifest(config) == []
    assert mailbox.count("INBOX") == 1


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def test_the_sandboxs_scanned_invoice_waits_in_review_shows_in_the_matrix_and_reports_then_fills_its_cell(  # noqa: E501
    mailbox: Mailbox, config: RobotConfig, config_path: Path
) -> None:
    period = Period.parse("2026-10")
    letters = month_of_mail(period, mailbox.address)
    mailbox.deliver_many(letter.message for letter in letters)
    [sip] = [c.name for c in config.cabinets if c.operator is Operator.SIP]
    first, second = (a.id for a in accounts_of(Operator.SIP)[:2])
    invoice = (DocumentKind.INVOICE, DocumentFormat.PDF, None)
    available, deadline = dt.date(2026, 11, 1), dt.timedelta(days=1)
    expected = [
        Expected(period, sip, Operator.SIP, account, *invoice, available, deadline)
        for account in (first, second)
    ]
    Collector(config).run()
    ledger = Ledger(config.state.ledger_url)
    try:
        OrderBook(ledger).expect(expected)
        OrderBook(ledger).note_arrivals(str(period))
    finally:
        ledger.close()

    code, out, _ = review(config_path, "list")
    assert code == 0 and "scan_0001.pdf" in out and "1 file(s) waiting for review" in out
    [item_id] = [int(line.split()[0]) for line in out.splitlines() if "scan_0001.pdf" in line]

    # The matrix: the first account's invoice came as text, the second's may be the scan.
    payload = status_json(config_path, period)
    cells = {row["account"]: row for row in payload["matrix"]}
    assert cells[first]["status"] == "delivered"
    assert (cells[second]["status"], cells[second]["review"]) == ("in review", str(item_id))
    assert f"cabinet-robot review show {item_id}" in cells[second]["detail"]
    [waiting] = payload["review"]
    assert (waiting["id"], waiting["file"], waiting["cabinets"]) == (
        item_id,
        "attachment 'scan_0001.pdf'",
        [sip],
    )
    assert waiting["command"] == f"cabinet-robot review show {item_id}"
    text = CliRunner().invoke(app, ["status", "--period", str(period), "-c", str(config_path)])
    assert f"{item_id}: attachment 'scan_0001.pdf'" in text.stdout

    # The report for accounting says so, and lists the file with what to do.
    leads = waiting_leads(config)
    ledger = Ledger(config.state.ledger_url)
    try:
        matrix = reconcile(OrderBook(ledger).items(str(period)), dt.date(2026, 11, 15), leads)
    finally:
        ledger.close()
    files = write_reports(config.tarifer.inbox, str(period), matrix, review=leads)
    book = openpyxl.load_workbook(files.xlsx)
    header, *rows = list(book["Документы"].iter_rows(values_only=True))
    by_account = {row[header.index("Лицевой счёт")]: row for row in rows}
    assert by_account[second][header.index("Состояние")] == "На проверке"
    assert by_account[second][header.index("review")] == str(item_id)
    queue_header, *queued = list(book["На проверке"].iter_rows(values_only=True))
    assert queue_header[0] == "№" and len(queued) == 1
    listed = dict(zip(queue_header, queued[0], strict=True))
    assert listed["№"] == item_id and listed["Файл"] == "attachment 'scan_0001.pdf'"
    assert listed["Что сделать"] == f"cabinet-robot review show {item_id}"
    assert f"review show {item_id}" in files.html.read_text(encoding="utf-8")

    code, out, err = review(
        config_path, "assign", str(item_id), "--operator", "sip", "--account", second,
        "--period", str(period), "--kind", "invoice",
    )  # fmt: skip
    assert code == 0, err
    [line] = [m for m in manifest(config) if m["account"] == second]
    assert (line["operator"], line["kind"], line["period"]) == ("sip", "invoice", str(period))
    assert str(line["source"]).startswith(f"review {item_id} by ")

    payload = status_json(config_path, period)
    cells = {row["account"]: row for row in payload["matrix"]}
    assert (cells[second]["status"], cells[second]["files"]) == ("delivered", line["path"])
    assert payload["review"] == []


def status_json(config_path: Path, period: Period) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["status", "--json", "--period", str(period), "-c", str(config_path)]
    )
    assert result.exit_code == 0, result.output
    return cast(dict[str, Any], json.loads(result.stdout))


def test_a_message_answering_the_cabinets_order_records_the_order_as_evidence(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    period = Period.parse("2026-10")
    [sip] = [c.name for c in config.cabinets if c.operator is Operator.SIP]
    account = accounts_of(Operator.SIP)[0].id
    ordered = Expected(
        period, sip, Operator.SIP, account, DocumentKind.INVOICE, DocumentFormat.PDF, None,
        dt.date(2026, 11, 1), dt.timedelta(days=1),
    )  # fmt: skip
    ledger = Ledger(config.state.ledger_url)
    try:
        OrderBook(ledger).expect([ordered])
        OrderBook(ledger).ordered(ordered.key, "sent to robot@example.com")
    finally:
        ledger.close()
    [invoice] = [
        letter.message
        for letter in month_of_mail(period, mailbox.address)
        if letter.description == "SIP invoice (PDF)"
    ]
    mailbox.deliver(invoice)

    Collector(config).run()

    [line] = manifest(config)
    evidence = cast(dict[str, str], line["evidence"])
    assert evidence["operator"].endswith(f"sender {sip}, order {sip} 2026-10 invoice")
    assert evidence["kind"].endswith(f"order {sip} 2026-10 invoice")


@pytest.mark.parametrize("mask", [True, False], ids=["masked", "mask_numbers-false"])
def test_review_list_and_show_mask_subscriber_numbers(
    mailbox: Mailbox, config_path: Path, mask: bool
) -> None:
    if not mask:
        config_path.write_text(config_path.read_text() + "\n[privacy]\nmask_numbers = false\n")
    number = "79161234567"  # Иванов Иван Иванович at MTS
    message = mts_mail(mailbox.address, [(f"scan_{number}.pdf", scanned_invoice())])
    message.replace_header("Subject", f"Детализация по номеру {number}")
    mailbox.deliver(message)
    Collector(load_config(config_path)).run()

    code, listed, _ = review(config_path, "list")
    assert code == 0
    code, shown, _ = review(config_path, "show", "1")
    assert code == 0
    for out in (listed, shown):
        assert ("scan_+7 916 ***-**-67.pdf" in out) is mask, out
        assert (number in out) is not mask, out
    assert ("subject:   Детализация по номеру +7 916 ***-**-67" in shown) is mask, shown
