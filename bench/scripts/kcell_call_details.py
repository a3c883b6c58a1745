"""Kcell «Кабинет»: call details of some numbers as PDF files, as a person would script it
in plain Playwright: log in, then for each number: «Управление номерами», the number's
row, «Детализация», the month as the range «ДД-ММ-ГГГГ → ДД-ММ-ГГГГ», «Файл формата PDF»,
«Запросить детализацию», save the file.

Usage: python kcell_call_details.py URL PHONE FIRST_DAY LAST_DAY OUT_DIR NUMBER...
(password in $CABINET_ROBOT_KCELL_PASSWORD; days as 01-11-2026).
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

url, phone, first_day, last_day, out, *numbers = sys.argv[1:]
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--disable-gpu", "--disable-quic"]
    )
    page = browser.new_page()
    page.goto(url)
    page.fill("#phone", phone)
    page.fill("#password", os.environ["CABINET_ROBOT_KCELL_PASSWORD"])
    page.click("button:has-text('Войти')")
    for number in numbers:
        page.click(".top-nav >> text=Управление номерами")
        page.click(f"td:text-is('{number}')")
        page.click("button:has-text('Детализация')")
        page.fill("input[name=period]", f"{first_day} → {last_day}")
        page.click("text=Файл формата PDF")
        with page.expect_download() as download:
            page.click("text=Запросить детализацию")
        download.value.save_as(Path(out) / f"{number}-{download.value.suggested_filename}")
    browser.close()
