"""«Виртуальный менеджер»: the billing hierarchy, «Текущая выборка», «Заказать документ».

The personal account (or single numbers) is moved into «Текущая выборка» by drag and
drop, as the manual describes («захватив его левой кнопкой мыши и перетащив в правое
поле»); the selection then lists its numbers and says how many. ``drag_to`` presses,
moves and releases the mouse, which serves both a page that drags with mouse events
and one with HTML5 drag and drop. Every load of the main screen starts with an empty
selection (the manual's first screen), so nothing has to be cleared.

The legacy page draws the working area (hierarchy, selection, the menu and the
«Документ» window) in a frame under the title and the tabs: ``work`` is that frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from playwright.sync_api import Frame, Locator, Page

from page_objects.base import Controls, control_on, label_shown, table_on, words
from page_objects.mts.common import MtsScreen
from page_objects.mts.document import CALL_DETAILS, INVOICES, DocumentDialog
from robots.errors import ParseError

TAB = "Операции с номерами"  # the main screen's first tab, where the robot works
COLUMNS = ("Тип", "Абонентский номер", "Папка", "ФИО")
_ACCOUNT = re.compile(r"^\s*Лицевой счет\s+(\d+)\s*$")
SELECTION = "Текущая выборка"  # the caption the numbers are dragged to, «(N): ...» once filled


@dataclass(frozen=True)
class SelectedNumber:
    number: str
    folder: str  # «Папка»: the personal account
    name: str  # «ФИО»


class VirtualManager(MtsScreen):
    """The main screen, tab «Операции с номерами»."""

    heading: ClassVar[str] = "Виртуальный менеджер"
    labels: ClassVar[tuple[str, ...]] = (
        "Заказать документ",
        INVOICES,
        CALL_DETAILS,
        "+",
        SELECTION,
    )

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self._work: Frame | None = None

    @classmethod
    def heading_on(cls, page: Page) -> Locator:
        """The main screen, by its tabs: the manual's login page shows the same title
        («ВИРТУАЛЬНЫЙ МЕНЕДЖЕР»), never the tabs."""
        return page.get_by_text(words(TAB)).filter(visible=True).first.describe(f"the tab «{TAB}»")

    @property
    def work(self) -> Frame:
        """The working area: the frame the page draws it in, else the page itself."""
        if self._work is None:
            self.page.wait_for_load_state("domcontentloaded")  # its frame is in the page
            # CSS by tag: a frame has no text of its own to be found by.
            frame = self.page.locator("iframe")
            handle = frame.first.element_handle() if frame.count() else None
            self._work = (handle and handle.content_frame()) or self.page.main_frame
        return self._work

    @property
    def caption(self) -> Locator:
        """«Текущая выборка», then «(N): один контракт, однотиповая» once filled."""
        caption = re.compile(rf"^\s*{self._selection()}(\s*\(\d+\).*)?$", re.IGNORECASE)
        return self.work.get_by_text(caption).filter(visible=True).first

    def _selection(self) -> str:
        """The pattern of «Текущая выборка» as the cabinet's configuration names it."""
        return words(label_shown(self.work, SELECTION), whole=False).pattern

    def controls(self) -> Controls:
        return {
            "personal account of «Иерархия»": self._account_items(),
            "«Текущая выборка»": self.caption,
        } | self.form_controls(buttons=["Заказать документ"])

    def _account_items(self, account: str | None = None) -> Locator:
        if account is None:
            return self.work.get_by_text(_ACCOUNT)
        return self.work.get_by_text(re.compile(rf"^\s*Лицевой счет\s+{account}\s*$"))

    def accounts(self) -> list[str]:
        self.expect(self._account_items().first)
        texts = self._account_items().all_inner_texts()
        return [m[1] for text in texts if (m := _ACCOUNT.search(text))]

    def select_account(self, account: str) -> list[SelectedNumber]:
        """Drag the personal account into «Текущая выборка»; its numbers."""
        item = self._account_item(account)
        before = self.selected_count()
        item.drag_to(self.caption)
        self._await_change(before)
        return self.selected()

    def select_numbers(self, account: str, numbers: list[str]) -> list[SelectedNumber]:
        """Drag single numbers of ``account`` into «Текущая выборка», one by one."""
        item = self._account_item(account)
        # The account's branch of the tree: the innermost list item holding its name.
        branch = self.work.locator("li").filter(has=item).last
        for number in numbers:
            node = branch.get_by_text(number, exact=True)
            if node.count() == 0:
                raise ParseError(f"number {number} is not on personal account {account} at MTS")
            if not node.is_visible():
                self._unfold(branch, item)
            before = self.selected_count()
            node.drag_to(self.caption)
            self._await_change(before)
        return self.selected()

    def _account_item(self, account: str) -> Locator:
        self.expect(self._account_items().first)
        item = self._account_items(account)
        if item.count() == 0:
            raise ParseError(f"the MTS hierarchy has no personal account {account}")
        return item.first

    @staticmethod
    def _unfold(branch: Locator, item: Locator) -> None:
        """Show an account's numbers: its «+» where the tree draws one, else a click on
        the account itself."""
        expander = control_on(branch, "+")
        (expander if expander.count() else item).click()

    def selected_count(self) -> int:
        match = re.search(rf"{self._selection()}\s*\((\d+)\)", self.summary(), re.IGNORECASE)
        return int(match[1]) if match else 0

    def summary(self) -> str:
        """«Текущая выборка (N): ...», as a heading or as plain text."""
        self.expect(self.caption)
        return " ".join(self.caption.inner_text().split())

    def selected(self) -> list[SelectedNumber]:
        """The selection's table, read by its column headers."""
        rows = self.table_rows(table_on(self.page, COLUMNS))
        try:
            return [
                SelectedNumber(cells["Абонентский номер"], cells["Папка"], cells["ФИО"])
                for cells, _ in rows
            ]
        except KeyError as exc:
            raise ParseError(f"the MTS selection table has no column {exc}") from None

    def order_document(self, item: str) -> DocumentDialog:
        """«Заказать документ» → ``item``: the «Документ» window."""
        self.button("Заказать документ").click()
        control_on(self.work, item).click()
        dialog = DocumentDialog(self)
        self.expect(dialog.root)
        return dialog

    def _await_change(self, before: int) -> None:
        """Wait until the selection's count is no longer ``before`` (the drop was taken)."""
        other = re.compile(rf"Текущая выборка \((?!{before}\))\d+\)")
        self.expect(self.work.get_by_text(other).first)
