"""Configuration: loading order, errors naming file and key, secrets masked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from cli.main import app
from config.loader import load_config
from robots.errors import ConfigurationError
from support.configs import MAIL_AND_INBOX

EXAMPLE = Path(__file__).parents[2] / "config" / "example.toml"

MINIMAL = (
    MAIL_AND_INBOX
    + """
[[cabinets]]
name = "mts-main"
operator = "mts"
mail_from = ["@mts.ru"]
accounts = [{ id = "277012345678", numbers = ["79161234567"] }]
"""
)


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


def check(*args: str) -> Result:
    """``cabinet-robot config check ARGS``, stderr kept apart from the summary."""
    return CliRunner().invoke(app, ["config", "check", *args])


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("collect", "every day"),
        ("monthly_cycle", "61 * * * *"),
        ("canary", ""),
        ("collect", "H * * * *"),
    ],
)
def test_a_bad_cron_is_refused_at_load_in_one_line(tmp_path: Path, key: str, value: str) -> None:
    path = write(tmp_path, MINIMAL + f'\n[schedule]\n{key} = "{value}"\n')

    result = check("--config", str(path))

    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"cabinet-robot: {path}: schedule.{key}: {value!r} is not a cron")
    assert "e.g. '*/30 * * * *'" in line


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "posixrules", "europe/moscow"])
def test_a_time_zone_prefect_does_not_know_is_refused(tmp_path: Path, zone: str) -> None:
    # posixrules is a file Python's zoneinfo opens, but not an IANA name: Prefect refuses it.
    path = write(tmp_path, MINIMAL + f'\n[schedule]\ntimezone = "{zone}"\n')
    with pytest.raises(
        ConfigurationError, match=rf"schedule\.timezone: unknown time zone '{zone}'"
    ):
        load_config(path)


def test_the_schedules_that_load_are_the_ones_prefect_takes(tmp_path: Path) -> None:
    text = MINIMAL + '\n[schedule]\ntimezone = "Asia/Almaty"\ncollect = "@hourly"\n'
    assert load_config(write(tmp_path, text)).schedule.collect == "@hourly"


A1_CABINET = """
[[cabinets]]
name = "a1-minsk"
operator = "a1"
url = "https://business.a1.by/login"
login = "291234567"
password_env = "A1_PW"
accounts = [{ id = "1234567890123" }]
"""


def test_an_sms_login_needs_an_otp_source(tmp_path: Path) -> None:
    text = MINIMAL + A1_CABINET + 'login_method = "sms"\n'
    with pytest.raises(
        ConfigurationError, match=r"cabinets\[1\] \(a1-minsk\): .*'sms' needs an otp"
    ):
        load_config(write(tmp_path, text))
    with_otp = text + 'otp = { source = "command", command = ["read-sms", "{phone}"] }\n'
    assert load_config(write(tmp_path, with_otp)).cabinets[1].otp is not None


def test_a_login_method_only_a1_has_is_refused_elsewhere(tmp_path: Path) -> None:
    text = MINIMAL.replace('operator = "mts"\n', 'operator = "mts"\nlogin_method = "email"\n')
    with pytest.raises(ConfigurationError, match="login_method 'email' is for the a1 cabinet only"):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "CABINET_ROBOT_MAIL__PORT",
            "abc",
            r"\(mail\.port\): Input should be a valid integer.*'abc'",
        ),
        (
            "CABINET_ROBOT_SCHEDULE__COLLECT",
            "every day",
            r"\(schedule\.collect\): 'every day' is not",
        ),
        (
            "CABINET_ROBOT_SCHEDULE",
            '{"canary": "61 * * * *"}',
            r"\(schedule\.canary\): '61 \* \* \* \*'",
        ),
    ],
)
def test_a_bad_environment_override_is_blamed_on_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as info:
        load_config(write(tmp_path, MINIMAL))
    message = str(info.value)
    assert message.startswith(f"environment variable {variable} "), message
    assert str(tmp_path) not in message
    assert re.search(expected, message), message


def test_an_override_that_is_not_json_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_MAIL", "imap.example.com")
    with pytest.raises(
        ConfigurationError, match="environment variable CABINET_ROBOT_MAIL: not JSON"
    ):
        load_config(write(tmp_path, MINIMAL))


def test_a_section_error_caused_by_the_environment_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CABINET_ROBOT_MAIL__HOST", "imap.example.com")  # with security = plain
    with pytest.raises(
        ConfigurationError, match="with CABINET_ROBOT_MAIL__HOST from the environment"
    ):
        load_config(write(tmp_path, MINIMAL))


ROBOT_CABINET = MINIMAL.replace(
    'operator = "mts"\n',
    'operator = "mts"\nurl = "https://lk.mts.ru/"\nlogin = "9161234567"\n'
    'password_env = "TEST_MTS_PW"\n',
)


def test_config_check_fails_when_a_password_is_not_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_MAIL_PW", "mail-secret")
    monkeypatch.delenv("TEST_MTS_PW", raising=False)
    path = write(tmp_path, ROBOT_CABINET)

    result = check("--config", str(path))

    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"cabinet-robot: {path}: cabinet mts-main: $TEST_MTS_PW not set")
    assert "--no-secrets" in line and "mail-secret" not in result.output
    assert result.stdout.startswith(f"{path}: 1 secret(s) NOT SET")
    assert "$TEST_MTS_PW (NOT SET)" in result.stdout

    monkeypatch.setenv("TEST_MTS_PW", "mts-secret")
    passed = check("--config", str(path))
    assert passed.exit_code == 0, passed.output
    assert passed.stdout.startswith(f"{path}: OK\n") and "mts-secret" not in passed.output


def test_config_check_names_every_section_missing_its_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TEST_MAIL_PW", "TEST_MTS_PW", "TEST_SMTP_PW"):
        monkeypatch.delenv(name, raising=False)
    notify = """
[notify]
to = ["accounting@example.com"]
sender = "robot@example.com"
smtp_host = "127.0.0.1"
username = "robot"
password_env = "TEST_SMTP_PW"
"""
    result = check("--config", str(write(tmp_path, ROBOT_CABINET + notify)))

    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "mail: $TEST_MAIL_PW not set; notify: $TEST_SMTP_PW not set; cabinet mts-main" in line


def test_config_check_without_secrets_checks_only_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_MAIL_PW", raising=False)
    monkeypatch.delenv("TEST_MTS_PW", raising=False)
    path = write(tmp_path, ROBOT_CABINET)

    result = check("--config", str(path), "--no-secrets")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: OK (secrets not checked)")
    assert "$TEST_MTS_PW (not checked)" in result.stdout and result.stderr == ""


def test_an_sms_login_needs_no_password_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_MAIL_PW", "x")
    monkeypatch.delenv("A1_PW", raising=False)
    text = MINIMAL + A1_CABINET + 'login_method = "sms"\notp = { source = "prompt" }\n'

    result = check("--config", str(write(tmp_path, text)))

    assert result.exit_code == 0, result.output
    assert "SMS code, no password" in result.stdout


def test_a_cabinet_says_what_its_operator_is_called(tmp_path: Path) -> None:
    text = MINIMAL + 'recognition = { tax_ids = ["191234567"], names = ["ООО «Бизнес Связь»"] }\n'
    recognition = load_config(write(tmp_path, text)).cabinets[0].recognition
    assert recognition is not None
    assert (recognition.tax_ids, recognition.names) == (("191234567",), ("ООО «Бизнес Связь»",))


@pytest.mark.parametrize(
    "value, message",
    [
        ('{ tax_ids = ["19-12"] }', r"cabinets\[0\].*tax_ids"),
        ("{}", "neither tax_ids nor names"),
        ('{ inn = ["191234567"] }', r"inn"),
    ],
)
def test_a_bad_recognition_is_refused_at_load(tmp_path: Path, value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_config(write(tmp_path, MINIMAL + f"recognition = {value}\n"))


@pytest.mark.parametrize("mask", [True, False], ids=["masked", "mask_numbers-false"])
def test_config_check_masks_a_login_that_is_a_subscriber_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mask: bool
) -> None:
    monkeypatch.setenv("TEST_MAIL_PW", "x")
    text = MINIMAL + (
        'url = "https://lk.mts.ru"\nlogin = "79161234567"\npassword_env = "TEST_MTS_PW"\n'
    )
    if not mask:
        text += "\n[privacy]\nmask_numbers = false\n"
    path = write(tmp_path, text)
    assert load_config(path).privacy.mask_numbers is mask
    result = CliRunner().invoke(app, ["config", "check", "--no-secrets", "--config", str(path)])
    assert result.exit_code == 0, result.output
    login = "+7 916 ***-**-67" if mask else "79161234567"
    assert f"robot: https://lk.mts.ru/ as {login}, password" in result.output


def test_healing_is_off_unless_enabled_and_its_threshold_is_checked(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, MINIMAL)).healing.enabled is False
    on = load_config(write(tmp_path, MINIMAL + "\n[healing]\nenabled = true\nthreshold = 0.8\n"))
    assert (on.healing.enabled, on.healing.threshold, on.healing.wait_s) == (True, 0.8, 3)
    for bad in ("threshold = 0.3", "threshold = 1.5", "wait_s = 0", "enable = true"):
        with pytest.raises(ConfigurationError, match=r"healing\."):
            load_config(write(tmp_path, MINIMAL + f"\n[healing]\n{bad}\n"))
