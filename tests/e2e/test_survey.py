"""The survey (``cabinet-robot survey``) on the sandbox: every control of every cabinet
found in both markups, with its files and nothing ordered; a renamed button found by
nothing, its closest text proposed as an override that, pasted, makes it found."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from config.loader import load_config
from robots.cabinets import find_cabinet
from sandbox.stack import Sandbox
from support.driving import Driver
from support.markups import BOTH_MARKUPS

pytestmark = pytest.mark.integration
CABINETS = ["sip-sandbox", "mts-sandbox", "kcell-sandbox", "a1-sandbox"]


def survey(driver: Driver, cabinet: str, *args: str) -> tuple[int, dict[str, Any]]:
    result = driver.cli("survey", "--json", "--cabinet", cabinet, *args)
    assert result.exit_code in (0, 1), f"{result.output}\n{result.exception!r}"
    payload: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, payload


@pytest.mark.parametrize("sandbox_options", BOTH_MARKUPS, indirect=True)
@pytest.mark.parametrize("cabinet", CABINETS)
def test_every_control_is_found_and_nothing_is_ordered(
    sandbox: Sandbox, driver: Driver, cabinet: str
) -> None:
    exit_code, payload = survey(driver, cabinet)

    not_ok = [s["screen"] for s in payload["screens"] if s["status"] != "ok"]
    controls = [c for s in payload["screens"] for c in s["controls"]]
    missing = [c["control"] for c in controls if c["how"] == "not found"]
    assert (exit_code, not_ok, missing, payload["proposed"]) == (0, [], [], 0)
    assert len(payload["screens"]) >= 3 and controls
    assert all(running.orders() == [] for running in sandbox.cabinets)
    assert sandbox.mailbox.messages() == []
    folder = Path(payload["directory"])
    for screen in payload["screens"]:
        assert set(screen["files"]) == {"aria", "html", "screenshot"}
        assert (folder / screen["files"]["screenshot"]).read_bytes().startswith(b"\x89PNG")
        assert (folder / screen["files"]["aria"]).read_text().lstrip().startswith("- ")
    report = (folder / "survey.html").read_text()
    assert "Nothing was ordered" in report and payload["screens"][0]["screen"] in report
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}


def test_the_survey_keeps_no_secret_or_number_and_shows_how_legacy_controls_are_found(
    sandbox: Sandbox, driver: Driver
) -> None:
    exit_code, payload = survey(driver, "sip-sandbox")

    assert exit_code == 0
    folder = Path(payload["directory"])
    written = "".join(p.read_text() for p in folder.iterdir() if p.suffix in (".html", ".yaml"))
    assert sandbox.env["CABINET_ROBOT_SIP_PASSWORD"] not in written
    cabinet = find_cabinet(load_config(sandbox.config_path), "sip-sandbox")
    numbers = [number for account in cabinet.accounts for number in account.numbers]
    assert numbers and [n for n in numbers if n in written] == []
    assert "000000" in written  # the numbers' stand-ins, as in a recorded scenario
    ways = {c["how"] for s in payload["screens"] for c in s["controls"]}
    # The SIP cabinet's legacy pages: captions in the cell before a field, links as buttons.
    assert "tolerant" in ways
    rules = {c["rule"] for s in payload["screens"] for c in s["controls"]}
    assert "a caption just before it" in rules


def control(payload: dict[str, Any], screen: str, word: str) -> dict[str, Any]:
    screens = {s["screen"]: s for s in payload["screens"]}
    found: dict[str, Any] = next(c for c in screens[screen]["controls"] if word in c["control"])
    return found


def test_a_renamed_button_gets_the_override_that_makes_it_found(
    sandbox: Sandbox, driver: Driver
) -> None:
    sandbox.cabinet("a1").set_markup("rename=Отправить счет=>Отправить счет клиенту")

    exit_code, payload = survey(driver, "a1-sandbox")

    assert exit_code == 1
    button = control(payload, "Счета", "Отправить счет")
    assert (button["how"], button["use"]) == ("healed", "Отправить счет клиенту")
    assert payload["overrides"]["labels"] == {"Отправить счет": "Отправить счет клиенту"}
    text = driver.cli("survey", "--cabinet", "a1-sandbox").stdout
    pasted = next(line for line in text.splitlines() if line.startswith("labels = "))
    assert tomllib.loads(pasted)["labels"] == {"Отправить счет": "Отправить счет клиенту"}

    driver.add_to_cabinet("a1-sandbox", pasted)
    exit_code, payload = survey(driver, "a1-sandbox")

    assert (exit_code, payload["proposed"]) == (0, 0)
    button = control(payload, "Счета", "Отправить счет")
    assert (button["how"], button["looked_for"]) == ("exact", "Отправить счет клиенту")
    health = driver.cli("status", "--health", "--json")
    assert health.exit_code == 0, health.output
    assert '"survey"' in health.stdout


def test_a_button_renamed_past_recognition_lists_what_is_close_and_proposes_nothing(
    sandbox: Sandbox, driver: Driver
) -> None:
    sandbox.cabinet("a1").set_markup("rename=Отправить счет=>Выслать")

    exit_code, payload = survey(driver, "a1-sandbox")

    assert (exit_code, payload["proposed"]) == (1, 0)
    button = control(payload, "Счета", "Отправить счет")
    assert (button["how"], button["use"]) == ("not found", None)
    assert [c["text"] for c in button["candidates"]]  # what the page shows of its kind
