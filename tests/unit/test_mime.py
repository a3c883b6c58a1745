"""The fast MIME path gives exactly what the email package gives, or steps aside; so does
its reading of a spooled message piece by piece."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from config.models import LimitsSettings
from robots.delivery import StagedFile
from robots.domain import Period
from robots.mail import message as message_module
from robots.mail import mime as mime_module
from robots.mail.message import parse_message, parse_spooled
from robots.mail.mime import Leaf, fast_leaves, file_leaves
from sandbox.mails import bad_messages
from sandbox.mailset import month_of_mail

LETTERS = month_of_mail(Period.parse("2026-10"), "robot@example.com")


def crlf(letter_index: int) -> bytes:
    # IMAP servers hand messages out with CRLF line ends, as SMTP carries them.
    return LETTERS[letter_index].message.as_bytes(policy=policy.SMTP)


@pytest.mark.parametrize("index", range(len(LETTERS)), ids=[x.description for x in LETTERS])
def test_fast_leaves_match_the_email_package(index: int) -> None:
    raw = crlf(index)
    leaves = fast_leaves(raw)
    assert leaves is not None
    slow = [
        part.get_payload(decode=True)
        for part in email.message_from_bytes(raw, policy=policy.default).walk()
        if not part.is_multipart()
    ]
    assert [leaf.payload for leaf in leaves] == slow


@pytest.mark.parametrize("index", range(len(LETTERS)), ids=[x.description for x in LETTERS])
def test_parse_message_is_the_same_either_way(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = crlf(index)
    fast = parse_message(raw, LimitsSettings())
    monkeypatch.setattr(message_module, "fast_leaves", lambda raw: None)
    lenient = parse_message(raw, LimitsSettings())
    assert fast == lenient


def test_broken_structure_takes_the_lenient_path() -> None:
    corpus = bad_messages("robot@example.com", oversized_mb=None)
    assert fast_leaves(corpus["broken_boundary"]) is None
    assert fast_leaves(corpus["missing_closing_boundary"]) is None
    assert fast_leaves(LETTERS[0].message.as_bytes()) is None  # bare LF line ends


# --- a spooled message too large to hold, read from its file --------------------------


def _payloads(leaves: list[Leaf]) -> list[bytes]:
    return [
        leaf.payload.path.read_bytes() if isinstance(leaf.payload, StagedFile) else leaf.payload
        for leaf in leaves
    ]


def _spooled(tmp_path: Path, raw: bytes) -> tuple[Path, Path]:
    path, staging = tmp_path / "message.eml", tmp_path / "staging"
    path.write_bytes(raw)
    staging.mkdir(exist_ok=True)
    return path, staging


def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every part streamed, in pieces small enough to split boundaries and base64 groups.
    monkeypatch.setattr(mime_module, "_INLINE_PART", 0)
    monkeypatch.setattr(mime_module, "_CHUNK", 97)


@pytest.mark.parametrize("index", range(len(LETTERS)), ids=[x.description for x in LETTERS])
def test_file_leaves_match_the_leaves_in_memory(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_pieces(monkeypatch)
    raw = crlf(index)
    path, staging = _spooled(tmp_path, raw)
    leaves = file_leaves(path, staging)
    expected = fast_leaves(raw)
    assert leaves is not None and expected is not None
    assert _payloads(leaves) == [leaf.payload for leaf in expected]
    assert [dict(leaf.headers) for leaf in leaves] == [dict(leaf.headers) for leaf in expected]


@pytest.mark.parametrize("case", sorted(bad_messages("robot@example.com", oversized_mb=None)))
def test_file_leaves_step_aside_where_the_fast_path_does(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_pieces(monkeypatch)
    raw = bad_messages("robot@example.com", oversized_mb=None)[case]
    path, staging = _spooled(tmp_path, raw)
    leaves = file_leaves(path, staging)
    expected = fast_leaves(raw)
    if expected is None:
        assert leaves is None
        assert list(staging.iterdir()) == []  # what it staged is removed again
    else:
        assert leaves is not None
        assert _payloads(leaves) == [leaf.payload for leaf in expected]


def test_base64_with_stray_characters_is_left_to_the_lenient_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_pieces(monkeypatch)
    raw = crlf(0)
    body_start = raw.index(b"base64\r\n\r\n") + 10
    broken = raw[:body_start] + b"*" + raw[body_start:]
    path, staging = _spooled(tmp_path, broken)
    assert file_leaves(path, staging) is None
    assert list(staging.iterdir()) == []


def test_a_spooled_message_parses_as_it_does_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_pieces(monkeypatch)
    for letter in LETTERS:
        raw = letter.message.as_bytes(policy=policy.SMTP)
        path, staging = _spooled(tmp_path, raw)
        spooled = parse_spooled(path, LimitsSettings(), staging)
        in_memory = parse_message(raw, LimitsSettings())
        assert [(f.name, f.origin, f.read()) for f in spooled.files] == [
            (f.name, f.origin, f.read()) for f in in_memory.files
        ]
        assert (spooled.sender, spooled.subject, spooled.message_id, spooled.links) == (
            in_memory.sender,
            in_memory.subject,
            in_memory.message_id,
            in_memory.links,
        )
        assert spooled.refusals == in_memory.refusals
        staged = {f.data.path for f in spooled.files if isinstance(f.data, StagedFile)}
        assert set(staging.iterdir()) == staged  # bodies and archives read are not left
        for file in staged:
            file.unlink()
