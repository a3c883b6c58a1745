"""«Заказать счет на E-mail»: a regular invoice sent again to the address on file.

Steps (manual): choose the personal account → Далее → choose the period → Далее. Not
offered from the 1st to the 3rd of a month, when the invoices are being formed.
"""

from __future__ import annotations

from typing import ClassVar

from page_objects.base import Controls, arrive_at
from page_objects.sip.common import AccountChoice, SipScreen, choose_month, periods_in
from robots.domain import Period
from robots.errors import OrderRefused

PERIOD_LABEL = "Выберите период счета"


class InvoiceEmailAccountStep(AccountChoice):
    """Step 1: «Выберите лицевой счет»."""

    heading: ClassVar[str] = "Заказать счет на E-mail"

    def choose(self, account: str) -> InvoiceEmailPeriodStep:
        """Choose the account; OrderRefused if the service is closed today or the account
        gets no invoice by e-mail (the cabinet shows this step again)."""
        self.choose_account(account)
        self.press("Далее")
        step = arrive_at(self.page, InvoiceEmailPeriodStep, InvoiceEmailAccountStep)
        if not isinstance(step, InvoiceEmailPeriodStep):  # this step again
            raise OrderRefused(
                f"the SIP cabinet did not take account {account}: "
                f"{step.alert() or 'it showed the account step again'}"
            )
        return step


class InvoiceEmailPeriodStep(SipScreen):
    """Step 2: «Выберите период счета»."""

    heading: ClassVar[str] = "Заказ счета на E-mail"
    labels: ClassVar[tuple[str, ...]] = (PERIOD_LABEL, "Далее")

    def controls(self) -> Controls:
        return self.form_controls(fields=[PERIOD_LABEL], buttons=["Далее"])

    def periods(self) -> list[Period]:
        return periods_in(self, PERIOD_LABEL)

    def order(self, period: Period) -> str:
        """Order the invoice for ``period``; the cabinet's confirmation."""
        choose_month(self, PERIOD_LABEL, period, "the period")
        self.press("Далее")
        return self.settle_order()
