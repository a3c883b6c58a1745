"""The configuration of cabinet-robot, as pydantic models of ``cabinet-robot.toml``.

Secrets are never in the file: ``password_env`` names the environment variable that
holds a password, and the password is read only when it is needed.
"""

from __future__ import annotations

import ipaddress
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from robots.domain import AccountId, Operator, PhoneNumber
from robots.errors import ConfigurationError

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


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


def read_secret(env_name: str, what: str) -> SecretStr:
    """The secret held by environment variable ``env_name``; a clear error if unset."""
    value = os.environ.get(env_name)
    if not value:
        raise ConfigurationError(f"{what}: environment variable {env_name} is not set")
    return SecretStr(value)


class MailSettings(_Section):
    """[mail]: the robot's mailbox."""

    host: str = Field(min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)
    security: MailSecurity = MailSecurity.SSL
    ca_file: Path | None = None  # trust a private CA; certificates are always verified
    username: str = Field(min_length=1)
    password_env: EnvName
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    quarantine_folder: str = "Quarantine"
    timeout_s: float = Field(default=60, gt=0)
    fetch_batch_mb: int = Field(default=16, ge=1, le=1024)  # mail fetched per IMAP round trip
    workers: int = Field(default=0, ge=0, le=64)  # processes reading attachments; 0: one per core

    @model_validator(mode="after")
    def _plain_only_on_loopback(self) -> Self:
        if self.security is MailSecurity.PLAIN and not is_loopback(self.host):
            raise ValueError(
                f"security = 'plain' sends the password unencrypted; it is allowed only for a "
                f"loopback host, not {self.host!r}: use 'ssl' or 'starttls'"
            )
        return self

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return 993 if self.security is MailSecurity.SSL else 143

    def password(self) -> SecretStr:
        return read_secret(self.password_env, "mail.password_env")


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

    @property
    def chromium(self) -> Path | None:
        if self.executable_path is not None:
            return self.executable_path
        debian = Path("/usr/bin/chromium")
        return debian if debian.exists() else None


class TariferSettings(_Section):
    """[tarifer]: Tarifer's import point."""

    inbox: Path


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

    @model_validator(mode="after")
    def _login_complete(self) -> Self:
        given = {"url": self.url, "login": self.login, "password_env": self.password_env}
        missing = [key for key, value in given.items() if value is None]
        if missing and len(missing) < len(given):
            raise ValueError(
                f"cabinet {self.name!r}: {', '.join(missing)} missing: a cabinet the robot "
                "logs into needs url, login and password_env"
            )
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
