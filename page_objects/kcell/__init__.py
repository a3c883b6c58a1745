"""Kcell «Кабинет» (Kcell Business ID), screen by screen (``kcell-cabinet.md``).

Entry point: ``LoginPage.open(page, url)`` gives the login page or, with a live
session, the numbers page.
"""

from page_objects.kcell.documents import (
    DocumentForm,
    DocumentsPage,
    NumbersReportForm,
    PaymentsReportForm,
    ReconciliationForm,
    RegisterForm,
    WorkActForm,
)
from page_objects.kcell.login import FirstLoginRequired, LoginPage, RecoveryPhoneStep
from page_objects.kcell.numbers import DetailsForm, NumberProfile, NumberRow, NumbersPage

__all__ = [
    "DetailsForm",
    "DocumentForm",
    "DocumentsPage",
    "FirstLoginRequired",
    "LoginPage",
    "NumberProfile",
    "NumberRow",
    "NumbersPage",
    "NumbersReportForm",
    "PaymentsReportForm",
    "ReconciliationForm",
    "RecoveryPhoneStep",
    "RegisterForm",
    "WorkActForm",
]
