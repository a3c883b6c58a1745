"""``cabinet-robot sandbox up|down``: the simulated cabinets and mail server on loopback.

``up`` runs in the foreground until Ctrl-C or SIGTERM; with ``--detach`` it starts
itself in the background and returns once everything answers. Either way
``<dir>/sandbox.json`` records the running sandbox (its PID, URLs, logins), which is
how ``down`` finds the process to stop. Passwords are never printed: they are in
``<dir>/env`` (mode 0600). ``--mts-sms`` makes the MTS login ask for an SMS code; ``up``
then prints where the code is read (``/_sandbox/sms?phone=...``). The Kcell cabinet
always prints where its «Забыли пароль?» codes are read; ``--kcell-first-login`` gives
its administrator no password yet (the robot sets the one in ``<dir>/env`` through
«Забыли пароль?»), ``--kcell-password-expired`` an expired one («Смена пароля»).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from cli.common import CommandApp

if TYPE_CHECKING:
    from sandbox.stack import RunningCabinet

sandbox_app = CommandApp(
    help="Run the sandbox: simulated operator cabinets and a mail server on loopback."
)

STATE_FILE = "sandbox.json"
LOG_FILE = "sandbox.log"
_READY_TIMEOUT_S = 60.0
_STOP_TIMEOUT_S = 30.0

DirOption = Annotated[
    Path,
    typer.Option(
        "--dir", help="Where the sandbox keeps its configuration and state.", metavar="DIR"
    ),
]


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"cabinet-robot sandbox: {message}", err=True)
    raise typer.Exit(code)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs ``sandbox up`` (not a zombie, not a reused PID)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    zombie = stat[stat.rindex(")") + 2] == "Z"
    return not zombie and any(args[i : i + 2] == [b"sandbox", b"up"] for i in range(len(args)))


def _running(directory: Path) -> dict[str, Any] | None:
    """The recorded state of a sandbox running from ``directory``, if one is."""
    try:
        state: dict[str, Any] = json.loads((directory / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    return state if _alive(int(state.get("pid", 0))) else None


def _describe(state: dict[str, Any]) -> str:
    lines = [
        f"Sandbox is up (PID {state['pid']}), today {state['today']}, faults: "
        f"{state['faults'] or 'none'}"
        + (f", markup: {state['markup']}" if state.get("markup") else "")
    ]
    for cabinet in state["cabinets"]:
        lines.append(
            f"  {cabinet['name']:<6} {cabinet['url']}  login {cabinet['login']}, "
            f"password in ${cabinet['password_env']}"
        )
        if cabinet.get("sms_url"):
            when = cabinet.get("sms_when", "on login")
            lines.append(f"         SMS code {when}: {cabinet['sms_url']}")
        for note in cabinet.get("notes", []):
            lines.append(f"         {note}")
    mail = state["mail"]
    lines += [
        f"  mail   imap://{mail['host']}:{mail['port']}  user {mail['username']} "
        f"({mail['address']}), password in ${mail['password_env']}",
        f"  passwords:    {state['env']}",
        f"  robot config: {state['config']}",
    ]
    return "\n".join(lines)


def _write_state(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    os.replace(tmp, path)


@sandbox_app.command()
def up(
    directory: DirOption = Path("var/sandbox"),
    today: Annotated[
        str | None,
        typer.Option(help="The sandbox date (default: the real date).", metavar="YYYY-MM-DD"),
    ] = None,
    faults: Annotated[
        str,
        typer.Option(
            help="Faults as key=value pairs joined by commas (error_rate=0.1,seed=7); keys: "
            "error_rate, latency_ms, session_ttl_s, maintenance (a cabinet's name), seed.",
            metavar="SPEC",
        ),
    ] = "",
    markup: Annotated[
        str,
        typer.Option(
            help="The markup of the pages, items joined by commas: a style (semantic: "
            "accessible markup; default: each cabinet's era, legacy for SIP and MTS, spa for "
            "Kcell and A1), restyle,seed=5 (other ids, classes and nesting), "
            "rename=Далее=>Продолжить (renames a text a person reads).",
            metavar="SPEC",
        ),
    ] = "",
    mts_sms: Annotated[
        bool,
        typer.Option("--mts-sms", help="The MTS login asks for an SMS code after the password."),
    ] = False,
    kcell_first_login: Annotated[
        bool,
        typer.Option(
            "--kcell-first-login",
            help="The Kcell administrator has no password yet: log in through «Забыли пароль?».",
        ),
    ] = False,
    kcell_password_expired: Annotated[
        bool,
        typer.Option(
            "--kcell-password-expired",
            help="The Kcell password is expired: a right password leads to «Смена пароля».",
        ),
    ] = False,
    detach: Annotated[bool, typer.Option("--detach", help="Run in the background.")] = False,
) -> None:
    """Start the sandbox and print its URLs and logins."""
    from sandbox.cabinets.calendar import parse_day
    from sandbox.cabinets.faults import FaultSpec
    from sandbox.cabinets.markup import MarkupSpec

    try:
        day = parse_day(today or "")
    except ValueError as exc:
        _fail(f"bad --today: {exc}", 2)
    try:
        FaultSpec.parse(faults)
    except ValueError as exc:
        _fail(f"bad --faults: {exc}", 2)
    try:
        MarkupSpec.parse(markup)
    except ValueError as exc:
        _fail(f"bad --markup: {exc}", 2)
    directory = directory.resolve()
    running = _running(directory)
    if running is not None:
        _fail(f"already running (PID {running['pid']}) from {directory}")
    flags = _Flags(mts_sms, kcell_first_login, kcell_password_expired)
    if detach:
        _detach(directory, today, faults, markup, flags)
    else:
        _foreground(directory, day, faults, markup, flags)


@dataclass(frozen=True)
class _Flags:
    """The cabinets' switches of ``up``."""

    mts_sms: bool = False
    kcell_first_login: bool = False
    kcell_password_expired: bool = False

    def args(self) -> list[str]:
        return [
            f"--{name.replace('_', '-')}" for name, on in dataclasses.asdict(self).items() if on
        ]


def _detach(directory: Path, today: str | None, faults: str, markup: str, flags: _Flags) -> None:
    """Start ``up`` in a new session and return once it has written its state."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / STATE_FILE).unlink(missing_ok=True)
    command = [sys.executable, "-m", "cli.main", "sandbox", "up", "--dir", str(directory)]
    command += ["--today", today] if today else []
    command += ["--faults", faults] if faults else []
    command += ["--markup", markup] if markup else []
    command += flags.args()
    with (directory / LOG_FILE).open("ab") as log:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in this terminal does not reach it
            cwd=Path.cwd(),
        )
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while True:
        state = _running(directory)
        if state is not None and state["pid"] == child.pid:
            typer.echo(_describe(state))
            typer.echo(f"Stop it with: cabinet-robot sandbox down --dir {directory}")
            return
        if child.poll() is not None:
            tail = (directory / LOG_FILE).read_text(errors="replace").strip().splitlines()[-1:]
            _fail(f"the sandbox exited while starting: {' '.join(tail) or 'no output'}")
        if time.monotonic() > deadline:
            _fail(f"the sandbox (PID {child.pid}) did not get ready; see {directory / LOG_FILE}")
        time.sleep(0.05)


def _foreground(
    directory: Path, day: dt.date | None, faults: str, markup: str, flags: _Flags
) -> None:
    from sandbox.mailserver import MailServerError
    from sandbox.stack import MAIL_PASSWORD_ENV, Sandbox

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background job ignores it
        signal.signal(signum, lambda *_: stop.set())
    state_path = directory / STATE_FILE
    try:
        sandbox = Sandbox(
            directory,
            today=day,
            faults=faults,
            markup=markup,
            mts_sms=flags.mts_sms,
            kcell_first_login=flags.kcell_first_login,
            kcell_password_expired=flags.kcell_password_expired,
        ).start()
    except (MailServerError, OSError, RuntimeError) as exc:
        _fail(f"cannot start: {exc}")
    try:
        mailbox = sandbox.mailbox
        state = {
            "pid": os.getpid(),
            "dir": str(directory),
            "today": f"{sandbox.calendar.today()}" + ("" if day else " (real date)"),
            "faults": str(sandbox.faults),
            "markup": str(sandbox.markup),
            "config": str(sandbox.config_path),
            "env": str(sandbox.env_path),
            "mail": {
                "host": mailbox.host,
                "port": mailbox.port,
                "username": mailbox.username,
                "address": mailbox.address,
                "password_env": MAIL_PASSWORD_ENV,
            },
            "cabinets": [
                {
                    "name": c.name,
                    "url": c.url,
                    "login": c.login,
                    "password_env": c.password_env,
                    **_sms(c),
                    **({"notes": _notes(c)} if _notes(c) else {}),
                }
                for c in sandbox.cabinets
            ],
        }
        _write_state(state_path, state)
        typer.echo(_describe(state))
        typer.echo("Press Ctrl-C to stop.", err=True)
        while not stop.wait(0.5):
            pass
    finally:
        with contextlib.suppress(OSError):
            if json.loads(state_path.read_text()).get("pid") == os.getpid():
                state_path.unlink()
        sandbox.stop()
    typer.echo("Sandbox stopped.")


def _sms(cabinet: RunningCabinet) -> dict[str, str]:
    """Where the SMS codes of a cabinet that sends some are read, and when it sends them:
    MTS on login if it asks, Kcell for «Забыли пароль?»."""
    phone = getattr(cabinet.cabinet, "phone", cabinet.login)
    url = f"{cabinet.base_url}_sandbox/sms?phone={phone}"
    if getattr(cabinet.settings, "sms_on_login", False):
        return {"sms_url": url}
    if cabinet.name == "kcell":
        return {"sms_url": url, "sms_when": "for «Забыли пароль?»"}
    if cabinet.name == "a1":
        return {"sms_url": url, "sms_when": "for the «SMS» login method"}
    return {}


def _notes(cabinet: RunningCabinet) -> list[str]:
    """What a person logging in must know (Kcell: no password yet, an expired one; A1:
    its other logins, all with the same password)."""
    notes = []
    if cabinet.name == "a1":
        notes += [
            "logins (same password): «Пароль»/«SMS» +375 291234567, «Лицевой счет» "
            "1234567890125, «Email» admin@a1-company.by",
            "roles: Администратор (1234567890123), Супервайзер (all three accounts)",
        ]
    if getattr(cabinet.settings, "first_login", False):
        notes.append("first login: no password yet, set it through «Забыли пароль?»")
    if getattr(cabinet.settings, "password_expired", False):
        notes.append("the password is expired: a right one leads to «Смена пароля»")
    return notes


@sandbox_app.command()
def down(directory: DirOption = Path("var/sandbox")) -> None:
    """Stop the sandbox started from ``--dir`` (SIGTERM to its recorded PID)."""
    directory = directory.resolve()
    state_path = directory / STATE_FILE
    state = _running(directory)
    if state is None:
        stale = state_path.exists()
        state_path.unlink(missing_ok=True)
        _fail(f"not running from {directory}" + (" (removed a stale state file)" if stale else ""))
    pid = int(state["pid"])
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_TIMEOUT_S
    while _alive(pid):
        if time.monotonic() > deadline:
            _fail(f"PID {pid} did not stop within {_STOP_TIMEOUT_S:g} s")
        time.sleep(0.05)
    state_path.unlink(missing_ok=True)
    typer.echo(f"Sandbox stopped (PID {pid}).")
