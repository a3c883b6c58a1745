"""Subscriber numbers as people see them: the sandbox company's numbers at each operator."""

from __future__ import annotations

import pytest

from robots.domain import Operator
from robots.masking import mask_number, mask_numbers_in, shown, shown_rows
from sandbox.world import ACCOUNTS, accounts_of


@pytest.mark.parametrize(
    ("operator", "number", "masked"),
    [
        (Operator.MTS, "79161234567", "+7 916 ***-**-67"),
        (Operator.KCELL, "77012223344", "+7 701 ***-**-44"),
        (Operator.A1, "375291234567", "+375 29 ***-**-67"),
        (Operator.SIP, "375172345678", "+375 17 ***-**-78"),
    ],
)
def test_each_operators_number_shows_its_country_and_code_and_the_last_two_digits(
    operator: Operator, number: str, masked: str
) -> None:
    assert number in {n for a in accounts_of(operator) for n in a.numbers}
    assert mask_number(number) == masked
    assert mask_number("+" + number) == masked


def test_what_is_not_a_known_number_keeps_only_its_last_two_digits() -> None:
    assert mask_number("4951234567") == "********67"
    assert mask_number("8 (916) 123-45-67") == "* (***) ***-**-67"
    assert mask_number("12") == "**"


def test_every_number_in_a_text_is_masked_and_the_accounts_stay() -> None:
    text = (
        "mts-main 277012345678 call_details 2026-10: "
        "mts/277012345678/2026-10/call_details_277012345678_2026-10_79161234567.pdf; "
        "a1-main 1234567890123: +375291234568, kcell 1040123456 77012223345"
    )
    assert mask_numbers_in(text) == (
        "mts-main 277012345678 call_details 2026-10: "
        "mts/277012345678/2026-10/call_details_277012345678_2026-10_+7 916 ***-**-67.pdf; "
        "a1-main 1234567890123: +375 29 ***-**-68, kcell 1040123456 +7 701 ***-**-45"
    )


def test_no_account_of_the_sandbox_is_taken_for_a_number() -> None:
    for account in ACCOUNTS:
        assert mask_numbers_in(f"account {account.id}") == f"account {account.id}"
        for number in account.numbers:
            assert number not in mask_numbers_in(f"account {account.id}, number {number}")


def test_digits_inside_a_hash_or_a_longer_number_are_left_alone() -> None:
    for text in ("sha256 ab79161234567cd", "791612345678", "1791612345678", "UID 79161"):
        assert mask_numbers_in(text) == text


def test_mask_numbers_false_shows_them_whole() -> None:
    assert shown("to 79161234567", mask=False) == "to 79161234567"
    assert shown("to 79161234567") == "to +7 916 ***-**-67"
    rows = [{"detail": "to 375291234567", "orders": 2}]
    assert shown_rows(rows) == [{"detail": "to +375 29 ***-**-67", "orders": 2}]
    assert shown_rows(rows, mask=False) == rows
