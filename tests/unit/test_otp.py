"""SMS codes: from a gateway over HTTP, from a command, from a person; one bounded wait."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config.models import OtpSettings, OtpSource
from robots.errors import InteractionRequired
from robots.otp import wait_for_code


class Gateway:
    """An SMS-forwarding gateway on loopback: the last code per phone, with its time."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, dt.datetime]] = {}
        self.requests = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                gateway.requests += 1
                phone = self.path.rsplit("=", 1)[-1]
                if phone not in gateway.codes:
                    self.send_response(404)
                    self.end_headers()
                    return
                code, sent_at = gateway.codes[phone]
                body = json.dumps({"phone": phone, "code": code, "sent_at": sent_at.isoformat()})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms?phone={{phone}}"

    def send_later(self, phone: str, code: str, delay_s: float) -> None:
        def send() -> None:
            time.sleep(delay_s)
            self.codes[phone] = (code, dt.datetime.now(dt.UTC))

        threading.Thread(target=send, daemon=True).start()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    running = Gateway()
    thread = threading.Thread(target=running.server.serve_forever, daemon=True)
    thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


def http(gateway: Gateway, timeout_s: float = 3) -> OtpSettings:
    return OtpSettings(source=OtpSource.HTTP, url=gateway.url, timeout_s=timeout_s, poll_s=0.1)


def test_the_gateway_is_polled_until_the_new_code_arrives(gateway: Gateway) -> None:
    asked = dt.datetime.now(dt.UTC)
    gateway.codes["79161234567"] = ("111111", asked - dt.timedelta(minutes=5))  # an old one
    gateway.send_later("79161234567", "482913", delay_s=0.4)
    assert wait_for_code(http(gateway), "79161234567", asked) == "482913"
    assert gateway.requests > 1


def test_no_fresh_code_in_time_is_interaction_required(gateway: Gateway) -> None:
    asked = dt.datetime.now(dt.UTC)
    gateway.codes["79161234567"] = ("111111", asked - dt.timedelta(minutes=5))
    started = time.monotonic()
    with pytest.raises(InteractionRequired, match=r"within 0\.5 s \(only an older code"):
        wait_for_code(http(gateway, timeout_s=0.5), "79161234567", asked)
    assert time.monotonic() - started < 5  # one bounded wait, not retries


def test_a_command_prints_the_code() -> None:
    settings = OtpSettings(
        source=OtpSource.COMMAND, command=(sys.executable, "-c", "print('  {phone}'[-6:])")
    )
    assert wait_for_code(settings, "79161234567", dt.datetime.now(dt.UTC)) == "234567"
    failing = OtpSettings(source=OtpSource.COMMAND, command=(sys.executable, "-c", "exit(3)"))
    with pytest.raises(InteractionRequired, match="exit 3"):
        wait_for_code(failing, "79161234567", dt.datetime.now(dt.UTC))


def test_a_prompt_without_a_terminal_and_no_source_are_clear_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(InteractionRequired, match="nobody is at a terminal"):
        wait_for_code(OtpSettings(source=OtpSource.PROMPT), "7916", dt.datetime.now(dt.UTC))
    with pytest.raises(InteractionRequired, match="no 'otp' source"):
        wait_for_code(None, "7916", dt.datetime.now(dt.UTC))


def test_incomplete_sources_are_refused() -> None:
    with pytest.raises(ValueError, match="needs url"):
        OtpSettings(source=OtpSource.HTTP)
    with pytest.raises(ValueError, match="needs command"):
        OtpSettings(source=OtpSource.COMMAND)
