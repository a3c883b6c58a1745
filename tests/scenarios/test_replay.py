"""Every committed scenario replays against today's page objects, offline.

The scenarios in this folder were recorded from the sandbox (``make scenarios``, after
an intended change to a page object); here they are replayed in real Chromium with no
server running: a page object that no longer matches a recorded cabinet fails its
scenario. One Chromium serves every replay of this module.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import pytest

from config.models import BrowserSettings
from page_objects.sip import details as sip_details
from robots import clock
from robots.browser import launch_chromium
from robots.domain import DocumentFormat
from robots.scenarios.replay import ReplayResult, replay_scenario, replay_scenarios
from robots.scenarios.scenario import Scenario, scenario_folders
from sandbox.cabinets.sip import opaque_id

Replay = Callable[[Path, Path], ReplayResult]
HERE = Path(__file__).parent
SETTINGS = BrowserSettings(executable_path=os.environ.get("CABINET_ROBOT_CHROMIUM"))
SCENARIOS = scenario_folders([HERE])
OPERATIONS = {
    "sip": {"login", "accounts", "order-invoice", "order-call_details", "order-charges",
            "download-invoice"},
    "mts": {"login", "accounts", "order-invoice", "order-call_details"},
    "kcell": {"login", "accounts", "order-reconciliation_act", "order-payments_report",
              "order-numbers_report", "download-call_details", "download-work_act",
              "download-invoice_register"},
    "a1": {"login", "accounts", "order-invoice", "order-call_details",
           "order-reconciliation_act"},
}  # fmt: skip


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    """``replay(folder, out)`` in one Chromium on a thread of its own: Playwright's sync
    API will not start in a thread where another Playwright runs (pytest-playwright's,
    or a robot's in an earlier test of this worker), nor leave one running for later."""
    with ThreadPoolExecutor(max_workers=1) as thread, ExitStack() as chromium:
        browser = thread.submit(chromium.enter_context, launch_chromium(SETTINGS)).result()

        def run(folder: Path, out: Path) -> ReplayResult:
            return thread.submit(replay_scenario, folder, browser, SETTINGS, out).result()

        try:
            yield run
        finally:
            thread.submit(chromium.close).result()  # closed where it was started


def test_every_operation_of_every_cabinet_has_a_scenario() -> None:
    recorded: dict[str, set[str]] = {}
    for folder in SCENARIOS:
        scenario = Scenario.read(folder)
        recorded.setdefault(str(scenario.operator), set()).add(scenario.operation.slug)
        assert folder.relative_to(HERE).as_posix() == scenario.name
    assert recorded == OPERATIONS


def test_the_committed_scenarios_stay_small() -> None:
    sizes = {folder.name: sum(f.stat().st_size for f in folder.iterdir()) for folder in SCENARIOS}
    assert max(sizes.values()) < 2_000_000
    assert sum(sizes.values()) < 20_000_000


NAMES = [folder.relative_to(HERE).as_posix() for folder in SCENARIOS]
DETAILS = HERE / "sip" / "order-call_details"


@pytest.mark.parametrize("folder", SCENARIOS, ids=NAMES)
def test_scenario_replays(folder: Path, replay: Replay, tmp_path: Path) -> None:
    result = replay(folder, tmp_path)
    assert result.passed, result.report()


def test_a_scenario_keeps_replaying_months_after_it_was_recorded(
    replay: Replay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # «Начисления за текущий период» is refused for any other month than the robot's own:
    # the replay runs on the recorded date, whatever the machine's date.
    class Later(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date.today() + dt.timedelta(days=75)

    monkeypatch.setattr(clock, "dt", SimpleNamespace(date=Later))
    result = replay(HERE / "sip" / "order-charges", tmp_path)
    assert result.passed, result.report()


def test_a_broken_locator_fails_the_replay_naming_it(
    replay: Replay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page object whose button name no longer matches the recorded cabinet.
    monkeypatch.setattr("page_objects.sip.details.SUBMIT", "Сформировать детализацию звонков")
    result = replay(DETAILS, tmp_path)

    assert not result.passed
    assert "the control «Сформировать детализацию звонков»" in result.message
    assert result.screen and "«Детализация на E-mail»" in result.screen
    assert result.evidence and (result.evidence / "trace.zip").stat().st_size > 0
    report = result.report()
    assert report.startswith("FAIL sip/order-call_details: ")
    assert "playwright show-trace" in report and str(result.recorded_trace) in report


def test_a_request_the_recording_never_saw_is_named(
    replay: Replay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The robot asks for another kind of details than the cabinet was asked for.
    monkeypatch.setitem(sip_details.DETAIL_TYPES, DocumentFormat.PDF, "Детализация звонков (Excel)")
    result = replay(DETAILS, tmp_path)

    assert not result.passed
    (miss, *_) = result.misses
    assert miss.startswith("GET ") and "/bills/details/subscribers?period=" in miss
    assert f"recorded with ?kind={opaque_id('kind', 'pdf')}" in miss  # legacy: by its id


def test_sessions_leave_no_temporary_directory_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Playwright keeps a running trace's call stacks in TMPDIR until the trace is stopped;
    # a robot that only closed its browser context left one directory per session.
    # Short: Chromium puts a socket in it, whose path may not exceed 107 bytes.
    temporary = Path(tempfile.mkdtemp(prefix="tmpdir-"))
    monkeypatch.setenv("TMPDIR", str(temporary))  # read by the Playwright driver it starts
    monkeypatch.setattr("page_objects.sip.details.SUBMIT", "Сформировать детализацию звонков")
    folders = [HERE / "sip" / "login", DETAILS]  # one passes, one fails and keeps evidence
    try:
        with ThreadPoolExecutor(max_workers=1) as thread:  # a Playwright of its own (see replay)
            passed, failed = thread.submit(
                replay_scenarios, folders, SETTINGS, tmp_path / "out"
            ).result()
        left = sorted(entry.name for entry in temporary.iterdir())
    finally:
        shutil.rmtree(temporary)

    assert passed.passed and not failed.passed and failed.evidence
    assert left == []
