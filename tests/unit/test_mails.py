"""Operator e-mails and the bad-input corpus built by sandbox.mails."""

from __future__ import annotations

import email
import io
import time
import zipfile
from email import policy
from email.message import EmailMessage, Message
from email.utils import parseaddr

import pytest

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents.model import REQUISITES, DocumentSpec
from sandbox.mails import (
    BAD_MESSAGE_CASES,
    BAD_MESSAGE_FILENAMES,
    bad_messages,
    document_message,
    link_message,
    minimal_pdf,
    minimal_xlsx,
    nested_zip,
    operator_message,
    sender_address,
    zip_bomb,
    zip_bytes,
    zip_quine,
)

TO = "robot@example.com"
OPERATOR_DOMAINS = {r.mail_domain for r in REQUISITES.values()}


@pytest.fixture(scope="module")
def corpus() -> dict[str, bytes]:
    return bad_messages(TO, oversized_mb=1.5)


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def attachments(msg: Message) -> list[Message]:
    return [
        part
        for part in msg.walk()
        if not part.is_multipart() and part.get_content_disposition() == "attachment"
    ]


def only_attachment(raw: bytes) -> tuple[str | None, bytes]:
    (part,) = attachments(parse(raw))
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return part.get_filename(), payload


# -- the bad corpus ---------------------------------------------------------------------


def test_every_case_is_there(corpus: dict[str, bytes]) -> None:
    assert set(corpus) == set(BAD_MESSAGE_CASES) == set(BAD_MESSAGE_FILENAMES)


@pytest.mark.parametrize("key", sorted(BAD_MESSAGE_CASES))
def test_bad_message_is_a_message_a_server_accepts(corpus: dict[str, bytes], key: str) -> None:
    raw = corpus[key]
    assert raw.count(b"\n") == raw.count(b"\r\n"), "CRLF line ends only"
    assert b"\x00" not in raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998  # RFC 5322 line limit
    msg = parse(raw)  # must not raise, nor must walking it
    for part in msg.walk():
        part.get_content_type()
        part.get_filename()
        part.get_payload(decode=True)
    assert parseaddr(str(msg["From"]))[1].split("@")[1] in OPERATOR_DOMAINS
    assert msg["Message-ID"] and msg["Date"] and msg["To"] == TO


def test_bad_messages_are_deterministic_and_quick() -> None:
    began = time.monotonic()
    first = bad_messages(TO, oversized_mb=None)
    assert time.monotonic() - began < 5  # 16 cases; each well under a second
    assert first == bad_messages(TO, oversized_mb=None)
    assert "oversized_attachment" not in first
    assert bad_messages(TO, operator=Operator.KCELL, oversized_mb=None)["no_attachment"].startswith(
        b"From: "
    )


def test_broken_mime_is_what_it_says(corpus: dict[str, bytes]) -> None:
    broken = parse(corpus["broken_boundary"])
    assert attachments(broken) == []  # the parts are invisible behind the wrong boundary
    assert any("Boundary" in type(d).__name__ for d in broken.defects)
    unclosed = parse(corpus["missing_closing_boundary"])
    assert [type(d).__name__ for d in unclosed.defects] == ["CloseBoundaryNotFoundDefect"]
    name, data = only_attachment(corpus["missing_closing_boundary"])
    assert (name, data[:5]) == ("document.pdf", b"%PDF-")


def test_charsets(corpus: dict[str, bytes]) -> None:
    cp1251 = parse(corpus["no_charset_cp1251"])
    text = next(p for p in cp1251.walk() if p.get_content_type() == "text/plain")
    assert text.get_content_charset() is None
    payload = text.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert "Уважаемый клиент" in payload.decode("cp1251")

    koi8 = parse(corpus["koi8r_body_and_filename"])
    text = next(p for p in koi8.walk() if p.get_content_type() == "text/plain")
    assert "Уважаемый клиент" in text.get_content()
    assert "Счет.pdf".encode("koi8-r") in corpus["koi8r_body_and_filename"]


@pytest.mark.parametrize(
    "key",
    [
        "rfc2047_filename",
        "rfc2231_filename",
        "path_traversal_filename",
        "absolute_path_filename",
        "corrupt_xlsx",
    ],
)
def test_file_names_decode_as_intended(corpus: dict[str, bytes], key: str) -> None:
    name, _ = only_attachment(corpus[key])
    assert name == BAD_MESSAGE_FILENAMES[key]


def test_rfc2231_name_is_encoded_with_continuations(corpus: dict[str, bytes]) -> None:
    raw = corpus["rfc2231_filename"]
    assert b"filename*0*=utf-8''%D0%94" in raw and b"filename*1*=" in raw
    assert "Детализация".encode() not in raw


def test_zip_bomb_is_small_but_declares_over_a_gigabyte(corpus: dict[str, bytes]) -> None:
    name, data = only_attachment(corpus["zip_bomb"])
    assert name == "Report.zip"
    assert len(data) < 2_000_000
    (member,) = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert member.file_size > 1_000_000_000
    assert member.file_size / member.compress_size > 1000


def test_zip_bomb_construction_inflates_exactly_with_a_valid_crc() -> None:
    data = zip_bomb(8 * 2**20, name="x.bin")
    inflated = zipfile.ZipFile(io.BytesIO(data)).read("x.bin")  # checks the CRC
    assert inflated == bytes(8 * 2**20)
    big = zip_bomb()
    with zipfile.ZipFile(io.BytesIO(big)).open("document.pdf") as member:
        assert member.read(1 << 20) == bytes(1 << 20)


def test_nested_zip_is_ten_levels_deep(corpus: dict[str, bytes]) -> None:
    _, data = only_attachment(corpus["nested_zip_10"])
    depth = 0
    while zipfile.is_zipfile(io.BytesIO(data)) and data[:4] == b"PK\x03\x04":
        archive = zipfile.ZipFile(io.BytesIO(data))
        (member,) = archive.namelist()
        data = archive.read(member)
        depth += 1
    assert depth == 10
    assert member == "document.pdf" and data.startswith(b"%PDF-")
    assert nested_zip(1, ("a.txt", b"a")) == zip_bytes([("a.txt", b"a")])


def test_zip_loop_contains_itself(corpus: dict[str, bytes]) -> None:
    _, data = only_attachment(corpus["zip_loop"])
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["Report.zip"]
    assert archive.read("Report.zip") == data  # CRC checked by zipfile as well
    assert archive.testzip() is None
    assert zip_quine("Счета.zip") == zipfile.ZipFile(io.BytesIO(zip_quine("Счета.zip"))).read(
        "Счета.zip"
    )


def test_corrupt_and_disguised_documents(corpus: dict[str, bytes]) -> None:
    _, pdf = only_attachment(corpus["corrupt_pdf"])
    assert pdf.startswith(b"%PDF-") and b"%%EOF" not in pdf and b"xref" not in pdf
    _, xlsx = only_attachment(corpus["corrupt_xlsx"])
    assert xlsx.startswith(b"PK\x03\x04")
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(xlsx))
    name, page = only_attachment(corpus["html_as_pdf"])
    assert name == "document.pdf" and page.startswith(b"<!DOCTYPE html>")
    assert only_attachment(corpus["empty_attachment"]) == ("document.pdf", b"")
    assert attachments(parse(corpus["no_attachment"])) == []


def test_oversized_attachment_has_the_asked_size(corpus: dict[str, bytes]) -> None:
    name, data = only_attachment(corpus["oversized_attachment"])
    assert name == "document.pdf"
    assert len(data) == 1_500_000
    assert data.startswith(b"%PDF-") and data.endswith(b"%%EOF\n")


# -- the helpers that make files --------------------------------------------------------


def test_zip_bytes_is_deterministic() -> None:
    files = [("Детализация.xlsx", b"x" * 1000), ("document.pdf", b"%PDF-1.4")]
    first = zip_bytes(files)
    assert first == zip_bytes(files)
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist() == ["Детализация.xlsx", "document.pdf"]
    assert {info.date_time for info in archive.infolist()} == {(2020, 1, 1, 0, 0, 0)}
    assert archive.read("Детализация.xlsx") == b"x" * 1000


def test_minimal_documents_are_valid() -> None:
    import openpyxl  # type: ignore[import-untyped]
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(minimal_pdf("Invoice 42 (copy)")))
    assert "Invoice 42 (copy)" in reader.pages[0].extract_text()
    sheet = openpyxl.load_workbook(
        io.BytesIO(minimal_xlsx([["Номер", "Сумма"], ["1", "2"]]))
    ).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Номер", "Сумма"], ["1", "2"]]


# -- operator messages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "address"),
    [
        (Operator.MTS, "noreply@mts.ru"),
        (Operator.A1, "invoice@a1.by"),
        (Operator.KCELL, "no-reply@kcell.kz"),
        (Operator.SIP, "billing@siptelecom.by"),
    ],
)
def test_operator_message(operator: Operator, address: str) -> None:
    assert sender_address(operator) == address
    period = Period(year=2026, month=10)

    def build() -> bytes:
        return operator_message(
            operator,
            [("Детализация.xlsx", b"PK\x03\x04xlsx"), ("document.pdf", b"%PDF-1.4 pdf")],
            to=TO,
            kind=DocumentKind.CALL_DETAILS,
            account="277012345678",
            period=period,
        ).as_bytes(policy=policy.SMTP)

    raw = build()
    assert raw == build()  # deterministic
    assert b"filename*=utf-8''%D0%94%D0%B5" in raw or b"filename*0*=utf-8''%D0%94" in raw
    back = parse(raw)
    assert parseaddr(str(back["From"]))[1] == address
    assert "октябрь 2026" in str(back["Subject"])
    assert str(back["Message-ID"]).endswith(f"@{REQUISITES[operator].mail_domain}>")
    assert str(back["Date"]).startswith("Thu, 05 Nov 2026 09:00:00")
    assert [(p.get_filename(), p.get_payload(decode=True)) for p in attachments(back)] == [
        ("Детализация.xlsx", b"PK\x03\x04xlsx"),
        ("document.pdf", b"%PDF-1.4 pdf"),
    ]
    body = back.get_body(preferencelist=("plain",))
    assert body is not None and "277012345678" in body.get_content()
    assert (back.get_body(preferencelist=("html",)) is not None) == (
        operator in (Operator.MTS, Operator.KCELL)
    )


def test_message_id_follows_the_content() -> None:
    one = operator_message(Operator.A1, [("a.pdf", b"1")], to=TO)
    two = operator_message(Operator.A1, [("a.pdf", b"2")], to=TO)
    assert one["Message-ID"] != two["Message-ID"]
    custom = operator_message(
        Operator.A1, [], to=TO, sender="accountant@example.com", subject="Fwd: счет", body="см."
    )
    assert parseaddr(str(custom["From"]))[1] == "accountant@example.com"
    assert str(custom["Subject"]) == "Fwd: счет"
    assert custom.get_content().strip() == "см."


def test_link_message_carries_the_link() -> None:
    url = "https://lk.mts.ru/files/detal.xml?id=1&sig=abc"
    msg = parse(link_message(Operator.MTS, url, to=TO).as_bytes())
    assert attachments(msg) == []
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html is not None
    assert url in plain.get_content()
    assert 'href="https://lk.mts.ru/files/detal.xml?id=1&amp;sig=abc"' in html.get_content()


def test_document_message_renders_and_names_the_file() -> None:
    spec = DocumentSpec(
        Operator.MTS,
        DocumentKind.CALL_DETAILS,
        DocumentFormat.XML,
        "277012345678",
        Period(year=2026, month=10),
    )
    calls: list[DocumentSpec] = []

    def render(s: DocumentSpec) -> bytes:
        calls.append(s)
        return b"<?xml version='1.0'?><calls/>"

    msg = document_message(spec, to=TO, render=render)
    assert calls == [spec]
    assert [p.get_filename() for p in attachments(msg)] == ["detal_277012345678_202610.xml"]
    zipped = document_message(spec, to=TO, render=render, zipped=True)
    (part,) = attachments(zipped)
    payload = part.get_payload(decode=True)
    assert part.get_filename() == "Report.zip" and isinstance(payload, bytes)
    assert zipfile.ZipFile(io.BytesIO(payload)).read("detal_277012345678_202610.xml") == (
        b"<?xml version='1.0'?><calls/>"
    )
    assert payload == zip_bytes([("detal_277012345678_202610.xml", render(spec))])


def test_a_message_whose_html_body_is_the_document() -> None:
    from config.models import LimitsSettings
    from robots.mail.message import parse_message
    from robots.recognition import recognise
    from sandbox.mails import body_document_message

    spec = DocumentSpec(
        Operator.MTS,
        DocumentKind.INVOICE,
        DocumentFormat.PDF,
        "277012345678",
        Period(year=2026, month=10),
    )
    raw = body_document_message(spec, to=TO).as_bytes(policy=policy.SMTP)
    assert raw == body_document_message(spec, to=TO).as_bytes(policy=policy.SMTP)
    msg = parse(raw)
    assert attachments(msg) == []
    parsed = parse_message(raw, LimitsSettings())
    assert parsed.files == [] and parsed.body is not None
    body = parsed.body.data
    assert isinstance(body, bytes)
    got = recognise(body)
    assert (got.operator, got.kind, got.account, got.period) == (
        Operator.MTS,
        DocumentKind.INVOICE,
        "277012345678",
        Period(year=2026, month=10),
    )
