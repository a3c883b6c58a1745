"""«Начисления за текущий период»: this month's charges per subscriber, by e-mail."""

from __future__ import annotations

from typing import ClassVar

from page_objects.sip.common import AccountChoice


class ChargesForm(AccountChoice):
    heading: ClassVar[str] = "Начисления за текущий период"

    def order(self, account: str) -> str:
        """Order the charges of ``account``; the cabinet's confirmation."""
        self.choose_account(account)
        self.press("Далее")
        return self.settle_order()
