"""The configuration of cabinet-robot, as pydantic models of ``cabinet-robot.toml``.

Secrets are never in the file: ``password_env`` names the environment variable that
holds a password, ``password_command`` the command that prints it (a password store),
and the password is read only when it is needed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import os
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from robots.domain import (
    CABINET_KINDS,
    AccountId,
    DocumentFormat,
    DocumentKind,
    Operator,
    PhoneNumber,
    Via,
    not_offered_reason,
)
from robots.errors import ConfigurationError
from robots.password_command import run_password_command

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
# ``["pass", "show", "mts"]``: a program and its arguments, run without a shell.
PasswordCommand = Annotated[
    tuple[Annotated[str, StringConstraints(min_length=1)], ...], Field(min_length=1)
]
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(value: object) -> object:
    """``"30s"``, ``"15m"``, ``"24h"``, ``"10d"`` or a number of seconds, as a timedelta."""
    if isinstance(value, str):
        match = _DURATION_RE.match(value)
        if match is None:
            raise ValueError(f"{value!r} is not a duration: write e.g. '30s', '15m', '24h', '10d'")
        return dt.timedelta(seconds=float(match[1]) * _DURATION_UNITS[match[2]])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.timedelta(seconds=value)
    return value


Duration = Annotated[dt.timedelta, BeforeValidator(_duration)]


def known_timezone(name: str) -> str:
    """``name`` if it is an IANA time zone both Python and Prefect's schedules know."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        ZoneInfo(name)
        CronSchedule(cron="0 0 * * *", timezone=name)
    except (ZoneInfoNotFoundError, ValueError):  # pydantic's ValidationError is a ValueError
        raise ValueError(
            f"unknown time zone {name!r}: write an IANA name, e.g. 'Europe/Moscow' or 'Asia/Almaty'"
        ) from None
    return name


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MailSecurity(StrEnum):
    """How the IMAP connection is protected."""

    SSL = "ssl"  # implicit TLS, port 993
    STARTTLS = "starttls"  # plain connection upgraded with STARTTLS, port 143
    PLAIN = "plain"  # no TLS: loopback only (a local bridge or a test server)


def is_loopback(host: str) -> bool:
    """True for localhost and addresses in 127.0.0.0/8 or ::1."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_plain_remote(security: MailSecurity, host: str) -> None:
    """A password sent unencrypted is tolerated only to a loopback host (a local bridge)."""
    if security is MailSecurity.PLAIN and not is_loopback(host):
        raise ValueError(
            f"security = 'plain' sends the password unencrypted; it is allowed only for a "
            f"loopback host, not {host!r}: use 'ssl' or 'starttls'"
        )


def read_secret(env_name: str, what: str) -> SecretStr:
    """The secret held by environment variable ``env_name``; a clear error if unset."""
    value = os.environ.get(env_name)
    if not value:
        raise ConfigurationError(f"{what}: environment variable {env_name} is not set")
    return SecretStr(value)


def one_source(owner: str, given: Mapping[str, object]) -> None:
    """Refuse a password given by two sources at once: which one would be used is a guess."""
    named = [key for key, value in given.items() if value]
    if len(named) > 1:
        raise ValueError(
            f"{owner}: the password is given by {' and '.join(named)}: keep one of them"
        )


def source_words(env: str | None, command: tuple[str, ...] | None) -> str:
    """Where a password is read from, in the words of the configuration."""
    if command:
        return f"password_command {command[0]!r}"
    return f"${env}" if env else "no password source"


class MailSettings(_Section):
    """[mail]: the robot's mailbox."""

    host: str = Field(min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)
    security: MailSecurity = MailSecurity.SSL
    ca_file: Path | None = None  # trust a private CA; certificates are always verified
    username: str = Field(min_length=1)
    password_env: EnvName | None = None
    password_command: PasswordCommand | None = None  # e.g. ["pass", "show", "robot-mail"]
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    quarantine_folder: str = "Quarantine"
    timeout_s: float = Field(default=60, gt=0)
    fetch_batch_mb: int = Field(default=16, ge=1, le=1024)  # mail fetched per IMAP round trip
    workers: int = Field(default=0, ge=0, le=64)  # processes reading attachments; 0: one per core

    @model_validator(mode="after")
    def _plain_only_on_loopback(self) -> Self:
        refuse_plain_remote(self.security, self.host)
        return self

    @model_validator(mode="after")
    def _one_password_source(self) -> Self:
        given = {"password_env": self.password_env, "password_command": self.password_command}
        one_source("mail", given)
        if not any(given.values()):
            raise ValueError(
                "mail: no password source: set password_env (the variable holding the "
                'password) or password_command (e.g. ["pass", "show", "robot-mail"])'
            )
        return self

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return 993 if self.security is MailSecurity.SSL else 143

    @property
    def password_source(self) -> str:
        """``$CABINET_ROBOT_MAIL_PASSWORD`` or ``password_command 'pass'``."""
        return source_words(self.password_env, self.password_command)

    def password(self) -> SecretStr:
        """The mailbox's password, read now from its source (never kept)."""
        if self.password_command:
            return run_password_command(self.password_command, "mail")
        return read_secret(self.password_env or "", "mail.password_env")


class LimitsSettings(_Section):
    """[limits]: what the collector refuses, to stay safe on hostile or broken mail."""

    max_attachment_mb: float = Field(default=50, gt=0)
    max_archive_depth: int = Field(default=3, ge=1, le=10)
    max_archive_members: int = Field(default=500, ge=1)
    max_unpacked_mb: float = Field(default=500, gt=0)
    max_compression_ratio: float = Field(default=200, gt=1)
    link_timeout_s: float = Field(default=60, gt=0)
    max_link_mb: float = Field(default=200, gt=0)
    max_attempts: int = Field(default=3, ge=1)  # transient failures before quarantine


class BrowserSettings(_Section):
    """[browser]: the Chromium the robot drives."""

    # Default: Debian's chromium where it is installed, else Playwright's own download.
    executable_path: Path | None = None
    headless: bool = True
    timeout_s: float = Field(default=30, gt=0)  # one page action or navigation
    document_timeout_s: float = Field(default=300, gt=0)  # a document generated on order
    # DOM snapshots of every step and the network log in the trace, for the trace viewer
    # to show each page and request as they were. Off: they cost 3-10 ms a step, 0.3-0.5 s
    # an order; a failure's evidence has its last page anyway (screenshot and HTML), and
    # the trace every step's call and error. The canary and a survey always have them.
    step_snapshots: bool = False

    @property
    def chromium(self) -> Path | None:
        if self.executable_path is not None:
            return self.executable_path
        debian = Path("/usr/bin/chromium")
        return debian if debian.exists() else None


class CanarySettings(_Section):
    """[canary]: the check that the page objects still match the cabinets."""

    # Once a screen has come, how long a control it should show may take to appear, and
    # how long an action on it (a click on the way to the next screen) may wait.
    probe_timeout_s: float = Field(default=3, gt=0)
    keep_runs: int = Field(default=10, ge=1)  # the last runs' screenshots and traces


class HealingSettings(_Section):
    """[healing]: a control or field the cabinet renamed, found by a close text instead
    (``page_objects.healing``); off unless enabled, every heal reported."""

    enabled: bool = False
    # How alike the text found and the robot's word must be (0..1, ``similarity``): at
    # 0.75, «Сформировать детализацию» heals to «Сформировать детализацию звонков» (0.80),
    # never to «Заказать» (0.0) or «Загрузить в Excel» for «Загрузить в PDF» (0.67).
    threshold: float = Field(default=0.75, ge=0.5, le=1)
    # How long a control may take to show on a screen that came, before it is healed.
    wait_s: float = Field(default=3, gt=0)


class TariferSettings(_Section):
    """[tarifer]: Tarifer's import point."""

    inbox: Path
    # The group Tarifer's import runs in: what the robot puts in the inbox is readable by
    # it (folders 0750, files 0640). None: the robot's user only (0700, 0600).
    group: str | None = Field(default=None, min_length=1)


class StateSettings(_Section):
    """[state]: where the robot keeps its ledger, sessions and evidence."""

    dir: Path = Path("var/state")
    database_url: str | None = None  # default: SQLite file ledger.sqlite3 in dir

    @property
    def ledger_url(self) -> str:
        return self.database_url or f"sqlite:///{self.dir / 'ledger.sqlite3'}"


class OtpSource(StrEnum):
    """Where one-time codes (SMS) come from."""

    HTTP = "http"  # an SMS-forwarding gateway: GET url, JSON {"code": ..., "sent_at": ...}
    COMMAND = "command"  # a command that prints the code
    PROMPT = "prompt"  # a person types it at the terminal


class OtpSettings(_Section):
    """``otp = {...}`` on a cabinet: how the robot gets an SMS code when the cabinet asks.

    ``url`` and ``command`` may contain ``{phone}``: the number the code was sent to.
    """

    source: OtpSource
    url: str | None = None
    command: tuple[str, ...] | None = None
    timeout_s: float = Field(default=120, gt=0)  # how long to wait for the code
    poll_s: float = Field(default=2, gt=0)  # how often the gateway is asked

    @model_validator(mode="after")
    def _source_complete(self) -> Self:
        if self.source is OtpSource.HTTP and not self.url:
            raise ValueError("otp source 'http' needs url")
        if self.source is OtpSource.COMMAND and not self.command:
            raise ValueError("otp source 'command' needs command (a list of arguments)")
        return self


class LoginMethod(StrEnum):
    """How the robot logs into a cabinet that offers several ways (A1)."""

    PASSWORD = "password"  # phone number and password
    SMS = "sms"  # phone number and a one-time code from the otp source
    ACCOUNT = "account"  # personal account and password (fixed-line)
    EMAIL = "email"  # e-mail address and password


class CabinetRole(StrEnum):
    """The role the robot takes after logging in, where the cabinet asks (A1)."""

    ADMINISTRATOR = "administrator"  # one personal account
    SUPERVISOR = "supervisor"  # several personal accounts


class AccountSettings(_Section):
    """One personal account and the subscriber numbers on it."""

    id: AccountId
    numbers: tuple[PhoneNumber, ...] = ()


class DocumentSettings(_Section):
    """``documents = [{ kind = "invoice", format = "pdf", via = "email" }]`` on a cabinet."""

    kind: DocumentKind
    format: DocumentFormat | None = None  # None: the cabinet's default
    via: Via | None = None  # None: download where the cabinet offers a file, else e-mail


class RecognitionSettings(_Section):
    """``recognition = { tax_ids = ["191234567"], names = ["ООО «Бизнес Связь»"] }`` on a
    cabinet: how its operator's documents name it, for an operator the robot cannot know
    (the SIP cabinet is one product used by several operators)."""

    tax_ids: tuple[Annotated[str, StringConstraints(pattern=r"^[0-9]{9,12}$")], ...] = ()
    names: tuple[Annotated[str, StringConstraints(min_length=2, strip_whitespace=True)], ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.tax_ids and not self.names:
            raise ValueError(
                "recognition lists neither tax_ids nor names: add the operator's tax id "
                '(tax_ids = ["191234567"]) or legal name, or remove recognition'
            )
        return self


def unknown_word(
    cabinet: str, operator: Operator, key: str, word: str, known: frozenset[str]
) -> None:
    """Refuse an override of a word the robot does not look for on ``operator``'s
    screens (a typo, or a word of another cabinet), naming the closest word it knows."""
    from page_objects.base import fold

    folded = {fold(known_word): known_word for known_word in known}
    if fold(word) in folded:
        return
    closest = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0)
    hint = (
        f"did you mean {folded[closest[0]]!r}?" if closest else f"the {operator} screens have none"
    )
    raise ValueError(
        f"cabinet {cabinet!r}: {key} {word!r} is not a word the robot looks for on the "
        f"{operator} cabinet's screens: {hint}"
    )


class CabinetSettings(_Section):
    """[[cabinets]]: one login to one operator's cabinet.

    ``url``, ``login`` and ``password_env`` are needed only by the robot that works in
    the cabinet; a cabinet without them is mail-only (its documents are collected,
    nothing is ordered).
    """

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    operator: Operator
    url: AnyHttpUrl | None = None  # the cabinet's start page
    login: str | None = Field(default=None, min_length=1)
    password_env: EnvName | None = None
    # A Prefect Secret block holding the password (workers on other machines need no
    # environment); tried first, password_env is the fallback.
    password_secret: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    # A command that prints the password (a password store): ["pass", "show", "mts"].
    password_command: PasswordCommand | None = None
    # Where the robot asks the cabinet to send documents; default: the [mail] username.
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    otp: OtpSettings | None = None  # where SMS codes come from, for cabinets that ask
    # For an administrator of several companies (Kcell): the companies to work in.
    companies: tuple[str, ...] = ()
    login_method: LoginMethod = LoginMethod.PASSWORD
    role: CabinetRole = CabinetRole.ADMINISTRATOR
    mail_from: tuple[str, ...] = ()  # "@mts.ru" (a domain) or "billing@mts.ru" (an address)
    download_hosts: tuple[str, ...] | None = None  # default: the domains in mail_from
    accounts: tuple[AccountSettings, ...] = ()
    # The tax ids and legal names this cabinet's operator prints in its documents.
    recognition: RecognitionSettings | None = None
    # What the monthly cycle orders here; None: the operator's defaults (the robot's).
    documents: tuple[DocumentSettings, ...] | None = None
    # What this cabinet shows instead of the manual's words the robot looks for: of
    # controls and fields (labels), of screens (titles). {manual's word: cabinet's word}.
    labels: dict[str, str] = {}
    titles: dict[str, str] = {}

    @model_validator(mode="after")
    def _known_words(self) -> Self:
        if not self.labels and not self.titles:
            return self
        # Imported here: the page objects (and Playwright) load only for a file with overrides.
        from page_objects.vocabulary import vocabulary

        known = vocabulary(self.operator)
        for key, given, words in (
            ("labels", self.labels, known.labels),
            ("titles", self.titles, known.titles),
        ):
            for word, shown in given.items():
                unknown_word(self.name, self.operator, key, word, words)
                if not shown.strip():
                    raise ValueError(
                        f"cabinet {self.name!r}: {key} {word!r} is empty: write what the cabinet "
                        "shows instead, or remove it"
                    )
        return self

    @model_validator(mode="after")
    def _login_complete(self) -> Self:
        secret = self.password_env or self.password_secret or self.password_command
        given = {"url": self.url, "login": self.login, "password_env": secret}
        missing = [key for key, value in given.items() if value is None]
        if missing and len(missing) < len(given):
            raise ValueError(
                f"cabinet {self.name!r}: {', '.join(missing)} missing: a cabinet the robot "
                "logs into needs url, login and password_env (or password_secret, or "
                "password_command)"
            )
        return self

    @model_validator(mode="after")
    def _one_password_source(self) -> Self:
        # password_env may back a Secret block up (the documented fallback), but a
        # command is a source of its own.
        if self.password_command:
            one_source(
                f"cabinet {self.name!r}",
                {
                    "password_command": self.password_command,
                    "password_env": self.password_env,
                    "password_secret": self.password_secret,
                },
            )
        return self

    @model_validator(mode="after")
    def _login_method_usable(self) -> Self:
        if self.login_method is LoginMethod.PASSWORD:
            return self
        if self.operator is not Operator.A1:
            raise ValueError(
                f"cabinet {self.name!r}: login_method {self.login_method.value!r} is for the "
                f"a1 cabinet only; the {self.operator} cabinet logs in by login and password "
                "(remove login_method)"
            )
        if self.login_method is LoginMethod.SMS and self.otp is None:
            raise ValueError(
                f"cabinet {self.name!r}: login_method 'sms' needs an otp source for the codes, "
                'e.g. otp = { source = "http", url = "https://gateway.example/sms?phone={phone}" }'
            )
        return self

    @model_validator(mode="after")
    def _documents_offered(self) -> Self:
        offered = CABINET_KINDS[self.operator]
        unknown = [d.kind for d in self.documents or () if d.kind not in offered]
        if unknown:
            raise ValueError(f"cabinet {self.name!r}: {not_offered_reason(self.operator, unknown)}")
        return self

    @property
    def has_login(self) -> bool:
        return self.url is not None

    @property
    def link_hosts(self) -> tuple[str, ...]:
        """Hosts whose links in this cabinet's mail may be fetched."""
        if self.download_hosts is not None:
            return self.download_hosts
        return tuple(sender.rsplit("@", 1)[-1] for sender in self.mail_from if sender)


class CycleSettings(_Section):
    """[cycle]: how the monthly cycle orders, waits and gives up."""

    # Cabinets worked in at once. A session mostly waits for the cabinet's answers, so even
    # two cores keep four busy (bench/cycle.py: 4 gave 2.1x one browser's throughput, 2 gave 1.7x).
    max_browsers: int = Field(default=4, ge=1, le=16)
    poll_interval: Duration = dt.timedelta(minutes=10)  # between collections while waiting
    # How long an ordered document may take to arrive, over the operators' defaults:
    # keys "<kind>" or "<operator>.<kind>" (the more specific wins), or "*" for all.
    deadlines: dict[str, Duration] = {}
    retries: int = Field(default=2, ge=0, le=10)  # of a cabinet that cannot be reached
    retry_delay: Duration = dt.timedelta(minutes=2)  # doubled at each retry
    # How long a session waits for its login while another run holds it, then gives up.
    slot_wait: Duration = dt.timedelta(minutes=30)

    @model_validator(mode="after")
    def _known_deadline_keys(self) -> Self:
        kinds = {str(k) for k in DocumentKind}
        operators = {str(o) for o in Operator}
        for key in self.deadlines:
            operator, _, kind = key.rpartition(".")
            if key != "*" and (kind not in kinds or (operator and operator not in operators)):
                raise ValueError(
                    f"deadlines key {key!r}: use '*', a kind ({', '.join(sorted(kinds))}) "
                    "or '<operator>.<kind>'"
                )
        return self


class ScheduleSettings(_Section):
    """[schedule]: when ``cabinet-robot serve`` runs what (cron, in ``timezone``).

    Each value is checked by Prefect's own schedule model, the one ``serve`` hands them
    to, so a file that loads is a file ``serve`` accepts.
    """

    timezone: str = "Europe/Moscow"
    monthly_cycle: str = "0 6 6 * *"  # the 6th at 06:00: every cabinet gives last month's files
    collect: str = "*/30 * * * *"
    canary: str = "0 6 4 * *"  # before the cycle, after the SIP cabinet's closed 1st-3rd
    purge: str = "30 3 * * *"  # every night: what [privacy] says is kept no longer goes

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return known_timezone(value)

    @field_validator("monthly_cycle", "collect", "canary", "purge")
    @classmethod
    def _cron(cls, value: str) -> str:
        # Imported here: Prefect takes a second to import, paid only by a file with [schedule].
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=value)
        except ValidationError:
            raise ValueError(
                f"{value!r} is not a cron expression: write minute hour day month weekday, "
                "e.g. '*/30 * * * *' (every 30 minutes) or '0 6 6 * *' (the 6th at 06:00)"
            ) from None
        return value


class PrivacySettings(_Section):
    """[privacy]: how long the robot keeps its copies of personal data (``cabinet-robot
    purge``, scheduled by ``serve``; what is still in use is never removed), and whether
    people see subscriber numbers masked."""

    keep_evidence: Duration = dt.timedelta(days=30)  # failures' traces, screenshots; canary runs
    keep_spool: Duration = dt.timedelta(0)  # raw messages of committed batches; 0: at once
    keep_recordings: Duration = dt.timedelta(days=30)  # scenario recordings under `recordings`
    keep_review: Duration = dt.timedelta(days=90)  # review copies once decided (waiting: kept)
    keep_logs: Duration = dt.timedelta(days=90)  # rotated log files (the current one stays)
    recordings: Path = Path("var/scenarios")  # where `scenario record` writes by default
    # Subscriber numbers in logs, artifacts, the matrix and reports as +7 916 ***-**-67;
    # what Tarifer receives, the ledger and --json are never masked (robots.masking).
    mask_numbers: bool = True

    @field_validator("keep_evidence", "keep_spool", "keep_recordings", "keep_review", "keep_logs")
    @classmethod
    def _not_negative(cls, value: dt.timedelta) -> dt.timedelta:
        if value < dt.timedelta(0):
            raise ValueError("a retention cannot be negative: write e.g. '0d' or '30d'")
        return value


class NotifySettings(_Section):
    """[notify]: who is told when a cycle ends with something missing or failed."""

    to: tuple[Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+$")], ...] = Field(
        min_length=1
    )
    sender: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    smtp_host: str = Field(min_length=1)
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    security: MailSecurity = MailSecurity.STARTTLS
    username: str | None = None
    password_env: EnvName | None = None
    timeout_s: float = Field(default=30, gt=0)

    @model_validator(mode="after")
    def _plain_only_on_loopback(self) -> Self:
        refuse_plain_remote(self.security, self.smtp_host)
        if (self.username is None) != (self.password_env is None):
            raise ValueError("username and password_env go together (or neither)")
        return self

    @property
    def effective_port(self) -> int:
        if self.smtp_port is not None:
            return self.smtp_port
        return {MailSecurity.SSL: 465, MailSecurity.STARTTLS: 587}.get(self.security, 25)


class ReportSettings(_Section):
    """[report]: the month's report for accounting."""

    # An account's invoice total that moved by more than this share of last month's
    # (0.25: by more than a quarter, up or down) is flagged in the report.
    jump_share: float = Field(default=0.25, gt=0)


class RobotConfig(BaseSettings):
    """The whole configuration. Keys may be overridden by the environment, e.g.
    ``CABINET_ROBOT_MAIL__HOST`` overrides ``[mail] host``.
    """

    model_config = SettingsConfigDict(
        env_prefix="CABINET_ROBOT_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The loader passes the TOML file as init arguments; the environment wins over
        # the file so that one deployment can adjust a shared file.
        return env_settings, init_settings

    mail: MailSettings
    tarifer: TariferSettings
    state: StateSettings = StateSettings()
    limits: LimitsSettings = LimitsSettings()
    browser: BrowserSettings = BrowserSettings()
    canary: CanarySettings = CanarySettings()
    healing: HealingSettings = HealingSettings()
    cycle: CycleSettings = CycleSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    notify: NotifySettings | None = None
    report: ReportSettings = ReportSettings()
    privacy: PrivacySettings = PrivacySettings()
    cabinets: tuple[CabinetSettings, ...] = ()

    @model_validator(mode="after")
    def _unique_names_and_numbers(self) -> Self:
        names = [c.name for c in self.cabinets]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"cabinet names must be unique: {', '.join(duplicated)}")
        owner: dict[str, str] = {}
        for cabinet in self.cabinets:
            for account in cabinet.accounts:
                for number in account.numbers:
                    previous = owner.setdefault(number, f"{cabinet.name}/{account.id}")
                    if previous != f"{cabinet.name}/{account.id}":
                        raise ValueError(
                            f"number {number} is on two accounts: {previous} and "
                            f"{cabinet.name}/{account.id}"
                        )
        return self
