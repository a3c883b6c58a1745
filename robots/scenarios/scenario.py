"""A scenario folder: the HAR, the trace, and ``scenario.json`` saying what was recorded.

``scenario.json`` holds no secret: its login and e-mail are the scrubbed ones, the
same placeholders the HAR carries, so a replay types what the recording shows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robots.domain import Operator
from robots.errors import ConfigurationError
from robots.scenarios.operation import Operation

HAR_FILE = "recording.har"
TRACE_FILE = "trace.zip"
DESCRIPTION_FILE = "scenario.json"
FORMAT = 1  # of scenario.json; a replay refuses another


@dataclass(frozen=True)
class Scenario:
    """What was recorded, where and when, and how to log in again (scrubbed)."""

    cabinet: str  # the configured cabinet's name
    operator: Operator
    operation: Operation
    recorded_at: dt.datetime
    robot_today: dt.date  # the robot's date: periods "up to today" depend on it
    base_url: str  # scheme, host and port the recording talked to
    url: str  # the cabinet's start page
    login: str
    email: str | None  # where the robot asked for documents
    login_method: str
    role: str
    companies: tuple[str, ...]
    cabinet_version: str | None  # when a page says it
    summary: str  # what the robot did

    @property
    def name(self) -> str:
        return f"{self.operator}/{self.operation.slug}"

    def write(self, folder: Path) -> None:
        data = {
            "format": FORMAT,
            "cabinet": self.cabinet,
            "operator": str(self.operator),
            "operation": self.operation.as_json(),
            "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
            "robot_today": self.robot_today.isoformat(),
            "base_url": self.base_url,
            "url": self.url,
            "login": self.login,
            "email": self.email,
            "login_method": self.login_method,
            "role": self.role,
            "companies": list(self.companies),
            "cabinet_version": self.cabinet_version,
            "summary": self.summary,
            "files": {"har": HAR_FILE, "trace": TRACE_FILE},
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (folder / DESCRIPTION_FILE).write_text(text, encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Scenario:
        """The scenario in ``folder``; ConfigurationError naming what is wrong."""
        path = folder / DESCRIPTION_FILE
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, this robot reads {FORMAT}")
            return cls(
                cabinet=data["cabinet"],
                operator=Operator(data["operator"]),
                operation=Operation.from_json(data["operation"]),
                recorded_at=dt.datetime.fromisoformat(data["recorded_at"]),
                robot_today=dt.date.fromisoformat(data["robot_today"]),
                base_url=data["base_url"],
                url=data["url"],
                login=data["login"],
                email=data.get("email"),
                login_method=data.get("login_method") or "password",
                role=data.get("role") or "administrator",
                companies=tuple(data.get("companies") or ()),
                cabinet_version=data.get("cabinet_version"),
                summary=data.get("summary") or "",
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{path}: not a readable scenario ({exc})") from None


def scenario_folders(paths: list[Path]) -> list[Path]:
    """The scenario folders ``paths`` name: a folder with ``scenario.json``, or every such
    folder below one (``tests/scenarios``), sorted."""
    found: list[Path] = []
    for path in paths:
        if (path / DESCRIPTION_FILE).is_file():
            found.append(path)
        elif path.is_dir():
            found += sorted(p.parent for p in path.rglob(DESCRIPTION_FILE))
        else:
            raise ConfigurationError(f"{path}: no scenario there (no {DESCRIPTION_FILE})")
    return found
