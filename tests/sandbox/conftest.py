"""Fixtures of the sandbox tests: a running sandbox on the worker's Dovecot, and HTTP
clients that read cabinet pages the way the robot's page objects do (headings, alerts,
status messages, labels, buttons), without a browser: ``sip`` (``CabinetClient``),
``mts`` (``MtsClient``, which also makes the JSON calls of the MTS page's script) and
``kcell`` (``KcellClient``), ``a1`` (``A1Client``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.cabinets.base import Timings
from sandbox.mailserver import MailServer
from sandbox.stack import RunningCabinet, Sandbox

A1_PHONE = "375291234567"  # the A1 administrator
A1_EMAIL = "admin@a1-company.by"
A1_FIXED = "1234567890125"
TODAY = dt.date(2026, 11, 10)  # a working day: invoices can be ordered
FAST = Timings.uniform(0.2)


@pytest.fixture
def sandbox(mail_server: MailServer, tmp_path: Path) -> Iterator[Sandbox]:
    """The sandbox on this worker's Dovecot, dated ``TODAY``, with 0.2 s back office."""
    with Sandbox(tmp_path / "sandbox", mail_server=mail_server, today=TODAY, timings=FAST) as box:
        yield box


@pytest.fixture
def sip(sandbox: Sandbox) -> Iterator[CabinetClient]:
    """A client of the SIP cabinet, not logged in yet."""
    client = CabinetClient(sandbox.cabinet("sip"))
    yield client
    client.close()


@pytest.fixture
def mts(sandbox: Sandbox) -> Iterator[MtsClient]:
    """A client of the MTS «Виртуальный менеджер», not logged in yet."""
    client = MtsClient(sandbox.cabinet("mts"))
    yield client
    client.close()


@pytest.fixture
def kcell(sandbox: Sandbox) -> Iterator[KcellClient]:
    """A client of the Kcell «Кабинет», not logged in yet."""
    client = KcellClient(sandbox.cabinet("kcell"))
    yield client
    client.close()


@pytest.fixture
def a1(sandbox: Sandbox) -> Iterator[A1Client]:
    """A client of the A1 business cabinet, not logged in yet."""
    client = A1Client(sandbox.cabinet("a1"))
    yield client
    client.close()


@pytest.fixture
def new_client(sandbox: Sandbox) -> Iterator[Callable[[], CabinetClient]]:
    """Makes more clients of the SIP cabinet (other browsers)."""
    clients: list[CabinetClient] = []

    def make() -> CabinetClient:
        clients.append(CabinetClient(sandbox.cabinet("sip")))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@dataclass
class Page:
    """What a test reads from one answer."""

    status_code: int
    url: str
    h1: str = ""
    alerts: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # text -> href
    buttons: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    inputs: list[dict[str, str | None]] = field(default_factory=list)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select -> (v, text)
    text: str = ""
    html: str = ""

    @property
    def csrf(self) -> str:
        return next((str(i["value"]) for i in self.inputs if i.get("name") == "csrf_token"), "")

    def input(self, name: str, value: str | None = None) -> dict[str, str | None]:
        return next(
            i for i in self.inputs if i.get("name") == name and value in (None, i.get("value"))
        )


class _Reader(HTMLParser):
    """Collects the parts of a page a ``Page`` holds."""

    _CAPTURED = frozenset({"h1", "a", "button", "label", "option", "alert", "status"})

    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.open: list[tuple[str, str, dict[str, str | None], list[str]]] = []
        self.select = ""
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        kind = a.get("role") if a.get("role") in ("alert", "status") else tag
        if kind in self._CAPTURED:
            self.open.append((str(kind), tag, a, []))
        if tag == "input":
            self.page.inputs.append(a)
        if tag == "select":
            self.select = a.get("name") or ""
            self.page.options[self.select] = []

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][1] == tag:
                kind, _, attrs, parts = self.open.pop(index)
                self._finish(kind, attrs, " ".join("".join(parts).split()))
                return

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        for *_, parts in self.open:
            parts.append(data)

    def _finish(self, kind: str, attrs: dict[str, str | None], text: str) -> None:
        page = self.page
        if kind == "h1":
            page.h1 = text
        elif kind == "alert":
            page.alerts.append(text)
        elif kind == "status":
            page.statuses.append(text)
        elif kind == "a" and attrs.get("href") and "hidden" not in attrs:
            page.links.setdefault(text, str(attrs["href"]))
        elif kind == "button":
            page.buttons.append(text)
        elif kind == "label":
            page.labels.append(text)
        elif kind == "option":
            page.options[self.select].append((str(attrs.get("value")), text))


def parse(response: httpx.Response) -> Page:
    page = Page(response.status_code, str(response.url))
    if response.headers.get("content-type", "").startswith("text/html"):
        reader = _Reader(page)
        reader.feed(response.text)
        page.text = " ".join(" ".join(reader.chunks).split())
        page.html = response.text
    return page


class CabinetClient:
    """Drives a cabinet over HTTP; ``submit`` sends the last page's CSRF token."""

    def __init__(self, cabinet: RunningCabinet) -> None:
        self.cabinet = cabinet
        self.http = httpx.Client(base_url=cabinet.base_url, follow_redirects=True, timeout=20)
        self.last = Page(0, "")

    def open(self, path: str, **params: str) -> Page:
        self.last = parse(self.http.get(path, params=params or None))
        return self.last

    def submit(self, path: str, data: dict[str, Any], *, csrf: str | None = None) -> Page:
        form = {"csrf_token": self.last.csrf if csrf is None else csrf, **data}
        self.last = parse(self.http.post(path, data=form))
        return self.last

    def login(self, account: str | None = None, password: str | None = None) -> Page:
        self.open("/login")
        return self.submit(
            "/login",
            {
                "account": self.cabinet.login if account is None else account,
                "password": self.cabinet.password if password is None else password,
            },
        )

    def invoices_take_a_while(self) -> None:
        """SIP invoices by link ready after 2 s, not 0.2: long enough that a loaded machine
        still sees «Счет формируется» on the page it is sent to after ordering."""
        cabinet = self.cabinet.cabinet
        cabinet.timings = dataclasses.replace(cabinet.timings, invoice_ready_s=2.0)

    def status_when_ready(self, job_url: str, timeout_s: float = 10) -> dict[str, Any]:
        """Poll a SIP invoice job's status, as its page's script does, until it is ready."""
        deadline = time.monotonic() + timeout_s
        while not (status := self.http.get(f"{job_url}/status").json())["ready"]:
            assert time.monotonic() < deadline, f"{job_url} not ready after {timeout_s} s"
            time.sleep(0.05)
        return dict(status)

    def close(self) -> None:
        self.http.close()


_SCRIPT_TOKEN = re.compile(r'data-csrf-token="([^"]*)"')


class MtsClient(CabinetClient):
    """Drives the MTS cabinet: the login form, and the JSON calls its page's script makes
    (the CSRF token of the last main screen in the ``X-CSRF-Token`` header)."""

    def login(self, number: str | None = None, password: str | None = None) -> Page:
        self.open("/selfcare/")
        return self.submit(
            "/selfcare/",
            {
                "number": self.cabinet.login if number is None else number,
                "password": self.cabinet.password if password is None else password,
            },
        )

    @property
    def script_token(self) -> str:
        """The token the main screen gives its script (``data-csrf-token``)."""
        match = _SCRIPT_TOKEN.search(self.last.html)
        assert match, f"no script token on {self.last.url}"
        return match[1]

    def call(
        self, path: str, body: dict[str, Any] | None = None, *, csrf: str | None = None
    ) -> httpx.Response:
        """POST JSON as the page's script does."""
        token = self.script_token if csrf is None else csrf
        return self.http.post(path, json=body or {}, headers={"X-CSRF-Token": token})

    def select(self, **item: str) -> dict[str, Any]:
        """Drop an account (``account=``) or a number (``number=``) into the selection."""
        answer = self.call("/selfcare/api/selection", item)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def order(self, **body: Any) -> httpx.Response:
        """«Заказать» in the dialog: ``document``, ``email``, ``format``, ``rules``, dates."""
        return self.call("/selfcare/api/order", body)


class KcellClient(CabinetClient):
    """Drives the Kcell «Кабинет»: the login form by phone number, and the SMS codes of
    «Забыли пароль?» read from the sandbox's gateway."""

    def login(self, phone: str | None = None, password: str | None = None) -> Page:
        self.open("/login")
        return self.submit(
            "/login",
            {
                "phone": self.cabinet.login if phone is None else phone,
                "password": self.cabinet.password if password is None else password,
            },
        )

    def code(self, phone: str | None = None) -> str:
        """The last SMS code sent to ``phone`` (default: the administrator's)."""
        answer = self.http.get("/_sandbox/sms", params={"phone": phone or self.cabinet.login})
        assert answer.status_code == 200, answer.text
        code: str = answer.json()["code"]
        return code

    def download(self, path: str, data: dict[str, Any]) -> httpx.Response:
        """Submit a form that answers with a file (or, refused, with the page)."""
        form = {"csrf_token": self.last.csrf, **data}
        answer = self.http.post(path, data=form)
        if not answer.headers.get("content-disposition", "").startswith("attachment"):
            self.last = parse(answer)
        return answer


class A1Client(CabinetClient):
    """Drives the A1 cabinet: the login tabs, the role, the account switch."""

    def login(  # type: ignore[override]
        self, method: str = "password", login: str | None = None, password: str | None = None
    ) -> Page:
        self.open("/login", method=method)
        field = {"password": "phone", "sms": "phone", "account": "account", "email": "email"}
        default = {
            "password": A1_PHONE[3:],
            "sms": A1_PHONE[3:],
            "account": A1_FIXED,
            "email": A1_EMAIL,
        }
        data = {
            "method": method,
            field[method]: default[method] if login is None else login,
            "password": self.cabinet.password if password is None else password,
        }
        return self.submit("/login", data)

    def enter(self, role: str = "supervisor", method: str = "password") -> Page:
        page = self.login(method)
        assert page.url.endswith("/role"), page.alerts  # «Выберите способ входа»
        return self.submit("/role", {"role": role})

    def switch(self, account: str, back: str = "/main") -> Page:
        return self.submit("/account", {"account": account, "next": back})

    def code(self) -> str:
        answer = self.http.get("/_sandbox/sms", params={"phone": A1_PHONE})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["code"])

    def details(
        self, year: str = "2026", month: str = "10", file: tuple[str, bytes] | None = None
    ) -> Page:
        """«Далее» of «Детализация на Email» (a multipart form: its file input), from the
        list or with ``file`` (name, bytes) uploaded."""
        choice = "list" if file is None else "file"
        form = {"csrf_token": self.last.csrf, "year": year, "month": month, "choice": choice}
        answer = self.http.post("/finance/details", data=form, files={"file": file or ("", b"")})
        self.last = parse(answer)
        return self.last

    def upload(self, name: str, data: bytes, year: str = "2026", month: str = "10") -> Page:
        return self.details(year, month, (name, data))
