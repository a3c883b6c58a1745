"""Fixtures shared by all tests: a Dovecot per worker, fresh mailboxes, Chromium.

With pytest-xdist every worker is its own process and session, so ``mail_server`` is one
Dovecot per worker; mailboxes are cheap (a line in a passwd-file) and made per test.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from playwright.sync_api import Browser, BrowserType, Playwright, expect, sync_playwright

from sandbox.mailserver import DovecotNotInstalled, ImapProbe, Mailbox, MailServer, find_dovecot
from sandbox.postgres import PostgresServer
from support.files import FileServer, serving_files

# Two workers, each with a Chromium and its servers, share two cores: the default 5 s of
# expect() could run out under that load. A check that holds still passes at once.
expect.set_options(timeout=10_000)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cabinet-markup",
        default="",
        metavar="STYLE",
        help="the markup every sandbox cabinet of the end-to-end tests serves (semantic, "
        "legacy, spa); default: each cabinet's own era (SIP, MTS legacy; Kcell, A1 spa)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[object]:
    """Undo what a CLI run in this process did to the root logger: it points it at the
    runner's captured stderr, closed when the run ends, and a server thread of a later
    test (the sandbox's SMTP) would then log to a closed file. Around the whole test, so
    that pytest's own per-phase handlers are neither kept nor lost."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        return (yield)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def _require_dovecot() -> None:
    """Fail (never skip) when Dovecot is missing: a skipped mail suite looks green."""
    try:
        find_dovecot()
    except DovecotNotInstalled as exc:
        pytest.fail(f"{exc}. The mail tests need a real Dovecot.", pytrace=False)


# The ledger's database, as the configuration's environment override names it.
DATABASE_URL_ENV = "CABINET_ROBOT_STATE__DATABASE_URL"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL per test process (each test gets a database of its own)."""
    with PostgresServer() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The ledger's URL, on SQLite (a file of its own) and on Postgres (a database of its
    own); also in the environment, so a configuration and a robot subprocess use it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state' / 'ledger.sqlite3'}"
        monkeypatch.setenv(DATABASE_URL_ENV, url)
        yield url
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"test_{uuid.uuid4().hex[:12]}"
    url = server.create_database(name)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    try:
        yield url
    finally:
        server.drop_database(name)


@pytest.fixture(scope="session")
def mail_server() -> Iterator[MailServer]:
    """A running Dovecot (IMAP + LMTP on loopback, no TLS), one per xdist worker."""
    _require_dovecot()
    with MailServer() as server:
        yield server


@pytest.fixture(scope="session")
def tls_mail_server() -> Iterator[MailServer]:
    """A running Dovecot with ``ssl = required`` and a private CA (``ca_file``); started
    only by the sessions that ask for it."""
    _require_dovecot()
    with MailServer(tls=True) as server:
        yield server


@pytest.fixture
def mailbox(mail_server: MailServer) -> Mailbox:
    """A fresh user on ``mail_server``: address, username, password, host, port,
    ``deliver(msg)``, ``deliver_many(msgs)``, ``messages(folder)``, ``count(folder)``."""
    return mail_server.mailbox()


@pytest.fixture
def imap(mailbox: Mailbox) -> Iterator[ImapProbe]:
    """Read-only IMAP looks into this test's ``mailbox``: ``messages(folder)``,
    ``subjects(folder)``, ``count(folder)``, ``folders()``, ``client()``."""
    probe = ImapProbe(mailbox)
    yield probe
    probe.close()


@pytest.fixture
def file_server() -> Iterator[FileServer]:
    """An HTTP server on loopback for the files a test's mail links to: set
    ``files[path]`` to a body (200) or to (status, body); any other path is a 404."""
    with serving_files() as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments plus Debian's Chromium (TOOLCHAIN.md).

    The plugin's own arguments (``--headed``, ``--slowmo``, ...) are kept.
    """
    args = list(browser_type_launch_args.get("args") or [])
    args += [arg for arg in ("--disable-gpu", "--disable-quic") if arg not in args]
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CABINET_ROBOT_CHROMIUM", "/usr/bin/chromium"),
        "args": args,
    }


# pytest-playwright keeps one Playwright per session; while it runs, the robot's own
# sync_playwright() in the same worker refuses to start ("Sync API inside the asyncio
# loop"). One per module instead: the page tests stop theirs before a robot test runs.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return cast(BrowserType, getattr(playwright, browser_name))


@pytest.fixture(scope="module")
def launch_browser(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> Callable[..., Browser]:
    def launch(**kwargs: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser_context_args() -> dict[str, Any]:
    """No --device or --video (the plugin's take its session Playwright)."""
    return {}


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    launched = launch_browser()
    yield launched
    launched.close()


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Prefect's test server with a home of its own, for one module (mark the module
    ``xdist_group("prefect-<module>")``, a group of its own so modules spread over the
    workers, and ``usefixtures("prefect_server")``)."""
    from prefect.testing.utilities import prefect_test_harness

    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect"))
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    with prefect_test_harness(server_startup_timeout=60):
        yield
