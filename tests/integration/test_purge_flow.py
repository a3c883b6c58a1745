"""The ``purge-files`` flow ``serve`` schedules, run on Prefect's test server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.purging import purge_files
from support.configs import MAIL_AND_INBOX

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("prefect-purge"),  # one harness per module
    pytest.mark.usefixtures("prefect_server"),
]

CONFIG = (
    MAIL_AND_INBOX
    + """
[state]
dir = "state"
"""
)


def test_the_flow_removes_old_evidence_and_returns_what_it_removed(tmp_path: Path) -> None:
    config = tmp_path / "cabinet-robot.toml"
    config.write_text(CONFIG, encoding="utf-8")
    config.chmod(0o600)
    evidence = tmp_path / "state" / "evidence" / "mts-main"
    old, young = (
        evidence / (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).strftime("%Y%m%dT%H%M%S.%fZ")
        for days in (31, 29)
    )
    for folder in (old, young):
        folder.mkdir(parents=True)
        (folder / "trace.zip").write_bytes(b"trace")

    result = purge_files(str(config))

    assert not old.exists() and young.exists()
    [swept] = [place for place in result["places"] if place["place"] == "evidence"]
    assert (swept["files"], swept["folders"], swept["kept"]) == (1, [str(old)], 1)
