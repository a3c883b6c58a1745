"""«Счета»: the section with every invoice service of the cabinet."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from page_objects.base import Controls
from page_objects.sip.common import SipScreen

if TYPE_CHECKING:
    from page_objects.sip.charges import ChargesForm
    from page_objects.sip.delivery import DeliveryAccountStep
    from page_objects.sip.details import DetailsPeriodStep
    from page_objects.sip.invoice_email import InvoiceEmailAccountStep
    from page_objects.sip.invoice_link import InvoiceLinkForm


class BillsSection(SipScreen):
    """«Счета» and its sub-sections in the left menu."""

    heading: ClassVar[str] = "Счета"
    labels: ClassVar[tuple[str, ...]] = (
        "Заказать счет на E-mail",
        "Загрузить счет по ссылке",
        "Изменить способ/адрес доставки",
        "Детализация на E-mail",
        "Начисления за текущий период",
    )

    def controls(self) -> Controls:
        return {f"link «{name}»": self.menu_link(name) for name in self.labels}

    def order_invoice_by_email(self) -> InvoiceEmailAccountStep:
        from page_objects.sip.invoice_email import InvoiceEmailAccountStep

        self.menu_link("Заказать счет на E-mail").click()
        return InvoiceEmailAccountStep.arrive(self.page)

    def download_invoice_by_link(self) -> InvoiceLinkForm:
        from page_objects.sip.invoice_link import InvoiceLinkForm

        self.menu_link("Загрузить счет по ссылке").click()
        return InvoiceLinkForm.arrive(self.page)

    def change_delivery(self) -> DeliveryAccountStep:
        from page_objects.sip.delivery import DeliveryAccountStep

        self.menu_link("Изменить способ/адрес доставки").click()
        return DeliveryAccountStep.arrive(self.page)

    def order_call_details(self) -> DetailsPeriodStep:
        from page_objects.sip.details import DetailsPeriodStep

        self.menu_link("Детализация на E-mail").click()
        return DetailsPeriodStep.arrive(self.page)

    def order_charges(self) -> ChargesForm:
        from page_objects.sip.charges import ChargesForm

        self.menu_link("Начисления за текущий период").click()
        return ChargesForm.arrive(self.page)
