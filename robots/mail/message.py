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
from pathlib import Path

from config.models import LimitsSettings
from robots.delivery import StagedFile
from robots.mail.archive import expand, is_archive
from robots.mail.files import FoundFile, Refusal, megabytes
from robots.mail.mime import Leaf, fast_leaves, file_leaves

_URL_RE = re.compile(r"""https?://[^\s"'<>()]+""", re.IGNORECASE)
_BODY_TYPES = ("text/plain", "text/html")
_SKIPPED_MAINTYPES = ("image", "audio", "video")  # logos and signatures, not documents
_TOP_HEADERS = BytesHeaderParser(policy=policy.default)  # decodes Subject and From for people
_TOP_HEADER_BYTES = 64 * 1024


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
    for index, leaf in enumerate(leaves):
        if isinstance(leaf, tuple):
            part, exc = leaf
            name = _filename(part)
            parsed.refusals.append(Refusal(_origin(name, index), f"cannot decode: {exc}"))
        elif _is_attachment(leaf.headers):
            name = _filename(leaf.headers)
            _take_attachment(leaf.payload, name, _origin(name, index), max_bytes, limits, parsed)
        elif leaf.headers.get_content_type() in _BODY_TYPES:
            text = _text(leaf.headers, _in_memory(leaf.payload))
            parsed.links.extend(url.rstrip(".,;") for url in _URL_RE.findall(text))
        else:
            _discard(leaf.payload)
    parsed.links = list(dict.fromkeys(parsed.links))
    return parsed


def _in_memory(payload: bytes | StagedFile) -> bytes:
    """A staged part that is no attachment (a long body text) is read and removed."""
    if not isinstance(payload, StagedFile):
        return payload
    data = payload.path.read_bytes()
    _discard(payload)
    return data


def _discard(payload: bytes | StagedFile) -> None:
    if isinstance(payload, StagedFile):
        payload.path.unlink(missing_ok=True)


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
    found = FoundFile(name=name, data=data, origin=origin)
    if not found.size:
        refusal = Refusal(origin, "empty attachment")
    elif found.size > max_bytes:
        limit = limits.max_attachment_mb
        refusal = Refusal(origin, f"{megabytes(found.size)}, over the {limit:g} MB limit")
    elif is_archive(data.path if isinstance(data, StagedFile) else data):
        members, refusals = expand(found, limits)
        parsed.files.extend(members)
        parsed.refusals.extend(refusals)
        _discard(data)  # unpacked: the archive itself is not delivered
        return
    else:
        parsed.files.append(found)
        return
    parsed.refusals.append(refusal)
    _discard(data)
