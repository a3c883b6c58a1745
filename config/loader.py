"""Find, read and validate ``cabinet-robot.toml``; every error names the file and the key,
or the environment variable when the value came from one."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import SettingsError

from config.models import RobotConfig
from robots.errors import ConfigurationError

ENV_CONFIG = "CABINET_ROBOT_CONFIG"
ENV_PREFIX = str(RobotConfig.model_config.get("env_prefix", ""))
ENV_DELIMITER = str(RobotConfig.model_config.get("env_nested_delimiter", "__"))
DEFAULT_CONFIG = Path("cabinet-robot.toml")
# A key named like a secret; those that only say where a password is are no secret.
_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?$|password|secret|token|api_?key|private_?key|credential|cookie",
    re.IGNORECASE,
)
_SOURCE_KEYS = frozenset({"password_secret", "password_command"})  # and every ``*_env``


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


def _message(error: ErrorDetails) -> str:
    """pydantic's message, without its "Value error, " prefix, and with the bad value."""
    if error["type"] == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    given = error.get("input")
    if isinstance(given, str | int | float | bool) and error["type"] != "missing":
        return f"{error['msg']} (got {given!r})"
    return error["msg"]


def _environment_source(location: tuple[int | str, ...]) -> tuple[str | None, list[str]]:
    """The variable that set the key at ``location``, else those that set keys under it.

    pydantic-settings reads ``CABINET_ROBOT_MAIL__PORT`` for ``mail.port`` and
    ``CABINET_ROBOT_MAIL`` (JSON) for the whole section, ignoring case.
    """
    names = {name.lower(): name for name in os.environ}
    keys: list[str] = []
    for item in location:
        if isinstance(item, int):
            break
        keys.append(item)
    for length in range(len(keys), 0, -1):
        variable = (ENV_PREFIX + ENV_DELIMITER.join(keys[:length])).lower()
        if variable in names:
            return names[variable], []
    if not keys:
        return None, []
    under = (ENV_PREFIX + ENV_DELIMITER.join(keys) + ENV_DELIMITER).lower()
    return None, sorted(name for lower, name in names.items() if lower.startswith(under))


def _problem(error: ErrorDetails, path: Path, data: dict[str, Any]) -> str:
    """One problem, blamed on the variable that set the value or on the file's key."""
    key = _key(error["loc"], data)
    variable, related = _environment_source(error["loc"])
    if variable is not None:
        return f"environment variable {variable} ({key}): {_message(error)}"
    if related:
        return f"{path}: {key} (with {', '.join(related)} from the environment): {_message(error)}"
    return f"{path}: {key}: {_message(error)}"


def _secret_keys(data: object, where: str = "") -> Iterator[str]:
    """The keys of ``data`` (a parsed TOML file) named like a secret that hold a value."""
    if isinstance(data, list):
        for number, item in enumerate(data):
            yield from _secret_keys(item, f"{where}[{number}]")
    elif isinstance(data, dict):
        for key, value in data.items():
            name = f"{where}.{key}" if where else str(key)
            is_source = key in _SOURCE_KEYS or str(key).lower().endswith("_env")
            if _SECRET_KEY.search(str(key)) and not is_source and value not in ("", [], {}):
                yield name
            yield from _secret_keys(value, name)


def _refuse_readable_secrets(path: Path, data: dict[str, Any]) -> None:
    """A secret in a file that others may read is a secret already given away: refuse it."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & 0o044:
        return
    secrets = list(_secret_keys(data))
    if secrets:
        who = "group and others" if mode & 0o044 == 0o044 else "group" if mode & 0o040 else "others"
        raise ConfigurationError(
            f"{path}: {secrets[0]} holds a secret and the file is readable by {who} "
            f"(mode {mode:04o}): run chmod 600 {path}, or move the secret out of the file "
            "(password_env, password_command)"
        )


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
            "privacy": config.privacy.model_copy(
                update={"recordings": under_base(config.privacy.recordings)}
            ),
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
    _refuse_readable_secrets(path, data)
    try:
        config = RobotConfig(**data)
    except SettingsError as exc:
        # pydantic-settings parses only the environment itself: a section given as one
        # variable whose value is not JSON.
        found = re.search(r'field "(\w+)"', str(exc))
        field = found[1] if found else "?"
        variable = _environment_source((field,))[0] or f"{ENV_PREFIX}{field.upper()}"
        raise ConfigurationError(
            f"environment variable {variable}: not JSON: give the whole {field} as JSON, or "
            f"one key per variable ({ENV_PREFIX}{field.upper()}{ENV_DELIMITER}<KEY>)"
        ) from None
    except ValidationError as exc:
        problems = [_problem(err, path, data) for err in exc.errors()]
        raise ConfigurationError("; ".join(problems)) from None
    return _resolve_paths(config, path.resolve().parent)
