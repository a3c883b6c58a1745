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
        f"cycle     {config.cycle.max_browsers} browser(s) at once, collect every "
        f"{config.cycle.poll_interval}; schedule ({config.schedule.timezone}): cycle "
        f"'{config.schedule.monthly_cycle}', collect '{config.schedule.collect}'",
    ]
    if config.notify is not None:
        notify = config.notify
        lines.append(
            f"notify    {', '.join(notify.to)} via {notify.smtp_host}:{notify.effective_port} "
            f"({notify.security})"
            + (f", password {_secret_status(notify.password_env)}" if notify.password_env else "")
        )
    lines.append(f"cabinets  {len(config.cabinets)}")
    for cabinet in config.cabinets:
        numbers = sum(len(a.numbers) for a in cabinet.accounts)
        senders = ", ".join(cabinet.mail_from) or "no senders"
        lines.append(
            f"  {cabinet.name} ({cabinet.operator}): {len(cabinet.accounts)} account(s), "
            f"{numbers} number(s); mail from {senders}"
        )
        if cabinet.has_login:
            where = []
            if cabinet.password_secret:
                where.append(f"Prefect Secret block {cabinet.password_secret!r}")
            if cabinet.password_env:
                where.append(_secret_status(cabinet.password_env))
            lines.append(
                f"    robot: {cabinet.url} as {cabinet.login}, password {' or '.join(where)}"
            )
    return "\n".join(lines)
