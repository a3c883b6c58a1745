"""``config check`` reads a cabinet's Prefect Secret block from a real Prefect server."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect.blocks.system import Secret
from typer.testing import CliRunner

from cli.main import app
from support.configs import MAIL_AND_INBOX

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("prefect-secret-block"),  # one harness per module
    pytest.mark.usefixtures("prefect_server"),
]

CONFIG = (
    MAIL_AND_INBOX
    + """
[[cabinets]]
name = "mts-main"
operator = "mts"
url = "https://lk.mts.ru/"
login = "9161234567"
password_secret = "mts-main-password"
"""
)


def test_a_secret_block_that_does_not_exist_fails_the_check_until_it_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_MAIL_PW", "mail-secret")
    path = tmp_path / "robot.toml"
    path.write_text(CONFIG, encoding="utf-8")

    missing = CliRunner().invoke(app, ["config", "check", "--config", str(path)])

    assert missing.exit_code == 2
    assert missing.stderr.splitlines() == [
        f"cabinet-robot: {path}: cabinet mts-main: Prefect Secret block 'mts-main-password' "
        "not set (set them, or check a file meant for another machine with --no-secrets)"
    ]

    Secret(value="block-secret").save("mts-main-password")
    found = CliRunner().invoke(app, ["config", "check", "--config", str(path)])

    assert found.exit_code == 0, found.output
    assert "Prefect Secret block 'mts-main-password' (set, ****)" in found.stdout
    assert "block-secret" not in found.output
