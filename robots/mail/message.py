"""Take an operator's e-mail apart: sender, attachments, archives, links, the body.

A part is a file by what it holds, not only by what it declares: one declared as the
message's text that holds a PDF, a workbook or an archive is an attachment. A message
with no attachment offers its body (HTML, else text), which may be the document.

Real mail is often broken: no charset, the wrong charset, names encoded by RFC 2047
or 2231, a missing closing boundary. Well-formed mail takes the fast path
(``robots.mail.mime``); the rest goes through Python's email package with the default
policy, which is lenient about all of it. What cannot be decoded is refused with a
reason here and never raised to the collector.
"""

from __future__ import annotations

import contextlib
import email
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from pathlib import Path

from config.models import LimitsSettings
from robots.delivery import StagedFile
from robots.domain import DocumentFormat
from robots.mail.archive import files_in
from robots.mail.files import FoundFile, Refusal, discard
from robots.mail.mime import Leaf, fast_leaves, file_leaves
from robots.recognition.common import sniff_format

_URL_RE = re.compile(r"""https?://[^\s"'<>()]+""", re.IGNORECASE)
_BODY_TYPES = {"text/plain": DocumentFormat.TXT, "text/html": DocumentFormat.HTML}
_BINARY_FORMATS = frozenset(
    {DocumentFormat.PDF, DocumentFormat.XLS, DocumentFormat.XLSX, DocumentFormat.ZIP}
)
_SKIPPED_MAINTYPES = ("image", "audio", "video")  # logos and signatures, not documents
_TOP_HEADERS = BytesHeaderParser(policy=policy.default)  # decodes Subject and From for people
_TOP_HEADER_BYTES = 64 * 1024


@dataclass
class ParsedMessage:
    """A message's headers, files, refusals and links.

    ``body`` is set only for a message with no attachment at all: its HTML body (else
    its text body), which may be the document itself when the operator sent it so.
    """

    sender: str | None
    subject: str | None
    message_id: str | None
    files: list[FoundFile] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    body: FoundFile | None = None


def _header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # a header the parser cannot decode is as good as absent
        return None
    return str(value).strip() if value is not None else None


def sender_address(msg: Message) -> str | None:
    address = parseaddr(_header(msg, "From") or "")[1].strip().lower()
    return address or None


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        return None
    if not name:
        return None
    if "=?" in name:  # RFC 2047 words inside a quoted parameter: wrong, and common
        with contextlib.suppress(Exception):
            name = str(make_header(decode_header(name)))
    return name.strip()


def _is_attachment(part: Message) -> bool:
    if part.get_content_maintype() in _SKIPPED_MAINTYPES:
        return False
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment" or _filename(part):
        return True
    return part.get_content_type() not in _BODY_TYPES and part.get_content_maintype() != "message"


def _text(part: Message, payload: bytes) -> str:
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1251"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _lenient_leaves(raw: bytes) -> Iterator[Leaf | tuple[Message, Exception]]:
    """Leaves as the email package reads broken mail; a part it cannot decode comes
    with the exception instead of a payload."""
    for part in email.message_from_bytes(raw, policy=policy.default).walk():
        if part.is_multipart():
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception as exc:  # its decoders are lenient; be safe anyway
            yield part, exc
            continue
        yield Leaf(part, payload if isinstance(payload, bytes) else b"")


def parse_message(raw: bytes, limits: LimitsSettings) -> ParsedMessage:
    """Everything the collector needs from one raw message."""
    leaves: Iterable[Leaf | tuple[Message, Exception]] = fast_leaves(raw) or _lenient_leaves(raw)
    return _parse(_top_head(raw), leaves, limits)


def parse_spooled(path: Path, limits: LimitsSettings, staging: Path) -> ParsedMessage:
    """As parse_message, for a message in a spool file, too large to hold in memory.

    Its large attachments are decoded into staged files in ``staging``: the files of
    the result may be staged, and are the caller's to deliver or remove. Mail that
    needs the lenient parser is read whole.
    """
    leaves = file_leaves(path, staging)
    if leaves is None:
        return parse_message(path.read_bytes(), limits)
    with path.open("rb") as file:
        head = file.read(_TOP_HEADER_BYTES)
    return _parse(_top_head(head), leaves, limits)


def _top_head(raw: bytes) -> bytes:
    """The message's header block (all of ``raw`` if it has no body)."""
    end = raw.find(b"\r\n\r\n")
    return raw if end < 0 else raw[:end]


def _parse(
    top_head: bytes, leaves: Iterable[Leaf | tuple[Message, Exception]], limits: LimitsSettings
) -> ParsedMessage:
    top = _TOP_HEADERS.parsebytes(top_head + b"\r\n\r\n")
    parsed = ParsedMessage(
        sender=sender_address(top),
        subject=_header(top, "Subject"),
        message_id=_header(top, "Message-ID"),
    )
    max_bytes = int(limits.max_attachment_mb * 1_000_000)
    attachments = 0
    bodies: dict[str, FoundFile] = {}
    for index, leaf in enumerate(leaves):
        if isinstance(leaf, tuple):
            part, exc = leaf
            name = _filename(part)
            parsed.refusals.append(Refusal(_origin(name, index), f"cannot decode: {exc}"))
            attachments += 1
        elif _is_attachment(leaf.headers) or _is_binary_document(leaf.payload):
            name = _filename(leaf.headers)
            _take_attachment(leaf.payload, name, _origin(name, index), max_bytes, limits, parsed)
            attachments += 1
        elif (content_type := leaf.headers.get_content_type()) in _BODY_TYPES:
            data = _in_memory(leaf.payload)
            text = _text(leaf.headers, data)
            parsed.links.extend(url.rstrip(".,;") for url in _URL_RE.findall(text))
            if text.strip() and content_type not in bodies:
                bodies[content_type] = FoundFile(
                    name=None,
                    data=data,
                    origin=f"body ({content_type})",
                    format=_BODY_TYPES[content_type],
                )
        else:
            discard(leaf.payload)
    parsed.links = list(dict.fromkeys(parsed.links))
    if not attachments:
        parsed.body = bodies.get("text/html") or bodies.get("text/plain")
    return parsed


def _is_binary_document(payload: bytes | StagedFile) -> bool:
    """A part declared as the message's text that holds a PDF, a workbook or an archive:
    the bytes say what it is, not the declared type."""
    content = payload.path if isinstance(payload, StagedFile) else payload
    return sniff_format(content) in _BINARY_FORMATS


def _in_memory(payload: bytes | StagedFile) -> bytes:
    """A staged part that is no attachment (a long body text) is read and removed."""
    if not isinstance(payload, StagedFile):
        return payload
    data = payload.path.read_bytes()
    discard(payload)
    return data


def _origin(name: str | None, index: int) -> str:
    return f"attachment {name!r}" if name else f"attachment #{index}"


def _take_attachment(
    data: bytes | StagedFile,
    name: str | None,
    origin: str,
    max_bytes: int,
    limits: LimitsSettings,
    parsed: ParsedMessage,
) -> None:
    members, refusals = files_in(FoundFile(name=name, data=data, origin=origin), limits, max_bytes)
    parsed.files.extend(members)
    parsed.refusals.extend(refusals)
