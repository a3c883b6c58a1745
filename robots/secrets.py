"""Where a cabinet's password comes from: a command, a Prefect Secret block, else the
environment.

``password_command`` asks the company's password store each time the password is
needed. A worker on another machine reads the block from the Prefect server it works
for, so nobody sets environment variables there by hand; ``password_env`` stays the
simple choice for one machine.
"""

from __future__ import annotations

import logging

from config.models import CabinetSettings, read_secret
from robots.errors import ConfigurationError
from robots.password_command import run_password_command

log = logging.getLogger(__name__)


def cabinet_password(cabinet: CabinetSettings) -> str:
    """The password of ``cabinet``'s login; ConfigurationError saying where it looked."""
    what = f"cabinet {cabinet.name}"
    if cabinet.password_command:
        return run_password_command(cabinet.password_command, what).get_secret_value()
    if cabinet.password_secret:
        found = secret_block_value(cabinet.password_secret)
        if found:
            return found
        if not cabinet.password_env:
            raise ConfigurationError(
                f"{what}: the Prefect Secret block {cabinet.password_secret!r} cannot be read "
                "(create it in the Prefect UI or with Secret(value=...).save(name))"
            )
        log.info("%s: Secret block %r not readable; using $%s", what, cabinet.password_secret,
                 cabinet.password_env)  # fmt: skip
    return read_secret(cabinet.password_env or "", what).get_secret_value()


def secret_block_value(name: str) -> str | None:
    """The text in the Prefect Secret block ``name``, or None where there is no such block."""
    from prefect.blocks.system import Secret

    try:
        block: Secret[str] = Secret.load(name, _sync=True)  # type: ignore[call-arg,assignment]
    except ValueError:  # Prefect's answer for a block that does not exist
        return None
    value = block.get()
    return value if isinstance(value, str) and value else None
