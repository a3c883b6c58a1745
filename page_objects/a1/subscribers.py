"""«Абоненты»: the subscriber list, with search, filters and «Выгрузка в Excel»."""

from __future__ import annotations

from typing import ClassVar

from page_objects.a1.common import Menu
from page_objects.base import Controls, Fetched
from robots.errors import ParseError


class SubscribersPage(Menu):
    heading: ClassVar[str] = "Абоненты"

    def controls(self) -> Controls:
        return self.form_controls(buttons=["Выгрузка в Excel"])

    def export(self) -> Fetched:
        """«Выгрузка в Excel»: the listed subscribers as an .xlsx file."""
        download = self.file_or_page(lambda: self.button("Выгрузка в Excel").click())
        if download is None:
            raise ParseError("the A1 cabinet gave a page instead of the subscriber list")
        return Fetched(download.path().read_bytes(), download.suggested_filename, download.url)
