"""A configuration file that holds a secret must be its owner's alone; the inbox's group."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from config.loader import load_config
from config.models import TariferSettings
from robots.delivery import TariferInbox
from robots.errors import ConfigurationError
from robots.ledger import Ledger
from robots.permissions import inbox_access
from support.configs import MAIL_AND_INBOX

CONFIG = (
    MAIL_AND_INBOX
    + """
[[cabinets]]
name = "mts-main"
operator = "mts"
{cabinet}
"""
)


def write(tmp_path: Path, cabinet: str, mode: int) -> Path:
    path = tmp_path / "cabinet-robot.toml"
    path.write_text(CONFIG.format(cabinet=cabinet), encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("mode", "who"), [(0o644, "group and others"), (0o640, "group"), (0o604, "others")]
)
def test_a_readable_file_with_a_password_in_it_is_refused_in_one_line(
    tmp_path: Path, mode: int, who: str
) -> None:
    path = write(tmp_path, 'password = "hunter2"', mode)

    with pytest.raises(ConfigurationError) as info:
        load_config(path)

    assert str(info.value) == (
        f"{path}: cabinets[0].password holds a secret and the file is readable by {who} "
        f"(mode {mode:04o}): run chmod 600 {path}, or move the secret out of the file "
        "(password_env, password_command)"
    )


@pytest.mark.parametrize("key", ["api_token", "client_secret", "smtp_passwd", "session_cookie"])
def test_every_key_named_like_a_secret_counts(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigurationError, match=f"cabinets\\[0\\].{key} holds a secret"):
        load_config(write(tmp_path, f'{key} = "x1"', 0o644))


def test_the_same_file_readable_by_its_owner_only_is_judged_on_its_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="password: Extra inputs are not permitted"):
        load_config(write(tmp_path, 'password = "hunter2"', 0o600))


def test_keys_that_only_say_where_a_password_is_are_no_secret(tmp_path: Path) -> None:
    where = (
        'url = "https://lk.mts.ru/"\nlogin = "9161234567"\npassword_secret = "mts-main"\n'
        'password_env = "TEST_MTS_PW"'
    )
    assert load_config(write(tmp_path, where, 0o644)).cabinets[0].password_secret == "mts-main"
    command = 'url = "https://lk.mts.ru/"\nlogin = "9161234567"\npassword_command = ["pass", "mts"]'
    assert load_config(write(tmp_path, command, 0o644)).cabinets[0].password_command


def test_an_empty_secret_key_in_a_readable_file_gives_nothing_away(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="Extra inputs are not permitted"):
        load_config(write(tmp_path, 'password = ""', 0o644))


def test_a_group_unknown_on_this_machine_is_named(tmp_path: Path) -> None:
    settings = TariferSettings(inbox=tmp_path / "inbox", group="no-such-tarifer-group")

    with pytest.raises(
        ConfigurationError, match=r"tarifer\.group 'no-such-tarifer-group': no such"
    ):
        inbox_access(settings)


def test_the_ledger_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    import os

    previous = os.umask(0o022)
    try:
        ledger = Ledger(f"sqlite:///{tmp_path / 'state' / 'ledger.sqlite3'}")
        ledger.document_count()
        ledger.close()
    finally:
        os.umask(previous)
    made = [tmp_path / "state", *(tmp_path / "state").iterdir()]
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in made} == {
        "state": "0o700",
        **{p.name: "0o600" for p in made[1:]},
    }


def test_a_manifest_an_older_version_made_readable_by_all_is_made_private(tmp_path: Path) -> None:
    inbox = TariferInbox(tmp_path / "inbox")
    inbox.prepare()
    inbox.manifest.write_text("")
    inbox.manifest.chmod(0o644)

    inbox.append_manifest([])

    assert stat.S_IMODE(inbox.manifest.stat().st_mode) == 0o600
    assert stat.S_IMODE(inbox.root.stat().st_mode) == 0o700


# Another process asks for the byte range of SQLite's SHARED locks (unix VFS): it gets it
# only when no connection holds one.
PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002)
except OSError:
    print("held")
else:
    print("free")
"""


def _shared_lock_seen_from_another_process(database: Path) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(database)], capture_output=True, text=True, check=True
    )
    return probe.stdout.strip() == "held"


def test_opening_the_ledger_again_keeps_the_locks_an_open_connection_holds(
    tmp_path: Path,
) -> None:
    """Closing any descriptor of a file drops the process's POSIX locks on it: a second
    ``Ledger`` must not open the file beside a live connection, or another process could
    checkpoint and remove the WAL under it (the ledger was seen corrupted that way)."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    first = Ledger(url)
    with first.engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM documents")).scalar()
        assert _shared_lock_seen_from_another_process(tmp_path / "ledger.sqlite3")
        second = Ledger(url)  # as another thread of the robot opens it
        assert _shared_lock_seen_from_another_process(tmp_path / "ledger.sqlite3")
        second.close()
    first.close()
