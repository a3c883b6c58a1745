"""Downloaded files take the collector's path: recognised, de-duplicated, versioned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config.models import RobotConfig
from robots.domain import DocumentFormat, DocumentKind, Operator, Period, Subscriber
from robots.downloads import DownloadedFile, deliver_downloads
from robots.errors import ParseError
from robots.inventory import save_subscribers
from sandbox.documents import DocumentSpec, render

PERIOD = Period(year=2026, month=10)


def config(tmp_path: Path) -> RobotConfig:
    return RobotConfig.model_validate(
        {
            "mail": {
                "host": "127.0.0.1",
                "security": "plain",
                "username": "r",
                "password_env": "X",
            },
            "tarifer": {"inbox": tmp_path / "inbox"},
            "state": {"dir": tmp_path / "state"},
            "cabinets": [
                {
                    "name": "sip-main",
                    "operator": "sip",
                    "accounts": [{"id": "1100023456", "numbers": ["375172345678"]}],
                }
            ],
        }
    )


def invoice(seed: int = 0) -> bytes:
    spec = DocumentSpec(
        Operator.SIP, DocumentKind.INVOICE, DocumentFormat.PDF, "1100023456", PERIOD, seed=seed
    )
    return render(spec)


def manifest(settings: RobotConfig) -> list[dict[str, object]]:
    lines = (settings.tarifer.inbox / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_download_is_delivered_once_and_a_changed_one_supersedes(tmp_path: Path) -> None:
    settings = config(tmp_path)
    source = "sip-main http://127.0.0.1/bills/link/1/file"
    (first,) = deliver_downloads(settings, [DownloadedFile(invoice(), "invoice.pdf", source)])
    assert first.path == "sip/1100023456/2026-10/invoice_1100023456_2026-10.pdf"
    assert (settings.tarifer.inbox / first.path).read_bytes() == invoice()

    (again,) = deliver_downloads(settings, [DownloadedFile(invoice(), "invoice.pdf", source)])
    assert again.duplicate

    (corrected,) = deliver_downloads(settings, [DownloadedFile(invoice(1), "x.pdf", source)])
    assert corrected.path == "sip/1100023456/2026-10/invoice_1100023456_2026-10_v2.pdf"
    lines = manifest(settings)
    assert [line["path"] for line in lines] == [first.path, corrected.path]
    assert lines[1]["supersedes"] == first.path
    assert lines[0]["source"] == source


def test_a_download_that_is_no_document_is_refused(tmp_path: Path) -> None:
    settings = config(tmp_path)
    page = DownloadedFile(b"<html><body>Session expired</body></html>", "invoice.pdf", "x")
    with pytest.raises(ParseError, match=r"invoice\.pdf.*HTML"):
        deliver_downloads(settings, [page])
    assert not (settings.tarifer.inbox / "manifest.jsonl").exists()


def test_numbers_resolve_through_the_subscriber_inventory(tmp_path: Path) -> None:
    settings = config(tmp_path)
    spec = DocumentSpec(
        Operator.KCELL, DocumentKind.CALL_DETAILS, DocumentFormat.XLS, "1040123456", PERIOD,
        numbers=("77012223344",),
    )  # fmt: skip
    details = DownloadedFile(render(spec), "Детализация.xls", "kcell-main x")  # names no account
    with pytest.raises(ParseError, match="not on one configured account"):
        deliver_downloads(settings, [details])
    read = [Subscriber(operator=Operator.KCELL, account="1040123456", number="77012223344")]
    save_subscribers(settings, "kcell-main", read)
    (delivered,) = deliver_downloads(settings, [details])
    assert delivered.document.account == "1040123456"
    assert (
        delivered.path == "kcell/1040123456/2026-10/call_details_1040123456_2026-10_77012223344.xls"
    )


def test_a_downloaded_zip_is_opened_and_each_document_delivered(tmp_path: Path) -> None:
    from sandbox.mails import zip_bytes

    settings = config(tmp_path)
    october, september = (
        invoice(),
        render(
            DocumentSpec(
                Operator.SIP,
                DocumentKind.INVOICE,
                DocumentFormat.PDF,
                "1100023456",
                PERIOD.previous(),
            )
        ),
    )
    archive = zip_bytes([("a.pdf", october), ("b.pdf", september)])
    source = "sip-main http://127.0.0.1/registers/file"

    delivered = deliver_downloads(settings, [DownloadedFile(archive, "registers.zip", source)])

    assert [d.path for d in delivered] == [
        "sip/1100023456/2026-10/invoice_1100023456_2026-10.pdf",
        "sip/1100023456/2026-09/invoice_1100023456_2026-09.pdf",
    ]
    assert [line["source"] for line in manifest(settings)] == [
        f"{source} > a.pdf",
        f"{source} > b.pdf",
    ]
