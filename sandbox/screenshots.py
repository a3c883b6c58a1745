"""``python -m sandbox.screenshots [--out docs/screenshots]``: pictures of the sandbox
cabinets' main screens (SIP, MTS, Kcell), taken with headless Chromium.

Starts a ``Sandbox`` of its own (its own Dovecot; the sandbox calendar on the 15th of
the current month, so invoices can be ordered; back-office delays of half a second),
walks through the screens the robot uses the way a person would (by labels and button
names, dragging the personal account into the MTS «Текущая выборка») and saves one
full-page PNG per screen (``sip-01-login.png``, ..., ``mts-01-login.png``, ...,
``kcell-01-login.png``, ...), viewport 1200x800, plus ``README.md`` listing them. The
password and SMS codes are never typed before a picture is taken; the page's clock is
stopped where a countdown would make the picture vary. Chromium is
``$CABINET_ROBOT_CHROMIUM`` or ``/usr/bin/chromium``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from robots.domain import Operator
from sandbox.cabinets.base import Timings
from sandbox.stack import CHROMIUM_ENV, DEFAULT_CHROMIUM, RunningCabinet, Sandbox
from sandbox.world import accounts_of

__all__ = ["SHOTS", "Shot", "main", "take_screenshots"]

VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1200, 800
_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Shot:
    """One picture: its file, the screen's name as the manual heads it, what it shows."""

    file: str
    screen: str
    shows: str


SHOTS: tuple[Shot, ...] = (
    Shot("sip-01-login.png", "Вход в личный кабинет", "the login form, account filled in"),
    Shot(
        "sip-02-menu.png",
        "Главное меню администратора",
        "every section with its description from the manual",
    ),
    Shot("sip-03-bills.png", "Счета", "the section page and its five subsections"),
    Shot(
        "sip-04-invoice-email-period.png",
        "Заказать счет на E-mail",
        "the period step («Заказ счета на E-mail»), the closed months to choose from",
    ),
    Shot(
        "sip-05-invoice-link-form.png",
        "Загрузить счет по ссылке",
        "the form: account, month (one of the last two), PDF or XLS",
    ),
    Shot(
        "sip-06-invoice-link-ready.png",
        "Загрузить счет по ссылке",
        "the invoice is ready: «Счет сформирован» and the «Скачать счет» link",
    ),
    Shot(
        "sip-07-delivery-current.png",
        "Изменение способа/адреса доставки",
        "an account's current delivery method and address, the «Изменить» button",
    ),
    Shot(
        "sip-08-details-subscribers.png",
        "Детализация на E-mail",
        "the subscriber step: tick the «SIP-соединение» numbers, «Сформировать детализацию»",
    ),
    Shot(
        "sip-09-maintenance.png",
        "Технические работы",
        "the maintenance page the cabinet shows instead of any screen",
    ),
    Shot("mts-01-login.png", "Вход в Виртуальный менеджер", "the login form, number filled in"),
    Shot(
        "mts-02-selection.png",
        "Виртуальный менеджер",
        "a personal account and one number of another dragged into «Текущая выборка»",
    ),
    Shot(
        "mts-03-order-menu.png",
        "Заказать документ",
        "the menu: «Сформированные счета закрытых расчётных периодов», «Детализация разговоров»",
    ),
    Shot(
        "mts-04-document-dialog.png",
        "Документ",
        "«Детализация разговоров» filled in: period, «Отправить на», XML, the rules accepted",
    ),
    Shot("kcell-01-login.png", "Вход в Kcell Business ID", "the login form, number filled in"),
    Shot(
        "kcell-02-recovery-code.png",
        "Восстановление пароля",
        "step 2 of «Забыли пароль?»: «SMS код», «Отправить код на телефон» disabled while it "
        "counts down",
    ),
    Shot(
        "kcell-03-numbers.png",
        "Управление номерами",
        "the first company's numbers, «Выбор компании» and the main menu",
    ),
    Shot(
        "kcell-04-details-form.png",
        "Детализация",
        "a number's call details form: the period (the last 90 days), «Файл формата PDF»",
    ),
    Shot(
        "kcell-05-work-act-form.png",
        "Акт выполненных работ и расшифровка к счету-фактуре",
        "the «Документы и отчеты» menu, the search by personal account, year and month",
    ),
)


class _Camera:
    """Saves the shots in order and remembers what it wrote."""

    def __init__(self, page: Page, out: Path) -> None:
        self.page = page
        self.out = out
        self.written: list[Path] = []

    def take(self, shot: Shot) -> None:
        assert shot.file == SHOTS[len(self.written)].file, "shots out of order"
        path = self.out / shot.file
        self.page.screenshot(path=path, full_page=True, animations="disabled")
        self.written.append(path)


def _heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1, name=text, exact=True)).to_be_visible()


# The SIP cabinet serves legacy pages (titles in bold cells, captions in the cell beside
# their fields, links and <input type=button> as buttons) or semantic ones: its walk
# reads what a person reads on either.


def _sip_title(page: Page, text: str) -> None:
    expect(
        page.locator("h1, b", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
    ).to_be_visible()


def _sip_field(page: Page, caption: str) -> Locator:
    beside = page.locator("td", has_text=re.compile(rf"^\s*{re.escape(caption)}\s*$"))
    return page.get_by_label(caption).or_(beside.locator("xpath=following-sibling::td[1]//input"))


def _sip_press(page: Page, name: str) -> None:
    either = page.get_by_role("button", name=name, exact=True)
    either.or_(page.get_by_role("link", name=name, exact=True)).first.click()


def _walk(page: Page, sip: RunningCabinet, camera: _Camera) -> None:
    """Log in and go through the SIP screens of ``SHOTS``, one picture each."""
    shots = iter(s for s in SHOTS if s.file.startswith("sip-"))
    page.goto(f"{sip.url}login")
    _sip_title(page, "Вход в личный кабинет")
    _sip_field(page, "Лицевой счет").fill(sip.login)
    camera.take(next(shots))  # before the password is typed
    _sip_field(page, "Пароль").fill(sip.password)
    _sip_press(page, "Войти")
    _sip_title(page, "Главное меню администратора")
    camera.take(next(shots))

    _sip_press(page, "Счета")
    _sip_title(page, "Счета")
    camera.take(next(shots))

    _sip_press(page, "Заказать счет на E-mail")
    _sip_title(page, "Заказать счет на E-mail")
    _sip_press(page, "Далее")
    _sip_title(page, "Заказ счета на E-mail")
    camera.take(next(shots))

    page.goto(f"{sip.url}bills")
    _sip_press(page, "Загрузить счет по ссылке")
    _sip_title(page, "Загрузить счет по ссылке")
    camera.take(next(shots))
    _sip_press(page, "Далее")
    expect(page.get_by_role("link", name="Скачать счет")).to_be_visible()
    expect(page.get_by_text("Счет сформирован", exact=True)).to_be_visible()
    camera.take(next(shots))

    page.goto(f"{sip.url}bills")
    _sip_press(page, "Изменить способ/адрес доставки")
    _sip_title(page, "Изменение способа/адреса доставки")
    _sip_press(page, "Далее")
    expect(page.get_by_role("button", name="Изменить", exact=True)).to_be_visible()
    camera.take(next(shots))

    page.goto(f"{sip.url}bills")
    _sip_press(page, "Детализация на E-mail")
    _sip_title(page, "Детализация на E-mail")
    _sip_press(page, "Далее")
    expect(page.get_by_role("button", name="Сформировать детализацию")).to_be_visible()
    camera.take(next(shots))

    sip.set_faults("maintenance=sip")
    try:
        page.goto(f"{sip.url}menu")
        _sip_title(page, "Технические работы")
        camera.take(next(shots))
    finally:
        sip.set_faults("")


def _walk_mts(page: Page, mts: RunningCabinet, address: str, camera: _Camera) -> None:
    """Log in to «Виртуальный менеджер» and take its screens of ``SHOTS``."""
    shots = iter(s for s in SHOTS if s.file.startswith("mts-"))
    page.goto(mts.url)
    _heading(page, "Вход в Виртуальный менеджер")
    page.get_by_label("Номер:", exact=True).fill(mts.login)
    camera.take(next(shots))  # before the password is typed
    page.get_by_label("Пароль:", exact=True).fill(mts.password)
    page.get_by_role("button", name="Войти").click()
    _heading(page, "Виртуальный менеджер")

    tree = page.get_by_role("region", name="Иерархия").get_by_role("tree")
    selection = page.get_by_role("region", name="Текущая выборка")
    first, *_, last = accounts_of(Operator.MTS)
    tree.get_by_role("treeitem", name=re.compile(rf"Лицевой счет {first.id}\b")).drag_to(selection)
    other = tree.get_by_role("treeitem", name=re.compile(rf"Лицевой счет {last.id}\b"))
    other.click()  # unfolds its numbers
    other.get_by_role("treeitem", name=last.numbers[0], exact=True).drag_to(selection)
    expect(selection.get_by_role("heading")).to_have_text(re.compile(r"несколько контрактов"))
    page.mouse.move(0, 0)  # no hover highlight in the picture
    camera.take(next(shots))

    page.get_by_role("button", name="Заказать документ").click()
    expect(page.get_by_role("menu")).to_be_visible()
    camera.take(next(shots))

    page.get_by_role("menuitem", name="Детализация разговоров", exact=True).click()
    dialog = page.get_by_role("dialog", name="Документ")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Отправить на", exact=True).fill(address)
    dialog.get_by_role("radio", name="XML", exact=True).check()
    dialog.get_by_role("checkbox", name="Я принимаю правила использования системы").check()
    camera.take(next(shots))


def _walk_kcell(page: Page, kcell: RunningCabinet, camera: _Camera) -> None:
    """The Kcell «Кабинет»: login, «Забыли пароль?» step 2, numbers, details, work act."""
    shots = iter(s for s in SHOTS if s.file.startswith("kcell-"))
    # The pictures are of the accessible markup, whose roles and labels this walk uses
    # (the cabinet serves its single-page markup by default).
    kcell.set_markup("semantic")
    page.clock.install()  # the resend countdown stands still: the same picture every time
    page.goto(kcell.url)
    _heading(page, "Вход в Kcell Business ID")
    page.get_by_label("Номер телефона", exact=True).fill(kcell.login)
    camera.take(next(shots))  # before the password is typed

    page.get_by_role("link", name="Забыли пароль?").click()
    _heading(page, "Восстановление пароля")
    page.get_by_label("Номер телефона", exact=True).fill(kcell.login)
    page.get_by_role("button", name="Далее").click()
    expect(page.get_by_label("SMS код", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Отправить код на телефон")).to_be_disabled()
    camera.take(next(shots))  # no code typed
    page.get_by_role("button", name="Отмена").click()

    _heading(page, "Вход в Kcell Business ID")
    page.get_by_label("Номер телефона", exact=True).fill(kcell.login)
    page.get_by_label("Ваш пароль", exact=True).fill(kcell.password)
    page.get_by_role("button", name="Войти").click()
    _heading(page, "Управление номерами")
    camera.take(next(shots))

    page.get_by_role("link", name=kcell.login, exact=True).click()
    _heading(page, "Информация по номеру")
    page.get_by_role("button", name="Детализация", exact=True).click()
    _heading(page, "Детализация")
    page.get_by_role("radio", name="Файл формата PDF").check()
    camera.take(next(shots))

    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Документы и отчеты"
    ).click()
    _heading(page, "Документы и отчеты")
    page.get_by_role("navigation", name="Документы и отчеты").get_by_role(
        "link", name="Акт выполненных работ и расшифровка к счету-фактуре"
    ).click()
    _heading(page, "Акт выполненных работ и расшифровка к счету-фактуре")
    camera.take(next(shots))


def readme(shots: Sequence[Shot] = SHOTS) -> str:
    """``README.md`` of the screenshots directory: one line per picture."""
    lines = [
        "# Sandbox cabinet screenshots",
        "",
        "The sandbox's SIP cabinet (`sandbox/cabinets/sip/`), MTS «Виртуальный менеджер»",
        "(`sandbox/cabinets/mts/`) and Kcell «Кабинет» (`sandbox/cabinets/kcell/`), taken by",
        "`python -m sandbox.screenshots` (headless Chromium, 1200x800, full page; the sandbox",
        "date is the 15th of the month they were taken). Screens are named by their headings",
        "in the cabinets and the operators' manuals (`sip-cabinet-invoices.md`,",
        "`sip-cabinet-call-details.md`, `mts-virtual-manager.md`, `kcell-cabinet.md` in the",
        "shared `specs/`).",
        "",
    ]
    lines += [f"- [`{s.file}`]({s.file}) — «{s.screen}»: {s.shows}." for s in shots]
    return "\n".join(lines) + "\n"


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(
        viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT},
        locale="ru-RU",
        accept_downloads=False,
    )
    context.set_default_timeout(_TIMEOUT_MS)
    return context.new_page()


def take_screenshots(out: Path, chromium: str | None = None) -> list[Path]:
    """Start a sandbox, take ``SHOTS`` into ``out`` and write its ``README.md``.

    Args:
        out: the directory of the pictures (created if needed).
        chromium: the browser executable (default: ``$CABINET_ROBOT_CHROMIUM`` or
            ``/usr/bin/chromium``).

    Returns:
        The pictures written, in order.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    executable = chromium or os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    today = dt.date.today().replace(day=15)
    workdir = Path(tempfile.mkdtemp(prefix="sandbox-screenshots-"))
    try:
        with (
            Sandbox(workdir, today=today, timings=Timings.uniform(0.5)) as sandbox,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=executable,
                headless=True,
                args=["--disable-gpu", "--disable-quic"],
            )
            try:
                page = _new_page(browser)
                camera = _Camera(page, out)
                _walk(page, sandbox.cabinet("sip"), camera)
                page.context.close()
                camera.page = _new_page(browser)  # MTS in a browser of its own
                _walk_mts(camera.page, sandbox.cabinet("mts"), sandbox.mailbox.address, camera)
                camera.page.context.close()
                camera.page = _new_page(browser)  # Kcell in a browser of its own
                _walk_kcell(camera.page, sandbox.cabinet("kcell"), camera)
                camera.page.context.close()
                written = camera.written
            finally:
                browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    (out / "README.md").write_text(readme(), encoding="utf-8")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox.screenshots",
        description="Screenshots of the sandbox cabinets' main screens (SIP, MTS, Kcell).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("docs/screenshots"),
        help="where the PNGs and README.md go (default: docs/screenshots)",
    )
    args = parser.parse_args(argv)
    for path in take_screenshots(args.out):
        print(f"{path}  {path.stat().st_size // 1024} KB")
    print(args.out / "README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
