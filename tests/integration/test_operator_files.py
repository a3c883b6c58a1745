"""Every file of an operator's message is accounted for, wherever in the message it is.

The documents here are built in the test with fpdf2 and openpyxl, in the layouts and
words the operators print, not by the sandbox's renderers: the collector must hold on
files it was not written together with.
"""

from __future__ import annotations

import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from fpdf import FPDF

from config.loader import load_config
from config.models import RobotConfig
from robots.ledger import Ledger, Outcome
from robots.mail.collector import Collector, CollectSummary, FileFate
from sandbox.mailserver import Mailbox
from sandbox.world import write_robot_config
from support.files import FileServer

pytestmark = pytest.mark.integration

PASSWORD_ENV = "TEST_OPERATOR_FILES_PASSWORD"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MTS_ACCOUNT = "277012345678"
MTS_NUMBERS = ("79161234567", "79161234568")


@pytest.fixture
def config(mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RobotConfig:
    monkeypatch.setenv(PASSWORD_ENV, mailbox.password)
    return load_config(write_robot_config(tmp_path, mailbox, PASSWORD_ENV))


# -- documents as the operators print them ----------------------------------------------


def mts_invoice_pdf() -> bytes:
    """An MTS invoice for October 2026: requisites, title, account, period, total."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=10)
    for line in (
        "ПАО «МТС», ИНН 7740000076, КПП 770901001",
        "109147, г. Москва, ул. Марксистская, д. 4",
        "Счет № 2770123456780 от 05.11.2026",
        f"Лицевой счет № {MTS_ACCOUNT}",
        "Расчетный период: с 01.10.2026 по 31.10.2026",
        "Абонентская плата по тарифному плану          1 250,00",
        "Итого к оплате: 1 500,00 руб., в т.ч. НДС 20% 250,00 руб.",
    ):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def mts_call_details_xml() -> bytes:
    """MTS call details in the XML its cabinet sends: ``<Report>`` of ``<ds>`` per
    number, ``<i>`` per call (d date, n other party, du duration, c cost); no legal name."""
    calls = "".join(
        f'<i d="{day:02d}.10.2026 10:15:00" n="74957654321" s="Москва" du="0:02:13" '
        f'c="3.50" zp="Исходящий"/>'
        for day in (1, 14, 31)
    )
    sections = "".join(
        f'<ds n="{number}" sd="01.10.2026" ed="31.10.2026">{calls}</ds>' for number in MTS_NUMBERS
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Report>{sections}</Report>\n'.encode()


def zipped(*files: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def mts_mail(
    to: str,
    attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
    *,
    subject: str = "Документы по лицевому счету",
    text: str = "Уважаемый клиент! Документы во вложении.\r\n\r\nС уважением, МТС",
    html: str | None = None,
    sender: str = "noreply@mts.ru",
) -> EmailMessage:
    """An e-mail from MTS's configured sender; ``attachments`` are (name, bytes, type)."""
    message = EmailMessage()
    message["From"] = f"МТС <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, data, content_type in attachments:
        maintype, subtype = content_type.split("/")
        if name:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        else:  # a bare part: no name, no Content-Disposition, only its declared type
            message.add_attachment(data, maintype=maintype, subtype=subtype)
            del message.get_payload()[-1]["Content-Disposition"]
    return message


# -- what the run says ----------------------------------------------------------------------


def manifest(config: RobotConfig) -> list[dict[str, object]]:
    path = config.tarifer.inbox / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def ledger_reasons(config: RobotConfig) -> dict[Outcome, list[str]]:
    ledger = Ledger(config.state.ledger_url)
    try:
        reasons: dict[Outcome, list[str]] = {}
        for record in ledger.messages():
            reasons.setdefault(record.outcome, []).append(record.reason or "")
        return reasons
    finally:
        ledger.close()


def fates(summary: CollectSummary) -> dict[str, FileFate]:
    """Each file's fate by the last part of its origin (the name inside the archive)."""
    return {file.origin.rsplit(" > ", 1)[-1]: file.fate for file in summary.files}


# -- the ZIP that lost its call details ---------------------------------------------------


def test_a_zip_of_an_invoice_and_call_details_delivers_both(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    archive = zipped(
        ("Счет_10_2026.pdf", mts_invoice_pdf()), ("detail.xml", mts_call_details_xml())
    )
    mailbox.deliver(mts_mail(mailbox.address, [("Report.zip", archive, "application/zip")]))

    summary = Collector(config).run()

    # The call details name no legal name: the sender's cabinet places them.
    assert fates(summary) == {
        "'Счет_10_2026.pdf'": FileFate.DELIVERED,
        "'detail.xml'": FileFate.DELIVERED,
    }
    kinds = {(line["kind"], line["format"]) for line in manifest(config)}
    assert kinds == {("invoice", "pdf"), ("call_details", "xml")}
    assert (mailbox.count("Processed"), mailbox.count("INBOX")) == (1, 0)


def test_a_file_the_robot_cannot_place_waits_for_review_and_keeps_the_message_back(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    notice = "Уважаемый клиент! Новые тарифы с 1 декабря.".encode()
    archive = zipped(("Счет.pdf", mts_invoice_pdf()), ("Уведомление.txt", notice))
    mailbox.deliver(mts_mail(mailbox.address, [("Report.zip", archive, "application/zip")]))

    summary = Collector(config).run()

    assert fates(summary) == {
        "'Счет.pdf'": FileFate.DELIVERED,
        "'Уведомление.txt'": FileFate.REVIEW,
    }
    assert (summary.delivered, summary.files_in_review, summary.in_review) == (1, 1, 1)
    assert (summary.files_quarantined, summary.quarantined) == (0, 0)
    assert (mailbox.count("INBOX"), mailbox.count("Processed"), mailbox.count("Quarantine")) == (
        1,
        0,
        0,
    )
    [reason] = ledger_reasons(config)[Outcome.REVIEW]
    assert "'Report.zip' > 'Уведомление.txt': not an operator document" in reason


def test_every_operator_file_has_exactly_one_outcome(mailbox: Mailbox, config: RobotConfig) -> None:
    invoice = mts_invoice_pdf()
    inner = zipped(("inner-invoice.pdf", invoice))  # a duplicate, one level down
    archive = zipped(
        ("invoice.pdf", invoice),
        ("detail.xml", mts_call_details_xml()),
        ("notes.txt", "Письмо клиенту".encode()),
        ("more.zip", inner),
    )
    files = [
        ("Report.zip", archive, "application/zip"),
        ("empty.pdf", b"", "application/pdf"),
        ("broken.pdf", b"%PDF-1.4\n garbage", "application/pdf"),
    ]
    mailbox.deliver(mts_mail(mailbox.address, files))

    summary = Collector(config).run()

    # Six operator files: four in the archive (one of them in the nested one), two beside it.
    assert len(summary.files) == 6
    assert len({file.origin for file in summary.files}) == 6
    counted = (
        summary.delivered + summary.duplicates + summary.files_quarantined + summary.files_in_review
    )
    assert counted == len(summary.files)
    # Unusable files send the message to Quarantine; the readable notes wait for review.
    assert fates(summary)["'notes.txt'"] is FileFate.REVIEW
    assert all(file.reason for file in summary.files if file.fate is FileFate.QUARANTINED)
    assert fates(summary)["'inner-invoice.pdf'"] is FileFate.DUPLICATE
    # The ledger holds the same: a document row per delivered file, a reason per held one.
    delivered = [f for f in summary.files if f.fate is FileFate.DELIVERED]
    held = [f for f in summary.files if f.fate is FileFate.QUARANTINED]
    assert len(manifest(config)) == len(delivered)
    [reason] = ledger_reasons(config)[Outcome.QUARANTINED]
    assert all(file.origin in reason for file in held)
    assert mailbox.count("Quarantine") == 1


# -- where the document is ----------------------------------------------------------------


def test_an_archive_behind_a_link_is_opened_like_an_attached_one(
    mailbox: Mailbox, config: RobotConfig, file_server: FileServer
) -> None:
    base, files = file_server.url, file_server.files
    invoice = mts_invoice_pdf()
    files["/download/docs.zip"] = zipped(("Счет.pdf", invoice))
    files["/download/bomb.zip"] = zipped(("big.txt", b"0" * 50_000_000))
    text = f"Документы за октябрь 2026 доступны по ссылке: {base}/download/docs.zip\r\n"
    mailbox.deliver(mts_mail(mailbox.address, text=text))
    bomb = f"Архив: {base}/download/bomb.zip\r\n"
    mailbox.deliver(mts_mail(mailbox.address, text=bomb, subject="Детализация"))

    summary = Collector(config).run()

    [line] = manifest(config)
    assert (line["kind"], line["format"]) == ("invoice", "pdf")
    assert (config.tarifer.inbox / str(line["path"])).read_bytes() == invoice
    assert str(line["source"]).endswith(f"link {base}/download/docs.zip > 'Счет.pdf'")
    assert (summary.delivered, summary.quarantined) == (1, 1)
    [reason] = ledger_reasons(config)[Outcome.QUARANTINED]
    assert "zip bomb" in reason
    assert (mailbox.count("Processed"), mailbox.count("Quarantine")) == (1, 1)


def test_files_are_read_by_their_content_whatever_type_or_name_they_carry(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    invoice = mts_invoice_pdf()
    mailbox.deliver(mts_mail(mailbox.address, [("", invoice, "application/octet-stream")]))
    archive = zipped(("detail.xml", mts_call_details_xml()), ("Счет.pdf", invoice))
    mailbox.deliver(mts_mail(mailbox.address, [("Report", archive, "application/octet-stream")]))
    # Declared as the message's text, but a PDF: the declared type is not trusted either.
    mailbox.deliver(mts_mail(mailbox.address, [("", invoice, "text/plain")]))

    summary = Collector(config).run()

    invoices = [f for f in summary.files if not f.origin.endswith("'detail.xml'")]
    assert [(f.uid, f.origin) for f in invoices] == [
        (1, "attachment #1"),
        (2, "attachment 'Report' > 'Счет.pdf'"),
        (3, "attachment #1"),
    ]
    assert [f.fate for f in invoices] == [FileFate.DELIVERED, *[FileFate.DUPLICATE] * 2]
    assert len(summary.files) == 4  # and the call details, delivered or held for review
    [line] = [line for line in manifest(config) if line["kind"] == "invoice"]
    assert (line["format"], line["account"]) == ("pdf", MTS_ACCOUNT)
    # Only a message whose call details wait for a person stays in the folder.
    details_wait = any(f.fate is FileFate.REVIEW for f in summary.files)
    assert mailbox.count("INBOX") == int(details_wait)


MTS_HTML_INVOICE = """<html><head><meta charset="utf-8"><title>Счет</title></head><body>
<table>
<tr><td><b>ПАО «МТС»</b> ИНН 7740000076</td></tr>
<tr><td>Счет № 2770123456780 от 05.11.2026</td></tr>
<tr><td>Лицевой счет № 277012345678</td></tr>
<tr><td>Расчетный период: с 01.10.2026 по 31.10.2026</td></tr>
<tr><td>Итого к оплате</td><td>1 500,00 руб.</td></tr>
</table></body></html>"""


def test_an_html_body_that_is_the_document_is_delivered(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    mailbox.deliver(mts_mail(mailbox.address, text="Счет за октябрь.", html=MTS_HTML_INVOICE))
    # A fragment with no <html> tag: read as the HTML the message says it is, not as XML.
    fragment = MTS_HTML_INVOICE.split("<body>")[1].split("</body>")[0]
    fragment = fragment.replace(MTS_ACCOUNT, "277012345679")
    mailbox.deliver(mts_mail(mailbox.address, text="Счет за октябрь.", html=fragment))

    summary = Collector(config).run()

    lines = manifest(config)
    assert [(line["operator"], line["kind"], line["format"]) for line in lines] == [
        ("mts", "invoice", "html")
    ] * 2
    assert [(line["account"], line["period"]) for line in lines] == [
        (MTS_ACCOUNT, "2026-10"),
        ("277012345679", "2026-10"),
    ]
    assert all(str(line["source"]).endswith("body (text/html)") for line in lines)
    assert (config.tarifer.inbox / str(lines[1]["path"])).read_bytes().strip() == (
        fragment.encode().strip()
    )
    assert [file.fate for file in summary.files] == [FileFate.DELIVERED] * 2
    assert mailbox.count("Processed") == 2


def test_a_body_is_no_document_for_a_person_beside_an_attachment_or_a_link(
    mailbox: Mailbox, config: RobotConfig, file_server: FileServer
) -> None:
    base = file_server.url
    # The same page, from a person (not a cabinet's sender): not the robot's mail.
    person = mts_mail(mailbox.address, html=MTS_HTML_INVOICE, sender="ivanov@example.com")
    mailbox.deliver(person)
    # From the operator with the invoice attached: the body is the letter, not a document.
    invoice = ("Счет.pdf", mts_invoice_pdf(), "application/pdf")
    mailbox.deliver(mts_mail(mailbox.address, [invoice], html=MTS_HTML_INVOICE))
    # From the operator, a letter with no document at all: quarantined as before.
    mailbox.deliver(mts_mail(mailbox.address, text="Ваш пароль изменён.", subject="Уведомление"))
    # A letter that sends its document as a link (expired) is about the file behind it,
    # even where its text reads like the document.
    expired = MTS_HTML_INVOICE.replace("</table>", f"</table><a href='{base}/gone.pdf'>Счет</a>")
    mailbox.deliver(mts_mail(mailbox.address, html=expired, subject="Счет по ссылке"))

    summary = Collector(config).run()

    assert [line["format"] for line in manifest(config)] == ["pdf"]
    assert (summary.ignored, summary.delivered, summary.quarantined) == (1, 1, 2)
    reasons = sorted(ledger_reasons(config)[Outcome.QUARANTINED])
    assert "no attachment or link with an operator document" in reasons[1]
    assert f"link {base}/gone.pdf: HTTP 404" in reasons[0]
