"""``cabinet-robot sandbox up --detach`` and ``down`` as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "cli.main", "sandbox"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=90, check=False)


def test_up_detached_then_down(tmp_path: Path) -> None:
    directory = tmp_path / "sb"
    up = run(
        "up",
        "--dir",
        str(directory),
        "--detach",
        "--today",
        "2026-11-10",
        "--faults",
        "latency_ms=1",
        "--markup",
        "restyle,seed=2",
        "--mts-sms",
        "--kcell-first-login",
    )
    assert up.returncode == 0, up.stderr
    state = json.loads((directory / "sandbox.json").read_text())
    pid = state["pid"]
    try:
        sip, mts, kcell, a1 = state["cabinets"]
        assert a1["url"].endswith("/login") and "login 291234567" in up.stdout
        assert f"SMS code for the «SMS» login method: {a1['sms_url']}" in up.stdout
        assert "admin@a1-company.by" in up.stdout and "1234567890125" in up.stdout
        assert sip["url"] in up.stdout and "1100023456" in up.stdout
        assert mts["url"].endswith("/selfcare/") and mts["url"] in up.stdout
        assert "login 9161234567" in up.stdout
        sms_url = mts["sms_url"]
        assert sms_url.endswith("/_sandbox/sms?phone=79161234567") and sms_url in up.stdout
        assert "sms_url" not in sip
        assert kcell["url"].endswith("/login") and kcell["url"] in up.stdout
        assert "login 77012223344" in up.stdout
        assert kcell["sms_url"].endswith("/_sandbox/sms?phone=77012223344")
        assert f"SMS code for «Забыли пароль?»: {kcell['sms_url']}" in up.stdout
        assert "first login: no password yet, set it through «Забыли пароль?»" in up.stdout
        kcell_login = httpx.get(kcell["url"])
        assert kcell_login.status_code == 200 and "Вход в Kcell Business ID" in kcell_login.text
        assert str(directory / "env") in up.stdout
        env = dict(line.split("=", 1) for line in (directory / "env").read_text().splitlines())
        assert env["CABINET_ROBOT_SIP_PASSWORD"] not in up.stdout + up.stderr
        assert env["CABINET_ROBOT_MTS_PASSWORD"] not in up.stdout + up.stderr
        assert env["CABINET_ROBOT_KCELL_PASSWORD"] not in up.stdout + up.stderr
        mts_login = httpx.get(mts["url"])
        assert mts_login.status_code == 200 and "ВИРТУАЛЬНЫЙ МЕНЕДЖЕР" in mts_login.text
        assert httpx.get(f"{sip['url']}login").status_code == 200
        assert httpx.get(f"{sip['url']}_sandbox/today").json()["today"] == "2026-11-10"
        assert httpx.get(f"{sip['url']}_sandbox/markup").json()["markup"] == "legacy,restyle,seed=2"
        assert "markup: restyle,seed=2" in up.stdout
        again = run("up", "--dir", str(directory), "--detach")
        assert again.returncode == 1
        assert again.stderr.strip() == (
            f"cabinet-robot sandbox: already running (PID {pid}) from {directory}"
        )
    finally:
        down = run("down", "--dir", str(directory))
    assert down.returncode == 0, down.stderr
    assert down.stdout.strip() == f"Sandbox stopped (PID {pid})."
    assert not (directory / "sandbox.json").exists()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sip['url']}login")
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    not_running = run("down", "--dir", str(directory))
    assert not_running.returncode == 1
    assert not_running.stderr.strip() == f"cabinet-robot sandbox: not running from {directory}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "10.11.2026"], "bad --today: today must be YYYY-MM-DD"),
        (["--faults", "error_rate=x"], "bad --faults: bad value for fault error_rate: 'x'"),
        (["--markup", "bold"], "bad --markup: unknown markup item 'bold'"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("up", "--dir", str(tmp_path), *args)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"cabinet-robot sandbox: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "sandbox.json").exists()


def test_down_removes_a_stale_state_file(tmp_path: Path) -> None:
    other = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )  # a live process that is not a sandbox
    try:
        (tmp_path / "sandbox.json").write_text(json.dumps({"pid": other.pid}))
        result = run("down", "--dir", str(tmp_path))
        assert other.poll() is None  # untouched
    finally:
        other.communicate(b"", timeout=10)
    assert result.returncode == 1
    assert "not running" in result.stderr and "stale" in result.stderr
    assert not (tmp_path / "sandbox.json").exists()
