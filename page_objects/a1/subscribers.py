"""«Абоненты»: the subscriber list, with search, filters and «Выгрузка в Excel»."""

from __future__ import annotations

from typing import ClassVar

from page_objects.a1.common import Menu
from page_objects.base import Controls, Fetched, file_from


class SubscribersPage(Menu):
    heading: ClassVar[str] = "Абоненты"
    labels: ClassVar[tuple[str, ...]] = ("Выгрузка в Excel",)

    def controls(self) -> Controls:
        return self.form_controls(buttons=["Выгрузка в Excel"])

    def export(self) -> Fetched:
        """«Выгрузка в Excel»: the listed subscribers as an .xlsx file (a download of the
        answer, or a file the page's script saves from a Blob)."""
        return file_from(self.page, lambda: self.button("Выгрузка в Excel").click())
