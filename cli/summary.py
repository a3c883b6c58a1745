"""A human summary of the configuration, with every secret masked."""

from __future__ import annotations

import os
from pathlib import Path

from config.models import RobotConfig


def _secret_status(env_name: str) -> str:
    # Never the value, nor its length: only whether it is there.
    return f"${env_name} (set, ****)" if os.environ.get(env_name) else f"${env_name} (NOT SET)"


def config_summary(config: RobotConfig, path: Path) -> str:
    mail = config.mail
    lines = [
        f"{path}: OK",
        f"mail      {mail.username} @ {mail.host}:{mail.effective_port} ({mail.security})"
        + (f", CA {mail.ca_file}" if mail.ca_file else ""),
        f"          password {_secret_status(mail.password_env)}",
        f"          folder {mail.folder} -> {mail.processed_folder} / {mail.quarantine_folder}",
        f"tarifer   {config.tarifer.inbox}",
        f"state     {config.state.dir}",
        f"cabinets  {len(config.cabinets)}",
    ]
    for cabinet in config.cabinets:
        numbers = sum(len(a.numbers) for a in cabinet.accounts)
        senders = ", ".join(cabinet.mail_from) or "no senders"
        lines.append(
            f"  {cabinet.name} ({cabinet.operator}): {len(cabinet.accounts)} account(s), "
            f"{numbers} number(s); mail from {senders}"
        )
        if cabinet.has_login and cabinet.password_env:
            lines.append(
                f"    robot: {cabinet.url} as {cabinet.login}, "
                f"password {_secret_status(cabinet.password_env)}"
            )
    return "\n".join(lines)
