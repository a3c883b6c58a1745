"""A password printed by a command: ``password_command = ["pass", "show", "mts"]``.

Companies keep passwords in a password store (pass, gopass, a Vault CLI, a keyring
tool), not in environment variables. The command runs each time the password is
needed, without a shell, with a timeout; its first line of output is the password. It
is never written anywhere: not cached on disk, not logged, not put in an error. Its
stderr is discarded unread, since a store's diagnostics may echo what it holds.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from pydantic import SecretStr

from robots.errors import ConfigurationError

TIMEOUT_S = 30.0  # a store that unlocks with an agent answers in well under a second


def run_password_command(
    command: Sequence[str], owner: str, timeout_s: float = TIMEOUT_S
) -> SecretStr:
    """The first line ``command`` prints; ConfigurationError naming ``owner`` and the
    command's first word (never its output) when it fails or prints nothing.

    Args:
        command: The program and its arguments, run as they are (no shell).
        owner: Who the password is for, as the errors name it: ``cabinet mts-main``, ``mail``.
        timeout_s: How long the command may take.
    """
    program = command[0]
    why = f"{owner}: password_command {program!r}"
    try:
        done = subprocess.run(
            list(command),
            stdin=subprocess.DEVNULL,  # a command that would prompt fails instead of hanging
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=timeout_s,
            check=False,
        )
    except FileNotFoundError:
        raise ConfigurationError(f"{why} not found: install it or give its full path") from None
    except PermissionError:
        raise ConfigurationError(f"{why} cannot be run (not executable)") from None
    except OSError as exc:
        raise ConfigurationError(f"{why} cannot be run: {exc.strerror}") from None
    except subprocess.TimeoutExpired:
        raise ConfigurationError(
            f"{why} did not finish within {timeout_s:g} s: run it by hand to see why"
        ) from None
    if done.returncode != 0:
        raise ConfigurationError(
            f"{why} failed (exit {done.returncode}): run it by hand to see why"
        )
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise ConfigurationError(f"{why} printed no password on its first line")
    return SecretStr(password)
