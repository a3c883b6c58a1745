"""What robot sessions leave on disk: no password, SMS code or cookie value in any file
under the state folder or TMPDIR (zips and HARs looked into), after a session that
passed, one that failed and kept evidence, one interrupted while keeping it, and one
killed outright; evidence owner-only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api._generated import Tracing  # not exported by the package

from config.loader import load_config
from config.models import RobotConfig
from robots.cabinets import OrderRequest, find_cabinet, open_robot
from robots.domain import DocumentKind, Period
from robots.errors import OrderRefused
from robots.scenarios.record import file_parts
from robots.scenarios.scrub import encodings
from sandbox.stack import Sandbox

pytestmark = [
    pytest.mark.integration,
    pytest.mark.parametrize("sandbox_options", [{"mts_sms": True}], indirect=True),
]

CABINET, ACCOUNT, PHONE = "mts-sandbox", "277012345678", "79161234567"
TOO_OLD = Period.of(dt.date.today().replace(day=1) - dt.timedelta(days=250))
REFUSED = OrderRequest(DocumentKind.CALL_DETAILS, TOO_OLD, ACCOUNT)  # «шести месяцев»


@pytest.fixture
def temporary(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """TMPDIR of this test alone (for Python and the Playwright driver it starts)."""
    # Short: Chromium puts a socket in it, whose path may not exceed 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="tmpdir-"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def config(sandbox: Sandbox) -> RobotConfig:
    return load_config(sandbox.config_path)


class Secrets:
    """What must not be on disk: the password, the SMS codes, every cookie value seen."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.values = {os.environ["CABINET_ROBOT_MTS_PASSWORD"]}

    def note(self, cookies: list[Any]) -> None:
        # Not a one-letter flag or a language: such values would be found anywhere.
        self.values |= {cookie["value"] for cookie in cookies if len(cookie["value"]) >= 8}
        sms = self.sandbox.cabinet("mts").last_sms(PHONE)
        if sms:
            self.values.add(sms["code"])

    def found_in(self, *folders: Path, skip: tuple[Path, ...] = ()) -> list[str]:
        patterns = [
            re.compile(rb"(?<![A-Za-z0-9])" + re.escape(form.encode()) + rb"(?![A-Za-z0-9])")
            for value in self.values
            for form in encodings(value)
        ]
        leaks = []
        for folder in folders:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if path in skip:
                    continue
                for where, data in file_parts(str(path), path.read_bytes()):
                    if any(pattern.search(data) for pattern in patterns):
                        leaks.append(where)
        return leaks


def modes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): oct(p.stat().st_mode & 0o777) for p in folder.rglob("*")}


def test_a_passed_a_failed_and_an_interrupted_session_leave_no_secret(
    sandbox: Sandbox,
    config: RobotConfig,
    temporary: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cabinet, secrets = find_cabinet(config, CABINET), Secrets(sandbox)
    with open_robot(config, cabinet) as robot:  # logs in: password and SMS code typed
        assert {a.id for a in robot.accounts()} >= {ACCOUNT}
        secrets.note(robot.session.context.cookies())

    with pytest.raises(OrderRefused) as refused, open_robot(config, cabinet) as robot:
        secrets.note(robot.session.context.cookies())
        robot.order(REFUSED)
    evidence = refused.value.evidence
    assert evidence is not None and (evidence / "trace.zip").exists()

    # Ctrl-C at the worst moment: the unscrubbed trace chunk of the evidence is written.
    written: list[Path] = []
    stop_chunk = Tracing.stop_chunk

    def interrupted(self: Tracing, path: str | Path | None = None) -> None:
        stop_chunk(self, path=path)
        if path is not None:
            written.append(Path(path))
            raise KeyboardInterrupt

    monkeypatch.setattr(Tracing, "stop_chunk", interrupted)
    with pytest.raises(KeyboardInterrupt), open_robot(config, cabinet) as robot:
        secrets.note(robot.session.context.cookies())
        try:
            robot.order(REFUSED)
        finally:
            secrets.note(robot.session.context.cookies())
    monkeypatch.undo()
    assert written and not any(path.exists() for path in written)

    state = config.state.dir
    saved_login = state / "sessions" / f"{CABINET}.json"  # the cookies, kept on purpose
    secrets.note(json.loads(saved_login.read_text(encoding="utf-8"))["cookies"])
    assert len(secrets.values) >= 3  # password, code, session cookie
    assert secrets.found_in(state, temporary, skip=(saved_login,)) == []
    assert oct(saved_login.stat().st_mode & 0o777) == "0o600"
    evidence_modes = modes(state / "evidence")
    assert evidence_modes and set(evidence_modes.values()) <= {"0o600", "0o700"}, evidence_modes
    assert not any(p.is_file() for p in (state / "evidence" / ".raw").rglob("*"))


KILLED_SESSION = """
import sys
from pathlib import Path
from config.loader import load_config
from robots.cabinets import find_cabinet, open_robot

config = load_config(Path(sys.argv[1]))
with open_robot(config, find_cabinet(config, sys.argv[2])) as robot:
    robot.accounts()
    print("working", flush=True)
    sys.stdin.readline()  # until killed
"""


def test_what_a_killed_session_left_is_removed_by_the_next(
    sandbox: Sandbox, config: RobotConfig, temporary: Path
) -> None:
    # The running trace is written in the session's raw folder (Chromium's profile in
    # TMPDIR is removed by the Playwright driver once its parent is gone).
    raw_root = config.state.dir / "evidence" / ".raw"
    env = {**os.environ, "CABINET_ROBOT_CONFIG": str(sandbox.config_path)}
    session = subprocess.Popen(
        [sys.executable, "-c", KILLED_SESSION, str(sandbox.config_path), CABINET],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert session.stdout is not None
        assert session.stdout.readline() == b"working\n"
        (left,) = raw_root.iterdir()
        assert left.name.startswith(f"{session.pid}-")
        assert oct(left.stat().st_mode & 0o777) == "0o700"
    finally:
        session.send_signal(signal.SIGKILL)
        session.wait(timeout=30)
    assert any(left.rglob("*.network")), "the killed session's running trace is there"

    with open_robot(config, find_cabinet(config, CABINET)) as robot:
        assert left not in raw_root.iterdir()
        robot.accounts()
        cookies = robot.session.context.cookies()
    assert list(raw_root.iterdir()) == []
    secrets = Secrets(sandbox)
    secrets.note(cookies)
    saved_login = config.state.dir / "sessions" / f"{CABINET}.json"
    assert secrets.found_in(config.state.dir, temporary, skip=(saved_login,)) == []
