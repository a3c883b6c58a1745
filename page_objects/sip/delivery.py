"""«Изменить способ/адрес доставки»: how and where the regular invoices are delivered.

Steps (manual): account → the current method and address → «Изменить» → «Получает
сам» or «E-mail» → for E-mail: «Изменить текущий e-mail» (several addresses through
";" without spaces, at most 200 characters) or «Изменить формат счёта» (PDF, Excel,
Excel с разбивкой).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import Controls, arrive_at, as_configured, label_shown, tick_on, words
from page_objects.sip.common import AccountChoice, SipScreen, choose_option
from robots.errors import OrderRefused, ParseError

BY_EMAIL = "E-mail"
SELF_PICKUP = "Получает сам"
INVOICE_FORMATS = ("PDF", "Excel", "Excel с разбивкой")


@dataclass(frozen=True)
class Delivery:
    """The delivery as the cabinet shows it: «E-mail» or «Получает сам»."""

    method: str
    emails: tuple[str, ...]
    invoice_format: str | None  # "PDF", "Excel", "Excel с разбивкой"; None if not e-mailed


class DeliveryAccountStep(AccountChoice):
    """Step 1: «Выберите лицевой счет»."""

    heading: ClassVar[str] = "Изменение способа/адреса доставки"

    def choose(self, account: str) -> DeliverySummary:
        self.choose_account(account)
        self.press("Далее")
        summary = DeliverySummary.arrive(self.page)
        summary.table.wait_for()
        return summary


class DeliverySummary(SipScreen):
    """«Текущий способ доставки» and «Текущий адрес доставки», with «Изменить»."""

    heading: ClassVar[str] = "Изменение способа/адреса доставки"
    labels: ClassVar[tuple[str, ...]] = ("Изменить",)

    @property
    def table(self) -> Locator:
        return self.table_with("Текущий способ доставки", "Текущий адрес доставки")

    def controls(self) -> Controls:
        return {"table «Текущий способ доставки»": self.table} | self.form_controls(
            buttons=["Изменить"]
        )

    def delivery(self) -> Delivery:
        """Read the table by its column headers."""
        rows = self.table_rows(self.table)
        try:
            method_text = rows[0][0]["Текущий способ доставки"]
            address = rows[0][0]["Текущий адрес доставки"]
        except (IndexError, KeyError) as exc:
            raise ParseError(f"the SIP delivery table changed: no {exc}") from None
        if method_text.startswith(BY_EMAIL):
            fmt = method_text.split(":", 1)[1].strip() if ":" in method_text else None
            return Delivery(BY_EMAIL, split_addresses(address), fmt)
        return Delivery(SELF_PICKUP, (), None)

    def change(self) -> DeliveryMethodStep:
        self.press("Изменить")
        return DeliveryMethodStep.arrive(self.page)


class DeliveryMethodStep(SipScreen):
    """«Выберите способ доставки»: «Получает сам» or «E-mail»."""

    heading: ClassVar[str] = "Изменение способа/адреса доставки"
    labels: ClassVar[tuple[str, ...]] = (SELF_PICKUP, BY_EMAIL, "Далее")

    def controls(self) -> Controls:
        return self.form_controls(radios=[SELF_PICKUP, BY_EMAIL], buttons=["Далее"])

    def by_email(self) -> CurrentAddress:
        tick_on(self.page, BY_EMAIL).check()
        self.press("Далее")
        return CurrentAddress.arrive(self.page)

    def self_pickup(self) -> DeliverySummary:
        """«Получает сам»; the summary that shows it (read it back with ``delivery()``)."""
        tick_on(self.page, SELF_PICKUP).check()
        self.press("Далее")
        summary = DeliverySummary.arrive(self.page)
        summary.table.wait_for()
        return summary


class CurrentAddress(SipScreen):
    """«Текущий адрес»: the e-mail and the invoice format, each with its change button."""

    heading: ClassVar[str] = "Текущий адрес"
    labels: ClassVar[tuple[str, ...]] = (
        "Изменить текущий e-mail",
        "Изменить формат счёта",
        "Текущий e-mail:",
        "Формат счёта:",
    )

    def emails(self) -> tuple[str, ...]:
        return split_addresses(self._value("Текущий e-mail:"))

    def invoice_format(self) -> str:
        return self._value("Формат счёта:")

    def change_email(self) -> AddressForm:
        self.press("Изменить текущий e-mail")
        return AddressForm.arrive(self.page)

    def change_format(self) -> FormatForm:
        self.press("Изменить формат счёта")
        return FormatForm.arrive(self.page)

    def _value(self, caption: str) -> str:
        """What follows ``caption`` (or the cabinet's configured word for it)."""
        shown = label_shown(self.page, caption)
        # The caption and its colon: «Формат счёта изменен» is a message, not the caption.
        said = re.compile(words(shown, whole=False).pattern + r"\s*:", re.IGNORECASE)
        text = " ".join(self.page.get_by_text(said).first.inner_text().split())
        match = re.search(said.pattern + r"\s*(\S.*)$", text, re.IGNORECASE)
        if not match:
            named = as_configured(caption, shown)
            raise ParseError(f"the SIP cabinet shows no value after {named}: {text!r}")
        return match[1]


class AddressForm(SipScreen):
    """«Выберите адрес доставки»: the new address(es)."""

    heading: ClassVar[str] = "Выберите адрес доставки"
    labels: ClassVar[tuple[str, ...]] = ("Введите адрес e-mail для доставки счетов:", "Далее")

    def submit(self, emails: tuple[str, ...]) -> CurrentAddress:
        """Enter the addresses; OrderRefused with the cabinet's message if it rejects them."""
        self.field("Введите адрес e-mail для доставки счетов:").fill(";".join(emails))
        self.press("Далее")
        landed = arrive_at(self.page, CurrentAddress, AddressForm)
        if not isinstance(landed, CurrentAddress):  # the form again: the cabinet refused them
            raise OrderRefused(
                f"the SIP cabinet did not take the delivery address {';'.join(emails)}: "
                f"{landed.alert() or 'it showed the form again'}"
            )
        return landed


class FormatForm(SipScreen):
    """«Выберите формат счёта»: PDF, Excel, Excel с разбивкой."""

    heading: ClassVar[str] = "Выберите формат счёта"
    labels: ClassVar[tuple[str, ...]] = ("Формат счёта:", "Далее")

    def choose(self, invoice_format: str) -> CurrentAddress:
        choose_option(self, "Формат счёта:", invoice_format, "the invoice format")
        self.press("Далее")
        return CurrentAddress.arrive(self.page)


def split_addresses(text: str) -> tuple[str, ...]:
    return tuple(a for a in text.replace(" ", "").split(";") if "@" in a)
