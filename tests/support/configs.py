"""Configuration text the unit and integration tests start from."""

from pathlib import Path

from sandbox.world import robot_config_toml

# The two sections every configuration needs: a mailbox (its password from the
# environment variable TEST_MAIL_PW) and Tarifer's inbox, both relative to the file.
MAIL_AND_INBOX = """
[mail]
host = "127.0.0.1"
security = "plain"
username = "robot"
password_env = "TEST_MAIL_PW"

[tarifer]
inbox = "inbox"
"""


def sandbox_like_config(folder: Path, password_env: str) -> Path:
    """The sandbox's configuration (its four cabinets) written into ``folder``, its
    mailbox's password from ``password_env``, Tarifer's inbox and the state beside it."""
    path = folder / "cabinet-robot.toml"
    path.write_text(
        robot_config_toml(
            imap_port=1143,
            username="robot@example.com",
            password_env=password_env,
            tarifer_inbox=folder / "tarifer",
            state_dir=folder / "state",
        )
    )
    return path
