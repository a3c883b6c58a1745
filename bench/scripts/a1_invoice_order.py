"""A1 business cabinet: an invoice sent to the delivery e-mail, as a person would script it
in plain Playwright: log in by phone and password, «Супервайзер», the personal account,
«Счета», the month in «Период», «Отправить счет», wait for the cabinet's confirmation.

Usage: python a1_invoice_order.py URL PHONE ACCOUNT MONTH_TEXT (phone without +375;
password in $CABINET_ROBOT_A1_PASSWORD).
"""

import os
import sys

from playwright.sync_api import sync_playwright

url, phone, account, month = sys.argv[1:5]
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--disable-gpu", "--disable-quic"]
    )
    page = browser.new_page()
    page.goto(url)
    form = page.locator("form[data-panel=password]")
    form.locator("input[name=phone]").fill(phone)
    form.locator("input[name=password]").fill(os.environ["CABINET_ROBOT_A1_PASSWORD"])
    form.locator("button").click()
    page.click("text=Супервайзер")
    chooser = page.locator(".account-chooser")
    if account not in chooser.inner_text():
        chooser.locator("[data-dd-opener]").click()
        chooser.locator(f"li:has-text('{account}')").click()
        page.wait_for_function(
            f"document.querySelector('.account-chooser').innerText.includes('{account}')"
        )
    page.click(".menu >> text=Счета")
    page.click("form.card [data-dd-opener]")
    page.click(f"form.card li:text-is('{month}')")
    page.click("text=Отправить счет")
    page.locator(".toasts").get_by_text("отправлен").wait_for()
    browser.close()
