"""The commands' logging: one ISO format, stderr only (stdout is the command's output),
a private rotating file under the state folder, ``--verbose`` for the robot's loggers."""

from __future__ import annotations

import io
import logging
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import logs
from cli.logs import log_to_file, setup_logging

ISO_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR) [\w.]+: "
)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name in (*logs.ROBOT_LOGGERS, "sqlalchemy.engine"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_lines_carry_an_iso_time_with_its_offset(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(interactive=False, verbose=False)
    logging.getLogger("robots.cycle.work").warning("sip-main 1100023456 invoice 2026-11: refused")

    line = capsys.readouterr().err.strip()
    assert ISO_LINE.match(line), line
    assert line.endswith("WARNING robots.cycle.work: sip-main 1100023456 invoice 2026-11: refused")


def test_on_a_terminal_the_log_goes_to_stderr_with_iso_times(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging(interactive=True, verbose=False)
    logging.getLogger("robots.cycle.work").info("sip-main: logged in")

    out, err = capsys.readouterr()
    assert out == "", "stdout is the command's output (--json)"
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", err), err
    assert "sip-main: logged in" in err


def test_verbose_is_debug_for_the_robot_only(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(interactive=False, verbose=True)
    logging.getLogger("robots.cycle.work").debug("sip-main 1100023456 invoice 2026-11: ordering")
    logging.getLogger("sqlalchemy.engine").debug("SELECT 1")
    logging.getLogger("prefect.client").debug("request")

    err = capsys.readouterr().err
    assert "DEBUG robots.cycle.work: sip-main 1100023456 invoice 2026-11: ordering" in err
    assert "SELECT 1" not in err and "request" not in err, err

    setup_logging(interactive=False, verbose=False)
    logging.getLogger("robots.cycle.work").debug("not shown")
    assert "not shown" not in capsys.readouterr().err


def test_the_log_file_is_private_and_rotates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "LOG_MAX_BYTES", 2_000)
    setup_logging(interactive=False, verbose=False)
    path = log_to_file(tmp_path / "state")

    assert path == tmp_path / "state" / "logs" / "cabinet-robot.log"
    for n in range(300):  # about 20 KB: more rotations than files kept
        logging.getLogger("robots.mail.collector").info("processed UID %d", n)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and all(ISO_LINE.match(line) for line in lines), lines[:3]
    rotated = sorted(path.parent.glob("cabinet-robot.log.*"))
    assert [p.name for p in rotated] == [f"cabinet-robot.log.{n}" for n in range(1, 6)]
    assert mode(path.parent) == 0o700
    assert {mode(p) for p in [path, *rotated]} == {0o600}


def test_a_second_command_in_one_process_logs_to_its_own_file_once(tmp_path: Path) -> None:
    setup_logging(interactive=False, verbose=False)
    log_to_file(tmp_path / "one")
    setup_logging(interactive=False, verbose=False)
    second = log_to_file(tmp_path / "two")
    log_to_file(tmp_path / "two")
    logging.getLogger("robots").warning("once")

    assert second.read_text(encoding="utf-8").count("once") == 1
    assert "once" not in (tmp_path / "one" / "logs" / "cabinet-robot.log").read_text()


@pytest.mark.parametrize("mask", [True, False], ids=["masked", "mask_numbers-false"])
def test_numbers_are_masked_on_every_handler_of_the_robots_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mask: bool
) -> None:
    # Prefect puts its handler (the run's logs in the UI) on the robot's logger itself
    # (PREFECT_LOGGING_EXTRA_LOGGERS=robots): it sees a line before the root's handlers.
    prefect_like = logging.StreamHandler(io.StringIO())
    robots = logging.getLogger("robots")
    robots.addHandler(prefect_like)
    try:
        setup_logging(interactive=False, verbose=False)
        path = log_to_file(tmp_path / "state", mask_numbers=mask)
        logging.getLogger("robots.cycle.work").warning(
            "kcell-main 1040123456 call_details 2026-10: no number %s", "77012223344"
        )
    finally:
        robots.removeHandler(prefect_like)
    line = "kcell-main 1040123456 call_details 2026-10: no number "
    line += "+7 701 ***-**-44" if mask else "77012223344"
    stream = prefect_like.stream
    assert isinstance(stream, io.StringIO)
    for written in (stream.getvalue(), capsys.readouterr().err, path.read_text()):
        assert line in written, written


def test_numbers_are_masked_before_the_configuration_is_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging(interactive=False, verbose=False)
    logging.getLogger("robots.mail.collector").info("from +375291234567")
    assert "from +375 29 ***-**-67" in capsys.readouterr().err


def test_a_tracebacks_numbers_are_masked_too(tmp_path: Path) -> None:
    setup_logging(interactive=False, verbose=False)
    path = log_to_file(tmp_path / "state")
    try:
        raise LookupError("no subscriber 375291234568 in the list")
    except LookupError:
        logging.getLogger("robots.cabinets.a1").exception("a1-main 1234567890123: failed")
    kept = path.read_text(encoding="utf-8")
    assert "LookupError: no subscriber +375 29 ***-**-68 in the list" in kept, kept
    assert "375291234568" not in kept
