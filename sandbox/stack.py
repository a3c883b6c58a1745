"""``Sandbox``: the whole simulated world on loopback, for tests, demos and QA.

It starts (or borrows) a Dovecot, creates the robot's mailbox, serves every cabinet
app (SIP, MTS, Kcell and A1) from a background thread on a free port each, and writes what
the robot needs to talk to all of it: ``<dir>/cabinet-robot.toml`` and ``<dir>/env``
(the generated passwords, mode 0600).

Each cabinet has its own knobs (``CabinetSettings`` subclasses, e.g. ``MtsSettings``:
lockout, SMS step on login, attachment limit, link validity); pass them by cabinet name
(``settings={"mts": MtsSettings(...)}``) or change them while running
(``sandbox.cabinet("mts").set_settings(max_attachment_kb=1)``). ``mts_sms=True`` is the
shortcut for ``MtsSettings(sms_on_login=True)``; ``kcell_first_login=True`` and
``kcell_password_expired=True`` for ``KcellSettings(first_login=True)`` and
``KcellSettings(password_expired=True)``.

Example::

    with Sandbox(tmp_path, mail_server=mail_server, timings=Timings.uniform(0.2)) as sandbox:
        sip = sandbox.cabinet("sip")
        ...  # drive sip.url with sip.login / sip.password
        assert sandbox.outbox.wait_idle(10)
        messages = sandbox.mailbox.messages()
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Any, Self

from robots.domain import Operator
from sandbox.cabinets.a1 import A1Cabinet, A1Settings
from sandbox.cabinets.base import Cabinet, CabinetSettings, Timings
from sandbox.cabinets.calendar import SandboxCalendar
from sandbox.cabinets.faults import FaultSpec
from sandbox.cabinets.kcell import KcellCabinet, KcellSettings, new_password
from sandbox.cabinets.markup import MarkupSpec
from sandbox.cabinets.mts import MtsCabinet, MtsSettings
from sandbox.cabinets.server import AppServer
from sandbox.cabinets.sip import SipCabinet
from sandbox.lifecycle import Service
from sandbox.mailserver import Mailbox, MailServer
from sandbox.outbox import Outbox
from sandbox.smtp import SmtpRelay
from sandbox.world import SandboxAccount, WebCabinet, robot_config_toml

__all__ = ["MAIL_PASSWORD_ENV", "RunningCabinet", "Sandbox"]

MAIL_PASSWORD_ENV = "CABINET_ROBOT_MAIL_PASSWORD"
ROBOT_USER = "robot"
CHROMIUM_ENV = "CABINET_ROBOT_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The cabinets a sandbox runs, and the settings class each takes.
CABINET_SETTINGS: dict[str, type[CabinetSettings]] = {
    "sip": SipCabinet.settings_type,
    "mts": MtsCabinet.settings_type,
    "kcell": KcellCabinet.settings_type,
    "a1": A1Cabinet.settings_type,
}


@dataclass
class RunningCabinet:
    """A cabinet served on loopback, as tests and the CLI see it."""

    cabinet: Cabinet
    server: AppServer
    password_env: str  # the robot configuration's variable for the password

    @property
    def name(self) -> str:
        return self.cabinet.name

    @property
    def base_url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:41234/`` (``_sandbox/`` is under it)."""
        return self.server.url

    @property
    def url(self) -> str:
        """The start page: ``http://127.0.0.1:41234/`` (SIP), ``.../selfcare/`` (MTS),
        ``.../login`` (Kcell)."""
        return self.server.url + self.cabinet.start_path.lstrip("/")

    @property
    def settings(self) -> CabinetSettings:
        """The cabinet's own knobs now (e.g. ``MtsSettings``)."""
        return self.cabinet.settings

    def set_settings(self, **changes: Any) -> CabinetSettings:
        """Change some of the cabinet's settings while it runs, e.g.
        ``set_settings(sms_on_login=True)``; the next request sees them.

        Raises:
            TypeError: a setting the cabinet does not have.
        """
        self.cabinet.settings = replace(self.cabinet.settings, **changes)
        return self.cabinet.settings

    def last_sms(self, phone: str) -> dict[str, Any] | None:
        """The last SMS code sent to ``phone`` (``79161234567``, Kcell ``77012223344``), as
        ``GET /_sandbox/sms`` answers it: ``{"phone", "code", "sent_at"}``; ``None`` if
        none was sent."""
        sms = self.cabinet.sms.last_sms(phone)
        return sms.as_json() if sms else None

    @property
    def login(self) -> str:
        return self.cabinet.login

    @property
    def password(self) -> str:
        """The password of the robot's configuration (its ``password_env``). A Kcell
        cabinet with ``first_login`` accepts it only once «Забыли пароль?» has set it."""
        return self.cabinet.password

    @property
    def sms_url(self) -> str | None:
        """Where the SMS codes of a cabinet that sends them are read (``{phone}`` to fill),
        e.g. ``http://127.0.0.1:41234/_sandbox/sms?phone={phone}``; ``None`` for SIP."""
        if not self.cabinet.may_ask_sms:
            return None
        return f"{self.base_url}_sandbox/sms?phone={{phone}}"

    @property
    def outbox(self) -> Outbox:
        return self.cabinet.outbox

    def orders(self) -> list[dict[str, Any]]:
        """The accepted orders, exactly as ``GET /_sandbox/orders`` lists them."""
        return [order.as_json() for order in self.cabinet.orders.all()]

    def set_faults(self, spec: FaultSpec | str) -> None:
        """Change this cabinet's faults (see ``sandbox.cabinets.faults``)."""
        self.cabinet.faults.set(spec)

    def held_files(self) -> int:
        """File answers kept waiting now by the ``hold_files`` fault."""
        return self.cabinet.faults.held

    def set_markup(self, spec: MarkupSpec | str) -> None:
        """Change how this cabinet's pages are marked up, e.g. ``"restyle,seed=5"`` or
        ``"rename=Далее=>Продолжить"``; ``""`` serves them as made (see
        ``sandbox.cabinets.markup``).

        Raises:
            ValueError: the spec string is malformed (the markup stays as it was).
        """
        self.cabinet.markup.set(spec)

    def expire_sessions(self) -> None:
        """End every session of this cabinet: the next request is sent to log in again."""
        self.cabinet.sessions.expire_all()

    def login_spans(self) -> list[tuple[float, float]]:
        """When each session of the robot's login was first and last used
        (``time.monotonic()``), oldest first: two that overlap were open at once."""
        return self.cabinet.sessions.spans(self.cabinet.login)

    def lock_login(self) -> None:
        """Lock the cabinet's login as too many wrong passwords would (its ``lockout_s``)."""
        self.cabinet.lock_login()

    def expire_links(self) -> None:
        """End every download link the cabinet has e-mailed: they answer 410 from now on."""
        self.cabinet.files.expire_all()

    def set_today(self, today: dt.date | None) -> None:
        """Change the sandbox date (every cabinet shares it); ``None``: the real date."""
        self.cabinet.calendar.set_today(today)


class Sandbox(Service):
    """The mail server, the robot's mailbox, the cabinets and the robot's configuration.

    Args:
        directory: where ``cabinet-robot.toml``, ``env``, Tarifer's inbox (``tarifer/``)
            and the robot's state (``state/``) go; created if needed.
        mail_server: a running server to use (tests pass their per-worker one); by
            default the sandbox starts its own and stops it at the end.
        today: the sandbox date; ``None`` follows the real date.
        faults: the initial fault spec of every cabinet.
        timings: back-office delays of every cabinet.
        markup: the initial markup spec of every cabinet (``sandbox.cabinets.markup``).
        settings: cabinets' own settings by cabinet name, e.g.
            ``{"mts": MtsSettings(max_attempts=3)}`` (the others get their defaults).
        mts_sms: the MTS login asks for an SMS code (``sms_on_login``; overrides
            ``settings``).
        kcell_first_login: the Kcell administrator has no password yet: the robot must
            set it through «Забыли пароль?» (``first_login``; overrides ``settings``).
        kcell_password_expired: the Kcell password is expired: a right password leads to
            «Смена пароля» (``password_expired``; overrides ``settings``).

    Raises:
        ValueError: ``faults``, ``markup`` or ``settings`` is malformed (before anything
            starts).
    """

    def __init__(
        self,
        directory: Path,
        *,
        mail_server: MailServer | None = None,
        today: dt.date | None = None,
        faults: str = "",
        timings: Timings | None = None,
        markup: str = "",
        settings: Mapping[str, CabinetSettings] | None = None,
        mts_sms: bool = False,
        kcell_first_login: bool = False,
        kcell_password_expired: bool = False,
        accounts: Mapping[Operator, tuple[SandboxAccount, ...]] | None = None,
    ) -> None:
        self.directory = Path(directory).resolve()
        self.accounts = dict(accounts or {})
        self.faults = FaultSpec.parse(faults)
        self.markup = MarkupSpec.parse(markup)
        self.settings = _checked_settings(settings or {})
        if mts_sms:
            mts = self.settings.get("mts", MtsSettings())
            assert isinstance(mts, MtsSettings)
            self.settings["mts"] = replace(mts, sms_on_login=True)
        if kcell_first_login or kcell_password_expired:
            kcell = self.settings.get("kcell", KcellSettings())
            assert isinstance(kcell, KcellSettings)
            self.settings["kcell"] = replace(
                kcell,
                first_login=kcell_first_login or kcell.first_login,
                password_expired=kcell_password_expired or kcell.password_expired,
            )
        self.timings = timings or Timings()
        self.calendar = SandboxCalendar(today)
        self._given_server = mail_server
        self._own_server: MailServer | None = None
        self._mailbox: Mailbox | None = None
        self._outbox: Outbox | None = None
        self._relay: SmtpRelay | None = None
        self._accounting: Mailbox | None = None
        self._cabinets: dict[str, RunningCabinet] = {}
        self.env: dict[str, str] = {}

    # -- what tests use --------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.directory / "cabinet-robot.toml"

    @property
    def deadline_s(self) -> float:
        """How long the robot may wait for a document here: the slowest back office, with
        room for a loaded machine."""
        return float(round(max(astuple(self.timings)) * 3 + 15))

    @property
    def env_path(self) -> Path:
        return self.directory / "env"

    @property
    def mail_server(self) -> MailServer:
        server = self._given_server or self._own_server
        if server is None:
            raise RuntimeError("the sandbox has not been started")
        return server

    @property
    def mailbox(self) -> Mailbox:
        """The robot's mailbox, where every cabinet sends its documents."""
        if self._mailbox is None:
            raise RuntimeError("the sandbox has not been started")
        return self._mailbox

    @property
    def accounting(self) -> Mailbox:
        """Accounting's mailbox: the robot's summary e-mails come here (``[notify]``)."""
        if self._accounting is None:
            raise RuntimeError("the sandbox has not been started")
        return self._accounting

    @property
    def outbox(self) -> Outbox:
        """The cabinets' outgoing mail (``wait_idle(timeout)``)."""
        if self._outbox is None:
            raise RuntimeError("the sandbox has not been started")
        return self._outbox

    def cabinet(self, name: str) -> RunningCabinet:
        """A running cabinet by name (``"sip"``, ``"mts"``, ``"kcell"``, ``"a1"``)."""
        try:
            return self._cabinets[name]
        except KeyError:
            raise KeyError(
                f"no cabinet {name!r}: the sandbox has {sorted(self._cabinets)}"
            ) from None

    @property
    def cabinets(self) -> list[RunningCabinet]:
        return list(self._cabinets.values())

    def set_faults(self, spec: FaultSpec | str) -> None:
        """Change the faults of every cabinet."""
        for running in self._cabinets.values():
            running.set_faults(spec)

    def set_markup(self, spec: MarkupSpec | str) -> None:
        """Change the markup of every cabinet."""
        parsed = MarkupSpec.parse(spec) if isinstance(spec, str) else spec
        for running in self._cabinets.values():
            running.set_markup(parsed)

    def set_today(self, today: dt.date | None) -> None:
        self.calendar.set_today(today)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Start everything and write the configuration; on failure stop what started."""
        if self._outbox is not None:
            raise RuntimeError("the sandbox is already running")
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            if self._given_server is None:
                self._own_server = MailServer().start()
                self._mailbox = self._own_server.mailbox(ROBOT_USER)
            else:
                self._mailbox = self._given_server.mailbox()
            self._accounting = self.mail_server.mailbox()
            self._relay = SmtpRelay(self.mail_server).start()
            self._outbox = Outbox(self.mail_server.deliver).start()
            self._start_cabinets(self._mailbox, self._outbox)
            self._write_files(self._mailbox)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the cabinets, the outbox and the mail server if the sandbox started it."""
        for running in self._cabinets.values():
            running.server.begin_stop()  # all at once: each takes up to uvicorn's 0.1 s tick
        for running in self._cabinets.values():
            running.server.stop()
        self._cabinets.clear()
        if self._outbox is not None:
            self._outbox.stop()
            self._outbox = None
        if self._relay is not None:
            self._relay.stop()
            self._relay = None
        if self._own_server is not None:
            self._own_server.stop()
            self._own_server = None
        self._mailbox = None

    # -- internals -------------------------------------------------------------------------

    def _start_cabinets(self, mailbox: Mailbox, outbox: Outbox) -> None:
        common: dict[str, Any] = {
            "calendar": self.calendar,
            "outbox": outbox,
            "timings": self.timings,
            "faults": self.faults,
            "markup": self.markup,
        }
        sip = SipCabinet(
            accounts=self.accounts.get(Operator.SIP),
            password=secrets.token_urlsafe(12),
            delivery_email=mailbox.address,
            contract_email=mailbox.address,
            **common,
        )
        mts_settings = self.settings.get("mts")
        assert mts_settings is None or isinstance(mts_settings, MtsSettings)
        mts = MtsCabinet(
            accounts=self.accounts.get(Operator.MTS),
            password=secrets.token_urlsafe(12),
            settings=mts_settings,
            **common,
        )
        kcell_settings = self.settings.get("kcell")
        assert kcell_settings is None or isinstance(kcell_settings, KcellSettings)
        kcell = KcellCabinet(
            accounts=self.accounts.get(Operator.KCELL),
            password=new_password(),
            settings=kcell_settings,
            **common,
        )
        a1_settings = self.settings.get("a1")
        assert a1_settings is None or isinstance(a1_settings, A1Settings)
        a1 = A1Cabinet(
            accounts=self.accounts.get(Operator.A1),
            password=secrets.token_urlsafe(12),
            delivery_email=mailbox.address,
            settings=a1_settings,
            **common,
        )
        for cabinet, password_env in (
            (sip, "CABINET_ROBOT_SIP_PASSWORD"),
            (mts, "CABINET_ROBOT_MTS_PASSWORD"),
            (kcell, "CABINET_ROBOT_KCELL_PASSWORD"),
            (a1, "CABINET_ROBOT_A1_PASSWORD"),
        ):
            server = AppServer(cabinet.app()).start()
            self._cabinets[cabinet.name] = RunningCabinet(cabinet, server, password_env)

    def _write_files(self, mailbox: Mailbox) -> None:
        web = [
            WebCabinet(
                c.cabinet.operator,
                c.url,
                c.login,
                c.password_env,
                email=mailbox.address if c.cabinet.asks_email else None,
                otp_url=c.sms_url,
                companies=_companies(c.cabinet),
                **_a1_login(c.cabinet),
            )
            for c in self._cabinets.values()
        ]
        text = robot_config_toml(
            imap_port=mailbox.port,
            username=mailbox.username,
            password_env=MAIL_PASSWORD_ENV,
            tarifer_inbox=self.directory / "tarifer",
            state_dir=self.directory / "state",
            web_cabinets=web,
            chromium=os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM),
            deadline_s=self.deadline_s,
            accounts=self.accounts,
        )
        assert self._relay is not None
        text += (
            "\n[notify]  # the robot's summary when a cycle ends with something missing\n"
            f'to = ["{self.accounting.address}"]\nsender = "{mailbox.address}"\n'
            f'smtp_host = "127.0.0.1"\nsmtp_port = {self._relay.port}\nsecurity = "plain"\n'
        )
        self.config_path.write_text(text, encoding="utf-8")
        self.env = {MAIL_PASSWORD_ENV: mailbox.password}
        self.env.update({c.password_env: c.password for c in self._cabinets.values()})
        lines = "".join(f"{key}={value}\n" for key, value in self.env.items())
        self.env_path.unlink(missing_ok=True)
        fd = os.open(self.env_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as env_file:
            env_file.write(lines)


def _companies(cabinet: Cabinet) -> tuple[str, ...]:
    """The companies an administrator's cabinet offers in «Выбор компании» (Kcell)."""
    if isinstance(cabinet, KcellCabinet):
        return tuple(name for _, name in cabinet.companies.options())
    return ()


def _a1_login(cabinet: Cabinet) -> dict[str, str]:
    """How the robot logs into the A1 cabinet: by phone and password, as Супервайзер (all
    the client's accounts)."""
    if isinstance(cabinet, A1Cabinet):
        return {"login_method": "password", "role": "supervisor"}
    return {}


def _checked_settings(given: Mapping[str, CabinetSettings]) -> dict[str, CabinetSettings]:
    """``given`` if every name is a cabinet and every value that cabinet's settings class."""
    for name, value in given.items():
        wanted = CABINET_SETTINGS.get(name)
        if wanted is None:
            raise ValueError(f"no cabinet {name!r} to configure: use {', '.join(CABINET_SETTINGS)}")
        if type(value) is not wanted:
            raise ValueError(f"cabinet {name!r} takes {wanted.__name__}, not {value!r}")
    return dict(given)
