"""Recognition by the one rule, against a real Dovecot: the sender's cabinet gives the
operator the content does not name, a contradiction goes to a person with both named,
the configuration names an operator the robot cannot know, and every delivered line
of the manifest says what gave each field. The documents are built here, not by the
sandbox's renderers."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from fpdf import FPDF
from sqlalchemy import text

from config.loader import load_config
from config.models import RobotConfig
from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.ledger import Ledger, Outcome
from robots.mail.collector import Collector
from sandbox.documents import render
from sandbox.mails import operator_message
from sandbox.mailserver import Mailbox
from sandbox.mailset import spec
from sandbox.world import write_robot_config

pytestmark = pytest.mark.integration

PERIOD = Period.parse("2026-10")
PASSWORD_ENV = "TEST_EVIDENCE_MAIL_PASSWORD"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def robot_config(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sip_recognition: str = ""
) -> RobotConfig:
    monkeypatch.setenv(PASSWORD_ENV, mailbox.password)
    path = write_robot_config(tmp_path, mailbox, PASSWORD_ENV)
    if sip_recognition:  # instead of the sandbox's own SIP provider
        text = path.read_text(encoding="utf-8")
        text, replaced = re.subn(r"(?m)^recognition = .*$", sip_recognition, text)
        assert replaced == 1
        path.write_text(text, encoding="utf-8")
    return load_config(path)


def manifest(config: RobotConfig) -> list[dict[str, object]]:
    path = config.tarifer.inbox / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def first_account(config: RobotConfig, operator: Operator) -> tuple[str, str]:
    cabinet = next(c for c in config.cabinets if c.operator is operator and c.accounts)
    account = next(a for a in cabinet.accounts if a.numbers)
    return account.id, account.numbers[0]


def real_mts_xml(number: str) -> bytes:
    """The layout public MTS parsers read: a bare <Report>, no requisites."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><Report>'
        f'<ds sd="01.10.2026" ed="31.10.2026" n="{number}" t="0" f="0" sim="8970101">'
        '<i d="02.10.2026 12:40:48" n="&lt;--+79152763968" s="Телеф." du="1:10" c="0"/>'
        "</ds></Report>"
    ).encode()


def mts_details_xlsx(number: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = number
    ws.append(["МТС Бизнес. Детализация звонков"])
    ws.append(["Клиент: ООО «Ромашка»"])
    ws.append([])
    ws.append(["Дата/ Date", "Время/ Time", "Номер собеседника/ Interlocutor number", "Кол-во"])
    ws.append(["01.10.2026", "09:00:00", "+79161112233", "0:45"])
    ws.append(["30.10.2026", "18:00:00", "+79161112234", "1:10"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def unknown_sip_invoice(account: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", DEJAVU)
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for line in (
        "ООО «Бизнес Связь», УНП 191234567",
        "Счет № 4471 от 03.11.2026",
        f"л/с {account}",
        "за октябрь 2026г.",
    ):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_content_without_a_legal_name_is_placed_by_the_senders_cabinet(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = robot_config(mailbox, tmp_path, monkeypatch)
    account, number = first_account(config, Operator.MTS)
    mailbox.deliver(
        operator_message(
            Operator.MTS,
            [("detail.xml", real_mts_xml(number)), ("detail.xlsx", mts_details_xlsx(number))],
            to=mailbox.address,
            kind=DocumentKind.CALL_DETAILS,
        )
    )
    summary = Collector(config).run()
    assert (summary.delivered, summary.quarantined) == (2, 0)
    lines = {line["format"]: line for line in manifest(config)}
    for line in lines.values():
        assert (line["operator"], line["account"], line["period"]) == ("mts", account, "2026-10")
    assert lines["xml"]["evidence"] == {
        "operator": "format MTS <Report>/<ds n sd ed>, sender mts-sandbox",
        "account": f"numbers {number}",
        "period": "sections 01.10.2026–31.10.2026",
        "kind": "format MTS <Report> call details",
        "numbers": "sections <ds n=…>",
    }
    evidence = lines["xlsx"]["evidence"]
    assert isinstance(evidence, dict)
    assert evidence["operator"] == "sender mts-sandbox"
    assert evidence["period"] == "calls 01.10.2026–30.10.2026"
    assert evidence["kind"] == "title «МТС Бизнес. Детализация звонков»"
    # The ledger row records the same evidence.
    ledger = Ledger(config.state.ledger_url)
    with ledger.engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT sha256, evidence FROM documents")).all())
    ledger.close()
    assert {
        json.loads(rows[str(line["sha256"])]) == line["evidence"] for line in lines.values()
    } == {True}


def test_a_content_signature_that_contradicts_the_sender_waits_for_review_with_both_named(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = robot_config(mailbox, tmp_path, monkeypatch)
    mts_invoice = render(spec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF, PERIOD))
    mailbox.deliver(
        operator_message(Operator.A1, [("invoice.pdf", mts_invoice)], to=mailbox.address)
    )
    summary = Collector(config).run()
    assert (summary.delivered, summary.quarantined, summary.files_in_review) == (0, 0, 1)
    ledger = Ledger(config.state.ledger_url)
    [record] = ledger.messages(Outcome.REVIEW)
    ledger.close()
    assert "names mts" in (record.reason or "")
    assert "cabinet a1-sandbox (a1)" in (record.reason or "")


def test_the_configuration_names_an_operator_the_robot_cannot_know(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = robot_config(
        mailbox, tmp_path, monkeypatch, 'recognition = { tax_ids = ["191234567"] }'
    )
    account, _ = first_account(config, Operator.SIP)
    # Forwarded by a colleague: no cabinet's sender, the configured tax id places it.
    mailbox.deliver(
        operator_message(
            Operator.SIP,
            [("счет.pdf", unknown_sip_invoice(account))],
            to=mailbox.address,
            sender="accountant@example.com",
        )
    )
    summary = Collector(config).run()
    assert summary.delivered == 1
    [line] = manifest(config)
    assert (line["operator"], line["account"], line["kind"]) == ("sip", account, "invoice")
    assert line["evidence"] == {
        "operator": "text «191234567» (recognition of sip-sandbox)",
        "account": f"text «л/с {account}»",
        "period": "text «октябрь 2026»",
        "kind": "title «Счет №»",
    }


def test_an_unknown_operators_invoice_from_nobodys_cabinet_is_left_alone(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = robot_config(mailbox, tmp_path, monkeypatch)
    account, _ = first_account(config, Operator.SIP)
    mailbox.deliver(
        operator_message(
            Operator.SIP,
            [("счет.pdf", unknown_sip_invoice(account))],
            to=mailbox.address,
            sender="accountant@example.com",
        )
    )
    summary = Collector(config).run()
    assert (summary.delivered, summary.ignored) == (0, 1)
    assert mailbox.count("INBOX") == 1
