"""Take an operator's e-mail apart: sender, attachments, archives, links.

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

from config.models import LimitsSettings
from robots.mail.archive import expand, is_archive
from robots.mail.files import FoundFile, Refusal, megabytes
from robots.mail.mime import Leaf, fast_leaves

_URL_RE = re.compile(r"""https?://[^\s"'<>()]+""", re.IGNORECASE)
_BODY_TYPES = ("text/plain", "text/html")
_SKIPPED_MAINTYPES = ("image", "audio", "video")  # logos and signatures, not documents
_TOP_HEADERS = BytesHeaderParser(policy=policy.default)  # decodes Subject and From for people


@dataclass
class ParsedMessage:
    sender: str | None
    subject: str | None
    message_id: str | None
    files: list[FoundFile] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


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
    top = _TOP_HEADERS.parsebytes(raw.partition(b"\r\n\r\n")[0] + b"\r\n\r\n")
    parsed = ParsedMessage(
        sender=sender_address(top),
        subject=_header(top, "Subject"),
        message_id=_header(top, "Message-ID"),
    )
    max_bytes = int(limits.max_attachment_mb * 1_000_000)
    leaves: Iterable[Leaf | tuple[Message, Exception]] = fast_leaves(raw) or _lenient_leaves(raw)
    for index, leaf in enumerate(leaves):
        if isinstance(leaf, tuple):
            part, exc = leaf
            name = _filename(part)
            parsed.refusals.append(Refusal(_origin(name, index), f"cannot decode: {exc}"))
        elif _is_attachment(leaf.headers):
            name = _filename(leaf.headers)
            _take_attachment(leaf.payload, name, _origin(name, index), max_bytes, limits, parsed)
        elif leaf.headers.get_content_type() in _BODY_TYPES:
            text = _text(leaf.headers, leaf.payload)
            parsed.links.extend(url.rstrip(".,;") for url in _URL_RE.findall(text))
    parsed.links = list(dict.fromkeys(parsed.links))
    return parsed


def _origin(name: str | None, index: int) -> str:
    return f"attachment {name!r}" if name else f"attachment #{index}"


def _take_attachment(
    data: bytes,
    name: str | None,
    origin: str,
    max_bytes: int,
    limits: LimitsSettings,
    parsed: ParsedMessage,
) -> None:
    if not data:
        parsed.refusals.append(Refusal(origin, "empty attachment"))
        return
    if len(data) > max_bytes:
        parsed.refusals.append(
            Refusal(
                origin, f"{megabytes(len(data))}, over the {limits.max_attachment_mb:g} MB limit"
            )
        )
        return
    found = FoundFile(name=name, data=data, origin=origin)
    if is_archive(data):
        members, refusals = expand(found, limits)
        parsed.files.extend(members)
        parsed.refusals.extend(refusals)
    else:
        parsed.files.append(found)
