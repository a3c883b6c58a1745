"""Subscriber numbers as people see them: ``+7 916 ***-**-67`` unless ``[privacy]
mask_numbers = false``.

Only what is shown to people is masked (log lines, the Prefect artifacts, the matrix, the
report for accounting, the commands' tables). What Tarifer receives (the delivered files,
their paths, ``manifest.jsonl``), the ledger and the commands' ``--json`` are never
masked: programs read them and need every digit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

# A subscriber number in text, as the robot stores it (digits, an optional «+»):
# Russia and Kazakhstan «7» and 10 digits, Belarus «375» and 9 digits, neither a letter
# nor a digit on either side (so a run of digits inside a hash or a longer number is
# not one; «_» and «/» are separators, as in the inbox's file names). The personal
# accounts of these operators are not numbers of this form and stay as they are: 8 to
# 10 digits (SIP, Kcell), 13 (A1), 12 beginning with 2 (MTS); periods, times, UIDs and
# sizes are shorter or begin otherwise.
NUMBER_IN_TEXT = re.compile(r"(?<![^\W_])\+?(?:7\d{10}|375\d{9})(?![^\W_])")

_KNOWN = (
    # (country code, digits of the operator's or area code after it), longest code first
    ("375", 2),
    ("7", 3),
)
_SHOWN_AT_END = 2  # the last digits left visible


def mask_number(number: str) -> str:
    """``79161234567`` → ``+7 916 ***-**-67``; ``375291234567`` → ``+375 29 ***-**-67``.

    What is not a number of a known country (another length, another prefix) is masked
    all the same, every digit but the last two hidden and the rest kept: ``12345`` →
    ``***45``.
    """
    digits = re.sub(r"\D", "", number)
    for country, code_digits in _KNOWN:
        if digits.startswith(country) and len(digits) == len(country) + code_digits + 7:
            code = digits[len(country) : len(country) + code_digits]
            return f"+{country} {code} ***-**-{digits[-_SHOWN_AT_END:]}"
    return _hide_digits(number)


def _hide_digits(text: str) -> str:
    positions = [i for i, char in enumerate(text) if char.isdigit()]
    hidden = set(positions[:-_SHOWN_AT_END] if len(positions) > _SHOWN_AT_END else positions)
    return "".join("*" if i in hidden else char for i, char in enumerate(text))


def mask_numbers_in(text: str) -> str:
    """``text`` with every subscriber number in it (``NUMBER_IN_TEXT``) masked."""
    return NUMBER_IN_TEXT.sub(lambda found: mask_number(found.group()), text)


def shown(text: str, mask: bool = True) -> str:
    """``text`` as people see it: numbers masked when ``mask`` (``[privacy] mask_numbers``)."""
    return mask_numbers_in(text) if mask else text


def shown_rows(rows: Sequence[Mapping[str, object]], mask: bool = True) -> list[dict[str, object]]:
    """Table rows (a Prefect table artifact's) with the numbers in their text masked."""
    return [
        {key: shown(value, mask) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    ]
