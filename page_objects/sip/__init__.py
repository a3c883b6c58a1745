"""The SIP cabinet (an ISSA-style administrator's cabinet), screen by screen.

Labels, headings and messages are the manuals' (``sip-cabinet-invoices.md``,
``sip-cabinet-call-details.md``). Entry points: ``LoginPage.open(page, url)`` gives
the login page or, with a live session, the main menu.
"""

from page_objects.sip.bills import BillsSection
from page_objects.sip.charges import ChargesForm
from page_objects.sip.common import AccountChoice, SipScreen
from page_objects.sip.delivery import (
    AddressForm,
    CurrentAddress,
    DeliveryAccountStep,
    DeliveryMethodStep,
    DeliverySummary,
    FormatForm,
)
from page_objects.sip.details import DetailsPeriodStep, DetailsSubscribersStep, SubscriberRow
from page_objects.sip.invoice_email import InvoiceEmailAccountStep, InvoiceEmailPeriodStep
from page_objects.sip.invoice_link import InvoiceLinkForm, InvoiceLinkJob
from page_objects.sip.login import LoginPage, MainMenu

__all__ = [
    "AccountChoice",
    "AddressForm",
    "BillsSection",
    "ChargesForm",
    "CurrentAddress",
    "DeliveryAccountStep",
    "DeliveryMethodStep",
    "DeliverySummary",
    "DetailsPeriodStep",
    "DetailsSubscribersStep",
    "FormatForm",
    "InvoiceEmailAccountStep",
    "InvoiceEmailPeriodStep",
    "InvoiceLinkForm",
    "InvoiceLinkJob",
    "LoginPage",
    "MainMenu",
    "SipScreen",
    "SubscriberRow",
]
