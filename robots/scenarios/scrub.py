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
  ``+7 916 000-00-01``, and ``79161234567`` → ``79160000001`` wherever it appears);
- subscribers' names keep their number of words: ``Иванов Иван Иванович`` →
  ``Фамилия1 Имя1 Отчество1``. A name is what a cabinet lists under a name column
  (``ФИО``, ``Имя``, ``Владелец``...) of a table, or under a name key (``name``, ``fio``)
  of a JSON object that also holds a phone number (a subscriber's row), and any Russian
  full name with a patronymic, wherever it stands.

These are pseudonyms, stable within one recording (a counter in the order values are
first seen), not a keyed hash: a recording is never joined with another, and a counter
gives nothing to guess back from. The replay needs no key either: the scenario keeps the
pseudonymised login, and a configured number the robot matches against (the accounts'
``numbers``) is never in a replay's configuration, which is built from the scenario
alone: the robot meets the pseudonyms only on the recorded pages and sends them back.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Callable, Iterable
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
_SHOWN_AT_END = 2  # masked, the last digits stay (as ``robots.masking`` shows them)
_EMBEDDING_RUN = 15  # SIM (ICCID) and IMSI numbers embed the phone number: scrub inside them
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
# A column header or JSON key under which a cabinet lists a subscriber's name.
_NAME_HEADER = re.compile(
    r"^(?:ФИО|Ф\.\s?И\.\s?О\.?|ФИО абонента|Имя|Имя абонента|Владелец|Пользователь|"
    r"Name|Full name|Holder)$",
    re.I,
)
_NAME_KEY = re.compile(r"^(?:name|fio|full_?name|holder(?:_?name)?|owner|subscriber_?name)$", re.I)
# What a name looks like: two to four words, the first of letters (``Абонент 1`` too).
_NAME_VALUE = re.compile(r"^[^\W\d_][^\W\d_'.-]*(?:[ \u00a0]+[^\W_][^\W_'.-]*\.?){1,3}$")
# A Russian full name anywhere: surname, first name and a patronymic.
_FULL_NAME = re.compile(
    r"(?<![^\W\d_])[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? [А-ЯЁ][а-яё]+ "
    r"[А-ЯЁ][а-яё]+(?:ович|евич|ич|овна|евна|ична|инична)(?![^\W\d_])"
)
_NAME_WORDS = ("Фамилия", "Имя", "Отчество", "Имя")
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
_CELL = re.compile(r"<t([dh])\b[^>]*>(.*?)</t[dh]>", re.S | re.I)
_TABLE = re.compile(r"<table\b.*?</table>|<tbody\b.*?</tbody>", re.S | re.I)
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


_ENCODERS: tuple[Callable[[str], str], ...] = (
    lambda value: value,
    lambda value: quote(value, safe=""),
    quote_plus,
    lambda value: json.dumps(value)[1:-1],
    lambda value: json.dumps(value, ensure_ascii=False)[1:-1],
    html.escape,
)


def encodings(value: str) -> set[str]:
    """The forms a value takes in URLs, forms, JSON and HTML."""
    return {encode(value) for encode in _ENCODERS}


class Scrubber:
    """The placeholders of one recording; ``text`` applies them (learning as it reads).

    Args:
        secrets: passwords and codes (the configured ones and those the robot typed).
        phones: numbers known to be subscribers' (the configuration's), any form.
        not_phones: digit strings that are never phone numbers (personal accounts).
        contacts: replace e-mail addresses, phone numbers and subscribers' names too, by
            pseudonyms (a scenario, which leaves the company); a robot's own evidence keeps
            them, credentials only are replaced, unless ``mask_people``.
        mask_people: (without ``contacts``) show phone numbers and subscribers' names
            masked as people see them (``+7 916 ***-**-67``, ``И*** И*** И***``); e-mail
            addresses stay (evidence with ``[privacy] mask_numbers``).
    """

    def __init__(
        self,
        secrets: Iterable[str],
        phones: Iterable[str] = (),
        not_phones: Iterable[str] = (),
        *,
        contacts: bool = True,
        mask_people: bool = False,
    ) -> None:
        self._contacts = contacts
        self._masked = mask_people and not contacts
        self._people = contacts or mask_people  # numbers and names replaced
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

    def learn_name(self, name: str) -> None:
        """A subscriber's name: replaced, in every encoding, by a pseudonym of as many
        words (``Фамилия1 Имя1 Отчество1``)."""
        name = " ".join(name.split())
        if (
            not self._people
            or not _NAME_VALUE.match(name)
            or name in self._fixed
            or PLACEHOLDER_MARK in name.lower()
        ):
            return
        if name in self._fixed.values():
            return  # a pseudonym already
        count = self._counts.get("name", 0) + 1
        self._counts["name"] = count
        words = name.split()
        if self._masked:
            self._fixed[name] = " ".join(f"{word[0]}***" for word in words)
        else:
            self._fixed[name] = " ".join(f"{w}{count}" for w in _NAME_WORDS[: len(words)])
        self._pattern = None

    def learn_text(self, text: str) -> None:
        """The phone numbers written with their country code in ``text``, and the full
        names with a patronymic."""
        for run in _DIGIT_RUN.findall(text):
            digits = re.sub(r"\D", "", run)
            if _COUNTRY_CODED.match(digits):
                self.learn_phone(digits)
        for name in _FULL_NAME.findall(text):
            self.learn_name(name)

    def learn_names(self, text: str) -> None:
        """The subscribers' names a page (HTML) or an answer (JSON) lists."""
        if not self._people:
            return
        self.learn_names_in_html(text)
        with contextlib.suppress(ValueError):  # not JSON
            self.learn_names_in_json(json.loads(text))

    def learn_names_in_html(self, text: str) -> None:
        """The cells of a table's name column (found by its header: ``ФИО``, ``Имя``)."""
        for table in _TABLE.findall(text):
            column: int | None = None
            for row in _ROW.findall(table):
                cells = [_cell_text(cell) for _, cell in _CELL.findall(row)]
                if column is None:
                    column = next((i for i, c in enumerate(cells) if _NAME_HEADER.match(c)), None)
                elif column < len(cells):
                    self.learn_name(cells[column])

    def learn_names_in_json(self, value: object) -> None:
        """Values of name keys in objects that also hold a phone number (a subscriber)."""
        if isinstance(value, dict):
            texts = [str(item) for item in value.values() if isinstance(item, str | int)]
            if any(self._is_phone(text) for text in texts):
                for key, item in value.items():
                    if isinstance(item, str) and _NAME_KEY.match(str(key)):
                        self.learn_name(item)
            for item in value.values():
                self.learn_names_in_json(item)
        elif isinstance(value, list):
            for item in value:
                self.learn_names_in_json(item)

    def _is_phone(self, text: str) -> bool:
        digits = re.sub(r"\D", "", text)
        national = national_number(digits)
        if national is None or digits in self._not_phones:
            return False
        return bool(_COUNTRY_CODED.match(digits)) or national in self._phones

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
        if self._people:
            for name in _FULL_NAME.findall(text):
                self.learn_name(name)
        text = self._replace_fixed(text)
        if not self._people:
            return text
        if self._contacts:
            text = _EMAIL.sub(self._email, text)
        self.learn_text(text)
        return _DIGIT_RUN.sub(self._phone_run, text)

    def _replace_fixed(self, text: str) -> str:
        if not self._fixed:
            return text
        if self._pattern is None:
            # Each form by the placeholder in the same form: a name's pseudonym in a URL
            # is URL-encoded as the name was.
            self._forms = {
                encode(value): encode(placeholder)
                for value, placeholder in self._fixed.items()
                for encode in reversed(_ENCODERS)  # the plain form wins a tie
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
            if self._masked:
                hidden = _SUBSCRIBER_DIGITS - _SHOWN_AT_END
                head = len(national) - _SUBSCRIBER_DIGITS
                stand_in = national[:head] + "*" * hidden + national[-_SHOWN_AT_END:]
            return _regroup(run, prefix + stand_in + rest)
        return run


def _cell_text(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", cell)).split())


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
