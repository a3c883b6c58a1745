"""A file waiting in review beside the matrix: which cells it may be, and the summary mail."""

from __future__ import annotations

import datetime as dt

from config.models import NotifySettings
from robots.cycle.matrix import Cell, Status
from robots.cycle.notify import summary_message
from robots.review import ReviewLead

RECEIVED = dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC)


def scan(**known: str) -> ReviewLead:
    return ReviewLead(
        3, RECEIVED, "billing@siptelecom.by", "attachment 'scan.pdf'", "no text",
        cabinets=("sip-main",), **known,
    )  # fmt: skip


def test_a_file_may_be_any_document_of_its_cabinet_that_nothing_known_rules_out() -> None:
    nothing_known = scan()
    assert nothing_known.may_be("sip-main", "1100023457", "invoice", "2026-10")
    assert not nothing_known.may_be("mts-main", "277012345678", "invoice", "2026-10")
    # A month that began after the file arrived is not what it is about.
    assert not nothing_known.may_be("sip-main", "1100023457", "invoice", "2026-12")
    read = scan(kind="invoice", period="2026-10")
    assert read.may_be("sip-main", "1100023457", "invoice", "2026-10")
    assert not read.may_be("sip-main", "1100023457", "call_details", "2026-10")
    assert not read.may_be("sip-main", "1100023457", "invoice", "2026-09")
    assert read.known == (
        "from sip-main (billing@siptelecom.by); invoice for 2026-10, account unknown"
    )


def test_the_summary_mail_lists_the_files_in_review_with_the_command_to_place_each() -> None:
    settings = NotifySettings(to=("buh@example.com",), sender="robot@example.com", smtp_host="h")
    delivered = Cell(
        "2026-10", "sip-main", "sip", "1100023456", "invoice", Status.DELIVERED, "", None, ("a",)
    )

    message = summary_message(settings, "2026-10", [delivered], None, [scan()])

    assert message["Subject"] == "cabinet-robot: documents for 2026-10: 1 file(s) waiting in review"
    plain = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert plain is not None and page is not None
    text = plain.get_content()
    assert "Ждут проверки человеком: 1" in text
    assert "№ 3, attachment 'scan.pdf', from sip-main" in text
    assert "cabinet-robot review show 3" in text
    assert "<code>cabinet-robot review show 3</code>" in page.get_content()
