"""One-time codes (SMS) for cabinets that ask for one: from a gateway, a command or a person.

Asking is never retried blindly: the cabinet sends one code, the robot waits for it
once, within ``timeout_s``, and otherwise raises ``InteractionRequired`` saying what
it waited for. Codes are secrets: they are returned, never logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import sys
import time

from config.models import OtpSettings, OtpSource
from robots.errors import InteractionRequired

log = logging.getLogger(__name__)

_CODE = re.compile(r"^\s*([0-9A-Za-z]{3,12})\s*$")


def wait_for_code(settings: OtpSettings | None, phone: str, sent_after: dt.datetime) -> str:
    """The code the cabinet sent to ``phone`` after ``sent_after`` (an aware datetime)."""
    if settings is None:
        raise InteractionRequired(
            f"the cabinet asks for an SMS code sent to {phone}, and the cabinet has no "
            "'otp' source configured (http, command or prompt)"
        )
    log.info("waiting up to %g s for the SMS code sent to %s", settings.timeout_s, phone)
    if settings.source is OtpSource.HTTP:
        return _from_gateway(settings, phone, sent_after)
    if settings.source is OtpSource.COMMAND:
        return _from_command(settings, phone)
    return _from_person(phone)


def _from_gateway(settings: OtpSettings, phone: str, sent_after: dt.datetime) -> str:
    import httpx  # only when a code is asked for: 0.15 s of every command otherwise

    url = (settings.url or "").format(phone=phone)
    deadline = time.monotonic() + settings.timeout_s
    last_problem = "no code yet"
    with httpx.Client(timeout=min(settings.timeout_s, 30)) as client:
        while True:
            try:
                answer = client.get(url)
                if answer.status_code == 200:
                    code = _fresh_code(answer.json(), sent_after)
                    if code:
                        return code
                    last_problem = "only an older code"
                else:
                    last_problem = f"HTTP {answer.status_code}"
            except (httpx.HTTPError, ValueError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
            if time.monotonic() + settings.poll_s > deadline:
                raise InteractionRequired(
                    f"no SMS code for {phone} from the gateway within {settings.timeout_s:g} s "
                    f"({last_problem})"
                )
            time.sleep(settings.poll_s)  # the gateway offers no push: poll it


def _fresh_code(payload: object, sent_after: dt.datetime) -> str | None:
    """The code in a gateway answer, if it was sent after ``sent_after``."""
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), str):
        return None
    sent_at = payload.get("sent_at")
    if isinstance(sent_at, str):
        when = dt.datetime.fromisoformat(sent_at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        # A second of slack: the gateway's clock and ours are read at different moments.
        if when < sent_after - dt.timedelta(seconds=1):
            return None
    match = _CODE.match(payload["code"])
    return match[1] if match else None


def _from_command(settings: OtpSettings, phone: str) -> str:
    command = [part.format(phone=phone) for part in settings.command or ()]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=settings.timeout_s, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InteractionRequired(f"the otp command {command[0]!r} gave no code: {exc}") from None
    match = _CODE.match(done.stdout)
    if done.returncode != 0 or not match:
        raise InteractionRequired(
            f"the otp command {command[0]!r} gave no code (exit {done.returncode})"
        )
    return match[1]


def _from_person(phone: str) -> str:
    if not sys.stdin.isatty():
        raise InteractionRequired(
            f"the cabinet asks for the SMS code sent to {phone} and nobody is at a terminal "
            "(otp source 'prompt'); configure 'http' or 'command' for unattended runs"
        )
    import typer

    typed = str(typer.prompt(f"SMS code sent to {phone}", hide_input=True))
    match = _CODE.match(typed)
    if not match:
        raise InteractionRequired("the typed SMS code is not a code")
    return match[1]
