"""The SIP cabinet's invoice by link, as a person would script it in plain Playwright:
log in, «Счета», «Загрузить счет по ссылке», account, month, PDF, «Далее», wait for
«Скачать счет», save the file.

Usage: python sip_invoice_link.py URL LOGIN ACCOUNT MONTH_TEXT OUT_DIR (password in
$CABINET_ROBOT_SIP_PASSWORD), e.g. ``... 1100023456 "Ноябрь 2026" out/``.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

url, login, account, month, out = sys.argv[1:6]
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--disable-gpu", "--disable-quic"]
    )
    page = browser.new_page()
    page.goto(url)
    page.fill("input[name=account]", login)
    page.fill("input[name=password]", os.environ["CABINET_ROBOT_SIP_PASSWORD"])
    page.click("input[value=Войти]")
    page.click("text=Счета")
    page.click("text=Загрузить счет по ссылке")
    page.select_option("select[name=account]", label=account)
    page.select_option("select[name=period]", label=month)
    page.check("input[name=format][value=pdf]")
    page.click("input[value=Далее]")
    with page.expect_download(timeout=60_000) as download:
        page.click("text=Скачать счет", timeout=60_000)
    download.value.save_as(Path(out) / download.value.suggested_filename)
    browser.close()
