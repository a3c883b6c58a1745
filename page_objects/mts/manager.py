"""«Виртуальный менеджер»: the billing hierarchy, «Текущая выборка», «Заказать документ».

The personal account (or single numbers) is moved into «Текущая выборка» by drag and
drop, as the manual describes («захватив его левой кнопкой мыши и перетащив в правое
поле»); the selection then lists its numbers and says how many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from playwright.sync_api import Locator

from page_objects.base import Controls, title_on
from page_objects.mts.common import MtsScreen
from page_objects.mts.document import DocumentDialog
from robots.errors import ParseError

_ACCOUNT = re.compile(r"Лицевой счет\s+(\S+)")
_COUNT = re.compile(r"Текущая выборка \((\d+)\)")
_CAPTION = re.compile(r"^\s*Текущая выборка(\s*\(\d+\).*)?$")


@dataclass(frozen=True)
class SelectedNumber:
    number: str
    folder: str  # «Папка»: the personal account
    name: str  # «ФИО»


class VirtualManager(MtsScreen):
    """The main screen, tab «Операции с номерами»."""

    heading: ClassVar[str] = "Виртуальный менеджер"

    @property
    def tree(self) -> Locator:
        return self.page.get_by_role("region", name="Иерархия").get_by_role("tree")

    @property
    def selection_zone(self) -> Locator:
        return self.page.get_by_role("region", name="Текущая выборка")

    def controls(self) -> Controls:
        return {
            "tree «Иерархия»": self.tree,
            "region «Текущая выборка»": self.selection_zone,
            "button «Очистить выборку»": self.selection_zone.get_by_role(
                "button", name="Очистить выборку"
            ),
        } | self.form_controls(buttons=["Заказать документ"])

    def accounts(self) -> list[str]:
        texts = self.tree.get_by_role("treeitem", name=_ACCOUNT).all_inner_texts()
        return [m[1] for text in texts if (m := _ACCOUNT.search(text))]

    def _account_item(self, account: str) -> Locator:
        return self.tree.get_by_role("treeitem", name=re.compile(rf"Лицевой счет {account}\b"))

    def clear_selection(self) -> None:
        self.selection_zone.get_by_role("button", name="Очистить выборку").click()
        self.expect(title_on(self.selection_zone, "Текущая выборка"))

    def select_account(self, account: str) -> list[SelectedNumber]:
        """Drag the personal account into «Текущая выборка»; its numbers."""
        item = self._account_item(account)
        if item.count() == 0:
            raise ParseError(f"the MTS hierarchy has no personal account {account}")
        before = self.selected_count()
        item.first.drag_to(self.selection_zone)
        self._await_change(before)
        return self.selected()

    def select_numbers(self, account: str, numbers: list[str]) -> list[SelectedNumber]:
        """Drag single numbers of ``account`` into «Текущая выборка», one by one."""
        item = self._account_item(account).first
        if item.get_attribute("aria-expanded") != "true":
            item.click()  # unfolds the account's numbers
        for number in numbers:
            node = item.get_by_role("treeitem", name=number, exact=True)
            if node.count() == 0:
                raise ParseError(f"number {number} is not on personal account {account} at MTS")
            before = self.selected_count()
            node.drag_to(self.selection_zone)
            self._await_change(before)
        return self.selected()

    def selected_count(self) -> int:
        match = _COUNT.search(self.summary())
        return int(match[1]) if match else 0

    def summary(self) -> str:
        # «Текущая выборка (N): ...», as a heading or as plain text.
        caption = self.selection_zone.get_by_text(_CAPTION).first
        return " ".join(caption.inner_text().split()) if caption.count() else ""

    def selected(self) -> list[SelectedNumber]:
        """The selection's table, read by its column headers."""
        rows = self.table_rows(self.selection_zone.get_by_role("table"))
        try:
            return [
                SelectedNumber(cells["Абонентский номер"], cells["Папка"], cells["ФИО"])
                for cells, _ in rows
            ]
        except KeyError as exc:
            raise ParseError(f"the MTS selection table has no column {exc}") from None

    def order_document(self, item: str) -> DocumentDialog:
        """«Заказать документ» → ``item``: the «Документ» dialog."""
        self.button("Заказать документ").click()
        self.page.get_by_role("menuitem", name=item, exact=True).click()
        dialog = DocumentDialog(self)
        self.expect(dialog.root)
        return dialog

    def _await_change(self, before: int) -> None:
        """Wait until the selection's count is no longer ``before`` (the drop was taken)."""
        other = re.compile(rf"Текущая выборка \((?!{before}\))\d+\)")
        self.expect(self.selection_zone.get_by_text(other).first)
