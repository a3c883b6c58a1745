"""The A1 business cabinet, screen by screen (``a1-business-cabinet.md``).

Entry point: ``LoginPage.open(page, url)``: the login, the role choice or, with a live
session, the main page.
"""

from page_objects.a1.common import Menu
from page_objects.a1.finance import DetailsPage, InvoicesPage, ReconciliationPage
from page_objects.a1.login import LoginPage, RolePage
from page_objects.a1.main import DeliveryForm, MainPage
from page_objects.a1.subscribers import SubscribersPage

__all__ = [
    "DeliveryForm",
    "DetailsPage",
    "InvoicesPage",
    "LoginPage",
    "MainPage",
    "Menu",
    "ReconciliationPage",
    "RolePage",
    "SubscribersPage",
]
