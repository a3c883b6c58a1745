"""The subscriber inventory: which account each number is on, as the cabinets list it.

A robot that reads a cabinet's subscriber list saves it here (one JSON file per
cabinet in ``<state>/inventory/``, written atomically); the collector then resolves
the numbers of a document that names no account through the inventory as well as
through the configured numbers (configured numbers win).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from config.models import RobotConfig
from robots.domain import Subscriber
from robots.permissions import private_folder


def inventory_dir(config: RobotConfig) -> Path:
    return config.state.dir / "inventory"


def save_subscribers(config: RobotConfig, cabinet: str, subscribers: list[Subscriber]) -> Path:
    """Replace ``cabinet``'s part of the inventory with ``subscribers``."""
    directory = inventory_dir(config)
    private_folder(directory)  # names and numbers of the company's subscribers
    path = directory / f"{cabinet}.json"
    payload = {
        "cabinet": cabinet,
        "read_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "subscribers": [s.model_dump(mode="json") for s in subscribers],
    }
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as written:
        written.write(json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
        os.fsync(written.fileno())
    os.replace(temporary, path)
    return path


def load_subscribers(config: RobotConfig, cabinet: str = "*") -> list[Subscriber]:
    """Every subscriber of every cabinet's saved list (or of ``cabinet``'s)."""
    found: list[Subscriber] = []
    directory = inventory_dir(config)
    if not directory.is_dir():
        return found
    for path in sorted(directory.glob(f"{cabinet}.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        found += [Subscriber.model_validate(item) for item in payload.get("subscribers", [])]
    return found
