"""Take an operator's e-mail apart: sender, attachments, archives, links.

Real mail is often broken: no charset, the wrong charset, names encoded by RFC 2047
or 2231, a missing closing boundary. Python's email package with the default policy
is lenient about all of it; what it cannot decode is refused with a reason here and
never raised to the collector.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.utils import parseaddr

from config.models import LimitsSettings
from robots.mail.archive import expand, is_archive
from robots.mail.files import FoundFile, Refusal, megabytes

_URL_RE = re.compile(r"""https?://[^\s"'<>()]+""", re.IGNORECASE)
_BODY_TYPES = ("text/plain", "text/html")
_SKIPPED_MAINTYPES = ("image", "audio", "video")  # logos and signatures, not documents


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
    return name.strip() if name else None


def _is_attachment(part: Message) -> bool:
    if part.is_multipart() or part.get_content_maintype() in _SKIPPED_MAINTYPES:
        return False
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment" or _filename(part):
        return True
    return part.get_content_type() not in _BODY_TYPES and part.get_content_maintype() != "message"


def _body_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1251"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def parse_message(raw: bytes, limits: LimitsSettings) -> ParsedMessage:
    """Everything the collector needs from one raw message."""
    msg = email.message_from_bytes(raw, policy=policy.default)
    parsed = ParsedMessage(
        sender=sender_address(msg),
        subject=_header(msg, "Subject"),
        message_id=_header(msg, "Message-ID"),
    )
    max_bytes = int(limits.max_attachment_mb * 1_000_000)
    for index, part in enumerate(msg.walk()):
        if _is_attachment(part):
            name = _filename(part)
            origin = f"attachment {name!r}" if name else f"attachment #{index}"
            _take_attachment(part, name, origin, max_bytes, limits, parsed)
        elif part.get_content_type() in _BODY_TYPES:
            parsed.links.extend(url.rstrip(".,;") for url in _URL_RE.findall(_body_text(part)))
    parsed.links = list(dict.fromkeys(parsed.links))
    return parsed


def _take_attachment(
    part: Message,
    name: str | None,
    origin: str,
    max_bytes: int,
    limits: LimitsSettings,
    parsed: ParsedMessage,
) -> None:
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:  # the email package's decoders are lenient; be safe anyway
        parsed.refusals.append(Refusal(origin, f"cannot decode: {exc}"))
        return
    if not isinstance(data, bytes) or not data:
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
