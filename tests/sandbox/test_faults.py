"""Faults (500s by seed, latency, session TTL, maintenance), the sandbox calendar and
the ``/_sandbox`` endpoints of a running cabinet."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from sandbox.cabinets.calendar import parse_day
from sandbox.cabinets.faults import FaultSpec
from sandbox.stack import Sandbox

if TYPE_CHECKING:
    from tests.sandbox.conftest import CabinetClient

pytestmark = pytest.mark.integration

MAINTENANCE = (
    "Личный кабинет временно недоступен в связи с проведением технических работ. "
    "Приносим извинения за неудобства."
)


def test_spec_parses_and_prints_back() -> None:
    spec = FaultSpec.parse("error_rate=0.1, latency_ms=300,session_ttl_s=60,maintenance=sip,seed=7")
    assert spec == FaultSpec(0.1, 300, 60.0, frozenset({"sip"}), 7)
    assert FaultSpec.parse(str(spec)) == spec
    assert FaultSpec.parse("") == FaultSpec.parse("none") == FaultSpec()
    assert FaultSpec.parse("maintenance=sip+mts").maintenance == {"sip", "mts"}
    held = FaultSpec.parse("hold_files=true")
    assert held.hold_files is True and FaultSpec.parse(str(held)) == held


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("error_rate=2", "bad value for fault error_rate: '2'"),
        ("latency_ms=-1", "bad value for fault latency_ms"),
        ("session_ttl_s=0", "bad value for fault session_ttl_s"),
        ("seed=x", "bad value for fault seed"),
        ("hold_files=1", "bad value for fault hold_files"),
        ("speed=3", "unknown fault 'speed'"),
        ("seed=1,seed=2", "given twice"),
        ("maintenance", "must be key=value"),
        ("maintenance=", "needs a cabinet name"),
    ],
)
def test_bad_specs_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultSpec.parse(text)


def test_today_parsing() -> None:
    assert str(parse_day("2026-11-02")) == "2026-11-02"
    assert parse_day("") is None and parse_day("real") is None
    for bad in ("2026-13-01", "20261102", "tomorrow"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            parse_day(bad)


def statuses(client: CabinetClient, count: int) -> list[int]:
    return [client.http.get("/login").status_code for _ in range(count)]


def test_random_500s_are_reproducible_by_seed(sip: CabinetClient, sandbox: Sandbox) -> None:
    cabinet = sandbox.cabinet("sip")
    cabinet.set_markup("semantic")  # read by its heading and alert
    cabinet.set_faults("error_rate=0.5,seed=7")
    first = statuses(sip, 30)
    assert set(first) == {200, 500}
    cabinet.set_faults("error_rate=0.5,seed=7")
    assert statuses(sip, 30) == first
    # through the HTTP endpoint, with the same spec string
    answer = sip.http.post("/_sandbox/faults", content="error_rate=0.5,seed=7")
    assert answer.json() == {"faults": "error_rate=0.5,seed=7"}
    assert statuses(sip, 30) == first
    cabinet.set_faults("error_rate=0.5,seed=8")
    assert statuses(sip, 30) != first
    failed = next(r for r in (sip.open("/login") for _ in range(30)) if r.status_code == 500)
    assert failed.h1 == "Внутренняя ошибка"
    assert failed.alerts == ["Произошла ошибка при обработке запроса. Повторите попытку позже."]
    cabinet.set_faults("error_rate=1")
    assert sip.http.get("/_sandbox/orders").status_code == 200
    assert sip.http.get("/static/sip.css").status_code == 200


def test_maintenance_page_everywhere_until_lifted(sip: CabinetClient, sandbox: Sandbox) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # read by its heading and alert
    sip.login()
    answer = sip.http.post("/_sandbox/faults", data={"spec": "maintenance=sip"})
    assert answer.json() == {"faults": "maintenance=sip"}
    for path in ("/login", "/menu", "/bills/email"):
        page = sip.open(path)
        assert (page.status_code, page.h1) == (503, "Технические работы")
        assert page.alerts == [MAINTENANCE]
    assert sip.http.post("/login", data={}).status_code == 503
    assert sip.http.post("/_sandbox/faults", content="").json() == {"faults": ""}
    assert sip.open("/menu").h1 == "Главное меню администратора"  # the session survived
    sandbox.set_faults("maintenance=mts")  # another cabinet's maintenance
    assert sip.open("/menu").status_code == 200


def test_bad_spec_over_http_is_refused_and_changes_nothing(sip: CabinetClient) -> None:
    sip.http.post("/_sandbox/faults", content="latency_ms=1")
    answer = sip.http.post("/_sandbox/faults", content="error_rate=1.5")
    assert answer.status_code == 400 and "error_rate" in answer.json()["error"]
    assert sip.http.get("/_sandbox/faults").json() == {"faults": "latency_ms=1"}


def test_latency_delays_every_page(sip: CabinetClient, sandbox: Sandbox) -> None:
    sandbox.cabinet("sip").set_faults("latency_ms=150")
    began = time.monotonic()
    assert sip.open("/login").status_code == 200
    assert time.monotonic() - began >= 0.15


def test_expired_session_goes_to_login_with_a_message(
    sip: CabinetClient, sandbox: Sandbox, new_client: Callable[[], CabinetClient]
) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # read by its heading and alert
    sip.login()
    sandbox.cabinet("sip").set_faults("session_ttl_s=0.001")  # older than 1 ms: every session
    response = sip.http.get("/bills", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?expired=1")
    page = sip.open("/login?expired=1")
    assert page.alerts == ["Время сеанса истекло. Войдите в личный кабинет снова."]
    sandbox.cabinet("sip").set_faults("session_ttl_s=60")
    # the login page's new session is not logged in: no "expired" any more
    assert sip.http.get("/bills", follow_redirects=False).headers["location"] == "/login"
    assert new_client().login().h1 == "Главное меню администратора"


def test_expire_sessions_sends_every_browser_to_log_in_again(
    sip: CabinetClient, sandbox: Sandbox, new_client: Callable[[], CabinetClient]
) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # read by its heading
    other = new_client()
    for client in (sip, other):
        client.login()
    sandbox.cabinet("sip").expire_sessions()
    for client in (sip, other):
        response = client.http.get("/menu", follow_redirects=False)
        assert response.headers["location"] == "/login?expired=1"
    assert sip.login().h1 == "Главное меню администратора"


def test_sandbox_today_and_orders_endpoints(sip: CabinetClient, sandbox: Sandbox) -> None:
    assert sip.http.get("/_sandbox/today").json() == {"today": "2026-11-10", "fixed": True}
    assert sip.http.post("/_sandbox/today", content="2026-12-02").json()["today"] == "2026-12-02"
    assert sandbox.calendar.today().isoformat() == "2026-12-02"
    assert sip.http.post("/_sandbox/today", content="02.12.2026").status_code == 400
    assert sip.http.post("/_sandbox/today", content="real").json()["fixed"] is False
    assert sip.http.get("/_sandbox/orders").json() == []
    missing = sip.http.get("/_sandbox/sms", params={"phone": "375291234567"})
    assert missing.status_code == 404
    before = dt.datetime.now(dt.UTC)
    sandbox.cabinet("sip").cabinet.sms.send("375291234567", "1234")
    found = sip.http.get("/_sandbox/sms", params={"phone": "375291234567"}).json()
    assert {k: found[k] for k in ("phone", "code")} == {"phone": "375291234567", "code": "1234"}
    sent_at = dt.datetime.fromisoformat(found["sent_at"])  # the real clock, not the calendar
    assert before <= sent_at <= dt.datetime.now(dt.UTC)
    assert sandbox.cabinet("sip").last_sms("375291234567") == found
