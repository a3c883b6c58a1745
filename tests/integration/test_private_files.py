"""What a real collection leaves on disk is its user's alone, and the inbox its group's.

``cabinet-robot collect`` runs as operators run it, under the common umask 022, on a
real Dovecot with a month of mail (a file waits in review, one message is quarantined),
the mailbox's password printed by a password store's command.
"""

from __future__ import annotations

import grp
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from robots.domain import Period
from sandbox.mailserver import Mailbox
from sandbox.mailset import month_of_mail
from sandbox.world import robot_config_toml

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "cli.main"]


@pytest.fixture
def common_umask() -> Iterator[None]:
    """Files made under the usual umask would be readable by everyone: the robot must not be."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def password_store(tmp_path: Path, password: str) -> Path:
    """A script standing for ``pass show robot-mail``: prints the password, chatters on stderr."""
    script = tmp_path / "store" / "fake-pass"
    script.parent.mkdir()
    script.write_text(
        f"#!{sys.executable}\nimport sys\nprint({password!r})\n"
        "print('gpg: decrypted with the robot key', file=sys.stderr)\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    return script


def collect(
    mailbox: Mailbox, tmp_path: Path, tarifer: str = ""
) -> subprocess.CompletedProcess[str]:
    """Deliver a month of mail and run ``cabinet-robot collect`` on it."""
    mailbox.deliver_many(
        letter.message for letter in month_of_mail(Period.parse("2026-10"), mailbox.address)
    )
    script = password_store(tmp_path, mailbox.password)
    text = robot_config_toml(
        imap_port=mailbox.port,
        username=mailbox.username,
        password_env="UNUSED",
        tarifer_inbox=tmp_path / "tarifer",
        state_dir=tmp_path / "state",
    )
    text = text.replace(
        'password_env = "UNUSED"', f'password_command = ["{script}", "show", "robot-mail"]'
    )
    text = text.replace("[tarifer]\n", f"[tarifer]\n{tarifer}", 1)
    config = tmp_path / "cabinet-robot.toml"
    config.write_text(text, encoding="utf-8")
    return subprocess.run(
        [*CLI, "collect", "--config", str(config), "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def modes(root: Path) -> dict[str, tuple[str, int]]:
    """Every folder and file under ``root`` (``root`` included) → (mode, group id)."""
    found = {}
    for path in [root, *root.rglob("*")]:
        info = path.stat()
        found[str(path.relative_to(root.parent))] = (oct(stat.S_IMODE(info.st_mode)), info.st_gid)
    return found


def split(found: dict[str, tuple[str, int]], root: Path) -> tuple[set[str], set[str]]:
    """The modes of the folders and of the files."""
    folders = {mode for name, (mode, _) in found.items() if (root.parent / name).is_dir()}
    files = {mode for name, (mode, _) in found.items() if not (root.parent / name).is_dir()}
    return folders, files


@pytest.mark.usefixtures("common_umask")
def test_a_collection_leaves_every_folder_0700_and_every_file_0600(
    mailbox: Mailbox, tmp_path: Path
) -> None:
    result = collect(mailbox, tmp_path)

    assert result.returncode == 0, result.stderr
    state, inbox = tmp_path / "state", tmp_path / "tarifer"
    # What a run keeps: the ledger (and SQLite's journal), the lock, the log, the review queue.
    for kept in ("ledger.sqlite3", "collect.lock", "logs/cabinet-robot.log", "review", "spool"):
        assert (state / kept).exists(), kept
    assert list((state / "review").iterdir()), "nothing waits in review: the month changed"
    assert (inbox / "manifest.jsonl").exists() and (inbox / ".staging").is_dir()
    for root in (state, inbox):
        found = modes(root)
        assert split(found, root) == ({"0o700"}, {"0o600"}), found
    assert "gpg:" not in result.stderr + result.stdout
    assert mailbox.password not in result.stderr + result.stdout


def shareable_group() -> grp.struct_group:
    """A group the robot's user may give files to, other than its own."""
    if os.geteuid() == 0:
        candidates = [g for g in grp.getgrall() if g.gr_gid != os.getgid()]
    else:
        candidates = [grp.getgrgid(gid) for gid in os.getgroups() if gid != os.getgid()]
    if not candidates:
        pytest.skip("the user running the tests is in no group but its own: nothing to give to")
    return candidates[0]


@pytest.mark.usefixtures("common_umask")
def test_the_inbox_is_readable_by_tarifers_group_and_the_state_is_not(
    mailbox: Mailbox, tmp_path: Path
) -> None:
    group = shareable_group()

    result = collect(mailbox, tmp_path, tarifer=f'group = "{group.gr_name}"\n')

    assert result.returncode == 0, result.stderr
    inbox = tmp_path / "tarifer"
    found = modes(inbox)
    staging = {
        name: mode
        for name, mode in found.items()
        if "/.staging" in name or name.endswith(".staging")
    }
    shared = {name: mode for name, mode in found.items() if name not in staging}
    assert staging == {"tarifer/.staging": ("0o700", staging["tarifer/.staging"][1])}
    folders = {mode for name, mode in shared.items() if (tmp_path / name).is_dir()}
    files = {mode for name, mode in shared.items() if not (tmp_path / name).is_dir()}
    assert folders == {("0o750", group.gr_gid)}, shared
    assert files == {("0o640", group.gr_gid)}, shared
    assert len([name for name in shared if name.endswith(".pdf")]) > 1
    state = tmp_path / "state"
    assert split(modes(state), state) == ({"0o700"}, {"0o600"})
