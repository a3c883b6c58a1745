"""``password_command``: a real script prints the password, each time it is needed."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from robots.errors import ConfigurationError
from robots.password_command import run_password_command
from robots.secrets import cabinet_password

SECRET = "Pa55-from-the-store"

CONFIG = """
[mail]
host = "127.0.0.1"
security = "plain"
username = "robot"
{mail_password}

[tarifer]
inbox = "inbox"

[state]
dir = "state"

[[cabinets]]
name = "mts-main"
operator = "mts"
url = "https://lk.mts.ru/"
login = "9161234567"
{cabinet_password}
"""


def store(tmp_path: Path, body: str, name: str = "fake-pass") -> Path:
    """An executable Python script standing for a password store's command line (in a
    folder of its own: the script holds the password it prints)."""
    (tmp_path / "store").mkdir(exist_ok=True)
    script = tmp_path / "store" / name
    script.write_text(f"#!{sys.executable}\nimport sys, pathlib, time\n{body}\n", encoding="utf-8")
    script.chmod(0o700)
    return script


def write_config(tmp_path: Path, mail_password: str, cabinet_password: str) -> Path:
    path = tmp_path / "cabinet-robot.toml"
    text = CONFIG.format(mail_password=mail_password, cabinet_password=cabinet_password)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def command_line(script: Path, *args: str) -> str:
    return "password_command = [" + ", ".join(f'"{part}"' for part in (script, *args)) + "]"


def test_the_cabinet_password_is_what_the_command_prints_each_time_it_is_needed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The store prints the password, then other lines (pass keeps notes below it), and
    # tells on stderr what it unlocked: a new value each run shows it was run again.
    calls = tmp_path / "calls"
    script = store(
        tmp_path,
        f"n = len(pathlib.Path({str(calls)!r}).read_text()) if pathlib.Path({str(calls)!r})"
        f".exists() else 0\n"
        f"pathlib.Path({str(calls)!r}).write_text('x' * (n + 1))\n"
        f"assert sys.argv[1:] == ['show', 'mts']\n"
        f"print({SECRET!r} + str(n))\nprint('login: 9161234567')\n"
        f"print('unlocked ' + {SECRET!r}, file=sys.stderr)",
    )
    path = write_config(
        tmp_path, 'password_env = "TEST_MAIL_PW"', command_line(script, "show", "mts")
    )
    cabinet = load_config(path).cabinets[0]

    with caplog.at_level(logging.DEBUG):
        first = cabinet_password(cabinet)
        second = cabinet_password(cabinet)

    assert (first, second) == (f"{SECRET}0", f"{SECRET}1")
    assert SECRET not in caplog.text
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "store" not in p.parts]
    left = [p for p in written if SECRET.encode() in p.read_bytes()]
    assert left == [], "the password was written to disk"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (f"print({SECRET!r}); print({SECRET!r}, file=sys.stderr); sys.exit(3)", "failed (exit 3)"),
        (f"print(''); print({SECRET!r})", "printed no password on its first line"),
        ("pass", "printed no password on its first line"),
    ],
)
def test_a_command_that_fails_or_prints_nothing_is_a_clear_error_without_its_output(
    tmp_path: Path, body: str, why: str
) -> None:
    script = store(tmp_path, body)
    path = write_config(tmp_path, 'password_env = "TEST_MAIL_PW"', command_line(script))

    with pytest.raises(ConfigurationError) as info:
        cabinet_password(load_config(path).cabinets[0])

    message = str(info.value)
    assert message.startswith(f"cabinet mts-main: password_command {str(script)!r} {why}")
    assert SECRET not in message


def test_a_command_that_hangs_is_stopped_at_its_timeout(tmp_path: Path) -> None:
    script = store(tmp_path, "time.sleep(30)")

    with pytest.raises(ConfigurationError, match=r"did not finish within 0\.5 s"):
        run_password_command([str(script)], "mail", timeout_s=0.5)


def test_a_command_that_is_not_installed_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="mail: password_command 'no-such-pass' not found"):
        run_password_command(["no-such-pass", "show", "mail"], "mail")


def test_the_mail_password_comes_from_its_command(tmp_path: Path) -> None:
    script = store(tmp_path, f"print({SECRET!r})")
    path = write_config(tmp_path, command_line(script), 'password_env = "TEST_MTS_PW"')

    mail = load_config(path).mail

    assert mail.password().get_secret_value() == SECRET
    assert mail.password_source == f"password_command {str(script)!r}"


@pytest.mark.parametrize(
    ("mail_password", "cabinet_password", "error"),
    [
        (
            'password_env = "TEST_MAIL_PW"',
            'password_env = "TEST_MTS_PW"\npassword_command = ["pass", "show", "mts"]',
            "cabinet 'mts-main': the password is given by password_command and password_env: "
            "keep one of them",
        ),
        (
            'password_env = "TEST_MAIL_PW"',
            'password_secret = "mts-main"\npassword_command = ["pass", "show", "mts"]',
            "cabinet 'mts-main': the password is given by password_command and "
            "password_secret: keep one of them",
        ),
        (
            'password_env = "TEST_MAIL_PW"\npassword_command = ["pass", "show", "mail"]',
            'password_env = "TEST_MTS_PW"',
            "mail: the password is given by password_env and password_command: keep one of them",
        ),
        ("", 'password_env = "TEST_MTS_PW"', "mail: no password source"),
        ("password_command = []", 'password_env = "TEST_MTS_PW"', "mail.password_command"),
    ],
)
def test_each_password_has_exactly_one_source(
    tmp_path: Path, mail_password: str, cabinet_password: str, error: str
) -> None:
    with pytest.raises(ConfigurationError, match=error.replace("(", r"\(")) as info:
        load_config(write_config(tmp_path, mail_password, cabinet_password))
    assert len(str(info.value).splitlines()) == 1


def test_config_check_runs_the_command_and_masks_what_it_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_MAIL_PW", "mail-secret")
    script = store(tmp_path, f"print({SECRET!r})")
    path = write_config(tmp_path, 'password_env = "TEST_MAIL_PW"', command_line(script))

    passed = CliRunner().invoke(app, ["config", "check", "--config", str(path)])

    assert passed.exit_code == 0, passed.output
    assert f"password password_command {str(script)!r} (set, ****)" in passed.stdout
    assert SECRET not in passed.output

    store(tmp_path, f"print({SECRET!r}); sys.exit(1)")
    failed = CliRunner().invoke(app, ["config", "check", "--config", str(path)])

    assert failed.exit_code == 2
    [line] = failed.stderr.splitlines()
    assert f"cabinet mts-main: password_command {str(script)!r} failed (exit 1)" in line
    assert SECRET not in failed.output
