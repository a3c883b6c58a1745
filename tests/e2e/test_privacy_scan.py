"""The scan that proves what the robot keeps: a month on the sandbox with failures that
leave evidence and a recorded scenario, then every file the run left is read.

The month: a scenario recording of an MTS order (its selection lists subscribers'
numbers and names), then the monthly cycle in all four cabinets with the MTS login
asking for an SMS code and a control renamed in the MTS and A1 cabinets (the MTS
invoices fail with a trace and a screenshot after the selection listed its subscribers,
the A1 invoices after the pages before them; the call details are delivered, the A1
ones as workbooks that name their subscribers). Read afterwards:
every file under the state folder (evidence, logs, spool, review, the ledger), the
recording, zips (traces, workbooks) and the HAR's encoded bodies opened, and the
artifacts in the Prefect database (the test server's SQLite, its ``artifact`` table).

Nowhere a password, an SMS code or a session cookie value; with ``[privacy]
mask_numbers`` on (the default) no subscriber number, in any way it is written
(``+7 916 123-45-67``, ``79161234567``, ``8 916 …``), and no subscriber's name outside
Tarifer's inbox, which still has them whole. Left out, by design: the saved login
(``sessions/<cabinet>.json`` is the cookie store), the ledger (a delivered call
details' document id is its number: it is how a rerun knows it was delivered) and the
review queue (documents on their way to Tarifer, waiting for a person).

Screenshots (PNG pixels, and their JPEG previews, also embedded in the failures' page
among the Prefect artifacts) cannot be scanned for text: they show the pages as they
were, numbers and names included, and are kept only as long as ``[privacy]
keep_evidence`` (in Prefect, as long as Prefect keeps its runs).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from prefect.settings import get_current_settings
from pypdf import PdfReader

from config.loader import load_config
from robots.domain import Period
from robots.scenarios.record import file_parts
from robots.scenarios.scrub import encodings
from sandbox.stack import Sandbox
from sandbox.world import ACCOUNTS
from support.driving import Driver

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
PERIOD = Period.of(TODAY).previous()
MTS_LOGIN_PHONE = "79161234567"
pytestmark = [
    pytest.mark.integration,
    pytest.mark.usefixtures("prefect_server"),
    pytest.mark.parametrize("sandbox_options", [{"mts_sms": True}], indirect=True),
]


def written_forms(number: str) -> set[str]:
    """The ways people and pages write ``number``: whole, with «+», grouped, with the
    trunk prefix (``8 916 …``, Belarus ``80 29 …``), and the national number alone."""
    if number.startswith("375"):
        code, rest, trunk = number[3:5], number[5:], "80"
        country = "+375"
    else:
        code, rest, trunk = number[1:4], number[4:], "8"
        country = "+7"
    grouped = f"{rest[:3]}-{rest[3:5]}-{rest[5:]}"
    return {
        number,
        f"+{number}",
        f"{country} {code} {grouped}",
        f"{country} ({code}) {grouped}",
        f"{trunk} {code} {grouped}",
        f"{trunk} ({code}) {grouped}",
        f"{trunk}{code}{rest}",
        f"{code}{rest}",
    }


def pattern(forms: set[str]) -> re.Pattern[bytes]:
    """Any of ``forms`` in any encoding, standing alone (no digit or letter around it)."""
    every = {encoded.encode() for form in forms for encoded in encodings(form)}
    alternatives = b"|".join(re.escape(f) for f in sorted(every, key=len, reverse=True))
    return re.compile(rb"(?<![0-9A-Za-z])(?:" + alternatives + rb")(?![0-9A-Za-z])")


def readable(path: Path) -> list[tuple[str, bytes]]:
    """What a scan reads of ``path``: the file, every zip member and HAR body inside
    (``file_parts``), and the text of every PDF among them."""
    parts = list(file_parts(str(path), path.read_bytes()))
    for where, data in list(parts):
        if data.startswith(b"%PDF"):
            pages = PdfReader(io.BytesIO(data)).pages
            text = "\n".join(page.extract_text() for page in pages)
            parts.append((f"{where} (text)", text.encode()))
    return parts


def files_below(*folders: Path, skip: tuple[Path, ...] = ()) -> Iterator[Path]:
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(path.is_relative_to(s) for s in skip):
                yield path


def found(what: dict[str, re.Pattern[bytes]], parts: list[tuple[str, bytes]]) -> list[str]:
    """``what it is in where`` for every pattern of ``what`` found in a part."""
    return [f"{name} in {where}" for where, data in parts for name, p in what.items()
            if p.search(data)]  # fmt: skip


def prefect_artifacts() -> list[tuple[str, bytes]]:
    """Every artifact's key, description and data, from the test server's database."""
    url = get_current_settings().server.database.connection_url
    assert url is not None
    database = Path(urlsplit(url.get_secret_value()).path)
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT key, description, data FROM artifact").fetchall()
    return [(f"artifact {key}", f"{desc}\n{data}".encode()) for key, desc, data in rows]


def test_nothing_personal_or_secret_is_left_outside_tarifers_inbox(
    sandbox: Sandbox, driver: Driver
) -> None:
    config = load_config(sandbox.config_path)
    assert config.privacy.mask_numbers, "masking is on by default"
    recorded = driver.cli(
        "scenario", "record", "--cabinet", "mts-sandbox", "--operation", "order:call_details",
        "--period", str(PERIOD.previous()), "--account", "277012345678",
    )  # fmt: skip
    assert recorded.exit_code == 0, f"{recorded.output}\n{recorded.exception!r}"
    invoices = "Сформированные счета закрытых расчётных периодов"
    sandbox.cabinet("mts").set_markup(f"rename={invoices}=>Счета")  # after the selection
    sandbox.cabinet("a1").set_markup("rename=Отправить счет=>Отправить")

    # A renamed control is waited for only so long: the page timeout, for each document.
    result = driver.cli(
        "run", "--period", str(PERIOD), "--today", TODAY.isoformat(),
        CABINET_ROBOT_BROWSER__TIMEOUT_S="5",
    )  # fmt: skip
    assert result.exit_code == 1, f"{result.output}\n{result.exception!r}"

    state, inbox, recordings = config.state.dir, config.tarifer.inbox, config.privacy.recordings
    evidence = [p for p in files_below(state / "evidence") if p.name == "trace.zip"]
    screenshots = [p for p in files_below(state / "evidence") if p.suffix == ".png"]
    assert {p.relative_to(state).parts[1] for p in evidence} >= {"mts-sandbox", "a1-sandbox"}
    assert screenshots, "the failures kept their screenshots"
    assert list(files_below(recordings)), "the recording is there"

    sessions = state / "sessions"
    cookies = {m for path in files_below(sessions) for m in _cookie_values(path)}
    sms = sandbox.cabinet("mts").last_sms(MTS_LOGIN_PHONE)
    assert sms is not None, "the MTS login asked for a code"
    secrets = {
        **{f"the password {k}": v for k, v in sandbox.env.items() if k.endswith("PASSWORD")},
        "an SMS code": sms["code"],
        **{f"the cookie value {value[:3]}…": value for value in cookies},
    }
    assert len(secrets) >= 6, secrets  # four passwords (and the mail's), a code, a cookie
    people: dict[str, set[str]] = {}
    for account in ACCOUNTS:
        for number in account.numbers:
            people[f"number {number}"] = written_forms(number)
        for number, name in account.names:
            people[f"the name of {number}"] = {name}

    kept = [
        part for path in files_below(state, recordings, skip=(sessions,)) for part in readable(path)
    ] + prefect_artifacts()
    read = {where.split(":")[0] for where, _ in kept}
    assert any(w.startswith("artifact matrix") for w in read), "the Prefect artifacts were read"
    assert str(state / "logs" / "cabinet-robot.log") in read
    secret_patterns = {what: pattern({value}) for what, value in secrets.items()}
    assert found(secret_patterns, kept) == []

    outside = [
        (where, data)
        for where, data in kept
        if not where.startswith((str(state / "ledger.sqlite3"), str(state / "review")))
    ]
    people_patterns = {what: pattern(forms) for what, forms in people.items()}
    assert found(people_patterns, outside) == []

    delivered = [part for path in files_below(inbox) for part in readable(path)]
    assert found(secret_patterns, delivered) == []
    in_inbox = found(people_patterns, delivered)
    assert any(f.startswith("number ") for f in in_inbox), "Tarifer has the numbers whole"
    assert any(f.startswith("the name ") for f in in_inbox), "Tarifer has the names"


def _cookie_values(path: Path) -> set[str]:
    state = json.loads(path.read_text(encoding="utf-8"))
    return {c["value"] for c in state.get("cookies", []) if len(c["value"]) >= 8}
