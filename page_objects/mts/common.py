"""What every MTS «Виртуальный менеджер» screen shares: the fault screens and detours."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from page_objects.base import Detour, Screen, detours

LOGIN_HEADING = "Вход в Виртуальный менеджер"


DETOURS = detours(
    "MTS",
    maintenance="Технические работы",
    server_error="Ошибка сервера",
    refused="Ошибка",
    login=LOGIN_HEADING,
)


class MtsScreen(Screen):
    """A screen of the MTS cabinet."""

    detours: ClassVar[Mapping[str, Detour]] = DETOURS
