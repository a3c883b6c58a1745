"""Find, read and validate ``cabinet-robot.toml``; every error names the file and the key."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.models import RobotConfig
from robots.errors import ConfigurationError

ENV_CONFIG = "CABINET_ROBOT_CONFIG"
DEFAULT_CONFIG = Path("cabinet-robot.toml")


def config_path(explicit: Path | None = None) -> Path:
    """``--config PATH``, else ``$CABINET_ROBOT_CONFIG``, else ``./cabinet-robot.toml``."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(ENV_CONFIG)
    return Path(from_env) if from_env else DEFAULT_CONFIG


def _key(location: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """``cabinets[0].accounts[1].id``, with the cabinet's name where it has one."""
    parts: list[str] = []
    node: Any = data
    for item in location:
        if isinstance(item, int):
            name = (
                node[item].get("name")
                if isinstance(node, list) and item < len(node) and isinstance(node[item], dict)
                else None
            )
            parts[-1] += f"[{item}]" if name is None else f"[{item}] ({name})"
        else:
            parts.append(str(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts) or "(top level)"


def _resolve_paths(config: RobotConfig, base: Path) -> RobotConfig:
    """Relative paths in the file are relative to the file, not to the working directory."""

    def under_base(path: Path) -> Path:
        return path if path.is_absolute() else (base / path).resolve()

    mail = config.mail
    if mail.ca_file is not None:
        mail = mail.model_copy(update={"ca_file": under_base(mail.ca_file)})
    return config.model_copy(
        update={
            "mail": mail,
            "tarifer": config.tarifer.model_copy(
                update={"inbox": under_base(config.tarifer.inbox)}
            ),
            "state": config.state.model_copy(update={"dir": under_base(config.state.dir)}),
        }
    )


def load_config(explicit: Path | None = None) -> RobotConfig:
    """Read and validate the configuration; raise ConfigurationError naming file and key."""
    path = config_path(explicit)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigurationError(
            f"{path}: configuration file not found (give --config PATH or set {ENV_CONFIG})"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigurationError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: invalid TOML: {exc}") from None
    try:
        config = RobotConfig(**data)
    except ValidationError as exc:
        problems = [f"{_key(err['loc'], data)}: {err['msg']}" for err in exc.errors()]
        raise ConfigurationError(f"{path}: " + "; ".join(problems)) from None
    return _resolve_paths(config, path.resolve().parent)
