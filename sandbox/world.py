"""The sandbox's company: its accounts and numbers at each operator, and the robot's
configuration for talking to the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from robots.domain import Operator

if TYPE_CHECKING:
    from sandbox.mailserver import Mailbox


@dataclass(frozen=True)
class SandboxAccount:
    operator: Operator
    id: str
    numbers: tuple[str, ...]


ACCOUNTS: tuple[SandboxAccount, ...] = (
    SandboxAccount(Operator.MTS, "277012345678", ("79161234567", "79161234568", "79161234569")),
    SandboxAccount(Operator.MTS, "277012345679", ("79167654321",)),
    SandboxAccount(Operator.KCELL, "1040123456", ("77012223344", "77012223345")),
    SandboxAccount(Operator.A1, "1234567890123", ("375291234567", "375291234568")),
    SandboxAccount(Operator.SIP, "1100023456", ("375172345678", "375172345679")),
)

SENDER_DOMAINS: dict[Operator, str] = {
    Operator.MTS: "mts.ru",
    Operator.KCELL: "kcell.kz",
    Operator.A1: "a1.by",
    Operator.SIP: "siptelecom.by",
}


def accounts_of(operator: Operator) -> tuple[SandboxAccount, ...]:
    return tuple(a for a in ACCOUNTS if a.operator is operator)


def robot_config_toml(
    *,
    imap_port: int,
    username: str,
    password_env: str,
    tarifer_inbox: Path,
    state_dir: Path,
    download_hosts: tuple[str, ...] = ("127.0.0.1",),
) -> str:
    """A complete cabinet-robot.toml for the sandbox (plain IMAP on loopback)."""
    hosts = ", ".join(f'"{h}"' for h in download_hosts)
    lines = [
        "# Generated for the sandbox: plain IMAP is allowed because the server is on loopback.",
        "[mail]",
        'host = "127.0.0.1"',
        f"port = {imap_port}",
        'security = "plain"',
        f'username = "{username}"',
        f'password_env = "{password_env}"',
        "",
        "[tarifer]",
        f'inbox = "{tarifer_inbox}"',
        "",
        "[state]",
        f'dir = "{state_dir}"',
    ]
    for operator in Operator:
        lines += [
            "",
            "[[cabinets]]",
            f'name = "{operator}-sandbox"',
            f'operator = "{operator}"',
            f'mail_from = ["@{SENDER_DOMAINS[operator]}"]',
            f"download_hosts = [{hosts}]",
            "accounts = [",
        ]
        for account in accounts_of(operator):
            numbers = ", ".join(f'"{n}"' for n in account.numbers)
            lines.append(f'    {{ id = "{account.id}", numbers = [{numbers}] }},')
        lines.append("]")
    return "\n".join(lines) + "\n"


def write_robot_config(
    directory: Path, mailbox: Mailbox, password_env: str, extra: str = ""
) -> Path:
    """Write ``directory/cabinet-robot.toml`` for ``mailbox``; Tarifer's inbox and the
    state go beside it. ``extra`` is appended (e.g. a ``[limits]`` section).
    """
    path = directory / "cabinet-robot.toml"
    text = robot_config_toml(
        imap_port=mailbox.port,
        username=mailbox.username,
        password_env=password_env,
        tarifer_inbox=directory / "tarifer",
        state_dir=directory / "state",
    )
    path.write_text(text + extra, encoding="utf-8")
    return path
