"""«Загрузить счет по ссылке»: the invoice of one of the two previous months as a file.

The cabinet forms the file asynchronously («Формирование счета занимает определенное
время, поэтому дождитесь окончания процесса») and then offers a link to it.
"""

from __future__ import annotations

from typing import ClassVar

from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from page_objects.base import Controls, Fetched, arrive_at, file_from, tick_on
from page_objects.sip.common import (
    ACCOUNT_LABEL,
    AccountChoice,
    SipScreen,
    choose_month,
    periods_in,
)
from robots.domain import DocumentFormat, Period
from robots.errors import DocumentNotReady, OrderRefused

MONTH_LABEL = "Выберите месяц, за который желаете получить счет:"
FORMAT_LABELS = {DocumentFormat.PDF: "PDF", DocumentFormat.XLS: "XLS"}


class InvoiceLinkForm(AccountChoice):
    """The form: account, month, file format."""

    heading: ClassVar[str] = "Загрузить счет по ссылке"
    labels: ClassVar[tuple[str, ...]] = (
        ACCOUNT_LABEL,
        MONTH_LABEL,
        *FORMAT_LABELS.values(),
        "Далее",
    )

    def controls(self) -> Controls:
        formats = list(FORMAT_LABELS.values())
        fields = [ACCOUNT_LABEL, MONTH_LABEL]
        return self.form_controls(fields=fields, radios=formats, buttons=["Далее"])

    def periods(self) -> list[Period]:
        self.refuse_if_alerted()
        return periods_in(self, MONTH_LABEL)

    def request(self, account: str, period: Period, fmt: DocumentFormat) -> InvoiceLinkJob:
        """Ask the cabinet to form the invoice file."""
        if fmt not in FORMAT_LABELS:
            raise OrderRefused(f"the SIP cabinet offers invoices as PDF or XLS, not {fmt}")
        self.choose_account(account)
        choose_month(self, MONTH_LABEL, period, "the month")
        tick_on(self.page, FORMAT_LABELS[fmt]).check()
        self.press("Далее")
        # The job's page and a refused form have the same title: the notice tells them apart.
        job = arrive_at(self.page, InvoiceLinkJob)
        job.forming_notice().or_(job.refusal()).first.wait_for()
        job.refuse_if_alerted()
        return job


class InvoiceLinkJob(SipScreen):
    """The invoice being formed, then the link «Скачать счет»."""

    heading: ClassVar[str] = "Загрузить счет по ссылке"
    labels: ClassVar[tuple[str, ...]] = ("Скачать счет",)

    def forming_notice(self) -> Locator:
        return self.page.get_by_text("Формирование счета занимает определенное время")

    def wait_until_ready(self, timeout_s: float) -> None:
        """Wait for the link; DocumentNotReady if the cabinet takes longer than ``timeout_s``."""
        try:
            self.download_link.wait_for(timeout=timeout_s * 1000)
        except PlaywrightTimeout:
            raise DocumentNotReady(
                f"the SIP cabinet was still forming the invoice after {timeout_s:g} s"
            ) from None

    @property
    def download_link(self) -> Locator:
        return self.button("Скачать счет")

    def download(self) -> Fetched:
        return file_from(self.page, self.download_link.click)
