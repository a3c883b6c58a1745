"""E-mails the way telecom operators send them, and a corpus of hostile or broken ones.

``operator_message`` builds what a cabinet sends after an order: an automatic message
from the operator's domain (``noreply@mts.ru``, ``invoice@a1.by``, ``no-reply@kcell.kz``,
``billing@siptelecom.by``) with a Russian subject and body and the document attached
under the kind of name operators use (``document.pdf``, ``Report.zip``,
``Детализация.xlsx``; non-ASCII names are RFC 2231 encoded). ``link_message`` is the
variant with a download link instead of the file (MTS does that for large call
details). Everything is deterministic: the same arguments give the same bytes
(Message-ID, MIME boundaries, zip timestamps).

``body_document_message`` is a message whose HTML body *is* the document, with no
attachment (MTS e-mails e-bills as HTML: mts.com.ua/eng/electronic_account.php).

Where these habits come from (``sandbox/documents/SOURCES.md``): A1 sends invoices as
PDF, Excel in a ZIP archive or TXT (a1.by, «Invoice Delivery»); MTS details come as
XML, HTML, PDF or XLS, and MTS sends large ones as a link. The senders' addresses,
subjects and bodies are assumed: no operator publishes its mail.

``bad_messages`` is the corpus the mail collector must survive: each entry is a raw
RFC 5322 message from an operator's address (so the robot takes it as its own) with
one defect: broken MIME, wrong or missing charsets, encoded or dangerous file names,
archive bombs, loops and nesting, corrupt or disguised documents, size extremes.

The document renderers (``sandbox.documents``) are imported lazily by
``document_message`` only; everything else here is self-contained.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import html
import io
import math
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents.model import (
    FIXED_TIMESTAMP,
    REQUISITES,
    DocumentSpec,
    month_phrase,
    plural,
)

__all__ = [
    "BAD_MESSAGE_CASES",
    "BAD_MESSAGE_FILENAMES",
    "CONTENT_TYPES",
    "bad_messages",
    "body_document_message",
    "document_message",
    "link_message",
    "minimal_pdf",
    "minimal_xlsx",
    "nested_zip",
    "operator_filename",
    "operator_message",
    "sender_address",
    "zip_bomb",
    "zip_bytes",
    "zip_quine",
]

_ZIP_TIME = FIXED_TIMESTAMP.timetuple()[:6]  # (2020, 1, 1, 0, 0, 0)

CONTENT_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "xls": ("application", "vnd.ms-excel"),
    "xml": ("application", "xml"),
    "html": ("text", "html"),
    "htm": ("text", "html"),
    "txt": ("text", "plain"),
    "csv": ("text", "csv"),
    "zip": ("application", "zip"),
}

# -- operators' habits ------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    local_part: str
    display_name: str
    tz: dt.timezone
    html: bool  # sends a text/html alternative next to the text
    text_cte: str  # how it encodes the text body


_STYLES: dict[Operator, _Style] = {
    Operator.MTS: _Style("noreply", "МТС", dt.timezone(dt.timedelta(hours=3)), True, "base64"),
    Operator.A1: _Style("invoice", "А1", dt.timezone(dt.timedelta(hours=3)), False, "8bit"),
    Operator.KCELL: _Style(
        "no-reply", "Kcell Business", dt.timezone(dt.timedelta(hours=5)), True, "base64"
    ),
    Operator.SIP: _Style(
        "billing", "СИП Телеком", dt.timezone(dt.timedelta(hours=3)), False, "quoted-printable"
    ),
}

# (title for a subject, what "направляем Вам ..." takes)
_KIND_WORDS: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.INVOICE: ("Счет", "счет"),
    DocumentKind.CALL_DETAILS: ("Детализация разговоров", "детализацию разговоров"),
    DocumentKind.RECONCILIATION_ACT: ("Акт сверки взаиморасчетов", "акт сверки взаиморасчетов"),
    DocumentKind.CHARGES: ("Начисления текущего периода", "начисления текущего периода"),
    DocumentKind.WORK_ACT: ("Акт выполненных работ", "акт выполненных работ и расшифровку"),
    DocumentKind.INVOICE_REGISTER: ("Реестр счетов-фактур", "реестр счетов-фактур"),
    DocumentKind.PAYMENTS_REPORT: ("Отчет о платежах", "отчет о платежах"),
    DocumentKind.NUMBERS_REPORT: ("Отчет по номерам", "отчет по номерам"),
}

_DEFAULT_DATE = dt.datetime(2026, 11, 5, 9, 0)  # local time of the operator


def sender_address(operator: Operator) -> str:
    """The automatic sender of an operator's documents, e.g. ``noreply@mts.ru``."""
    return f"{_STYLES[operator].local_part}@{REQUISITES[operator].mail_domain}"


def _subject(
    operator: Operator, kind: DocumentKind, account: str | None, period: Period | None
) -> str:
    title = _KIND_WORDS[kind][0]
    when = f" за {month_phrase(period)}" if period else ""
    if operator is Operator.MTS:
        where = f" по лицевому счету {account}" if account else ""
        return f"МТС. Заказанный документ: {title}{where}{when}"
    if operator is Operator.A1:
        where = f" (лицевой счет {account})" if account else ""
        return f"{title}{when}{where}"
    if operator is Operator.KCELL:
        where = f", лицевой счет {account}" if account else ""
        return f"Kcell Business: {title}{when}{where}"
    where = f" по договору {account}" if account else ""
    return f"СИП Телеком: {title}{where}{when}"


def _body(
    operator: Operator, kind: DocumentKind, account: str | None, period: Period | None
) -> str:
    what = _KIND_WORDS[kind][1]
    where = f" по лицевому счету {account}" if account else ""
    when = f" за {month_phrase(period)}" if period else ""
    legal = REQUISITES[operator].legal_name
    if operator is Operator.MTS:
        return (
            "Уважаемый клиент!\n\n"
            f"По Вашему заказу в «Виртуальном менеджере» направляем {what}{where}{when}.\n"
            "Документ находится во вложении к письму.\n\n"
            "Письмо сформировано автоматически, отвечать на него не нужно.\n\n"
            f"С уважением,\n{legal}\n"
        )
    if operator is Operator.A1:
        return (
            "Добрый день!\n\n"
            f"Направляем Вам {what}{where}{when}.\n\n"
            "Это автоматическая рассылка, пожалуйста, не отвечайте на это письмо.\n"
            "Бизнес-кабинет: https://my.a1.by\n\n"
            f"С уважением,\n{legal}\n"
        )
    if operator is Operator.KCELL:
        return (
            "Здравствуйте!\n\n"
            f"Во вложении {what}{where}{when}, заказанный в Кабинете Kcell Business.\n\n"
            "Данное сообщение отправлено автоматически.\n\n"
            f"{legal}\n"
        )
    return (
        "Уважаемый абонент!\n\n"
        f"Направляем {what}{where}{when}.\n"
        "По вопросам обращайтесь в абонентский отдел.\n\n"
        f"{legal}\n"
    )


def _html_body(text: str, link: str | None = None) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph).replace("\n", "<br>\n")
        if link is not None:
            quoted = html.escape(link)
            escaped = escaped.replace(quoted, f'<a href="{quoted}">{quoted}</a>')
        rendered.append(f"<p>{escaped}</p>")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
        '<body style="font-family: Arial, sans-serif">\n'
        + "\n".join(rendered)
        + "\n</body></html>\n"
    )


def duration_phrase(seconds: float) -> str:
    """How long, in the genitive after "в течение": ``7 дней``, ``72 часов``, ``1 минуты``.

    The largest unit that divides the duration exactly (days, hours, minutes), else
    seconds rounded up.
    """
    whole = max(1, math.ceil(seconds))
    units = (
        (86400, ("дня", "дней", "дней")),
        (3600, ("часа", "часов", "часов")),
        (60, ("минуты", "минут", "минут")),
    )
    for size, forms in units:
        if whole % size == 0:
            count = whole // size
            return f"{count} {plural(count, *forms)}"
    return f"{whole} {plural(whole, 'секунды', 'секунд', 'секунд')}"


def operator_filename(
    operator: Operator,
    kind: DocumentKind,
    fmt: DocumentFormat,
    *,
    account: str | None = None,
    period: Period | None = None,
) -> str:
    """The name an operator gives its file, e.g. ``document.pdf`` or ``Детализация.xlsx``."""
    ext = fmt.value
    ym = f"{period.year}{period.month:02d}" if period else ""
    if operator is Operator.MTS:
        if kind is DocumentKind.CALL_DETAILS:
            return f"detal_{account}_{ym}.{ext}" if account and period else f"detal.{ext}"
        return f"document.{ext}"
    if operator is Operator.A1:
        if kind is DocumentKind.INVOICE and account and period:
            return f"Счет_{account}_{period.month:02d}_{period.year}.{ext}"
        if kind is DocumentKind.RECONCILIATION_ACT:
            return f"Акт_сверки.{ext}"
        return f"Report.{ext}"
    if operator is Operator.KCELL:
        names = {
            DocumentKind.CALL_DETAILS: "Детализация",
            DocumentKind.WORK_ACT: "Акт выполненных работ",
            DocumentKind.INVOICE_REGISTER: "Реестр счетов-фактур",
            DocumentKind.RECONCILIATION_ACT: "Акт сверки",
        }
        return f"{names.get(kind, 'Отчет')}.{ext}"
    prefix = {
        DocumentKind.INVOICE: "invoice",
        DocumentKind.CALL_DETAILS: "calls",
        DocumentKind.CHARGES: "charges",
    }.get(kind, "document")
    return f"{prefix}_{account}_{ym}.{ext}" if account and period else f"{prefix}.{ext}"


def _content_type(filename: str) -> tuple[str, str]:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return CONTENT_TYPES.get(ext, ("application", "octet-stream"))


def _default_date(operator: Operator, period: Period | None) -> dt.datetime:
    tz = _STYLES[operator].tz
    if period is None:
        return _DEFAULT_DATE.replace(tzinfo=tz)
    issued = period.next().first_day + dt.timedelta(days=4)  # the 5th of the next month
    return dt.datetime.combine(issued, dt.time(9, 0), tzinfo=tz)


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def _new_message(
    operator: Operator,
    *,
    to: str,
    subject: str,
    sender: str | None,
    date: dt.datetime,
    message_id: str | None,
    digest: str,
) -> EmailMessage:
    """A message with the operator's headers, in the order its mailer writes them."""
    if message_id is None:
        domain = REQUISITES[operator].mail_domain
        message_id = f"<{digest[:24]}.{date:%Y%m%d%H%M%S}@{domain}>"
    msg = EmailMessage()
    msg["From"] = formataddr((_STYLES[operator].display_name, sender or sender_address(operator)))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    return msg


def _fix_boundaries(msg: EmailMessage, digest: str) -> EmailMessage:
    """MIME boundaries derived from the content instead of random ones."""
    for index, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"----=_Part_{index}_{digest[24 + index : 40 + index]}")
    return msg


def operator_message(
    operator: Operator,
    attachments: Sequence[tuple[str, bytes]],
    *,
    to: str,
    subject: str | None = None,
    body: str | None = None,
    sender: str | None = None,
    date: dt.datetime | None = None,
    message_id: str | None = None,
    kind: DocumentKind = DocumentKind.INVOICE,
    account: str | None = None,
    period: Period | None = None,
) -> EmailMessage:
    """An automatic e-mail from ``operator`` with ``attachments`` (name, bytes).

    Args:
        operator: who sends it; the sender is ``sender_address(operator)`` unless given.
        attachments: files in order; non-ASCII names are RFC 2231 encoded.
        to: the recipient (the robot's mailbox).
        subject: by default the operator's usual subject for ``kind``.
        body: the text body; by default the operator's usual text (MTS and Kcell add
            an HTML alternative).
        sender: another From address (e.g. a colleague's, to test sender rules).
        date: by default 09:00 local time on the 5th of the month after ``period``.
        message_id: by default derived from everything above (deterministic).
        kind, account, period: what the default subject and body talk about.
    """
    style = _STYLES[operator]
    subject = subject if subject is not None else _subject(operator, kind, account, period)
    text = body if body is not None else _body(operator, kind, account, period)
    date = date or _default_date(operator, period)
    files = [f"{name}:{_digest(data)}" for name, data in attachments]
    digest = _digest(operator.value, to, subject, date.isoformat(), text, *files)
    msg = _new_message(
        operator,
        to=to,
        subject=subject,
        sender=sender,
        date=date,
        message_id=message_id,
        digest=digest,
    )
    msg.set_content(text, cte=style.text_cte)
    if style.html:
        msg.add_alternative(_html_body(text), subtype="html", cte=style.text_cte)
    for name, data in attachments:
        maintype, subtype = _content_type(name)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return _fix_boundaries(msg, digest)


def link_message(
    operator: Operator,
    url: str,
    *,
    to: str,
    subject: str | None = None,
    sender: str | None = None,
    date: dt.datetime | None = None,
    message_id: str | None = None,
    kind: DocumentKind = DocumentKind.CALL_DETAILS,
    account: str | None = None,
    period: Period | None = None,
    valid_for_s: float = 72 * 3600,
) -> EmailMessage:
    """A message with a download link instead of the file (MTS, for large call details).

    ``valid_for_s``: how long the link works, as the text says it ("в течение 72 часов").
    """
    what = _KIND_WORDS[kind][0]
    where = f" по лицевому счету {account}" if account else ""
    when = f" за {month_phrase(period)}" if period else ""
    text = (
        "Уважаемый клиент!\n\n"
        f"{what}{where}{when} сформирована по Вашему заказу.\n"
        "Размер файла превышает допустимый для отправки по электронной почте, "
        "поэтому он доступен для скачивания по ссылке:\n"
        f"{url}\n\n"
        f"Ссылка действительна в течение {duration_phrase(valid_for_s)}.\n\n"
        f"С уважением,\n{REQUISITES[operator].legal_name}\n"
    )
    subject = subject if subject is not None else _subject(operator, kind, account, period)
    date = date or _default_date(operator, period)
    digest = _digest(operator.value, to, subject, date.isoformat(), text, "link")
    msg = _new_message(
        operator,
        to=to,
        subject=subject,
        sender=sender,
        date=date,
        message_id=message_id,
        digest=digest,
    )
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(_html_body(text, link=url), subtype="html", cte="quoted-printable")
    return _fix_boundaries(msg, digest)


def document_message(
    spec: DocumentSpec,
    *,
    to: str,
    zipped: bool = False,
    render: Callable[[DocumentSpec], bytes] | None = None,
    sender: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The e-mail an operator sends with the document ``spec`` rendered and attached.

    Args:
        spec: the document; its format picks the renderer in ``sandbox.documents``.
        to: the recipient.
        zipped: pack the file into ``Report.zip`` (operators do for large files).
        render: use this instead of the ``sandbox.documents`` renderer.
        sender: another From address.
        date: by default 09:00 on the 5th of the month after the period.
    """
    from sandbox.documents import render as render_document

    data = (render or render_document)(spec)
    name = operator_filename(
        spec.operator, spec.kind, spec.format, account=spec.account, period=spec.period
    )
    files = [("Report.zip", zip_bytes([(name, data)]))] if zipped else [(name, data)]
    return operator_message(
        spec.operator,
        files,
        to=to,
        sender=sender,
        date=date,
        kind=spec.kind,
        account=spec.account,
        period=spec.period,
    )


def body_document_message(
    spec: DocumentSpec, *, to: str, date: dt.datetime | None = None
) -> EmailMessage:
    """The e-mail whose HTML body is the document ``spec`` describes, with no attachment.

    A plain-text alternative says only where the document is; the HTML part is the
    rendered document itself (``sandbox.documents.render`` with format HTML).
    """
    from sandbox.documents import render as render_document

    page = render_document(dataclasses.replace(spec, format=DocumentFormat.HTML)).decode()
    subject = _subject(spec.operator, spec.kind, spec.account, spec.period)
    date = date or _default_date(spec.operator, spec.period)
    text = (
        "Уважаемый клиент!\n\nСчет по Вашему лицевому счету приведен в HTML-версии этого "
        "письма.\n\nПисьмо сформировано автоматически, отвечать на него не нужно.\n"
    )
    digest = _digest(spec.operator.value, to, subject, date.isoformat(), page)
    msg = _new_message(
        spec.operator,
        to=to,
        subject=subject,
        sender=None,
        date=date,
        message_id=None,
        digest=digest,
    )
    msg.set_content(text, cte="base64")
    msg.add_alternative(page, subtype="html", cte="base64")
    return _fix_boundaries(msg, digest)


# -- files ------------------------------------------------------------------------------


def zip_bytes(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A ZIP of ``files`` (name, bytes), deflated, with fixed timestamps: reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # as written on Windows, where operators' billing runs
            info.external_attr = 0x20  # FILE_ATTRIBUTE_ARCHIVE
            archive.writestr(info, data)
    return buffer.getvalue()


def minimal_pdf(text: str = "Invoice") -> bytes:
    """A small valid one-page PDF showing ``text`` (ASCII, Helvetica)."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 14 Tf 72 770 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def minimal_xlsx(rows: Sequence[Sequence[str]] = (("Номер", "Сумма"),)) -> bytes:
    """A small valid XLSX (one sheet, inline strings) written by hand, no openpyxl."""

    def cell(col: int, row: int, value: str) -> str:
        ref = f"{chr(ord('A') + col)}{row}"
        return f'<c r="{ref}" t="inlineStr"><is><t>{html.escape(value)}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{r}">' + "".join(cell(c, r, v) for c, v in enumerate(values)) + "</row>"
        for r, values in enumerate(rows, start=1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    files = [
        (
            "[Content_Types].xml",
            head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        ),
        (
            "_rels/.rels",
            head + f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "xl/workbook.xml",
            head + f'<workbook xmlns="{_XLSX_NS}" xmlns:r="{_REL_NS}"><sheets>'
            '<sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        (
            "xl/_rels/workbook.xml.rels",
            head + f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        ),
        (
            "xl/worksheets/sheet1.xml",
            head + f'<worksheet xmlns="{_XLSX_NS}"><sheetData>{sheet_rows}</sheetData></worksheet>',
        ),
    ]
    return zip_bytes([(name, text.encode()) for name, text in files])


def nested_zip(depth: int, inner: tuple[str, bytes]) -> bytes:
    """``inner`` wrapped in ``depth`` ZIPs: the result is level 1, ``inner`` sits in level
    ``depth``; the archive at level n is named ``Report-<n>.zip`` inside level n-1."""
    name, data = inner
    for level in range(depth, 0, -1):
        data = zip_bytes([(name, data)])
        name = f"Report-{level}.zip"
    return data


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from CRC(A), CRC(B) and len(B)."""

    def times(matrix: list[int], vector: int) -> int:
        result, row = 0, 0
        while vector:
            if vector & 1:
                result ^= matrix[row]
            vector >>= 1
            row += 1
        return result

    def square(matrix: list[int]) -> list[int]:
        return [times(matrix, matrix[n]) for n in range(32)]

    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = square(odd)
    odd = square(even)
    while True:
        even = square(odd)
        if len2 & 1:
            crc1 = times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = square(even)
        if len2 & 1:
            crc1 = times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _zip_single(name: str, crc: int, packed: bytes, size: int) -> bytes:
    """A one-member deflated ZIP written field by field, around an existing stream."""
    method, comment = zipfile.ZIP_DEFLATED, b""
    encoded = name.encode()
    flags = 0x800 if not name.isascii() else 0
    dos_time, dos_date = 0, (2020 - 1980) << 9 | 1 << 5 | 1
    local = struct.pack(
        "<4s5H3I2H", b"PK\x03\x04", 20, flags, method, dos_time, dos_date, crc, len(packed),
        size, len(encoded), 0,
    ) + encoded  # fmt: skip
    central = struct.pack(
        "<4s6H3I5H2I", b"PK\x01\x02", 20, 20, flags, method, dos_time, dos_date, crc,
        len(packed), size, len(encoded), 0, 0, 0, 0, 0x20, 0,
    ) + encoded  # fmt: skip
    end = struct.pack(
        "<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(packed),
        len(comment),
    ) + comment  # fmt: skip
    return local + packed + central + end


def zip_bomb(size: int = 1100 * 2**20, name: str = "document.pdf") -> bytes:
    """A ZIP of about size/1000 bytes whose one member inflates to ``size`` zero bytes.

    Built without compressing ``size`` bytes: deflate of a 1 MiB run of zeros ended by a
    full flush is a self-contained, byte-aligned run of blocks, so the stream is that
    run repeated, then an empty final block; the CRC of the zeros is computed with
    zlib's crc32_combine. Memory and time stay small (about 1 MB, tens of ms).
    """
    chunk = 2**20
    if size % chunk or not 0 < size < 2**32:
        raise ValueError("size must be a positive multiple of 1 MiB below 4 GiB")
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    run = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed = run * (size // chunk) + b"\x03\x00"  # an empty final fixed-Huffman block
    crc = 0  # CRC of the zeros so far, built by doubling
    power_crc, power_len = zlib.crc32(bytes(chunk)), chunk
    count = size // chunk
    while count:
        if count & 1:
            crc = _crc32_combine(crc, power_crc, power_len)
        power_crc = _crc32_combine(power_crc, power_crc, power_len)
        power_len *= 2
        count >>= 1
    return _zip_single(name, crc, packed, size)


# The ZIP quine: a ZIP whose only member is the ZIP itself, byte for byte (after Russ
# Cox, "Zip Files All The Way Down"). Its deflate stream is a program of 10-byte units:
# L(n) "print the next n units" (an empty stored block + a stored block of 10n bytes) and
# R(n) "repeat the last n units printed" (fixed-Huffman blocks copying 10n bytes from
# 10n back, padded to exactly 80 bits with empty blocks). With the local header P (p
# units) and the central directory + end record S (s units), the program
#   L(p+1) P L(p+1) R(p+1) L1 R(p+1) L1 L1 L4 R(p+1) L1 L1 L4 R4 L4 R4 L4 R4 L4 R4 L4 R4
#   L0 L0 L(s+1) R4 L0 L0 L(s+1) R(s+1) S R(s+1)
# prints P, itself, then S: the whole file. The CRC-32 stored in P and S is a fixed
# point found by solving the GF(2) linear system crc32(file(c)) = c.

_UNIT = 10
_LEN_BASES = (3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83,
              99, 115, 131, 163, 195, 227, 258)  # fmt: skip
_LEN_EXTRA = (0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5,
              5, 0)  # fmt: skip
_DIST_BASES = (1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577)  # fmt: skip


def _length_code(length: int) -> tuple[int, int, int]:
    """(symbol, extra bits, extra value) of a deflate match length."""
    if length == 258:
        return 285, 0, 0
    index = max(i for i, base in enumerate(_LEN_BASES[:28]) if base <= length)
    return 257 + index, _LEN_EXTRA[index], length - _LEN_BASES[index]


def _distance_code(distance: int) -> tuple[int, int, int]:
    index = max(i for i, base in enumerate(_DIST_BASES) if base <= distance)
    return index, max(0, index // 2 - 1), distance - _DIST_BASES[index]


def _fixed_code(symbol: int) -> tuple[int, int]:
    """(code, bit length) of a literal/length symbol in the fixed Huffman code."""
    if symbol < 144:
        return 0x30 + symbol, 8
    if symbol < 256:
        return 0x190 + symbol - 144, 9
    if symbol < 280:
        return symbol - 256, 7
    return 0xC0 + symbol - 280, 8


def _length_bits(length: int) -> int:
    symbol, extra, _ = _length_code(length)
    return _fixed_code(symbol)[1] + extra


class _BitWriter:
    def __init__(self) -> None:
        self.value = 0
        self.count = 0

    def bits(self, value: int, count: int) -> None:  # deflate: least significant first
        self.value |= (value & ((1 << count) - 1)) << self.count
        self.count += count

    def code(self, code: int, count: int) -> None:  # Huffman codes: most significant first
        self.bits(int(format(code, f"0{count}b")[::-1], 2), count)

    def getvalue(self) -> bytes:
        if self.count % 8:
            raise ValueError("not byte-aligned")
        return self.value.to_bytes(self.count // 8, "little")


def _repeat_plan(units: int) -> tuple[tuple[int, ...], int]:
    """Match lengths and block count for R(units) to take exactly _UNIT bytes."""
    total = distance = _UNIT * units
    distance_bits = 5 + _distance_code(distance)[1]
    budget = _UNIT * 8
    # lengths of k matches summing to `total`, keyed by their bit cost
    options: dict[tuple[int, int], dict[int, tuple[int, ...]]] = {(0, 0): {0: ()}}
    for k in range(1, 6):
        for covered in range(3 * k, total + 1):
            found: dict[int, tuple[int, ...]] = {}
            for last in range(3, min(258, covered - 3 * (k - 1)) + 1):
                for cost, lengths in options.get((covered - last, k - 1), {}).items():
                    found.setdefault(cost + _length_bits(last), (*lengths, last))
            options[(covered, k)] = found
        for cost, lengths in sorted(options[(total, k)].items()):
            rest = budget - cost - k * distance_bits
            if rest >= 10 and rest % 10 == 0:  # an empty fixed block is 3 + 7 bits
                return lengths, rest // 10
    raise ValueError(f"no {budget}-bit encoding of R({units})")


@functools.cache
def _repeat_op(units: int, final: bool = False) -> bytes:
    lengths, blocks = _repeat_plan(units)
    writer = _BitWriter()
    distance = _distance_code(_UNIT * units)
    for block in range(blocks):
        writer.bits(1 if final and block == blocks - 1 else 0, 1)  # BFINAL
        writer.bits(1, 2)  # BTYPE 01: fixed Huffman codes
        if block == 0:
            for length in lengths:
                symbol, extra, value = _length_code(length)
                writer.code(*_fixed_code(symbol))
                writer.bits(value, extra)
                writer.code(distance[0], 5)
                writer.bits(distance[2], distance[1])
        writer.code(*_fixed_code(256))  # end of block
    return writer.getvalue()


def _literal_op(units: int) -> bytes:
    size = _UNIT * units
    return b"\x00\x00\x00\xff\xff\x00" + struct.pack("<HH", size, size ^ 0xFFFF)


def zip_quine(name: str = "Report.zip") -> bytes:
    """A ZIP whose single member ``name`` is byte-for-byte the ZIP itself.

    Unpacking it yields it again, forever: an archive loop at depth 1 (an archive equal
    to one of its ancestors). Valid for zipfile and unzip, CRC included; about 600 bytes.
    """
    encoded = name.encode()
    comment = b"This archive contains itself."
    p = -(-(30 + len(encoded) + 4) // _UNIT)  # local header + an extra field as padding
    s = -(-(46 + len(encoded) + 22 + len(comment)) // _UNIT)
    program_units = p + s + 30
    packed_size, size = _UNIT * program_units, _UNIT * (p + program_units + s)
    dos_date = (2020 - 1980) << 9 | 1 << 5 | 1
    flags = 0x800 if not name.isascii() else 0

    def layout(crc: int, dos_time: int) -> tuple[bytes, bytes]:
        head = struct.pack(
            "<4s5H3I2H", b"PK\x03\x04", 20, flags, 8, dos_time, dos_date, crc, packed_size,
            size, len(encoded), _UNIT * p - 30 - len(encoded),
        ) + encoded  # fmt: skip
        pad = _UNIT * p - len(head)
        head += struct.pack("<2H", 0x6C6C, pad - 4) + bytes(pad - 4)  # an unknown extra id
        central = struct.pack(
            "<4s6H3I5H2I", b"PK\x01\x02", 20, 20, flags, 8, dos_time, dos_date, crc,
            packed_size, size, len(encoded), 0, 0, 0, 0, 0x20, 0,
        ) + encoded  # fmt: skip
        note = comment.ljust(_UNIT * s - len(central) - 22)
        end = struct.pack(
            "<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, len(central), _UNIT * p + packed_size,
            len(note),
        ) + note  # fmt: skip
        return head, central + end

    lit, rep = _literal_op, _repeat_op
    middle = [
        lit(p + 1), rep(p + 1), lit(1), rep(p + 1), lit(1), lit(1), lit(4), rep(p + 1),
        lit(1), lit(1), lit(4), rep(4), lit(4), rep(4), lit(4), rep(4), lit(4), rep(4),
        lit(4), rep(4), lit(0), lit(0), lit(s + 1), rep(4), lit(0), lit(0), lit(s + 1),
        rep(s + 1, final=True),
    ]  # fmt: skip

    def build(crc: int, dos_time: int) -> bytes:
        head, tail = layout(crc, dos_time)
        program = lit(p + 1) + head + b"".join(middle) + tail + rep(s + 1, final=True)
        return head + program + tail

    for dos_time in range(64):  # another timestamp if this one has no CRC fixed point

        def crc_of(crc: int, dos_time: int = dos_time) -> int:
            return zlib.crc32(build(crc, dos_time))

        crc = _crc_fixed_point(crc_of)
        if crc is not None:
            data = build(crc, dos_time)
            program = data[_UNIT * p : _UNIT * p + packed_size]
            if len(data) != size or zlib.decompress(program, -15) != data:
                raise AssertionError("zip quine does not reproduce itself")
            return data
    raise AssertionError("no CRC-32 fixed point found")


def _crc_fixed_point(crc_of: Callable[[int], int]) -> int | None:
    """c with crc_of(c) == c, for crc_of affine over GF(2) (a CRC of a file holding c)."""
    base = crc_of(0)
    # column i of (A + I): what flipping bit i of c does to crc_of(c) + c
    columns = [crc_of(1 << i) ^ base ^ (1 << i) for i in range(32)]
    rows = [
        [sum(1 << i for i in range(32) if columns[i] >> j & 1), base >> j & 1] for j in range(32)
    ]
    pivots: list[int] = []
    for bit in range(32):
        top = len(pivots)
        pick = next((r for r in range(top, 32) if rows[r][0] >> bit & 1), None)
        if pick is None:
            continue
        rows[top], rows[pick] = rows[pick], rows[top]
        for r in range(32):
            if r != top and rows[r][0] >> bit & 1:
                rows[r][0] ^= rows[top][0]
                rows[r][1] ^= rows[top][1]
        pivots.append(bit)
    if any(mask == 0 and rhs for mask, rhs in rows):
        return None
    value = sum(1 << bit for index, bit in enumerate(pivots) if rows[index][1])
    return value if crc_of(value) == value else None


# -- the bad-input corpus ---------------------------------------------------------------

BAD_MESSAGE_CASES: dict[str, str] = {
    "broken_boundary": "multipart whose parts use another boundary than the declared one",
    "missing_closing_boundary": "multipart without the closing --boundary-- line",
    "no_charset_cp1251": "text/plain without a charset, body in cp1251 (8bit)",
    "koi8r_body_and_filename": "koi8-r body; the file name is raw koi8-r bytes, undeclared",
    "rfc2047_filename": 'file name as an RFC 2047 encoded word inside quotes ("=?UTF-8?B?...")',
    "rfc2231_filename": "file name in RFC 2231 continuations (filename*0*=, filename*1*=)",
    "path_traversal_filename": "file name ../../etc/passwd.pdf",
    "absolute_path_filename": "file name /tmp/evil.pdf",
    "zip_bomb": "Report.zip of about 1 MB whose member inflates to 1100 MiB of zeros",
    "nested_zip_10": "Report.zip nested 10 levels deep, a PDF in the innermost",
    "zip_loop": "Report.zip that contains itself byte for byte (a ZIP quine)",
    "corrupt_pdf": "document.pdf cut at 60 % (no xref, no %%EOF)",
    "corrupt_xlsx": "Детализация.xlsx cut in half (a truncated ZIP)",
    "html_as_pdf": "document.pdf that is an HTML login page (what an expired link returns)",
    "oversized_attachment": "document.pdf larger than the attachment limit (oversized_mb)",
    "empty_attachment": "document.pdf of 0 bytes",
    "no_attachment": "an operator's message with no attachment at all",
}

# The name each case's attachment is meant to have once decoded (None: no attachment,
# or a name no decoder can recover for sure).
BAD_MESSAGE_FILENAMES: dict[str, str | None] = {
    "broken_boundary": "document.pdf",
    "missing_closing_boundary": "document.pdf",
    "no_charset_cp1251": "document.pdf",
    "koi8r_body_and_filename": "Счет.pdf",
    "rfc2047_filename": "Счет на оплату.pdf",
    "rfc2231_filename": "Детализация разговоров за октябрь 2026.xlsx",
    "path_traversal_filename": "../../etc/passwd.pdf",
    "absolute_path_filename": "/tmp/evil.pdf",
    "zip_bomb": "Report.zip",
    "nested_zip_10": "Report.zip",
    "zip_loop": "Report.zip",
    "corrupt_pdf": "document.pdf",
    "corrupt_xlsx": "Детализация.xlsx",
    "html_as_pdf": "document.pdf",
    "oversized_attachment": "document.pdf",
    "empty_attachment": "document.pdf",
    "no_attachment": None,
}

_HTML_LOGIN_PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Вход в личный кабинет</title></head>
<body><h1>Сессия истекла</h1><p>Войдите в личный кабинет, чтобы скачать документ.</p>
<form method="post" action="/login"><input name="login"><input name="password"
type="password"><button>Войти</button></form></body></html>
"""

_CRLF = b"\r\n"


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", _CRLF)


_ATTR_CHARS = frozenset(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~"
)


def _rfc2231_quote(text: str) -> str:
    """UTF-8 percent-encoding of an RFC 2231 extended parameter value."""
    return "".join(chr(b) if b in _ATTR_CHARS else f"%{b:02X}" for b in text.encode())


def _encoded_word(text: str) -> str:
    return Header(text, "utf-8").encode()


def _headers(key: str, operator: Operator, to: str, subject: str, content_type: str) -> list[bytes]:
    domain = REQUISITES[operator].mail_domain
    date = _DEFAULT_DATE.replace(tzinfo=_STYLES[operator].tz)
    display = _encoded_word(_STYLES[operator].display_name)
    return [
        f"From: {display} <{sender_address(operator)}>".encode(),
        f"To: {to}".encode(),
        f"Subject: {_encoded_word(subject)}".encode(),
        f"Date: {format_datetime(date)}".encode(),
        f"Message-ID: <bad-{key}.{_digest(key, to)[:16]}@{domain}>".encode(),
        b"MIME-Version: 1.0",
        content_type.encode(),
    ]


def _part(headers: Sequence[bytes], body: bytes) -> bytes:
    return _CRLF.join(headers) + _CRLF + _CRLF + body


def _attachment(disposition: bytes, content_type: bytes, data: bytes) -> bytes:
    return _part([content_type, b"Content-Transfer-Encoding: base64", disposition], _b64(data))


def _pdf_part(filename: str, data: bytes) -> bytes:
    return _attachment(
        f'Content-Disposition: attachment; filename="{filename}"'.encode(),
        f'Content-Type: application/pdf; name="{filename}"'.encode(),
        data,
    )


def _text_part(text: bytes, charset: str | None) -> bytes:
    declared = f"; charset={charset}" if charset else ""
    return _part(
        [f"Content-Type: text/plain{declared}".encode(), b"Content-Transfer-Encoding: 8bit"],
        text.replace(b"\r\n", b"\n").replace(b"\n", _CRLF),
    )


def _multipart(parts: Sequence[bytes], boundary: str, *, close: bool = True) -> bytes:
    mark = b"--" + boundary.encode()
    out = b"This is a multi-part message in MIME format." + _CRLF
    for part in parts:
        out += mark + _CRLF + part + _CRLF
    if close:
        out += mark + b"--" + _CRLF
    return out


def _message(
    key: str,
    operator: Operator,
    to: str,
    subject: str,
    parts: Sequence[bytes],
    *,
    declared_boundary: str | None = None,
    used_boundary: str | None = None,
    close: bool = True,
) -> bytes:
    boundary = f"----=_NextPart_{_digest(key)[:20]}"
    declared = declared_boundary or boundary
    head = _headers(
        key, operator, to, subject, f'Content-Type: multipart/mixed; boundary="{declared}"'
    )
    body = _multipart(parts, used_boundary or boundary, close=close)
    return _part(head, body)


def _oversized_pdf(megabytes: float) -> bytes:
    size = int(megabytes * 1_000_000)
    head = minimal_pdf("Oversized")[:-6]  # up to "%%EOF\n": keep it looking like a PDF
    filler = b"% padding " + bytes(range(32, 127)) + b"\n"
    body = (filler * (size // len(filler) + 1))[: max(0, size - len(head) - 6)]
    return head + body + b"%%EOF\n"


def bad_messages(
    to: str,
    *,
    operator: Operator = Operator.MTS,
    oversized_mb: float | None = 51.0,
    document: bytes | None = None,
) -> dict[str, bytes]:
    """The hostile and broken messages, by case name (see ``BAD_MESSAGE_CASES``).

    Args:
        to: the recipient.
        operator: whose address they come from (a configured operator's, so the robot
            takes them as its own).
        oversized_mb: size of the ``oversized_attachment`` file in MB (10^6 bytes); the
            default is just above the collector's default 50 MB limit. ``None`` leaves
            that case out (it is the only slow one: about 70 MB of base64).
        document: the PDF the well-formed cases carry (a real operator invoice lets a
            test check that they are delivered despite their encodings); default: a
            minimal PDF that is no operator's document.
    """
    pdf = document or minimal_pdf("Invoice 277012345678")
    text = "Уважаемый клиент!\n\nНаправляем счет за октябрь 2026 г. Документ во вложении.\n"
    subject = "Счет за октябрь 2026 г."
    out: dict[str, bytes] = {}

    def simple(key: str, attachment: bytes, *, body: bytes | None = None) -> None:
        body_part = _text_part(text.encode(), "utf-8") if body is None else body
        out[key] = _message(key, operator, to, subject, [body_part, attachment])

    utf8_text = _text_part(text.encode(), "utf-8")
    out["broken_boundary"] = _message(
        "broken_boundary",
        operator,
        to,
        subject,
        [utf8_text, _pdf_part("document.pdf", pdf)],
        declared_boundary="----=_Part_declared_0001",
        used_boundary="----=_Part_written_0002",
    )
    out["missing_closing_boundary"] = _message(
        "missing_closing_boundary",
        operator,
        to,
        subject,
        [utf8_text, _pdf_part("document.pdf", pdf)],
        close=False,
    )
    simple(
        "no_charset_cp1251",
        _pdf_part("document.pdf", pdf),
        body=_text_part(text.encode("cp1251"), None),
    )
    koi8_name = "Счет.pdf".encode("koi8-r")
    simple(
        "koi8r_body_and_filename",
        _attachment(
            b'Content-Disposition: attachment; filename="' + koi8_name + b'"',
            b'Content-Type: application/pdf; name="' + koi8_name + b'"',
            pdf,
        ),
        body=_text_part(text.encode("koi8-r"), "koi8-r"),
    )
    word = _encoded_word("Счет на оплату.pdf")
    simple(
        "rfc2047_filename",
        _attachment(
            f'Content-Disposition: attachment; filename="{word}"'.encode(),
            f'Content-Type: application/pdf; name="{word}"'.encode(),
            pdf,
        ),
    )
    long_name = BAD_MESSAGE_FILENAMES["rfc2231_filename"] or ""
    quoted = _rfc2231_quote(long_name)
    pieces = [quoted[i : i + 45] for i in range(0, len(quoted), 45)]
    continuation = ";\r\n ".join(
        f"filename*{n}*=utf-8''{piece}" if n == 0 else f"filename*{n}*={piece}"
        for n, piece in enumerate(pieces)
    )
    simple(
        "rfc2231_filename",
        _attachment(
            f"Content-Disposition: attachment;\r\n {continuation}".encode(),
            f"Content-Type: {'/'.join(CONTENT_TYPES['xlsx'])}".encode(),
            document or minimal_xlsx(),  # a real document under a misleading name, if given
        ),
    )
    simple("path_traversal_filename", _pdf_part("../../etc/passwd.pdf", pdf))
    simple("absolute_path_filename", _pdf_part("/tmp/evil.pdf", pdf))

    def zip_part(data: bytes) -> bytes:
        return _attachment(
            b'Content-Disposition: attachment; filename="Report.zip"',
            b'Content-Type: application/zip; name="Report.zip"',
            data,
        )

    simple("zip_bomb", zip_part(zip_bomb()))
    simple("nested_zip_10", zip_part(nested_zip(10, ("document.pdf", pdf))))
    simple("zip_loop", zip_part(zip_quine("Report.zip")))
    simple("corrupt_pdf", _pdf_part("document.pdf", pdf[: len(pdf) * 6 // 10]))
    xlsx = minimal_xlsx((("Номер", "Дата", "Сумма"), ("77012345678", "01.10.2026", "12.50")))
    xlsx_name = BAD_MESSAGE_FILENAMES["corrupt_xlsx"] or ""
    simple(
        "corrupt_xlsx",
        _attachment(
            b"Content-Disposition: attachment; filename*=utf-8''"
            + _rfc2231_quote(xlsx_name).encode(),
            f"Content-Type: {'/'.join(CONTENT_TYPES['xlsx'])}".encode(),
            xlsx[: len(xlsx) // 2],
        ),
    )
    simple("html_as_pdf", _pdf_part("document.pdf", _HTML_LOGIN_PAGE.encode()))
    if oversized_mb is not None:
        simple("oversized_attachment", _pdf_part("document.pdf", _oversized_pdf(oversized_mb)))
    simple("empty_attachment", _pdf_part("document.pdf", b""))
    no_attachment_head = _headers(
        "no_attachment",
        operator,
        to,
        "Ваш заказ принят",
        'Content-Type: text/plain; charset="utf-8"',
    )
    no_attachment_text = (
        "Уважаемый клиент!\r\n\r\nВаш заказ документа принят и будет выполнен в течение суток.\r\n"
    )
    out["no_attachment"] = _part(
        [*no_attachment_head, b"Content-Transfer-Encoding: 8bit"], no_attachment_text.encode()
    )
    return out
