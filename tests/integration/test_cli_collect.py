"""``cabinet-robot collect`` as operators run it: JSON, exit codes, one-line reasons, TLS."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents import render
from sandbox.mails import operator_message
from sandbox.mailserver import Mailbox, MailServer
from sandbox.mailset import spec
from sandbox.world import robot_config_toml

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "cli.main"]


def write_config(mailbox: Mailbox, tmp_path: Path, **mail: str) -> Path:
    text = robot_config_toml(
        imap_port=mailbox.port,
        username=mailbox.username,
        password_env="TEST_CLI_MAIL_PASSWORD",
        tarifer_inbox=tmp_path / "tarifer",
        state_dir=tmp_path / "state",
    )
    for key, value in mail.items():
        text = text.replace("[mail]\n", f"[mail]\n{key} = {value}\n", 1)
    path = tmp_path / "cabinet-robot.toml"
    path.write_text(text)
    return path


def run(config: Path, password: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEST_CLI_MAIL_PASSWORD": password}
    return subprocess.run(
        [*CLI, "collect", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_json_summary_and_exit_zero(mailbox: Mailbox, tmp_path: Path) -> None:
    invoice = render(
        spec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF, Period.parse("2026-10"))
    )
    mailbox.deliver(operator_message(Operator.MTS, [("document.pdf", invoice)], to=mailbox.address))
    result = run(write_config(mailbox, tmp_path), mailbox.password, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary == {
        "messages": 1,
        "delivered": 1,
        "duplicates": 0,
        "quarantined": 0,
        "files_quarantined": 0,
        "files_in_review": 0,
        "in_review": 0,
        "ignored": 0,
        "errors": 0,
    }
    assert mailbox.password not in result.stdout + result.stderr
    # Not a terminal: plain log lines with progress, no bar.
    assert "Collecting mail: 1/1" in result.stderr


def test_verbose_logs_the_robots_steps_and_the_log_file_keeps_them(
    mailbox: Mailbox, tmp_path: Path
) -> None:
    invoice = render(
        spec(Operator.MTS, DocumentKind.INVOICE, DocumentFormat.PDF, Period.parse("2026-10"))
    )
    mailbox.deliver(operator_message(Operator.MTS, [("document.pdf", invoice)], to=mailbox.address))
    result = run(write_config(mailbox, tmp_path), mailbox.password, "--json", "-v")

    assert result.returncode == 0, result.stderr
    debug = [line for line in result.stderr.splitlines() if " DEBUG " in line]
    assert any("DEBUG robots.mail.collector: processed UID 1 from " in line for line in debug)
    assert all(line.split(" DEBUG ")[1].startswith("robots.") for line in debug), debug
    kept = (tmp_path / "state" / "logs" / "cabinet-robot.log").read_text(encoding="utf-8")
    assert "processed UID 1 from " in kept and "Collecting mail: 1/1" in kept
    assert mailbox.password not in kept


def test_wrong_password_exits_non_zero_with_one_line(mailbox: Mailbox, tmp_path: Path) -> None:
    result = run(write_config(mailbox, tmp_path), "not-the-password", "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("cabinet-robot: ") and "login refused" in last
    assert "not-the-password" not in result.stderr


def test_unreachable_server_exits_non_zero(mailbox: Mailbox, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    config = write_config(mailbox, tmp_path)
    config.write_text(config.read_text().replace(f"port = {mailbox.port}", f"port = {closed_port}"))
    result = run(config, mailbox.password)
    assert result.returncode == 1
    assert "cannot connect to 127.0.0.1" in result.stderr.strip().splitlines()[-1]


def test_tls_with_a_private_ca(tls_mail_server: MailServer, tmp_path: Path) -> None:
    box = tls_mail_server.mailbox()
    invoice = render(
        spec(Operator.A1, DocumentKind.INVOICE, DocumentFormat.PDF, Period.parse("2026-10"))
    )
    box.deliver(operator_message(Operator.A1, [("invoice.pdf", invoice)], to=box.address))
    port = f"{tls_mail_server.imaps_port}"
    untrusted = write_config(box, tmp_path, security='"ssl"')
    untrusted.write_text(
        untrusted.read_text()
        .replace('security = "plain"\n', "")
        .replace(f"port = {box.port}\n", "")
        .replace('security = "ssl"', f'security = "ssl"\nport = {port}')
    )
    result = run(untrusted, box.password)
    assert result.returncode == 1
    assert "certificate not trusted" in result.stderr

    trusted = untrusted.read_text().replace(
        'security = "ssl"', f'security = "ssl"\nca_file = "{tls_mail_server.ca_file}"'
    )
    untrusted.write_text(trusted)
    result = run(untrusted, box.password, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["delivered"] == 1


@pytest.mark.parametrize("mask", [True, False], ids=["masked", "mask_numbers-false"])
def test_the_log_file_masks_subscriber_numbers_unless_told_not_to(
    mailbox: Mailbox, tmp_path: Path, mask: bool
) -> None:
    number = "79161234567"  # Иванов Иван Иванович at MTS, account 277012345678
    details = render(
        spec(Operator.MTS, DocumentKind.CALL_DETAILS, DocumentFormat.PDF, Period.parse("2026-10"))
    )
    mailbox.deliver(
        operator_message(
            Operator.MTS,
            [("details.pdf", details)],
            to=mailbox.address,
            subject=f"Детализация по номеру {number}",
            kind=DocumentKind.CALL_DETAILS,
        )
    )
    config = write_config(mailbox, tmp_path)
    if not mask:
        config.write_text(config.read_text() + "\n[privacy]\nmask_numbers = false\n")
    result = run(config, mailbox.password, "--json", "-v")

    assert result.returncode == 0, result.stderr
    kept = (tmp_path / "state" / "logs" / "cabinet-robot.log").read_text(encoding="utf-8")
    line = next(line for line in kept.splitlines() if "processed UID 1 from " in line)
    if mask:
        assert "Детализация по номеру +7 916 ***-**-67" in line, line
        assert number not in kept and number not in result.stderr
    else:
        assert f"Детализация по номеру {number}" in line, line
    # What Tarifer receives is never masked: the manifest lists the number whole.
    manifest = (tmp_path / "tarifer" / "manifest.jsonl").read_text(encoding="utf-8")
    assert f'"{number}"' in manifest
