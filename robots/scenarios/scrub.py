"""Placeholders for what a recorded scenario must not keep, the same everywhere.

A ``Scrubber`` learns the sensitive values of one recording (the secrets typed,
session cookies, CSRF and other tokens, e-mail addresses, phone numbers) and replaces
every occurrence, in every encoding a page or a request carries it in, by one
placeholder per value: the same value gives the same placeholder in the HAR, the trace
and the description, so the pages and the requests of a scenario still agree and the
scenario replays.

- secrets → ``SCRUBBED-SECRET-n``, cookies → ``SCRUBBED-COOKIE-n``, tokens →
  ``SCRUBBED-TOKEN-n``, e-mail addresses → ``scrubbed-n@example.invalid``: the replay
  takes a recorded value containing ``scrubbed`` as "anything";
- phone numbers keep their shape (a robot reads them as numbers): the operator's code
  stays, the subscriber's seven digits become a counter (``+7 916 123-45-67`` →
  ``+7 916 000-00-01``, and ``79161234567`` → ``79160000001`` wherever it appears).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

PLACEHOLDER_MARK = "scrubbed"  # in every non-numeric placeholder, any case

# Names of parameters, headers, JSON keys and attributes whose values are credentials.
TOKEN_NAME = re.compile(r"csrf|xsrf|token|nonce|session|sess_?id|\bsid\b|auth|secret|sign", re.I)
# A token is random-looking: long enough, one word of letters and digits; or long,
# whatever its letters (a random 32-character token has no digit once in 250).
_TOKEN_VALUE = re.compile(
    r"^(?:(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_\-+/=.:]{8,}|[A-Za-z0-9_\-+/=.:]{20,})$"
)
_EMAIL = re.compile(r"([A-Za-z0-9._+-]+)(@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
# Digits, possibly grouped as people write phone numbers (spaces, dashes, brackets).
_DIGIT_RUN = re.compile(r"\d(?:[ \u00a0()\-]{0,2}\d)*")
# Numbers with their country code: Russia and Kazakhstan (+7, or a trunk 8), Belarus (+375).
_COUNTRY_CODED = re.compile(r"^(?:[78]\d{10}|375\d{9})$")
_SUBSCRIBER_DIGITS = 7  # the part after the operator's code
_EMBEDDING_RUN = 15  # SIM (ICCID) and IMSI numbers embed the phone number: scrub inside them
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_ATTRIBUTE = re.compile(r"([A-Za-z_:][\w:.-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def national_number(digits: str) -> str | None:
    """The national significant number of a phone number (``79161234567`` →
    ``9161234567``, ``375291234567`` → ``291234567``); None if it is not one."""
    if _COUNTRY_CODED.match(digits):
        return digits[3:] if digits.startswith("375") else digits[1:]
    if 9 <= len(digits) <= 10:
        return digits
    return None


def is_token(value: str) -> bool:
    return bool(_TOKEN_VALUE.match(value))


def encodings(value: str) -> set[str]:
    """The forms a value takes in URLs, forms, JSON and HTML."""
    return {
        value,
        quote(value, safe=""),
        quote_plus(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value),
    }


class Scrubber:
    """The placeholders of one recording; ``text`` applies them (learning as it reads).

    Args:
        secrets: passwords and codes (the configured ones and those the robot typed).
        phones: numbers known to be subscribers' (the configuration's), any form.
        not_phones: digit strings that are never phone numbers (personal accounts).
        contacts: replace e-mail addresses and phone numbers too (a scenario, which leaves
            the company); a robot's own evidence keeps them, credentials only are replaced.
    """

    def __init__(
        self,
        secrets: Iterable[str],
        phones: Iterable[str] = (),
        not_phones: Iterable[str] = (),
        *,
        contacts: bool = True,
    ) -> None:
        self._contacts = contacts
        self._fixed: dict[str, str] = {}  # value → placeholder, replaced in every encoding
        self._counts: dict[str, int] = {}
        self._emails: dict[str, str] = {}
        self._phones: dict[str, str] = {}  # national number → its stand-in
        self._not_phones = set(not_phones)
        self._pattern: re.Pattern[str] | None = None  # every encoding of every fixed value
        self._forms: dict[str, str] = {}
        for secret in sorted(set(secrets), key=len, reverse=True):
            if secret:
                self._fixed.setdefault(secret, self._next("SCRUBBED-SECRET"))
        for phone in phones:
            self.learn_phone(phone)

    # -- learning ---------------------------------------------------------------------------

    def _next(self, kind: str) -> str:
        self._counts[kind] = self._counts.get(kind, 0) + 1
        return f"{kind}-{self._counts[kind]}"

    def learn_secret(self, value: str) -> None:
        """A password or code typed after the scrubber was made (an SMS code)."""
        if value and value not in self._fixed:
            self._fixed[value] = self._next("SCRUBBED-SECRET")
            self._pattern = None

    def learn_cookie(self, value: str) -> None:
        if is_token(value) and value not in self._fixed:
            self._fixed[value] = self._next("SCRUBBED-COOKIE")
            self._pattern = None

    def learn_token(self, value: str) -> None:
        if is_token(value) and value not in self._fixed:
            self._fixed[value] = self._next("SCRUBBED-TOKEN")
            self._pattern = None

    def learn_phone(self, number: str) -> None:
        digits = re.sub(r"\D", "", number)
        national = national_number(digits)
        if national is None or digits in self._not_phones or national in self._phones:
            return
        taken = set(self._phones) | set(self._phones.values())
        while True:
            count = self._counts.get("phone", 0) + 1
            self._counts["phone"] = count
            head = national[: len(national) - _SUBSCRIBER_DIGITS]
            stand_in = head + str(count).zfill(_SUBSCRIBER_DIGITS)
            if stand_in not in taken:
                self._phones[national] = stand_in
                return

    def learn_text(self, text: str) -> None:
        """The phone numbers written with their country code in ``text``."""
        for run in _DIGIT_RUN.findall(text):
            digits = re.sub(r"\D", "", run)
            if _COUNTRY_CODED.match(digits):
                self.learn_phone(digits)

    def learn_tokens_in_html(self, text: str) -> None:
        """Values of token-named attributes (``data-csrf-token``) and of hidden inputs or
        meta tags named like a token (``name="csrf_token" value="..."``)."""
        for tag in _TAG.findall(text):
            attributes = {m[1].lower(): m[2] or m[3] for m in _ATTRIBUTE.finditer(tag)}
            for name, value in attributes.items():
                if name not in ("name", "id", "class", "for") and TOKEN_NAME.search(name):
                    self.learn_token(value)
            if TOKEN_NAME.search(attributes.get("name", "") + " " + attributes.get("id", "")):
                self.learn_token(attributes.get("value") or attributes.get("content") or "")

    def learn_tokens_in_json(self, value: object) -> None:
        """String values of token-named keys, at any depth."""
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and TOKEN_NAME.search(str(key)):
                    self.learn_token(item)
                else:
                    self.learn_tokens_in_json(item)
        elif isinstance(value, list):
            for item in value:
                self.learn_tokens_in_json(item)

    # -- applying ---------------------------------------------------------------------------

    def text(self, text: str) -> str:
        """``text`` with every known (and newly seen) sensitive value replaced."""
        text = self._replace_fixed(text)
        if not self._contacts:
            return text
        text = _EMAIL.sub(self._email, text)
        self.learn_text(text)
        return _DIGIT_RUN.sub(self._phone_run, text)

    def _replace_fixed(self, text: str) -> str:
        if not self._fixed:
            return text
        if self._pattern is None:
            self._forms = {
                form: placeholder
                for value, placeholder in self._fixed.items()
                for form in encodings(value)
            }
            forms = sorted(self._forms, key=len, reverse=True)
            alternatives = "|".join(re.escape(form) for form in forms)
            # Whole values only: a short code must not eat the digits of an account.
            self._pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")
        return self._pattern.sub(lambda m: self._forms[m[0]], text)

    def _email(self, match: re.Match[str]) -> str:
        address = f"{match[1]}@{match[3]}".lower()
        if PLACEHOLDER_MARK in address:
            return match[0]
        if address not in self._emails:
            self._emails[address] = f"{PLACEHOLDER_MARK}-{len(self._emails) + 1}"
        return f"{self._emails[address]}{match[2]}example.invalid"

    def _phone_run(self, match: re.Match[str]) -> str:
        run = match[0]
        digits = re.sub(r"\D", "", run)
        for national, stand_in in self._phones.items():
            at = digits.find(national)
            if at < 0:
                continue
            prefix, rest = digits[:at], digits[at + len(national) :]
            embedded = len(digits) >= _EMBEDDING_RUN
            if not embedded and (rest or len(prefix) > 3):
                continue  # part of a longer number (an account): not this phone
            new_digits = prefix + stand_in + rest
            return _regroup(run, new_digits)
        return run


def _regroup(run: str, digits: str) -> str:
    """``digits`` written in ``run``'s grouping (its spaces, dashes and brackets)."""
    out, index = [], 0
    for char in run:
        if char.isdigit():
            out.append(digits[index])
            index += 1
        else:
            out.append(char)
    return "".join(out)
