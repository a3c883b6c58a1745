"""Recording a scenario: one robot operation in a live cabinet, scrubbed before it is
written, scanned after.

The browser context records a HAR with embedded content and a trace (DOM snapshots, no
screenshots: pixels cannot be scrubbed). Both land first in a private temporary
folder; only their scrubbed copies are written to the scenario folder, and that folder
is scanned for every configured secret before it replaces an older recording. A secret
found there is an error and nothing is kept.

Subscribers' numbers and names become pseudonyms of the same shape, one per value for
the whole recording (HAR, trace, ``scenario.json``): the configured numbers and a login
by phone number are known from the start, the rest is learnt from the pages (see
``robots.scenarios.scrub``). The replay needs no mapping back: its configuration is
built from ``scenario.json`` (the pseudonymised login, no accounts' numbers), and the
robot matches only what the recorded pages show it.

The recording starts logged out and keeps its login in a throwaway file: a scenario
must show the login screens, and recording must neither use nor replace the monthly
run's saved session.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Download

from config.models import CabinetSettings, RobotConfig
from robots import clock
from robots.browser import SessionOptions
from robots.cabinets import open_robot
from robots.errors import RobotError
from robots.scenarios.har import (
    entries,
    fill_downloads,
    load_har,
    mime_type,
    response_body,
    save_har,
    scrub_har,
)
from robots.scenarios.operation import Operation
from robots.scenarios.scenario import HAR_FILE, TRACE_FILE, Scenario
from robots.scenarios.scrub import Scrubber, encodings

_MIN_SCANNED = 8  # shorter typed codes would match any number; passwords are scanned whole
_VERSION = re.compile(
    r"<meta[^>]+name=[\"']generator[\"'][^>]+content=[\"']([^\"']+)|"
    r"(?:[Вв]ерсия|[Vv]ersion)\s*[:№]?\s*v?(\d+(?:\.\d+)+)"
)


class SecretInRecording(RobotError):
    """A scrubbed recording still holds a secret: nothing was written."""


@dataclass(frozen=True)
class _Raw:
    """What a recorded run left in the private folder, and what it said."""

    har: Path
    chunks: list[Path]  # the trace, in chunks
    downloads: list[tuple[str, bytes]]  # (URL, bytes): a HAR keeps no downloaded body
    typed: frozenset[str]  # passwords and codes the robot typed
    summary: str


def record_scenario(
    config: RobotConfig, cabinet: CabinetSettings, operation: Operation, folder: Path
) -> Scenario:
    """Run ``operation`` in ``cabinet`` and write the scenario to ``folder`` (replacing
    an older one only once the new one is complete and clean)."""
    staging = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    recorded_at = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="cabinet-recording-") as private:
        raw = _run(config, cabinet, operation, Path(private))
        scrubber = _scrubber(config, cabinet, operation, raw.typed)
        har = load_har(raw.har)
        fill_downloads(har, raw.downloads)
        scrub_har(har, scrubber)
        staging.mkdir(parents=True, mode=0o700)
        try:
            save_har(har, staging / HAR_FILE)
            merge_traces(raw.chunks, staging / TRACE_FILE, scrubber)
            scenario = Scenario(
                cabinet=cabinet.name,
                operator=cabinet.operator,
                operation=operation,
                recorded_at=recorded_at,
                robot_today=clock.today(),
                base_url=_origin(str(cabinet.url)),
                url=str(cabinet.url),
                login=scrubber.text(cabinet.login or ""),
                email=_order_email(config, cabinet, scrubber),
                login_method=str(cabinet.login_method),
                role=str(cabinet.role),
                companies=cabinet.companies,
                cabinet_version=cabinet_version(har),
                summary=scrubber.text(raw.summary),
            )
            scenario.write(staging)
            _refuse_leaks(config, raw.typed, staging, f"{cabinet.name} {operation.slug}")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    staging.chmod(0o755)  # private until scanned, then a folder like any other
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return scenario


def _run(config: RobotConfig, cabinet: CabinetSettings, operation: Operation, raw: Path) -> _Raw:
    """The operation in a fresh, recorded session; its HAR is complete once this returns
    (Playwright writes it when the context closes)."""
    options = SessionOptions(
        fresh=True, record_har=raw / "raw.har", screenshots=False, keep_chunks_in=raw,
        snapshots=True,  # the recording shows each step's page in the trace viewer
    )  # fmt: skip
    with open_robot(config, cabinet, options) as robot:
        downloads: list[Download] = []

        def keep(download: Download) -> None:
            downloads.append(download)

        robot.session.page.on("download", keep)
        summary = operation.run(robot)
        files = [(d.url, d.path().read_bytes()) for d in downloads]
        return _Raw(raw / "raw.har", robot.session.kept_chunks(), files, robot.session.secrets,
                    summary)  # fmt: skip


def _refuse_leaks(config: RobotConfig, typed: frozenset[str], folder: Path, what: str) -> None:
    """SecretInRecording when ``folder`` holds a configured password or a long typed secret."""
    scanned = {s: "a secret the robot typed" for s in typed if len(s) >= _MIN_SCANNED}
    leaks = find_secrets(folder, {**scanned, **configured_secrets(config)})
    if leaks:
        raise SecretInRecording(
            f"the scrubbed recording of {what} still holds {'; '.join(leaks)}: nothing was written"
        )


def _scrubber(
    config: RobotConfig, cabinet: CabinetSettings, operation: Operation, typed: frozenset[str]
) -> Scrubber:
    accounts = {account.id for account in cabinet.accounts}
    if operation.account:
        accounts.add(operation.account)
    numbers = [n for account in cabinet.accounts for n in account.numbers]
    login = cabinet.login or ""
    if login.isdigit() and login not in accounts:
        numbers.append(login)  # a login by phone number (MTS, Kcell, A1)
    return Scrubber(
        secrets=set(typed) | set(configured_secrets(config)), phones=numbers, not_phones=accounts
    )


def configured_secrets(config: RobotConfig) -> dict[str, str]:
    """Every password the configuration points at that is set here → what it is."""
    names = {config.mail.password_env: "the mail password"} if config.mail.password_env else {}
    for cabinet in config.cabinets:
        if cabinet.password_env:
            names[cabinet.password_env] = f"the password of cabinet {cabinet.name}"
    if config.notify is not None and config.notify.password_env:
        names[config.notify.password_env] = "the notification mail password"
    return {os.environ[env]: what for env, what in names.items() if os.environ.get(env)}


def _order_email(config: RobotConfig, cabinet: CabinetSettings, scrubber: Scrubber) -> str | None:
    email = cabinet.email or config.mail.username
    return scrubber.text(email) if "@" in email else None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def cabinet_version(har: dict[str, Any]) -> str | None:
    """The cabinet's version where a page says it (a generator tag, «Версия 2.4.1»)."""
    for entry in entries(har):
        if "html" in mime_type(entry):
            match = _VERSION.search(response_body(entry).decode("utf-8", "replace"))
            if match:
                return match[1] or match[2]
    return None


def merge_traces(chunks: list[Path], target: Path, scrubber: Scrubber) -> None:
    """One trace of the kept chunks, scrubbed. Chunk n's ``trace.trace``, ``.network`` and
    ``.stacks`` become ``n-trace.*``: the trace viewer shows every ``*.trace`` of a file;
    the resources (pages, styles) are shared by name."""
    written: set[str] = set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for number, chunk in enumerate(chunks, start=1):
            with zipfile.ZipFile(chunk) as trace:
                for item in trace.infolist():
                    name = item.filename
                    if not name.startswith("resources/"):
                        name = f"{number}-{name}"
                    if name in written:
                        continue
                    written.add(name)
                    data = trace.read(item)
                    # A binary resource stays as it is: the scan still looks into it.
                    with contextlib.suppress(UnicodeDecodeError):
                        data = scrubber.text(data.decode("utf-8")).encode("utf-8")
                    out.writestr(name, data)


def find_secrets(folder: Path, secrets: dict[str, str]) -> list[str]:
    """What of ``secrets`` (value → what it is) the files of ``folder`` hold, and where,
    looking into zips and into the HAR's encoded bodies; the values are never named."""
    found = []
    forms = [(what, [f.encode() for f in encodings(value)]) for value, what in secrets.items()]
    for path in sorted(folder.iterdir()):
        for where, data in file_parts(path.name, path.read_bytes()):
            found += [f"{what} in {where}" for what, f in forms if any(x in data for x in f)]
    return found


def file_parts(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The file ``name`` and, recursively, every member of a zip (a trace) and every
    encoded body of a HAR, each as (where, bytes): what a scan for secrets must read."""
    yield name, data
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from file_parts(f"{name}:{member}", archive.read(member))
    elif name.endswith(".har"):
        for entry in entries(json.loads(data)):
            content = entry["response"].get("content", {})
            if content.get("encoding") == "base64":
                body = base64.b64decode(content.get("text") or "")
                yield from file_parts(f"{name}: {entry['request']['url']}", body)
