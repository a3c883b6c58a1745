"""The leaves of a MIME message (its non-multipart parts) with their decoded content.

The email package's parser reads a message line by line in Python: a 300 KB
attachment is 4,000 base64 lines, and parsing dominated collection time. Well-formed
operator mail (CRLF lines, declared boundaries, each multipart closed) is split here
by searching for the boundaries and decoded with binascii instead; anything unusual (a
missing boundary, bare LF lines, an attached message/rfc822) returns None and the
caller falls back to the email package, which is lenient about broken mail.

A message in memory is split by positions, without copying its parts. A message too
large to hold is split the same way in its spool file, and each large part is decoded
piece by piece into a staged file: memory stays flat whatever the size.
"""

from __future__ import annotations

import binascii
import os
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import BinaryIO, Protocol

from robots.delivery import StagedFile, StagingWriter

_HEADERS = BytesHeaderParser()  # compat32: no header objects, much faster than policy.default
_MAX_DEPTH = 10  # multiparts inside multiparts; deeper is unusual: let the email package judge
_MAX_HEADER_BYTES = 64 * 1024  # a part's header block; longer is unusual, likewise
_CHUNK = 1 << 20
_INLINE_PART = 1 << 20  # in a spool file, parts up to this are decoded in memory
_WHITESPACE = b" \t\r\n"


@dataclass(frozen=True)
class Leaf:
    """A non-multipart part: its headers and its content with the transfer encoding undone.

    ``payload`` is the content, or the staged file a large part of a spooled message
    was decoded into.
    """

    headers: Message
    payload: bytes | StagedFile


class _Source(Protocol):
    def find(self, needle: bytes, start: int, end: int) -> int: ...

    def read(self, start: int, end: int) -> bytes | memoryview: ...


class _NotCanonical(Exception):
    """The message needs the lenient parser."""


def fast_leaves(raw: bytes) -> list[Leaf] | None:
    """Split a well-formed message into leaves; None when it needs the lenient parser."""
    walker = _Walker(_BytesSource(raw), lambda start, end, encoding: None)
    return walker.leaves(len(raw))


def file_leaves(path: Path, staging: Path) -> list[Leaf] | None:
    """The leaves of a spooled message, its large parts decoded into staged files.

    Returns None (having removed what it staged) when the message needs the lenient
    parser, which then has to read it whole.
    """
    with path.open("rb") as file:
        source = _FileSource(file)

        def stream(start: int, end: int, encoding: str) -> StagedFile | None:
            if end - start <= _INLINE_PART:
                return None
            return _decode_into(file, start, end, encoding, staging)

        walker = _Walker(source, stream)
        try:
            return walker.leaves(os.fstat(file.fileno()).st_size)
        finally:
            if walker.failed:
                for leaf in walker.found:
                    if isinstance(leaf.payload, StagedFile):
                        leaf.payload.path.unlink(missing_ok=True)


class _BytesSource:
    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._view = memoryview(raw)

    def find(self, needle: bytes, start: int, end: int) -> int:
        return self._raw.find(needle, start, end)

    def read(self, start: int, end: int) -> memoryview:
        return self._view[start:end]


class _FileSource:
    def __init__(self, file: BinaryIO) -> None:
        self._file = file

    def find(self, needle: bytes, start: int, end: int) -> int:
        overlap = len(needle) - 1
        position = start
        while position < end:
            chunk = self.read(position, min(end, position + _CHUNK))
            found = chunk.find(needle)
            if found >= 0:
                return position + found
            if position + len(chunk) >= end or len(chunk) <= overlap:
                return -1
            position += len(chunk) - overlap
        return -1

    def read(self, start: int, end: int) -> bytes:
        self._file.seek(start)
        return self._file.read(max(0, end - start))


# (start, end, transfer encoding) of a part's body -> its staged content, or None to
# decode it in memory
_Streamer = Callable[[int, int, str], StagedFile | None]


class _Walker:
    def __init__(self, source: _Source, stream: _Streamer) -> None:
        self._source = source
        self._stream = stream
        self.found: list[Leaf] = []
        self.failed = False

    def leaves(self, size: int) -> list[Leaf] | None:
        self.failed = True
        if not self._walk(0, size, depth=0):
            return None
        self.failed = False
        return self.found

    def _walk(self, start: int, end: int, depth: int) -> bool:
        source = self._source
        head_end = source.find(b"\r\n\r\n", start, min(end, start + _MAX_HEADER_BYTES))
        if head_end < 0:
            return False
        head = bytes(source.read(start, head_end))
        if b"\n" in head.replace(b"\r\n", b""):
            return False  # bare LF line ends: not the canonical form IMAP servers return
        headers = _HEADERS.parsebytes(head + b"\r\n\r\n")
        body = head_end + 4
        maintype = headers.get_content_maintype()
        if maintype == "message":
            return False
        if maintype != "multipart":
            encoding = str(headers.get("Content-Transfer-Encoding", "")).strip().lower()
            payload = self._payload(body, end, encoding)
            if payload is None:
                return False
            self.found.append(Leaf(headers, payload))
            return True
        boundary = headers.get_boundary()
        if not boundary or depth >= _MAX_DEPTH:
            return False
        parts = self._split(body, end, boundary.encode("ascii", "replace"))
        return parts is not None and all(self._walk(a, b, depth + 1) for a, b in parts)

    def _payload(self, start: int, end: int, encoding: str) -> bytes | StagedFile | None:
        try:
            staged = self._stream(start, end, encoding)
        except _NotCanonical:
            return None
        if staged is not None:
            return staged
        return _decode(self._source.read(start, end), encoding)

    def _split(self, start: int, end: int, boundary: bytes) -> list[tuple[int, int]] | None:
        """The parts between ``--boundary`` lines; None unless the closing line is there."""
        source = self._source
        delimiter = b"--" + boundary
        if source.read(start, min(end, start + len(delimiter))) == delimiter:
            position = start
        else:
            position = source.find(b"\r\n" + delimiter, start, end)
            if position < 0:
                return None
            position += 2
        parts: list[tuple[int, int]] = []
        while True:
            after = position + len(delimiter)
            if source.read(after, min(end, after + 2)) == b"--":
                return parts  # the closing delimiter; the epilogue is ignored
            line_end = source.find(b"\r\n", after, end)
            if line_end < 0:
                return None
            following = source.find(b"\r\n" + delimiter, line_end, end)
            if following < 0:
                return None
            parts.append((line_end + 2, following))
            position = following + 2


def _decode(body: bytes | memoryview, encoding: str) -> bytes | None:
    try:
        if encoding == "base64":
            return binascii.a2b_base64(body)  # skips line breaks and stray characters
        if encoding == "quoted-printable":
            return binascii.a2b_qp(body)
    except binascii.Error:
        return None  # let the lenient parser decide what can be recovered
    if encoding in ("", "7bit", "8bit", "binary"):
        return bytes(body)
    return None


def _decode_into(file: BinaryIO, start: int, end: int, encoding: str, staging: Path) -> StagedFile:
    """Decode a part of ``file`` piece by piece into a staged file.

    Each piece decodes as the whole would: base64 in groups of four characters (a
    stray character or padding before the end shows as missing output, and the
    message is left to the lenient parser), quoted-printable up to a line end.
    """
    if encoding not in ("base64", "quoted-printable", "", "7bit", "8bit", "binary"):
        raise _NotCanonical
    with StagingWriter(staging) as out:
        carry = b""
        file.seek(start)
        position = start
        while position < end:
            chunk = file.read(min(_CHUNK, end - position))
            if not chunk:
                raise _NotCanonical  # the spool file is shorter than it was
            position += len(chunk)
            last = position >= end
            if encoding == "base64":
                data = carry + chunk.translate(None, _WHITESPACE)
                cut = len(data) if last else len(data) - len(data) % 4
                decoded = _checked(binascii.a2b_base64, data[:cut])
                if not last and len(decoded) != cut // 4 * 3:
                    raise _NotCanonical
                out.write(decoded)
            elif encoding == "quoted-printable":
                data = carry + chunk
                line_end = data.rfind(b"\r\n")
                cut = len(data) if last else (line_end + 2 if line_end >= 0 else 0)
                out.write(_checked(binascii.a2b_qp, data[:cut]))
            else:
                data, cut = chunk, len(chunk)
                out.write(chunk)
            carry = data[cut:]
        return out.close()


def _checked(decode: Callable[[bytes], bytes], data: bytes) -> bytes:
    try:
        return decode(data)
    except binascii.Error:
        raise _NotCanonical from None
