"""The summary e-mail through a real SMTP relay into a real Dovecot mailbox, read back:
a person's text and HTML, no path of the robot's server, the report attached."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from config.models import MailSecurity, NotifySettings
from robots.cycle.matrix import Cell, Status
from robots.cycle.notify import send_summary
from robots.cycle.report import write_reports
from sandbox.mailserver import Mailbox, MailServer
from sandbox.smtp import SmtpRelay

PERIOD = "2026-10"
EVIDENCE = "/var/lib/cabinet-robot/state/evidence/sip-main/20261106T060102"


def cells(delivered: str) -> list[Cell]:
    base = {"period": PERIOD, "cabinet": "sip-main", "operator": "sip", "account": "1100023456"}
    return [
        Cell(
            **base,
            kind="invoice",
            status=Status.DELIVERED,
            detail=delivered,
            evidence=None,
            files=(delivered,),
        ),
        Cell(
            **base,
            kind="call_details",
            status=Status.FAILED,
            detail="login refused: wrong password",
            evidence=EVIDENCE,
            files=(),
        ),
        Cell(
            **base,
            kind="reconciliation_act",
            status=Status.MISSING,
            detail="ordered 2 time(s), never arrived",
            evidence=None,
            files=(),
            ordered_at=dt.datetime(2026, 11, 6, tzinfo=dt.UTC),
        ),
    ]


def test_the_summary_is_readable_as_text_and_html_and_names_no_server_path(
    mail_server: MailServer, mailbox: Mailbox, tmp_path: Path
) -> None:
    inbox = tmp_path / "tarifer"
    delivered = f"sip/1100023456/{PERIOD}/invoice_1100023456_{PERIOD}.txt"
    (inbox / delivered).parent.mkdir(parents=True)
    invoice = "ООО «Сетевые Технологии Связи» УНП 192845617\nСчет № 77 от 05.11.2026\n"
    invoice += "Итого к оплате: 99,00\n"
    (inbox / delivered).write_bytes(invoice.encode())
    matrix = cells(delivered)
    reports = write_reports(inbox, PERIOD, matrix)

    with SmtpRelay(mail_server) as relay:
        settings = NotifySettings(
            to=(mailbox.address,),
            sender="robot@example.com",
            smtp_host="127.0.0.1",
            smtp_port=relay.port,
            security=MailSecurity.PLAIN,
        )
        send_summary(settings, PERIOD, matrix, reports)

    (stored,) = mailbox.messages()
    message = stored.message
    assert message["Subject"] == f"cabinet-robot: documents for {PERIOD}: 1 missing, 1 failed"
    plain, page = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and page is not None
    text, markup = plain.get_content(), page.get_content()
    for body in (text, markup):
        assert "/var/" not in body and str(tmp_path) not in body, "no path of the robot's server"
        assert "Детализация звонков" in body and "Ошибка" in body and "Не пришёл" in body
        assert "login refused: wrong password" in body
        assert "sip-main/20261106T060102" in body, "the evidence folder, by its name"
        assert f"report-{PERIOD}.xlsx" in body and f"report-{PERIOD}.html" in body
    assert "|" not in text, "sentences, not a markdown table"
    assert text.startswith("Документы за октябрь 2026 (2026-10): ")
    assert "<table" in markup
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == f"report-{PERIOD}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert book["Документы"]["D2"].value == "1100023456"


@pytest.mark.parametrize("mask", [True, False], ids=["masked", "mask_numbers-false"])
def test_the_summary_masks_subscriber_numbers_unless_told_not_to(
    mail_server: MailServer, mailbox: Mailbox, mask: bool
) -> None:
    number = "375172345678"  # the SIP cabinet's «SIP-соединение» on account 1100023456
    matrix = [
        dataclasses.replace(c, detail=f"the cabinet does not list {number}")
        if c.status is Status.FAILED
        else c
        for c in cells(f"sip/1100023456/{PERIOD}/invoice_1100023456_{PERIOD}.txt")
    ]
    with SmtpRelay(mail_server) as relay:
        settings = NotifySettings(
            to=(mailbox.address,),
            sender="robot@example.com",
            smtp_host="127.0.0.1",
            smtp_port=relay.port,
            security=MailSecurity.PLAIN,
        )
        send_summary(settings, PERIOD, matrix, mask_numbers=mask)

    (stored,) = mailbox.messages()
    for part in (("plain",), ("html",)):
        body = stored.message.get_body(part)
        assert body is not None
        content = body.get_content()
        assert ("does not list +375 17 ***-**-78" in content) is mask, content
        assert (number in content) is not mask, content
