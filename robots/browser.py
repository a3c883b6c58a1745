"""A Chromium session for one cabinet: a saved login, a trace, evidence on failure.

The browser context is traced from the start (every call; DOM snapshots of each step
only with ``[browser] step_snapshots`` or for a recorded scenario; no screencast).
Typing a secret happens in an ``unrecorded()`` block: the trace chunk is dropped before
and a new one starts after, so passwords and SMS codes never reach a trace. When the
work inside ``open_browser`` fails, the current trace chunk and the page's HTML,
scrubbed (``robots.evidence``), and a screenshot are written to
``<state>/evidence/<cabinet>/<time>/`` and the error says where. Whatever Playwright
writes unscrubbed (the live trace, a chunk before it is scrubbed, a fresh session's
cookies) stays in the session's private raw folder, removed when the session ends,
however it ends.

The cabinet's cookies are kept between runs in ``<state>/sessions/<cabinet>.json``
(Playwright's storage_state, mode 0600), so a monthly run does not log in more often
than the cabinet's session lifetime requires. ``SessionOptions`` changes that for QA:
a fresh session (the canary, a recorded scenario), a HAR recording, a given browser.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from config.models import BrowserSettings, CabinetSettings, RobotConfig
from page_objects.base import configured_for, set_overrides
from page_objects.healing import HealingPolicy, enable_healing
from page_objects.vocabulary import vocabulary
from robots.driver import playwright as started_playwright
from robots.errors import CabinetUnavailable, RobotError, UnexpectedScreen
from robots.evidence import private_dirs, raw_folder, scrub_trace, write_private

log = logging.getLogger(__name__)

_CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic"]  # TOOLCHAIN.md: Debian's chromium
# Network failures Chromium reports instead of a page: the cabinet is not reachable.
_NETWORK_ERRORS = ("net::ERR_", "NS_ERROR_", "Connection refused")
# A page that did not load in time (rather than a control that did not show on it).
_NAVIGATION = ("Page.goto:", "waiting for navigation", "Page.reload:", "wait_for_load_state")


class BrowserSession:
    """The page the robot works in, and the session's bookkeeping."""

    def __init__(
        self,
        context: BrowserContext,
        page: Page,
        state_file: Path,
        keep_chunks_in: Path | None,
        raw: Path,
        secrets: Iterable[str] = (),
        masked_numbers: Iterable[str] | None = None,
    ) -> None:
        self.context = context
        # Subscribers' numbers (and the names the pages list) masked in evidence
        # ([privacy] mask_numbers); None: kept as the pages showed them.
        self._masked_numbers = None if masked_numbers is None else tuple(masked_numbers)
        self.page = page
        self._state_file = state_file
        self._secrets: set[str] = {s for s in secrets if s}
        # Where a trace chunk waits to be scrubbed; never a folder that stays.
        self._raw = raw
        self._chunks_dir = keep_chunks_in
        self._chunks: list[Path] = []

    @property
    def secrets(self) -> frozenset[str]:
        """What was typed in ``unrecorded()`` blocks so far (passwords, SMS codes)."""
        return frozenset(self._secrets)

    @contextmanager
    def unrecorded(self, *secrets: str) -> Iterator[None]:
        """Leave what happens inside (typing ``secrets``) out of the trace.

        The secrets are also remembered and blanked out of any evidence written later:
        a page answering a form with the form's own page keeps the request, with its
        body, as the document a later trace chunk refers to.
        """
        self._secrets.update(s for s in secrets if s)
        self._end_chunk()
        try:
            yield
        finally:
            self.context.tracing.start_chunk()

    def _end_chunk(self) -> None:
        """End the trace chunk so far: discarded, or kept when recording a scenario (whose
        files are scrubbed and scanned before they are written)."""
        if self._chunks_dir is None:
            self.context.tracing.stop_chunk()  # no path: the chunk is discarded
            return
        path = self._chunks_dir / f"chunk-{len(self._chunks) + 1}.zip"
        self.context.tracing.stop_chunk(path=path)
        self._chunks.append(path)

    def kept_chunks(self) -> list[Path]:
        """End the trace and return every chunk kept (``keep_chunks_in``), in order."""
        self._end_chunk()
        return list(self._chunks)

    def save_login(self) -> None:
        """Keep the cabinet's cookies for the next run (owner-only file)."""
        state = json.dumps(self.context.storage_state())
        private_dirs(self._state_file.parent)
        temporary = self._state_file.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(state)
        os.replace(temporary, self._state_file)

    def forget_login(self) -> None:
        """Drop the saved cookies (they no longer open a session)."""
        self.context.clear_cookies()
        self._state_file.unlink(missing_ok=True)

    def keep_evidence(self, directory: Path) -> Path:
        """Write the trace so far and the page's HTML, scrubbed, and a screenshot of the
        page into ``directory`` (files 0600, folders 0700). The unscrubbed chunk only ever
        exists in the raw folder and is removed even when this is interrupted."""
        private_dirs(directory)
        pages: dict[Path, str] = {}
        try:
            write_private(directory / "screenshot.png", self.page.screenshot(full_page=True))
            pages[directory / "page.html"] = self.page.content()
            for number, frame in enumerate(self.page.frames[1:], 1):  # a legacy frameset's
                pages[directory / f"page-frame{number}.html"] = frame.content()
        except PlaywrightError as exc:
            log.warning("no screenshot or page for the evidence: %s", exc)
        raw = Path(tempfile.mkstemp(prefix="trace-", suffix=".zip", dir=self._raw)[1])
        try:
            self.context.tracing.stop_chunk(path=raw)
            self.context.tracing.start_chunk()
            cookies = [cookie["value"] for cookie in self.context.cookies()]
            scrub_trace(
                raw, directory / "trace.zip", self._secrets, cookies, self._masked_numbers, pages
            )
        finally:
            raw.unlink(missing_ok=True)
        return directory


def session_file(config: RobotConfig, cabinet: CabinetSettings) -> Path:
    return config.state.dir / "sessions" / f"{cabinet.name}.json"


def evidence_dir(config: RobotConfig, cabinet: CabinetSettings) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return config.state.dir / "evidence" / cabinet.name / stamp


@dataclass(frozen=True)
class SessionOptions:
    """How a browser session differs from the monthly run's (the defaults)."""

    # Start logged out and keep the login in a throwaway file: the canary and a recorded
    # scenario must go through the login screens, and must neither use nor replace the
    # run's saved session.
    fresh: bool = False
    record_har: Path | None = None  # HAR with embedded content, written when the context closes
    # Screencast frames in the trace. None by default: typing is left out of the trace,
    # but the frames after it show every page as it looked, and pixels cannot be scrubbed
    # (a token, a code in a message). DOM snapshots, which are scrubbed, show each step
    # in the trace viewer (``snapshots``), and the evidence has its screenshot.png and
    # page.html of the last page.
    screenshots: bool = False
    keep_chunks_in: Path | None = None  # keep the trace chunks unrecorded() would drop
    # DOM snapshots of every step, and the network log, in the trace; None: as
    # [browser] step_snapshots says.
    snapshots: bool | None = None


# The canary's and a survey's session: logged out, and the trace shows every step's page
# and request (what a person reads when a screen changed; the time they cost is no matter).
CHECKING = SessionOptions(fresh=True, snapshots=True)


@contextmanager
def launch_chromium(settings: BrowserSettings, traces_dir: Path | None = None) -> Iterator[Browser]:
    """The configured Chromium, closed on leaving.

    ``traces_dir``: where Playwright writes running traces (default: a folder in TMPDIR).
    """
    with started_playwright() as playwright:
        chromium = settings.chromium
        try:
            browser = playwright.chromium.launch(
                executable_path=str(chromium) if chromium else None,
                headless=settings.headless,
                args=_CHROMIUM_ARGS,
                traces_dir=traces_dir,
                # A Ctrl-C stops the run at a safe point: the browser must not die first.
                handle_sigint=False,
                handle_sigterm=False,
            )
        except PlaywrightError as exc:
            raise RobotError(f"cannot start Chromium ({chromium or 'bundled'}): {exc}") from None
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_browser(
    config: RobotConfig,
    cabinet: CabinetSettings,
    options: SessionOptions | None = None,
    browser: Browser | None = None,
) -> Iterator[BrowserSession]:
    """A traced Chromium page for ``cabinet``; Playwright errors become robot errors.

    ``browser``: work in this one (a new context) instead of launching Chromium; its
    running trace is then where that browser's launch put it.
    """
    options = options or SessionOptions()
    with ExitStack() as stack:
        raw = stack.enter_context(raw_folder(config.state.dir))
        if browser is None:
            browser = stack.enter_context(launch_chromium(config.browser, raw / "traces"))
        state_file = raw / "session.json" if options.fresh else session_file(config, cabinet)
        context = browser.new_context(
            storage_state=state_file if state_file.exists() else None,
            accept_downloads=True,
            locale="ru-RU",
            record_har_path=options.record_har,
            record_har_content="embed" if options.record_har else None,
        )
        context.set_default_timeout(config.browser.timeout_s * 1000)
        snapshots = options.snapshots
        if snapshots is None:
            snapshots = config.browser.step_snapshots
        context.tracing.start(screenshots=options.screenshots, snapshots=snapshots)
        page = context.new_page()
        set_overrides(page, cabinet.labels, cabinet.titles)  # the cabinet's own words
        if config.healing.enabled:
            heal_on(page, config, cabinet)
        password = os.environ.get(cabinet.password_env or "", "")
        numbers = [n for account in cabinet.accounts for n in account.numbers]
        if cabinet.login and cabinet.login.isdigit():
            numbers.append(
                cabinet.login
            )  # a login by phone number (a personal account is no phone)
        session = BrowserSession(
            context, page, state_file, options.keep_chunks_in, raw, secrets=[password],
            masked_numbers=numbers if config.privacy.mask_numbers else None,
        )  # fmt: skip
        try:
            with translated_errors(page):
                yield session
        except RobotError as exc:
            exc.evidence = session.keep_evidence(evidence_dir(config, cabinet))
            raise
        finally:
            # Stopped before closing: Playwright keeps the running chunk's call stacks
            # in a temporary directory that only stopping the trace removes.
            with suppress(PlaywrightError):
                context.tracing.stop()
            context.close()


def heal_on(
    page: Page, config: RobotConfig, cabinet: CabinetSettings, wait_s: float | None = None
) -> None:
    """Let ``page`` heal a renamed control (``page_objects.healing``) by ``[healing]``,
    never onto another of the robot's words for this cabinet; ``wait_s``: how long a
    control may take to show first, if not ``[healing] wait_s``."""
    known = [*vocabulary(cabinet.operator).labels, *cabinet.labels.values()]
    settings = config.healing
    wait_ms = (settings.wait_s if wait_s is None else wait_s) * 1000
    enable_healing(page, HealingPolicy(settings.threshold, wait_ms), known)


@contextmanager
def translated_errors(page: Page) -> Iterator[None]:
    """Playwright's exceptions as the robot's: the layer above never sees a library error.

    ``page``: the cabinet's, whose configured words (``labels``, ``titles``) name what it
    did not show.
    """
    try:
        yield
    except PlaywrightTimeout as exc:
        if any(marker in str(exc) for marker in _NAVIGATION):
            raise CabinetUnavailable(f"the cabinet did not answer: {_first_line(exc)}") from None
        raise UnexpectedScreen(f"the cabinet did not show {_awaited(page, exc)}") from None
    except PlaywrightError as exc:
        message = _first_line(exc)
        if any(marker in message for marker in _NETWORK_ERRORS):
            raise CabinetUnavailable(f"the cabinet cannot be reached: {message}") from None
        raise UnexpectedScreen(f"browser error: {message}") from None


def _awaited(page: Page, exc: Exception) -> str:
    """What a timed-out action waited for, from Playwright's call log: by the words the
    page objects looked for (``page_objects.base``), else the locator as Playwright says."""
    for line in str(exc).splitlines():
        line = line.strip(" -")
        if line.startswith("waiting for "):
            awaited = line.removeprefix("waiting for ")
            return f"{_by_words(page, awaited) or awaited} ({_first_line(exc)})"
    return f"what was expected ({_first_line(exc)})"


# The patterns ``page_objects.base.words`` makes, as Playwright's call log prints them.
_WORDS = re.compile(r're\.compile\(r"\^\\s\*(.+?)\[\\s:\*\]\*\$"')


def _by_words(page: Page, awaited: str) -> str | None:
    """«the control «далее»» for a locator of ``page_objects.base``, else None."""
    match = _WORDS.search(awaited)
    if not match:
        return None
    text = match[1].replace("[её]", "е").replace(r"\s+", " ").replace("\\", "")
    if awaited.startswith('get_by_role("button"'):
        kind = "the control"
    elif awaited.startswith("get_by_label"):
        kind = "the field"
    else:
        kind = "the text"
    return f"{kind} {configured_for(page, text) or f'«{text}»'}"


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
