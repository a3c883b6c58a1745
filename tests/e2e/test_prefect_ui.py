"""A failed month as the operator sees it in the Prefect UI (a real ``prefect server`` with
its UI, opened in Chromium): the run Failed with the tally, the screenshot shown on the
evidence artifact's page, the command that opens the trace.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from config.models import BrowserSettings
from robots.browser import launch_chromium
from robots.domain import Period
from sandbox.prefect_server import PrefectServer
from sandbox.stack import Sandbox

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
PERIOD = str(Period.of(TODAY).previous())


@pytest.fixture
def prefect(tmp_path: Path) -> Iterator[PrefectServer]:
    with PrefectServer(tmp_path / "prefect") as server:
        yield server


def run_command(
    sandbox: Sandbox, prefect: PrefectServer, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """``cabinet-robot ARGS`` as the operator starts it: its own process, this Prefect.

    (Its own process also keeps Prefect's background clients of this test's server out
    of the other tests' processes.)
    """
    environment = {
        **os.environ, **sandbox.env, **prefect.env(), "PREFECT_HOME": str(prefect.home),
        "CABINET_ROBOT_CONFIG": str(sandbox.config_path), **env,
    }  # fmt: skip
    command = subprocess.Popen(
        [sys.executable, "-m", "cli.main", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # with its browsers: stopped together if it hangs
    )
    try:
        out, err = command.communicate(timeout=600)
    finally:
        if command.poll() is None:
            os.killpg(command.pid, signal.SIGTERM)
            command.wait(timeout=30)
    return subprocess.CompletedProcess(command.args, command.returncode, out, err)


def api(server: PrefectServer, path: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    response = httpx.post(f"{server.api_url}/{path}", json=query, timeout=30)
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()
    return found


def test_a_failed_month_shows_red_with_its_screenshot_in_the_prefect_ui(
    sandbox: Sandbox, prefect: PrefectServer
) -> None:
    result = run_command(
        sandbox, prefect, "run", "--json", "--period", PERIOD, "--today", TODAY.isoformat(),
        "--cabinet", "mts-sandbox", CABINET_ROBOT_MTS_PASSWORD="not-the-password",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    evidence = {Path(r["evidence"]) for r in json.loads(result.stdout)["matrix"]}
    (trace,) = {folder / "trace.zip" for folder in evidence}

    (run,) = api(prefect, "flow_runs/filter", {"flows": {"name": {"any_": ["monthly-cycle"]}}})
    assert run["state"]["type"] == "FAILED"
    message = run["state"]["message"]
    assert message.startswith(f"{len(json.loads(result.stdout)['matrix'])} failed: mts-sandbox")
    artifacts = api(prefect, "artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [
        run["id"]]}, "type": {"any_": ["markdown"]}}})  # fmt: skip
    (page_id,) = [a["id"] for a in artifacts if "show-trace" in a["data"]]

    with launch_chromium(BrowserSettings()) as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{prefect.url}/artifacts/artifact/{page_id}")
        picture = page.get_by_role("img", name=re.compile(r"^screenshot of mts-sandbox"))
        expect(picture).to_be_visible(timeout=60_000)  # the UI's first load is slow
        shown = picture.evaluate("image => image.complete && image.naturalWidth > 0")
        assert shown, "the browser could not show the embedded screenshot"
        expect(page.get_by_text(f"playwright show-trace {trace}")).to_be_visible()
        expect(page.get_by_text(message[:40])).to_be_visible()  # the run's state message
