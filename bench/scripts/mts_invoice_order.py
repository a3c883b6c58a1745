"""MTS «Виртуальный менеджер»: an invoice ordered to an e-mail, as a person would script
it in plain Playwright: log in, drag the personal account into «Текущая выборка»,
«Заказать документ», «Сформированные счета закрытых расчётных периодов», month, address,
PDF, the rules ticked, «Заказать», wait for «Документ заказан».

Usage: python mts_invoice_order.py URL NUMBER ACCOUNT MONTH_TEXT EMAIL (password in
$CABINET_ROBOT_MTS_PASSWORD).
"""

import os
import sys

from playwright.sync_api import sync_playwright

url, number, account, month, email = sys.argv[1:6]
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--disable-gpu", "--disable-quic"]
    )
    page = browser.new_page()
    page.goto(url)
    page.fill("input[name=number]", number)
    page.fill("input[name=password]", os.environ["CABINET_ROBOT_MTS_PASSWORD"])
    page.click("input[value=Войти]")
    work = page.frame_locator("iframe[name=work]")
    work.locator(f"text=Лицевой счет {account}").drag_to(work.locator("[data-dropzone]"))
    work.locator("text=/Текущая выборка \\([1-9]/").wait_for()
    work.locator("text=Заказать документ").click()
    work.locator("text=Сформированные счета закрытых расчётных периодов").click()
    work.locator("select[name=period]").select_option(label=month)
    work.locator("input[name=email]").fill(email)
    work.locator("input[name=format][value=pdf]").check()
    work.locator("input[name=rules]").check()
    work.locator("input[value=Заказать]").click()
    work.locator("text=Документ заказан").wait_for()
    browser.close()
