"""The leaves of a MIME message (its non-multipart parts) with their decoded content.

The email package's parser reads a message line by line in Python: a 300 KB
attachment is 4,000 base64 lines, and parsing dominated collection time. Well-formed
operator mail (CRLF lines, declared boundaries, each multipart closed) is split here
with bytes searches and decoded with binascii instead; anything unusual (a missing
boundary, bare LF lines, an attached message/rfc822) returns None and the caller falls
back to the email package, which is lenient about broken mail.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser

_HEADERS = BytesHeaderParser()  # compat32: no header objects, much faster than policy.default
_MAX_DEPTH = 10  # multiparts inside multiparts; deeper is unusual: let the email package judge


@dataclass(frozen=True)
class Leaf:
    """A non-multipart part: its headers and its content with the transfer encoding undone."""

    headers: Message
    payload: bytes


def fast_leaves(raw: bytes) -> list[Leaf] | None:
    """Split a well-formed message into leaves; None when it needs the lenient parser."""
    leaves: list[Leaf] = []
    return leaves if _walk(raw, leaves, depth=0) else None


def _walk(entity: bytes, leaves: list[Leaf], depth: int) -> bool:
    head, separator, body = entity.partition(b"\r\n\r\n")
    if not separator or b"\n" in head.replace(b"\r\n", b""):
        return False  # bare LF line ends: not the canonical form IMAP servers return
    headers = _HEADERS.parsebytes(head + b"\r\n\r\n")
    maintype = headers.get_content_maintype()
    if maintype == "message":
        return False
    if maintype != "multipart":
        payload = _decode(body, str(headers.get("Content-Transfer-Encoding", "")).strip().lower())
        if payload is None:
            return False
        leaves.append(Leaf(headers, payload))
        return True
    boundary = headers.get_boundary()
    if not boundary or depth >= _MAX_DEPTH:
        return False
    parts = _split(body, boundary.encode("ascii", "replace"))
    return parts is not None and all(_walk(part, leaves, depth + 1) for part in parts)


def _split(body: bytes, boundary: bytes) -> list[bytes] | None:
    """The parts between ``--boundary`` lines; None unless the closing line is there."""
    delimiter = b"--" + boundary
    start = 0 if body.startswith(delimiter) else body.find(b"\r\n" + delimiter)
    if start < 0:
        return None
    parts: list[bytes] = []
    position = start + (0 if start == 0 else 2)
    while True:
        after = position + len(delimiter)
        if body[after : after + 2] == b"--":
            return parts  # the closing delimiter; the epilogue is ignored
        line_end = body.find(b"\r\n", after)
        if line_end < 0:
            return None
        following = body.find(b"\r\n" + delimiter, line_end)
        if following < 0:
            return None
        parts.append(body[line_end + 2 : following])
        position = following + 2


def _decode(body: bytes, encoding: str) -> bytes | None:
    try:
        if encoding == "base64":
            return binascii.a2b_base64(body)  # skips line breaks and stray characters
        if encoding == "quoted-printable":
            return binascii.a2b_qp(body)
    except binascii.Error:
        return None  # let the lenient parser decide what can be recovered
    if encoding in ("", "7bit", "8bit", "binary"):
        return body
    return None
