"""``cabinet-robot scenario record`` on the sandbox: what is written holds no password,
code, cookie, token, e-mail address or phone number of the sandbox, the placeholders
agree across files, the scenario replays offline, and a recording that still holds a
secret is refused with nothing written.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from robots.domain import Operator, Period
from robots.scenarios.scrub import Scrubber, encodings
from sandbox.stack import Sandbox
from sandbox.world import accounts_of
from support.driving import Driver
from support.markups import BOTH_MARKUPS

pytestmark = pytest.mark.integration

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it

ACCOUNT = "277012345678"
LAST_MONTH = Period.of(TODAY).previous()


def readable(path: Path) -> Iterator[bytes]:
    """Every byte a scenario file holds: zip members and the HAR's encoded bodies too."""
    data = path.read_bytes()
    yield data
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from (archive.read(name) for name in archive.namelist())
    if path.suffix == ".har":
        for entry in json.loads(data)["log"]["entries"]:
            content = entry["response"]["content"]
            if content.get("encoding") == "base64":
                yield base64.b64decode(content["text"])


def record(driver: Driver, folder: Path, *args: str) -> str:
    result = driver.cli(
        "scenario", "record", "--cabinet", "mts-sandbox", "--out", str(folder), *args
    )
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    return result.stdout


@pytest.mark.parametrize("sandbox_options", BOTH_MARKUPS, indirect=True)
def test_a_recording_is_scrubbed_consistent_and_replays(
    sandbox: Sandbox, driver: Driver, tmp_path: Path
) -> None:
    folder = tmp_path / "mts-details"
    record(driver, folder, "--operation", "order:call_details", "--period", str(LAST_MONTH),
           "--account", ACCOUNT)  # fmt: skip

    assert sorted(p.name for p in folder.iterdir()) == [
        "recording.har",
        "scenario.json",
        "trace.zip",
    ]
    har_text = (folder / "recording.har").read_text(encoding="utf-8")
    assert re.search(r"password=SCRUBBED-SECRET-\d+", har_text)
    entries = json.loads(har_text)["log"]["entries"]
    cookies = {c["value"] for e in entries for c in e["request"]["cookies"]}
    assert cookies and all(re.fullmatch(r"SCRUBBED-COOKIE-\d+", c) for c in cookies)
    tokens = {h["value"] for e in entries for h in e["request"]["headers"]
              if h["name"].lower() == "x-csrf-token"}  # fmt: skip
    assert tokens and all(re.fullmatch(r"SCRUBBED-TOKEN-\d+", t) for t in tokens)
    numbers = [n for account in accounts_of(Operator.MTS) for n in account.numbers]
    names = [name for account in accounts_of(Operator.MTS) for _, name in account.names]
    forbidden = [*sandbox.env.values(), sandbox.mailbox.address, *numbers, "9161234567", *names]
    pseudonym = "Фамилия1 Имя1 Отчество1"  # the selection's «ФИО», as a page or JSON has it
    assert pseudonym in har_text or json.dumps(pseudonym)[1:-1] in har_text
    for path in folder.iterdir():
        for data in readable(path):
            for value in forbidden:
                for form in encodings(value):
                    assert form.encode() not in data, (path.name, value)

    description = json.loads((folder / "scenario.json").read_text(encoding="utf-8"))
    assert description["operation"]["kind"] == "call_details"
    login, email = description["login"], description["email"]
    assert login != sandbox.cabinet("mts").login and login.startswith("916")
    assert f"number={login}" in har_text  # the login form as the replay will type it
    assert email.endswith("@example.invalid") and email in har_text

    replay = driver.cli("scenario", "replay", str(folder), "--out", str(tmp_path / "replay"))
    assert replay.exit_code == 0, replay.output
    expected = f"PASS mts/order-call_details: ordered call_details {LAST_MONTH} of {ACCOUNT}"
    assert replay.stdout.startswith(expected)


def test_a_recording_that_still_holds_a_secret_is_refused(
    sandbox: Sandbox, driver: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Scrubber, "text", lambda self, text: text)  # a scrubber that misses
    folder = tmp_path / "out" / "mts-login"

    result = driver.cli(
        "scenario", "record", "--cabinet", "mts-sandbox", "--operation", "login",
        "--out", str(folder),
    )  # fmt: skip

    assert result.exit_code == 1
    assert "still holds the password of cabinet mts-sandbox in recording.har" in result.stderr
    assert sandbox.env["CABINET_ROBOT_MTS_PASSWORD"] not in result.output + result.stderr
    assert list((tmp_path / "out").iterdir()) == []  # not even a partial folder
