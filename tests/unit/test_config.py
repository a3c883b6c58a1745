"""Configuration: loading order, errors naming file and key, secrets masked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from robots.errors import ConfigurationError

EXAMPLE = Path(__file__).parents[2] / "config" / "example.toml"

MINIMAL = """
[mail]
host = "127.0.0.1"
security = "plain"
username = "robot"
password_env = "TEST_MAIL_PW"

[tarifer]
inbox = "inbox"

[[cabinets]]
name = "mts-main"
operator = "mts"
mail_from = ["@mts.ru"]
accounts = [{ id = "277012345678", numbers = ["79161234567"] }]
"""


def write(tmp_path: Path, text: str, name: str = "cabinet-robot.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_is_valid() -> None:
    config = load_config(EXAMPLE)
    assert config.mail.effective_port == 993
    assert [c.name for c in config.cabinets] == ["sip-main", "kcell-almaty", "mts-main", "a1-minsk"]
    assert [c.has_login for c in config.cabinets] == [True, False, True, True]
    assert config.cabinets[2].email == "robot@example.com"
    assert (config.cabinets[3].login_method, config.cabinets[3].role) == ("password", "supervisor")


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    assert config.tarifer.inbox == tmp_path / "inbox"
    assert config.state.dir == tmp_path / "var" / "state"
    assert config.mail.effective_port == 143


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = write(tmp_path, MINIMAL.replace('"robot"', '"from-env"'), "env.toml")
    monkeypatch.chdir(tmp_path)
    write(tmp_path, MINIMAL)
    assert load_config().mail.username == "robot"
    monkeypatch.setenv("CABINET_ROBOT_CONFIG", str(env_file))
    assert load_config().mail.username == "from-env"
    assert load_config(tmp_path / "cabinet-robot.toml").mail.username == "robot"


def test_missing_file_says_how_to_give_one(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigurationError, match=r"not found \(give --config PATH or set CABINET_ROBOT_CONFIG\)"
    ):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("port = 143", 'port = "x"'), r"mail\.port: Input should be a valid integer"),
        (('"79161234567"', '"12"'), r"cabinets\[0\] \(mts-main\)\.accounts\[0\]\.numbers\[0\]"),
        (('operator = "mts"', 'operator = "beeline"'), r"cabinets\[0\] \(mts-main\)\.operator"),
        (
            ('username = "robot"', 'username = "robot"\npasword = "x"'),
            r"mail\.pasword: Extra inputs",
        ),
        (('host = "127.0.0.1"', 'host = "imap.example.com"'), r"plain.*loopback"),
        (("[tarifer]", "[tarifer"), r"invalid TOML"),
        (('id = "277012345678"', 'id = "../../etc"'), r"accounts\[0\]\.id"),
    ],
)
def test_errors_name_the_file_and_the_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    text = MINIMAL.replace('security = "plain"', 'security = "plain"\nport = 143')
    path = write(tmp_path, text.replace(*change))
    with pytest.raises(ConfigurationError) as info:
        load_config(path)
    assert str(info.value).startswith(str(path))

    assert re.search(expected, str(info.value)), str(info.value)


def test_a_number_on_two_accounts_is_refused(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + """
[[cabinets]]
name = "mts-second"
operator = "mts"
accounts = [{ id = "277000000001", numbers = ["79161234567"] }]
"""
    )
    with pytest.raises(ConfigurationError, match="79161234567 is on two accounts"):
        load_config(write(tmp_path, text))


def test_environment_overrides_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CABINET_ROBOT_MAIL__USERNAME", "other")
    assert load_config(write(tmp_path, MINIMAL)).mail.username == "other"


def test_password_is_read_from_the_named_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    monkeypatch.delenv("TEST_MAIL_PW", raising=False)
    with pytest.raises(ConfigurationError, match="TEST_MAIL_PW is not set"):
        config.mail.password()
    monkeypatch.setenv("TEST_MAIL_PW", "s3cr3t-value")
    assert config.mail.password().get_secret_value() == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(config.mail.password())


def test_config_check_masks_the_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_MAIL_PW", "very-secret-password")
    result = CliRunner().invoke(app, ["config", "check", "--config", str(write(tmp_path, MINIMAL))])
    assert result.exit_code == 0, result.output
    assert "very-secret-password" not in result.output
    assert "$TEST_MAIL_PW (set, ****)" in result.output
    assert "mts-main (mts): 1 account(s), 1 number(s)" in result.output


def test_config_check_fails_with_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('operator = "mts"', 'operator = "beeline"'))
    result = CliRunner().invoke(app, ["config", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "cabinets[0] (mts-main).operator" in result.output


def test_a_cabinet_the_robot_logs_into_needs_all_three_keys(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'operator = "mts"\n', 'operator = "mts"\nurl = "https://lk.mts.ru/"\nlogin = "9161234567"\n'
    )
    with pytest.raises(ConfigurationError, match="password_env missing") as info:
        load_config(write(tmp_path, text))
    assert "cabinets[0]" in str(info.value)


def test_a_cabinet_with_a_login_and_the_browser_section(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace(
            'operator = "mts"\n',
            'operator = "mts"\nurl = "https://lk.mts.ru/"\nlogin = "9161234567"\n'
            'password_env = "MTS_PW"\n',
        )
        + '\n[browser]\nexecutable_path = "/opt/chromium/chrome"\nheadless = false\n'
    )
    config = load_config(write(tmp_path, text))
    assert config.cabinets[0].has_login
    assert str(config.cabinets[0].url) == "https://lk.mts.ru/"
    assert config.browser.chromium == Path("/opt/chromium/chrome")
    assert config.browser.headless is False
