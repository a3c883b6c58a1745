"""A human summary of the configuration, with every secret masked, and the secrets it needs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from config.models import LoginMethod, RobotConfig
from robots.masking import shown


@dataclass(frozen=True)
class NeededSecret:
    """A secret the configuration needs at run time, and where it is read from."""

    owner: str  # "mail", "notify", "cabinet sip-main"
    env: str | None  # the environment variable
    block: str | None = None  # a Prefect Secret block, read before ``env``
    command: tuple[str, ...] | None = None  # a command that prints it (the only source then)

    @property
    def source(self) -> str:
        """Where the secret is looked for, in the words of the configuration."""
        if self.command:
            return f"password_command {self.command[0]!r}"
        where = [f"Prefect Secret block {self.block!r}"] if self.block else []
        where += [f"${self.env}"] if self.env else []
        return " or ".join(where)


def needed_secrets(config: RobotConfig) -> list[NeededSecret]:
    """Every password a run of ``config`` reads: the mailbox's, the SMTP login's, the cabinets'."""
    mail = config.mail
    needed = [NeededSecret("mail", mail.password_env, command=mail.password_command)]
    if config.notify is not None and config.notify.password_env:
        needed.append(NeededSecret("notify", config.notify.password_env))
    for cabinet in config.cabinets:
        if cabinet.has_login and cabinet.login_method is not LoginMethod.SMS:
            owner = f"cabinet {cabinet.name}"
            needed.append(
                NeededSecret(
                    owner, cabinet.password_env, cabinet.password_secret, cabinet.password_command
                )
            )
    return needed


def unavailable(secret: NeededSecret) -> str | None:
    """Why ``secret`` cannot be read here (its value is never returned), or None."""
    if secret.command:
        from robots.errors import ConfigurationError
        from robots.password_command import run_password_command

        try:
            run_password_command(secret.command, secret.owner)  # the value is dropped at once
        except ConfigurationError as exc:
            return str(exc)
        return None
    if secret.env and os.environ.get(secret.env):
        return None
    if secret.block:
        from robots.secrets import secret_block_value

        try:
            if secret_block_value(secret.block):
                return None
        except Exception as exc:  # whatever stops reading the block stops the run as well
            return f"{secret.owner}: {secret.source}: the block cannot be read ({exc})"
    return f"{secret.owner}: {secret.source} not set"


def _status(secret: NeededSecret, missing: set[NeededSecret] | None) -> str:
    # Never the value, nor its length: only whether it is there.
    if missing is None:
        state = "not checked"
    elif secret in missing:
        state = "NOT SET"
    else:
        state = "set, ****"
    return f"{secret.source} ({state})"


def config_summary(
    config: RobotConfig, path: Path, missing: set[NeededSecret] | None = None
) -> str:
    """What ``config`` sets, one section a line; ``missing``: None when secrets were not checked."""
    secrets = {s.owner: s for s in needed_secrets(config)}
    verdict = "OK" if missing is None or not missing else f"{len(missing)} secret(s) NOT SET"
    mail = config.mail
    lines = [
        f"{path}: {verdict}" + (" (secrets not checked)" if missing is None else ""),
        f"mail      {mail.username} @ {mail.host}:{mail.effective_port} ({mail.security})"
        + (f", CA {mail.ca_file}" if mail.ca_file else ""),
        f"          password {_status(secrets['mail'], missing)}",
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
            + (f", password {_status(secrets['notify'], missing)}" if "notify" in secrets else "")
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
            secret = secrets.get(f"cabinet {cabinet.name}")
            password = f"password {_status(secret, missing)}" if secret else "SMS code, no password"
            login = shown(cabinet.login or "", config.privacy.mask_numbers)  # MTS, Kcell: a number
            lines.append(f"    robot: {cabinet.url} as {login}, {password}")
        for key, overrides in (("labels", cabinet.labels), ("titles", cabinet.titles)):
            if overrides:
                pairs = ", ".join(f"«{word}» → «{own}»" for word, own in overrides.items())
                lines.append(f"    {key}: {pairs}")
    return "\n".join(lines)
