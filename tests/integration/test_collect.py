"""The collector against a real Dovecot: delivery, duplicates, versions, foreign mail, links."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from config.loader import load_config
from config.models import RobotConfig
from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.errors import CredentialsError, MailError
from robots.mail import collector as collector_module
from robots.mail import mime as mime_module
from robots.mail.collector import Collector
from sandbox.documents import render
from sandbox.mails import link_message, operator_message
from sandbox.mailserver import Mailbox
from sandbox.mailset import month_of_mail, spec
from sandbox.world import write_robot_config
from support.files import FileServer

pytestmark = pytest.mark.integration

PERIOD = Period.parse("2026-10")
PASSWORD_ENV = "TEST_ROBOT_MAIL_PASSWORD"


def make_config(mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(PASSWORD_ENV, mailbox.password)
    return write_robot_config(tmp_path, mailbox, PASSWORD_ENV)


@pytest.fixture
def config(mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RobotConfig:
    return load_config(make_config(mailbox, tmp_path, monkeypatch))


def manifest(config: RobotConfig) -> list[dict[str, object]]:
    path = config.tarifer.inbox / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_month_of_mail_is_delivered_recognised_and_sorted(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    letters = month_of_mail(PERIOD, mailbox.address)
    mailbox.deliver_many(letter.message for letter in letters)

    summary = Collector(config).run()

    expected = [letter.expected for letter in letters]
    assert summary.messages == len(letters)
    assert summary.delivered == expected.count("delivered")
    assert summary.duplicates == expected.count("duplicate")
    assert summary.ignored == expected.count("ignored") == 1
    assert summary.quarantined == expected.count("quarantined") == 1
    assert summary.in_review == summary.files_in_review == expected.count("review") == 1
    assert summary.errors == 0

    lines = manifest(config)
    assert len(lines) == summary.delivered
    for line in lines:
        file = config.tarifer.inbox / str(line["path"])
        assert file.read_bytes().__len__() == line["size"]
        assert str(line["path"]).startswith(
            f"{line['operator']}/{line['account']}/{line['period']}/"
        )
    kinds = {(line["operator"], line["kind"], line["format"]) for line in lines}
    assert ("mts", "call_details", "xml") in kinds  # from inside Report.zip
    assert ("a1", "invoice", "xlsx") in kinds  # A1's zipped Excel invoice
    assert ("a1", "call_details", "xlsx") in kinds  # account resolved from the numbers
    # The corrected MTS invoice supersedes the first one.
    invoices = [line for line in lines if line["operator"] == "mts" and line["kind"] == "invoice"]
    assert [line["version"] for line in invoices] == [1, 2]
    assert invoices[1]["supersedes"] == invoices[0]["path"]
    assert invoices[1]["supersedes_sha256"] == invoices[0]["sha256"]

    # The person's letter stays in the inbox, unread, and the scan's until a person has
    # placed it; the rest is sorted.
    remaining = mailbox.messages("INBOX")
    scan = next(letter for letter in letters if letter.expected == "review")
    assert [m.subject for m in remaining] == [scan.message["Subject"], "Обед в пятницу"]
    assert all("\\Seen" not in m.flags for m in remaining)
    assert mailbox.count("Processed") == len(letters) - 3
    assert mailbox.count("Quarantine") == 1

    # An incremental rerun finds nothing new and changes nothing.
    again = Collector(config).run()
    assert (again.messages, again.delivered, again.ignored) == (0, 0, 0)
    assert len(manifest(config)) == len(lines)


def test_documents_are_recognised_by_content_not_by_name(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    # Kcell's per-number details arrive as 'Report.pdf'; the name says nothing.
    kcell = spec(
        Operator.KCELL,
        DocumentKind.CALL_DETAILS,
        DocumentFormat.PDF,
        PERIOD,
        numbers=("77012223344",),
    )
    mailbox.deliver(
        operator_message(Operator.KCELL, [("Report.pdf", render(kcell))], to=mailbox.address)
    )
    Collector(config).run()
    [line] = manifest(config)
    assert (line["operator"], line["kind"], line["account"], line["numbers"]) == (
        "kcell",
        "call_details",
        "1040123456",
        ["77012223344"],
    )


def test_operator_documents_from_an_unknown_sender_are_the_robots(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    # The content names its operator (ПАО "МТС"): a SIP operator's invoice would not, and
    # from no cabinet's sender it would not be the robot's.
    invoice = render(spec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF, PERIOD))
    forwarded = operator_message(
        Operator.MTS, [("счет.pdf", invoice)], to=mailbox.address, sender="accountant@example.com"
    )
    mailbox.deliver(forwarded)
    summary = Collector(config).run()
    assert (summary.delivered, summary.ignored) == (1, 0)
    assert mailbox.count("Processed") == 1


def test_numbers_on_no_configured_account_wait_for_review(
    mailbox: Mailbox, config: RobotConfig
) -> None:
    details = spec(
        Operator.A1,
        DocumentKind.CALL_DETAILS,
        DocumentFormat.XLSX,
        PERIOD,
        numbers=("375299999999",),
    )
    mailbox.deliver(
        operator_message(Operator.A1, [("d.xlsx", render(details))], to=mailbox.address)
    )
    summary = Collector(config).run()
    assert (summary.in_review, summary.quarantined) == (1, 0)
    [file] = summary.files
    assert "not on one configured account" in str(file.reason)
    assert (mailbox.count("INBOX"), mailbox.count("Quarantine")) == (1, 0)
    assert manifest(config) == []


def test_documents_sent_as_links_are_downloaded(
    mailbox: Mailbox, config: RobotConfig, file_server: FileServer
) -> None:
    base, files = file_server.url, file_server.files
    xml = render(spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML, PERIOD))
    files["/files/detail-1.xml"] = (200, xml)
    mailbox.deliver(link_message(Operator.MTS, f"{base}/files/detail-1.xml", to=mailbox.address))
    mailbox.deliver(link_message(Operator.MTS, f"{base}/files/expired.xml", to=mailbox.address))
    summary = Collector(config).run()
    assert (summary.delivered, summary.quarantined) == (1, 1)
    [line] = manifest(config)
    assert (config.tarifer.inbox / str(line["path"])).read_bytes() == xml
    assert str(line["source"]).endswith(f"link {base}/files/detail-1.xml")


def test_a_link_that_fails_for_now_is_retried_then_quarantined(
    mailbox: Mailbox, config: RobotConfig, file_server: FileServer
) -> None:
    base, files = file_server.url, file_server.files
    files["/busy.xml"] = (503, b"busy")
    mailbox.deliver(link_message(Operator.MTS, f"{base}/busy.xml", to=mailbox.address))
    first = Collector(config).run()
    assert (first.errors, first.quarantined) == (1, 0)
    assert mailbox.count("INBOX") == 1  # left where it was, for the next run
    second = Collector(config).run()
    assert second.errors == 1
    xml = render(spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML, PERIOD))
    files["/busy.xml"] = (200, xml)
    third = Collector(config).run()
    assert (third.messages, third.delivered) == (1, 1)
    assert mailbox.count("Processed") == 1


def test_links_to_other_hosts_are_never_fetched(mailbox: Mailbox, config: RobotConfig) -> None:
    mailbox.deliver(link_message(Operator.MTS, "http://198.51.100.7/steal.xml", to=mailbox.address))
    summary = Collector(config).run()
    assert summary.quarantined == 1  # nothing usable, and nothing fetched from outside


def test_wrong_password_and_missing_folder_are_clear_errors(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_config(mailbox, tmp_path, monkeypatch)
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    with pytest.raises(CredentialsError, match="login refused"):
        Collector(load_config(path)).run()
    monkeypatch.setenv(PASSWORD_ENV, mailbox.password)
    monkeypatch.setenv("CABINET_ROBOT_MAIL__FOLDER", "Nowhere")
    with pytest.raises(MailError, match="'Nowhere' does not exist"):
        Collector(load_config(path)).run()


def test_a_new_uidvalidity_is_read_from_the_start(
    mailbox: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_MAIL__FOLDER", "Operators")
    config = load_config(make_config(mailbox, tmp_path, monkeypatch))
    with mailbox.imap() as client:
        client.create_folder("Operators")
    invoice = render(spec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF, PERIOD))
    personal = EmailMessage()
    personal["From"] = "someone@example.com"
    personal["Subject"] = "hello"
    personal.set_content("hi")

    def append(message: EmailMessage) -> None:
        with mailbox.imap() as client:
            client.append("Operators", message.as_bytes())

    append(personal)
    assert Collector(config).run().ignored == 1
    # The folder is recreated: same name, new UIDVALIDITY, UIDs start again at 1.
    with mailbox.imap() as client:
        client.delete_folder("Operators")
        client.create_folder("Operators")
    append(operator_message(Operator.MTS, [("document.pdf", invoice)], to=mailbox.address))
    summary = Collector(config).run()
    assert (summary.messages, summary.delivered) == (1, 1)


def test_a_large_message_is_fetched_and_read_in_pieces(
    mailbox: Mailbox, config: RobotConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pieces of 4 kB stand in for the 4 MB ones: the same path, without megabytes of mail.
    monkeypatch.setattr(collector_module, "_FETCH_PIECE_BYTES", 4_000)
    monkeypatch.setattr(mime_module, "_INLINE_PART", 4_000)
    details = render(spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.XML, PERIOD))
    assert len(details) > 10_000
    mailbox.deliver(operator_message(Operator.MTS, [("detail.xml", details)], to=mailbox.address))
    summary = Collector(config).run()
    assert (summary.delivered, summary.quarantined) == (1, 0)
    [line] = manifest(config)
    assert (config.tarifer.inbox / str(line["path"])).read_bytes() == details
    assert list((config.tarifer.inbox / ".staging").iterdir()) == []
    assert list((config.state.dir / "spool").iterdir()) == []  # its own file, removed
