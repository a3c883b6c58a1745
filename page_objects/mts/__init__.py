"""MTS «Виртуальный менеджер», screen by screen (``mts-virtual-manager.md``).

Entry point: ``LoginPage.open(page, url)`` gives the login page or, with a live
session, the main screen.
"""

from page_objects.mts.document import CALL_DETAILS, INVOICES, DocumentDialog
from page_objects.mts.login import LoginPage, SmsCodePage
from page_objects.mts.manager import SelectedNumber, VirtualManager

__all__ = [
    "CALL_DETAILS",
    "INVOICES",
    "DocumentDialog",
    "LoginPage",
    "SelectedNumber",
    "SmsCodePage",
    "VirtualManager",
]
