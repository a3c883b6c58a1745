"""Taking messages apart: attachments, encodings, archives with limits, links."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

import pytest

from config.models import LimitsSettings
from robots.mail.archive import expand
from robots.mail.files import FoundFile
from robots.mail.message import parse_message

LIMITS = LimitsSettings()


def zipped(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(name, data)
    return buffer.getvalue()


def test_nested_archives_are_opened() -> None:
    inner = zipped([("invoice.pdf", b"%PDF-1.4 inner")])
    outer = zipped([("Report.zip", inner), ("act.pdf", b"%PDF-1.4 act")])
    files, refusals = expand(FoundFile("Report.zip", outer, "attachment 'Report.zip'"), LIMITS)
    assert refusals == []
    assert sorted(f.data for f in files) == [b"%PDF-1.4 act", b"%PDF-1.4 inner"]
    assert any("> 'Report.zip' > 'invoice.pdf'" in f.origin for f in files)


def test_too_deep_nesting_is_refused() -> None:
    data = zipped([("doc.pdf", b"%PDF-1.4")])
    for level in range(LIMITS.max_archive_depth + 1):
        data = zipped([(f"level{level}.zip", data)])
    files, refusals = expand(FoundFile("deep.zip", data, "attachment 'deep.zip'"), LIMITS)
    assert files == []
    assert "nested deeper than 3 levels" in refusals[0].reason


def test_too_many_members_are_refused() -> None:
    data = zipped([(f"doc{i}.pdf", b"%PDF-1.4") for i in range(11)])
    files, refusals = expand(
        FoundFile("many.zip", data, "x"), LimitsSettings(max_archive_members=10)
    )
    assert files == []
    assert "more than 10 files" in refusals[0].reason


def test_a_bomb_is_refused_without_unpacking_it() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("zeros.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(50):
            member.write(chunk)
    files, refusals = expand(FoundFile("bomb.zip", buffer.getvalue(), "x"), LIMITS)
    assert files == []
    assert "zip bomb" in refusals[0].reason


def test_corrupt_archive_is_refused() -> None:
    data = zipped([("doc.pdf", b"%PDF-1.4" * 1000)])
    files, refusals = expand(FoundFile("r.zip", data[: len(data) // 2], "x"), LIMITS)
    assert files == [] and "corrupt archive" in refusals[0].reason


def message(attachments: list[tuple[str, bytes]], body: str = "Добрый день!") -> bytes:
    msg = EmailMessage()
    msg["From"] = "МТС <noreply@mts.ru>"
    msg["To"] = "robot@example.com"
    msg["Subject"] = "Счет за октябрь 2026"
    msg["Message-ID"] = "<1@mts.ru>"
    msg.set_content(body)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def test_attachments_and_links_are_found() -> None:
    raw = message(
        [("Детализация.pdf", b"%PDF-1.4 x"), ("Report.zip", zipped([("a.xml", b"<Report/>")]))],
        body="Скачать: https://lk.mts.ru/files/123.xml?t=1. Спасибо.",
    )
    parsed = parse_message(raw, LIMITS)
    assert parsed.sender == "noreply@mts.ru"
    assert parsed.subject == "Счет за октябрь 2026"
    assert [f.name for f in parsed.files] == ["Детализация.pdf", "a.xml"]
    assert parsed.links == ["https://lk.mts.ru/files/123.xml?t=1"]


@pytest.mark.parametrize("size_mb", [0.5])
def test_oversized_attachment_is_refused(size_mb: float) -> None:
    raw = message([("big.pdf", b"%PDF-" + b"x" * int(size_mb * 1_000_000))])
    parsed = parse_message(raw, LimitsSettings(max_attachment_mb=0.1))
    assert parsed.files == []
    assert "over the 0.1 MB limit" in parsed.refusals[0].reason


def test_a_large_xlsx_is_a_document_not_an_archive() -> None:
    # openpyxl writes [Content_Types].xml last: past the first 64 KB of a large file.
    import openpyxl

    from robots.domain import DocumentFormat
    from robots.recognition import sniff_format

    workbook = openpyxl.Workbook()
    for row in range(20000):
        workbook.active.append([row, f"79161234{row:03d}", "Исходящий звонок", row * 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert len(data) > 200_000
    assert sniff_format(data) is DocumentFormat.XLSX
    assert sniff_format(zipped([("a.pdf", b"%PDF-1.4")])) is DocumentFormat.ZIP
    assert sniff_format(data[: len(data) // 2]) is DocumentFormat.ZIP  # then refused as corrupt


def _letter(html: str | None = "<div>Счет № 1</div>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "noreply@mts.ru"
    message["Subject"] = "Счет"
    message.set_content("Счет № 1, текстом")
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def test_the_body_of_a_message_without_attachments_is_offered_as_html_else_text() -> None:
    parsed = parse_message(_letter().as_bytes(), LIMITS)
    assert parsed.body is not None
    assert (parsed.body.origin, parsed.body.format) == ("body (text/html)", "html")
    assert parsed.body.read().strip() == "<div>Счет № 1</div>".encode()
    text_only = parse_message(_letter(html=None).as_bytes(), LIMITS)
    assert text_only.body is not None and text_only.body.format == "txt"


def test_a_message_with_an_attachment_offers_no_body() -> None:
    letter = _letter()
    letter.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="a.pdf")
    parsed = parse_message(letter.as_bytes(), LIMITS)
    assert parsed.body is None
    assert [f.name for f in parsed.files] == ["a.pdf"]


def test_a_pdf_declared_as_text_is_a_file_not_the_body() -> None:
    letter = _letter(html=None)
    letter.add_attachment(b"%PDF-1.4 declared as text", maintype="text", subtype="plain")
    del letter.get_payload()[-1]["Content-Disposition"]
    parsed = parse_message(letter.as_bytes(), LIMITS)
    assert [f.data for f in parsed.files] == [b"%PDF-1.4 declared as text"]
    assert parsed.body is None
