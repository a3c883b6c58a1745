"""``Sandbox``: what it writes for the robot and what it stops."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import httpx
import pytest

from config.loader import load_config
from robots.domain import Operator
from sandbox.cabinets.base import CabinetSettings
from sandbox.cabinets.kcell import KcellSettings
from sandbox.cabinets.mts import MtsSettings
from sandbox.mailserver import MailServer
from sandbox.stack import Sandbox
from sandbox.world import accounts_of

pytestmark = pytest.mark.integration


def test_robot_configuration_and_env_file(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sip, mts, kcell = sandbox.cabinet("sip"), sandbox.cabinet("mts"), sandbox.cabinet("kcell")
    assert set(sandbox.env) == {
        "CABINET_ROBOT_MAIL_PASSWORD",
        "CABINET_ROBOT_SIP_PASSWORD",
        "CABINET_ROBOT_MTS_PASSWORD",
        "CABINET_ROBOT_KCELL_PASSWORD",
        "CABINET_ROBOT_A1_PASSWORD",
    }
    assert sandbox.env["CABINET_ROBOT_A1_PASSWORD"] == sandbox.cabinet("a1").password
    assert sandbox.env["CABINET_ROBOT_KCELL_PASSWORD"] == kcell.password
    assert sandbox.env["CABINET_ROBOT_SIP_PASSWORD"] == sip.password
    assert sandbox.env["CABINET_ROBOT_MTS_PASSWORD"] == mts.password
    assert sandbox.env["CABINET_ROBOT_MAIL_PASSWORD"] == sandbox.mailbox.password
    assert stat.S_IMODE(sandbox.env_path.stat().st_mode) == 0o600
    lines = sandbox.env_path.read_text().splitlines()
    assert lines == [f"{key}={value}" for key, value in sandbox.env.items()]
    for key, value in sandbox.env.items():
        monkeypatch.setenv(key, value)
    config = load_config(sandbox.config_path)
    assert config.browser.headless
    assert config.mail.port == sandbox.mailbox.port
    assert config.mail.username == sandbox.mailbox.username
    cabinet = next(c for c in config.cabinets if c.operator is Operator.SIP)
    assert cabinet.name == "sip-sandbox"
    assert str(cabinet.url) == sip.url
    assert (cabinet.login, cabinet.password_env) == ("1100023456", "CABINET_ROBOT_SIP_PASSWORD")
    assert cabinet.mail_from == ("@siptelecom.by",)
    assert [(a.id, a.numbers) for a in cabinet.accounts] == [
        (a.id, a.numbers) for a in accounts_of(Operator.SIP)
    ]
    assert {c.operator for c in config.cabinets} == set(Operator)
    assert sip.password not in sandbox.config_path.read_text()
    assert mts.password not in sandbox.config_path.read_text()
    assert cabinet.email is None and cabinet.otp is None

    web = next(c for c in config.cabinets if c.operator is Operator.MTS)
    assert web.name == "mts-sandbox"
    assert str(web.url) == mts.url == f"{mts.base_url}selfcare/"
    assert (web.login, web.password_env) == ("9161234567", "CABINET_ROBOT_MTS_PASSWORD")
    assert web.email == sandbox.mailbox.address
    assert web.otp is not None and str(web.otp.source) == "http"
    assert web.otp.url == f"{mts.base_url}_sandbox/sms?phone={{phone}}"
    assert web.mail_from == ("@mts.ru",)
    assert web.download_hosts == ("127.0.0.1",)
    assert [(a.id, a.numbers) for a in web.accounts] == [
        (a.id, a.numbers) for a in accounts_of(Operator.MTS)
    ]

    text = sandbox.config_path.read_text()
    assert kcell.password not in text
    assert 'companies = ["TOO Кабинет", "Филиал TOO Кабинет"]' in text
    entry = next(c for c in config.cabinets if c.operator is Operator.KCELL)
    assert entry.name == "kcell-sandbox"
    assert str(entry.url) == kcell.url == f"{kcell.base_url}login"
    assert (entry.login, entry.password_env) == ("77012223344", "CABINET_ROBOT_KCELL_PASSWORD")
    assert entry.email == sandbox.mailbox.address
    assert entry.companies == ("TOO Кабинет", "Филиал TOO Кабинет")
    assert entry.otp is not None
    assert entry.otp.url == f"{kcell.base_url}_sandbox/sms?phone={{phone}}"
    assert kcell.sms_url == entry.otp.url and sip.sms_url is None
    assert entry.mail_from == ("@kcell.kz",)
    assert entry.download_hosts == ("127.0.0.1",)
    assert [(a.id, a.numbers) for a in entry.accounts] == [
        ("1040123456", ("77012223344", "77012223345")),
        ("1040123457", ("77012223346", "77012223347")),
    ]
    a1 = next(c for c in config.cabinets if c.operator is Operator.A1)
    assert a1.has_login and str(a1.url) == sandbox.cabinet("a1").url
    assert a1.login == "291234567"
    assert [a.id for a in a1.accounts] == ["1234567890123", "1234567890124", "1234567890125"]


def test_the_cabinet_answers_on_its_url_and_stop_stops_it(
    mail_server: MailServer, tmp_path: Path
) -> None:
    box = Sandbox(tmp_path, mail_server=mail_server).start()
    url = box.cabinet("sip").url
    assert httpx.get(f"{url}login").status_code == 200
    assert httpx.get(box.cabinet("mts").url).status_code == 200
    assert httpx.get(box.cabinet("kcell").url).status_code == 200
    assert httpx.get(box.cabinet("a1").url).status_code == 200
    with pytest.raises(KeyError, match="no cabinet 'nope'"):
        box.cabinet("nope")
    box.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}login")
    assert mail_server.running  # a borrowed server is left running
    assert not [t for t in threading.enumerate() if t.name.startswith(("uvicorn", "outbox"))]


def test_bad_faults_are_refused_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        Sandbox(tmp_path, faults="boom=1")
    assert not tmp_path.joinpath("cabinet-robot.toml").exists()


def test_cabinet_settings_by_name_and_while_running(
    mail_server: MailServer, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="no cabinet 'nope' to configure"):
        Sandbox(tmp_path, settings={"nope": MtsSettings()})
    with pytest.raises(ValueError, match="cabinet 'a1' takes A1Settings"):
        Sandbox(tmp_path, settings={"a1": MtsSettings()})
    with pytest.raises(ValueError, match="cabinet 'kcell' takes KcellSettings"):
        Sandbox(tmp_path, settings={"kcell": MtsSettings()})
    with pytest.raises(ValueError, match="cabinet 'sip' takes CabinetSettings"):
        Sandbox(tmp_path, settings={"sip": MtsSettings()})
    settings = {"mts": MtsSettings(max_attempts=3, link_ttl_s=60)}
    with Sandbox(tmp_path, mail_server=mail_server, settings=settings, mts_sms=True) as box:
        mts = box.cabinet("mts")
        assert mts.settings == MtsSettings(max_attempts=3, link_ttl_s=60, sms_on_login=True)
        assert mts.set_settings(sms_on_login=False) == MtsSettings(max_attempts=3, link_ttl_s=60)
        with pytest.raises(TypeError):
            mts.set_settings(no_such_knob=1)
        assert box.cabinet("sip").settings == CabinetSettings()
        assert box.cabinet("kcell").settings == KcellSettings()
    kcell = {"kcell": KcellSettings(resend_after_s=5)}
    with Sandbox(tmp_path, mail_server=mail_server, settings=kcell, kcell_first_login=True) as box:
        assert box.cabinet("kcell").settings == KcellSettings(resend_after_s=5, first_login=True)
    with Sandbox(tmp_path, mail_server=mail_server, kcell_password_expired=True) as box:
        assert box.cabinet("kcell").settings == KcellSettings(password_expired=True)
