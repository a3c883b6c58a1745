"""The fast MIME path gives exactly what the email package gives, or steps aside."""

from __future__ import annotations

import email
from email import policy

import pytest

from config.models import LimitsSettings
from robots.domain import Period
from robots.mail import message as message_module
from robots.mail.message import parse_message
from robots.mail.mime import fast_leaves
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
