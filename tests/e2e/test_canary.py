"""The canary (``cabinet-robot check``) on the sandbox: every screen of every cabinet ok
and nothing ordered; a renamed button named with a screenshot; a service the cabinet
shows closed today, and an unreachable cabinet, reported unavailable.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sandbox.stack import Sandbox
from support.driving import Driver
from support.markups import BOTH_MARKUPS

pytestmark = pytest.mark.integration


def check(driver: Driver, *args: str) -> tuple[int, dict[str, Any]]:
    result = driver.cli("check", "--json", *args)
    assert result.exit_code in (0, 1), f"{result.output}\n{result.exception!r}"
    payload: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, payload


def by_screen(payload: dict[str, Any], cabinet: str) -> dict[str, dict[str, Any]]:
    return {c["screen"]: c for c in payload["checks"] if c["cabinet"] == cabinet}


@pytest.mark.parametrize("sandbox_options", BOTH_MARKUPS, indirect=True)
def test_every_screen_is_ok_and_nothing_is_submitted(sandbox: Sandbox, driver: Driver) -> None:
    exit_code, payload = check(driver)

    not_ok = [c for c in payload["checks"] if c["status"] != "ok"]
    assert (exit_code, payload["ok"], not_ok) == (0, True, [])
    cabinets = {c["cabinet"] for c in payload["checks"]}
    assert cabinets == {"sip-sandbox", "mts-sandbox", "kcell-sandbox", "a1-sandbox"}
    sip = by_screen(payload, "sip-sandbox")
    assert "Вход в личный кабинет" in sip and "Детализация на E-mail: абоненты" in sip
    assert all(running.orders() == [] for running in sandbox.cabinets)
    assert sandbox.mailbox.messages() == []


def test_a_renamed_button_is_named_with_a_screenshot(sandbox: Sandbox, driver: Driver) -> None:
    sandbox.cabinet("a1").set_markup("rename=Отправить счет=>Выслать счет")

    exit_code, payload = check(driver, "--cabinet", "a1-sandbox")

    assert exit_code == 1 and payload["ok"] is False
    screens = by_screen(payload, "a1-sandbox")
    changed = {name: c for name, c in screens.items() if c["status"] != "ok"}
    assert list(changed) == ["Счета"]
    assert changed["Счета"]["status"] == "changed"
    assert "button «Отправить счет»" in changed["Счета"]["detail"]
    screenshot = Path(changed["Счета"]["screenshot"])
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    trace = Path(payload["directory"]) / "a1-sandbox" / "trace.zip"
    assert {oct(p.stat().st_mode & 0o777) for p in (screenshot, trace)} == {"0o600"}
    assert oct(screenshot.parent.stat().st_mode & 0o777) == "0o700"
    assert cookie_headers(trace) and all("SCRUBBED-COOKIE" in c for c in cookie_headers(trace))


def cookie_headers(trace: Path) -> list[str]:
    """Every Cookie header the trace's requests carry."""
    with zipfile.ZipFile(trace) as archive:
        lines = [
            json.loads(line)
            for name in archive.namelist()
            if name.endswith(".network")
            for line in archive.read(name).decode().splitlines()
        ]
    requests = [line["snapshot"]["request"] for line in lines if "snapshot" in line]
    return [h["value"] for r in requests for h in r["headers"] if h["name"].lower() == "cookie"]


def test_a_service_closed_today_is_unavailable_not_changed(
    sandbox: Sandbox, driver: Driver
) -> None:
    sandbox.cabinet("sip").set_today(dt.date.today().replace(day=2))

    exit_code, payload = check(driver, "--cabinet", "sip-sandbox")

    screens = by_screen(payload, "sip-sandbox")
    assert exit_code == 1 and "changed" not in {c["status"] for c in screens.values()}
    closed = screens["Загрузить счет по ссылке"]
    assert closed["status"] == "unavailable" and "с 1 по 3 число" in closed["detail"]
    assert screens["Детализация на E-mail: абоненты"]["status"] == "ok"


def test_a_cabinet_that_cannot_be_reached_is_unavailable(sandbox: Sandbox, driver: Driver) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    config = sandbox.config_path.read_text(encoding="utf-8")
    url = sandbox.cabinet("kcell").url
    # a subscriber number in the address, so the browser's message carries one
    sandbox.config_path.write_text(
        config.replace(url, f"http://127.0.0.1:{closed}/77011234567/login"), encoding="utf-8"
    )

    exit_code, payload = check(driver, "--cabinet", "kcell-sandbox")

    assert exit_code == 1
    statuses = [c["status"] for c in payload["checks"]]
    assert set(statuses) == {"unavailable"}
    first = payload["checks"][0]
    assert first["screen"] == "Вход в Kcell Business ID"
    assert "cannot be reached" in first["detail"]
    assert "/77011234567/" in first["detail"]  # --json keeps every digit

    for_a_person = driver.cli("check", "--cabinet", "kcell-sandbox")
    assert for_a_person.exit_code == 1, for_a_person.output
    assert "cannot be reached" in for_a_person.stdout
    assert "77011234567" not in for_a_person.stdout
    assert "/+7 701 ***-**-67/" in for_a_person.stdout


def test_the_report_for_a_person(sandbox: Sandbox, driver: Driver) -> None:
    result = driver.cli("check", "--cabinet", "mts-sandbox")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["mts-sandbox", "ok", "Вход"]
    assert lines[-1].startswith("all screens ok; screenshots and traces: ")


def test_one_renamed_link_is_one_changed_control_and_costs_a_probe(
    sandbox: Sandbox, driver: Driver
) -> None:
    # A short probe and a page timeout no test would wait out: a click on the way to a
    # screen behind the renamed link must give up after the probe.
    # (not «счёт»: the robot reads «ё» as «е», as people write either)
    # (and not a close text such as «Повтор счета на E-mail», which the canary reports healed)
    sandbox.cabinet("sip").set_markup("rename=Заказать счет на E-mail=>Повторная отправка счета")
    sandbox.cabinet("a1").set_markup("rename=Детализация на Email=>Детализация звонков")
    timeouts = {"CABINET_ROBOT_CANARY__PROBE_TIMEOUT_S": "1.5"}
    timeouts["CABINET_ROBOT_BROWSER__TIMEOUT_S"] = "600"

    result = driver.cli("check", "--json", "--cabinet", "sip-sandbox", "--cabinet", "a1-sandbox",
                        **timeouts)  # fmt: skip

    assert result.exit_code == 1, f"{result.output}\n{result.exception!r}"
    payload = json.loads(result.stdout)
    for cabinet, screen, control in [
        ("sip-sandbox", "Счета", "link «Заказать счет на E-mail»"),
        ("a1-sandbox", "Главная", "link «Детализация на Email»"),
    ]:
        screens = by_screen(payload, cabinet)
        changed = {name: c["detail"] for name, c in screens.items() if c["status"] == "changed"}
        assert changed == {screen: f"missing {control}"}
        behind = {name: c["detail"] for name, c in screens.items() if c["status"] == "unavailable"}
        assert behind, f"{cabinet}: no screen behind {control}"
        for detail in behind.values():
            assert detail.startswith(f"not reached: {control} is missing on «{screen}»")
            assert "Timeout 1500ms exceeded" in detail  # the probe, not the page timeout
        assert {c["status"] for c in screens.values()} == {"ok", "changed", "unavailable"}


def test_each_run_is_recorded_as_the_cabinets_health(sandbox: Sandbox, driver: Driver) -> None:
    sandbox.cabinet("a1").set_markup("rename=Отправить счет=>Выслать счет")
    changed_code, changed = check(driver, "--cabinet", "a1-sandbox")
    sandbox.cabinet("a1").set_markup("")
    ok_code, ok = check(driver, "--cabinet", "a1-sandbox")
    assert (changed_code, ok_code) == (1, 0)

    result = driver.cli("status", "--health", "--json")
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    (a1,) = json.loads(result.stdout)["health"]
    assert a1["cabinet"] == "a1-sandbox"
    first, second = a1["runs"]
    assert [(r["source"], r["status"]) for r in a1["runs"]] == [
        ("canary", "changed"),
        ("canary", "ok"),
    ]
    assert first["at"] < second["at"]
    # screen by screen, as the canary reported them
    for run, payload in ((first, changed), (second, ok)):
        reported = [(c["screen"], c["status"], c["detail"]) for c in payload["checks"]]
        assert [(s["screen"], s["status"], s["detail"]) for s in run["screens"]] == reported

    for_a_person = driver.cli("status", "--health")
    assert for_a_person.exit_code == 0, for_a_person.output
    lines = for_a_person.stdout.splitlines()
    row = next(line for line in lines if line.startswith("a1-sandbox"))
    assert row.split() == ["a1-sandbox", "C", "o"], "the newest run right"
    assert "  changed «Счета»: missing button «Отправить счет» (" in for_a_person.stdout
