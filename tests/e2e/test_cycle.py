"""The monthly cycle end to end: Prefect (test harness), the four sandbox cabinets in real
Chromium, the collector over IMAP, the order book, the report and the summary e-mail.
"""

from __future__ import annotations

import base64
import collections
import csv
import datetime as dt
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from prefect import State
from prefect.settings import get_current_settings

from config.loader import load_config
from robots.cycle.plan import plan_period
from robots.domain import Operator, Period
from robots.masking import mask_number
from sandbox.mailset import month_of_mail
from sandbox.stack import Sandbox
from sandbox.world import accounts_of, generated_accounts
from support.driving import Driver

TODAY = dt.date.today().replace(day=15)  # as the sandbox fixture sets it
PERIOD = str(Period.of(TODAY).previous())
# The cycle tests share one Prefect server: one xdist worker runs them all.
# One Prefect harness for the module: its tests stay on one xdist worker.
pytestmark = [pytest.mark.xdist_group("prefect-cycle"), pytest.mark.usefixtures("prefect_server")]


def prefect_api(path: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    """POST a filter to the harness's Prefect API (what the UI shows)."""
    url = f"{get_current_settings().api.url}/{path}"
    response = httpx.post(url, json={"limit": 50, "offset": 0, **query}, timeout=30)
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()
    return found


def last_session_attempts(cabinet: str) -> int:
    """How many times Prefect ran the latest session task of ``cabinet``."""
    by_name = {"name": {"any_": [f"order in {cabinet}"]}}
    runs = prefect_api(
        "task_runs/filter", {"task_runs": by_name, "sort": "EXPECTED_START_TIME_DESC"}
    )
    assert runs, f"no session task for {cabinet}"
    attempts: int = runs[0]["run_count"]
    return attempts


def latest_artifact(key: str) -> str:
    """The data of the newest artifact called ``key`` (earlier tests' runs made some too)."""
    query = {"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC"}
    artifacts = prefect_api("artifacts/filter", query)
    assert artifacts, f"no {key} artifact"
    data: str = artifacts[0]["data"]
    return data


def latest_flow_run(flow_name: str) -> dict[str, Any]:
    """The newest run of the flow called ``flow_name``: its name and state, as the UI lists it."""
    query = {"flows": {"name": {"any_": [flow_name]}}, "sort": "START_TIME_DESC"}
    runs = prefect_api("flow_runs/filter", query)
    assert runs, f"no {flow_name} run"
    return runs[0]


def flow_run(state: State[Any]) -> dict[str, Any]:
    """The run that ended in ``state``, as the API (and the UI) shows it."""
    query = {"flow_runs": {"id": {"any_": [str(state.state_details.flow_run_id)]}}}
    (run,) = prefect_api("flow_runs/filter", query)
    return run


def evidence_page(flow_run_id: str) -> str:
    """The run's markdown artifact with the failures' screenshots (the matrix is another)."""
    query = {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}, "type": {"any_": ["markdown"]}}}
    pages = [a["data"] for a in prefect_api("artifacts/filter", query)]
    shown = [page for page in pages if "show-trace" in page]
    assert len(shown) == 1, pages
    return shown[0]


def embedded_pictures(page: str) -> list[bytes]:
    """The images a markdown page carries as ``data:`` URIs (a browser shows those)."""
    found = re.findall(r"!\[[^\]]*\]\(data:image/jpeg;base64,([A-Za-z0-9+/=]+)\)", page)
    return [base64.b64decode(picture) for picture in found]


def assert_reachable_evidence(page: str, trace: Path) -> None:
    """Evidence a person can use from the browser: the picture inside, the trace's command."""
    assert "file://" not in page, "a browser does not open file:// links from a web page"
    pictures = embedded_pictures(page)
    assert pictures and all(p.startswith(b"\xff\xd8") for p in pictures), page[:500]
    assert all(len(p) < 300_000 for p in pictures), [len(p) for p in pictures]
    assert f"playwright show-trace {trace}" in page


def run_cycle(driver: Driver, *cabinets: str, **env: str) -> tuple[int, dict[str, Any]]:
    """``cabinet-robot run --json`` for the sandbox's month; exit code and JSON."""
    args = ["run", "--json", "--period", PERIOD, "--today", TODAY.isoformat()]
    for cabinet in cabinets:
        args += ["--cabinet", cabinet]
    result = driver.cli(*args, **env)
    assert result.exit_code in (0, 1), f"{result.output}\n{result.exception!r}"
    return result.exit_code, json.loads(result.stdout)


def statuses(payload: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    return {(r["cabinet"], r["account"], r["kind"]): r["status"] for r in payload["matrix"]}


def cell(payload: dict[str, Any], cabinet: str, account: str, kind: str) -> dict[str, Any]:
    found = [
        r
        for r in payload["matrix"]
        if (r["cabinet"], r["account"], r["kind"]) == (cabinet, account, kind)
    ]
    assert len(found) == 1, payload["matrix"]
    return found[0]


def manifest(sandbox: Sandbox) -> list[dict[str, Any]]:
    path = load_config(sandbox.config_path).tarifer.inbox / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def all_orders(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [order for running in sandbox.cabinets for order in running.orders()]


def test_cycle_delivers_everything_from_all_four_cabinets_and_a_rerun_repeats_nothing(
    sandbox: Sandbox, driver: Driver, database_url: str
) -> None:
    """On the SQLite ledger and on Postgres (``database_url``: the configuration's
    environment override)."""
    code, payload = run_cycle(driver)

    config = load_config(sandbox.config_path)
    expected = {
        (e.cabinet, e.account, str(e.kind))
        for e in plan_period(config, Period.parse(PERIOD), TODAY)
    }
    assert {c.split("-")[0] for c, _, _ in expected} == {"sip", "mts", "kcell", "a1"}
    assert statuses(payload) == dict.fromkeys(expected, "delivered"), payload["matrix"]
    assert code == 0 and payload["complete"] is True
    # Every delivered file is in the manifest and in the inbox, for the right account.
    lines = manifest(sandbox)
    inbox = config.tarifer.inbox
    for row in payload["matrix"]:
        for path in row["files"].split():
            assert (inbox / path).is_file()
            assert path.split("/")[1] == row["account"]
    assert {(m["operator"], m["account"], m["kind"]) for m in lines} >= {
        (c.split("-")[0], a, k) for c, a, k in expected
    }
    # The report for accounting, beside the manifest, with every invoice's amount.
    html = (inbox / f"report-{PERIOD}.html").read_text(encoding="utf-8")
    assert "Документы за" in html and "Доставлен" in html and "delivered<" not in html
    with open(inbox / f"report-{PERIOD}.csv", encoding="utf-8-sig") as report:
        rows = list(csv.DictReader(report, delimiter=";"))
    assert {(r["Кабинет"], r["Лицевой счёт"], r["kind"]) for r in rows} == expected
    sheet = openpyxl.load_workbook(inbox / f"report-{PERIOD}.xlsx")["Документы"]
    header = [c.value for c in sheet[1]]
    invoices = [
        dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[header.index("kind")] == "invoice"
    ]
    assert invoices and all(isinstance(r["Итого к оплате"], float) for r in invoices), invoices
    # The matrix is on the Prefect run, which is green, named and counted by its month.
    assert "✅ delivered" in latest_artifact(f"matrix-{PERIOD}")
    run = latest_flow_run("monthly-cycle")
    assert run["name"] == f"monthly cycle {PERIOD}"
    assert run["state"]["type"] == "COMPLETED"
    assert run["state"]["message"] == f"{len(expected)} delivered"

    status = driver.cli("status", "--json", "--period", PERIOD)
    assert status.exit_code == 0 and json.loads(status.stdout)["matrix"] == payload["matrix"]
    # People see the subscriber numbers masked; --json and the files' paths keep them whole.
    numbers = numbers_in(" ".join(r["files"] for r in payload["matrix"]))
    assert numbers, "some delivered file is named by its number"
    assert_masked(numbers, latest_artifact(f"matrix-table-{PERIOD}"), html, mask=True)

    orders_before = all_orders(sandbox)
    # The rerun with [privacy] mask_numbers = false writes the artifact and report again.
    code, payload = run_cycle(driver, CABINET_ROBOT_PRIVACY__MASK_NUMBERS="false")
    assert code == 0 and set(statuses(payload).values()) == {"delivered"}
    assert all_orders(sandbox) == orders_before, "a rerun placed orders again"
    assert manifest(sandbox) == lines, "a rerun delivered files again"
    html = (inbox / f"report-{PERIOD}.html").read_text(encoding="utf-8")
    assert_masked(numbers, latest_artifact(f"matrix-table-{PERIOD}"), html, mask=False)


def numbers_in(text: str) -> set[str]:
    """The sandbox's subscriber numbers that ``text`` names."""
    every = {n for operator in Operator for a in accounts_of(operator) for n in a.numbers}
    return {n for n in every if n in text}


def assert_masked(numbers: set[str], artifact: str, report: str, mask: bool) -> None:
    """``numbers`` masked (or whole) in the matrix artifact and the report's words."""
    words = re.sub(r'href="[^"]*"', "", report)  # the links open the files as Tarifer has them
    for text in (artifact, words):
        for number in numbers:
            assert (number in text) is not mask, (number, text[:2000])
            assert (mask_number(number) in text) is mask, (number, text[:2000])


def test_what_the_operator_mailed_before_the_first_run_is_not_ordered(
    sandbox: Sandbox, driver: Driver
) -> None:
    # Two MTS accounts' call details came by mail before the book knew the month.
    mailed = [
        letter
        for letter in month_of_mail(Period.parse(PERIOD), sandbox.mailbox.address)
        if letter.description.startswith("MTS call details")
    ]
    assert len(mailed) == 2
    sandbox.mailbox.deliver_many(letter.message for letter in mailed)
    accounts = {account.id for account in accounts_of(Operator.MTS)[:2]}

    code, payload = run_cycle(driver, "mts-sandbox")

    assert code == 0, payload["matrix"]
    for account in accounts:
        assert cell(payload, "mts-sandbox", account, "call_details")["status"] == "delivered"
    ordered = {(o["account"], o["kind"]) for o in sandbox.cabinet("mts").orders()}
    assert ordered, "the rest was ordered"
    assert not {(account, "call_details") for account in accounts} & ordered, ordered


def test_a_lost_document_is_ordered_once_more_then_reported_missing_to_accounting(
    sandbox: Sandbox, driver: Driver
) -> None:
    lost_account = "277012345679"
    sandbox.outbox.lose(
        lambda parcel: parcel.spec.account == lost_account and parcel.spec.kind == "call_details"
    )
    code, payload = run_cycle(driver, "mts-sandbox", CABINET_ROBOT_CYCLE__DEADLINES='{"*": "8s"}')

    assert code == 1 and payload["complete"] is False
    missing = cell(payload, "mts-sandbox", lost_account, "call_details")
    assert missing["status"] == "missing" and "ordered 2 time(s)" in missing["detail"]
    others = {k: v for k, v in statuses(payload).items() if k[1:] != (lost_account, "call_details")}
    assert set(others.values()) == {"delivered"}
    placed = [
        o
        for o in sandbox.cabinet("mts").orders()
        if o["account"] == lost_account and o["kind"] == "call_details"
    ]
    assert len(placed) == 2, placed
    run = latest_flow_run("monthly-cycle")
    assert run["state"]["type"] == "FAILED"
    assert run["state"]["message"] == (
        f"1 missing: mts-sandbox {lost_account} call_details: {missing['detail']}"
    )
    # Accounting was told, with the matrix.
    summaries = sandbox.accounting.messages()
    assert len(summaries) == 1
    assert summaries[0].subject == f"cabinet-robot: documents for {PERIOD}: 1 missing"
    body = summaries[0].message.get_body(("plain",))
    assert body is not None and lost_account in body.get_content()


@pytest.mark.parametrize("sandbox_options", [{"faults": "maintenance=sip"}], indirect=True)
def test_maintenance_and_a_wrong_password_fail_their_cabinets_only(
    sandbox: Sandbox, driver: Driver
) -> None:
    code, payload = run_cycle(
        driver,
        "sip-sandbox",
        "mts-sandbox",
        "kcell-sandbox",
        CABINET_ROBOT_MTS_PASSWORD="not-the-password",
    )

    assert code == 1
    by_cabinet: dict[str, set[str]] = {}
    for row in payload["matrix"]:
        by_cabinet.setdefault(row["cabinet"], set()).add(row["status"])
    assert by_cabinet == {
        "sip-sandbox": {"failed"},
        "mts-sandbox": {"failed"},
        "kcell-sandbox": {"delivered"},
    }
    sip = cell(payload, "sip-sandbox", "1100023456", "invoice")
    assert sip["detail"].startswith("maintenance:")
    mts = cell(payload, "mts-sandbox", "277012345678", "invoice")
    assert mts["detail"].startswith("login refused:")
    assert mts["evidence"] and (Path(mts["evidence"]) / "trace.zip").is_file()
    assert "not-the-password" not in (Path(mts["evidence"]) / "trace.zip").read_bytes().decode(
        "latin-1"
    )
    assert sandbox.cabinet("sip").orders() == [] and sandbox.cabinet("mts").orders() == []
    assert last_session_attempts("sip-sandbox") == 1, "maintenance is not retried in minutes"
    assert last_session_attempts("mts-sandbox") == 1, "a refused login is never retried"
    summary = sandbox.accounting.messages()
    assert len(summary) == 1 and "failed" in summary[0].subject
    # Red in Prefect too, saying what failed, with the evidence on the run's page.
    run = latest_flow_run("monthly-cycle")
    assert run["state"]["type"] == "FAILED", run["state"]
    # Each cabinet's documents failed for one reason: each reason named once.
    failed = [row for row in payload["matrix"] if row["status"] == "failed"]
    message = run["state"]["message"]
    assert message.startswith(f"{len(failed)} failed: "), message
    for cabinet, reason in (("sip-sandbox", "maintenance"), ("mts-sandbox", "login refused")):
        others = sum(row["cabinet"] == cabinet for row in failed) - 1
        assert re.search(rf"{cabinet} \d+ \w+ and {others} more: {reason}: ", message), message
    assert len(message) < 300, message
    assert_reachable_evidence(evidence_page(run["id"]), Path(mts["evidence"]) / "trace.zip")
    # Each session is the cabinet's health: the two that could not be asked, the one ok.
    health = driver.cli("status", "--health", "--json")
    assert health.exit_code == 0, health.output
    runs = {c["cabinet"]: c["runs"] for c in json.loads(health.stdout)["health"]}
    assert {name: [(r["source"], r["status"]) for r in found] for name, found in runs.items()} == {
        "sip-sandbox": [("cycle", "unavailable")],
        "mts-sandbox": [("cycle", "unavailable")],
        "kcell-sandbox": [("cycle", "ok")],
    }
    for name, reason in (("sip-sandbox", "maintenance: "), ("mts-sandbox", "login refused: ")):
        ((screen, detail),) = [(s["screen"], s["detail"]) for s in runs[name][0]["screens"]]
        assert screen == "cabinet" and detail.startswith(reason), detail
    kcell_kinds = {s["screen"] for s in runs["kcell-sandbox"][0]["screens"]}
    assert kcell_kinds == {row["kind"] for row in payload["matrix"]
                           if row["cabinet"] == "kcell-sandbox"}  # fmt: skip
    page = Path(payload["report_html"]).read_text(encoding="utf-8")
    section = page[page.index("<h2>Состояние кабинетов</h2>") :]
    assert section.count("<b>Н</b><br>") == 2 and section.count("<b>Р</b><br>") == 1


@pytest.mark.parametrize("sandbox_options", [{"faults": "error_rate=1"}], indirect=True)
def test_an_unreachable_cabinet_is_retried_by_prefect_then_reported(
    sandbox: Sandbox, driver: Driver
) -> None:
    code, payload = run_cycle(driver, "sip-sandbox", CABINET_ROBOT_CYCLE__RETRIES="1")

    assert code == 1
    assert {row["status"] for row in payload["matrix"]} == {"failed"}
    assert all(row["detail"].startswith("unavailable:") for row in payload["matrix"])
    assert last_session_attempts("sip-sandbox") == 2, "one attempt, one Prefect retry"


@pytest.mark.parametrize("sandbox_options", [{"today": TODAY.replace(day=2)}], indirect=True)
def test_nothing_is_ordered_while_the_cabinet_refuses_by_its_calendar(
    sandbox: Sandbox, driver: Driver
) -> None:
    day = TODAY.replace(day=2)
    result = driver.cli(
        "run", "--json", "--period", PERIOD, "--today", day.isoformat(), "--cabinet", "sip-sandbox"
    )
    payload = json.loads(result.stdout)

    assert result.exit_code == 0, "waiting is not a failure"
    assert {row["status"] for row in payload["matrix"]} == {"waiting"}
    fourth = day.replace(day=4).isoformat()
    assert all(row["detail"] == f"the cabinet gives it from {fourth}" for row in payload["matrix"])
    assert sandbox.cabinet("sip").orders() == []
    assert sandbox.accounting.messages() == [], "nothing is wrong yet: no alarm"


@pytest.mark.parametrize("sandbox_options", [{"today": TODAY.replace(day=2)}], indirect=True)
def test_a_scheduled_run_is_named_by_its_month_and_waiting_is_not_failed(
    sandbox: Sandbox,
) -> None:
    from flows.cycle import monthly_cycle

    # As a deployment starts it: no period, the month before the run's day.
    state = monthly_cycle(
        config_path=str(sandbox.config_path),
        today=TODAY.replace(day=2),
        cabinets=["sip-sandbox"],
        return_state=True,
    )

    run = flow_run(state)
    assert run["name"] == f"monthly cycle {PERIOD} (sip-sandbox)"
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert run["state"]["message"].endswith(" waiting"), run["state"]


def test_a_cabinet_password_can_come_from_a_prefect_secret_block() -> None:
    from prefect.blocks.system import Secret

    from config.models import CabinetSettings
    from robots.errors import ConfigurationError
    from robots.secrets import cabinet_password

    cabinet = CabinetSettings.model_validate(
        {
            "name": "mts-main",
            "operator": "mts",
            "url": "https://vm.mts.ru/",
            "login": "79161234567",
            "password_secret": "mts-main-password",
        }
    )
    with pytest.raises(ConfigurationError, match="Secret block 'mts-main-password'"):
        cabinet_password(cabinet)
    Secret(value="from-the-block").save("mts-main-password")
    assert cabinet_password(cabinet) == "from-the-block"


def test_a_canary_started_during_the_ordering_waits_for_the_login(sandbox: Sandbox) -> None:
    from flows.canary import canary_check
    from flows.ordering import order_documents

    config = str(sandbox.config_path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        ordering = pool.submit(
            order_documents, PERIOD, config, TODAY, cabinets=["sip-sandbox"], return_state=True
        )
        canary = pool.submit(canary_check, config, cabinets=["sip-sandbox"], return_state=True)
        states = [ordering.result(timeout=300), canary.result(timeout=300)]

    assert all(state.is_completed() for state in states), states
    assert sandbox.cabinet("sip").orders(), "the cycle ordered"
    spans = sorted(sandbox.cabinet("sip").login_spans())
    assert len(spans) == 2, "the cycle's session and the canary's fresh one"
    (_, first_ends), (second_opens, _) = spans
    assert first_ends < second_opens, "two sessions of one login were open at once"


def test_the_canary_flow_fails_when_a_screen_changed(sandbox: Sandbox) -> None:
    from flows.canary import canary_check

    sandbox.cabinet("sip").set_markup("rename=Сформировать детализацию=>Заказать")
    state = canary_check(
        config_path=str(sandbox.config_path), cabinets=["sip-sandbox"], return_state=True
    )

    assert state.is_failed()
    assert "the canary found screens" in str(state.message) and ": changed" in str(state.message)
    assert sandbox.cabinet("sip").orders() == [], "the canary submits nothing"
    assert '"changed"' in latest_artifact("canary")
    run = flow_run(state)
    assert run["name"] == "canary check: sip-sandbox"
    canaries = load_config(sandbox.config_path).state.dir / "canary"
    (trace,) = canaries.glob("*/sip-sandbox/trace.zip")
    assert_reachable_evidence(evidence_page(run["id"]), trace)


def test_with_healing_on_the_run_delivers_through_a_renamed_button_and_reports_the_heal(
    sandbox: Sandbox, driver: Driver
) -> None:
    submit, renamed = "Сформировать детализацию", "Сформировать детализацию звонков"
    sandbox.cabinet("sip").set_markup(f"rename={submit}=>{renamed}")

    code, payload = run_cycle(driver, "sip-sandbox", CABINET_ROBOT_HEALING__ENABLED="true")

    assert code == 0 and payload["complete"] is True, payload["matrix"]
    details = [r for r in payload["matrix"] if r["kind"] == "call_details"]
    assert details and {r["status"] for r in details} == {"delivered"}
    note = f"healed: «{submit}» → «{renamed}» (0.80)"
    assert all(r["heals"] == note for r in details), details
    matrix = latest_artifact(f"matrix-{PERIOD}")
    assert "🩹 healed" in matrix and f'labels = {{ "{submit}" = "{renamed}" }}' in matrix
    query = {"artifacts": {"type": {"any_": ["markdown"]}}, "sort": "CREATED_DESC"}
    pages = [a["data"] for a in prefect_api("artifacts/filter", query)]
    (healed, *_) = [page for page in pages if page.startswith(f"# Controls healed in {PERIOD}")]
    assert note in healed and embedded_pictures(healed), healed[:500]


@pytest.mark.parametrize(
    "sandbox_options", [{"accounts": {Operator.KCELL: generated_accounts(Operator.KCELL, 3)}}],
    indirect=True,
)  # fmt: skip
def test_a_form_that_orders_for_the_whole_company_is_sent_once_per_company(
    sandbox: Sandbox, driver: Driver
) -> None:
    """Kcell's «Акт сверки» has no account field: one order covers every account of the
    company chosen, so two accounts of one company are one order, not two."""
    code, payload = run_cycle(driver, "kcell-sandbox")

    assert code == 0 and payload["complete"] is True, payload["matrix"]
    acts = [o for o in sandbox.cabinet("kcell").orders() if o["kind"] == "reconciliation_act"]
    per_account = collections.Counter(o["account"] for o in acts)
    assert len(per_account) == 3 and set(per_account.values()) == {1}, acts
    along = [
        r for r in payload["matrix"]
        if r["kind"] == "reconciliation_act" and r["status"] == "delivered"
    ]  # fmt: skip
    assert len(along) == 3, payload["matrix"]
