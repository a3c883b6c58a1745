"""What every screen object shares: "am I here?", arriving, and the cabinet's messages.

A screen is recognised by its heading, the text a person reads first, and elements are
found by role, label or visible text, so the robot survives a new layout as long as the
cabinet's words stay. Where an action can land on several screens (the expected one,
the login page after a session ended, a maintenance page), ``arrive`` waits for all of
them at once with ``locator.or_()`` and raises what the detour means.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Self, TypeVar
from weakref import WeakKeyDictionary

from playwright.sync_api import Download, Locator, Page

from robots.errors import (
    CabinetMaintenance,
    CabinetUnavailable,
    OrderRefused,
    RobotError,
    SessionExpired,
    UnexpectedScreen,
)

Detour = Callable[[Page], RobotError]
# What the robot uses on a screen, by what a person sees ("button «Далее»"): the canary
# checks that each is there, and presses none.
Controls = dict[str, Locator]

# Pages whose screens may take longer to come than their actions may wait (ms): the
# canary gives a control on a screen that has come a few seconds, the screen itself the
# page timeout.
_screen_timeouts: WeakKeyDictionary[Page, float] = WeakKeyDictionary()


def set_screen_timeout(page: Page, timeout_ms: float | None) -> None:
    """How long ``arrive``/``expect`` wait for a screen on ``page`` (None: the page's
    default timeout, as for every other action)."""
    if timeout_ms is None:
        _screen_timeouts.pop(page, None)
    else:
        _screen_timeouts[page] = timeout_ms


def page_text(page: Page) -> str:
    """The page's visible text, squeezed and cut: enough to say what a detour showed."""
    return " ".join(page.locator("body").inner_text().split())[:300]


def detours(
    cabinet: str, *, maintenance: str, server_error: str, refused: str, login: str
) -> dict[str, Detour]:
    """What a cabinet's own screens mean when they show instead of the expected one.

    Args are the headings of: its maintenance page, its server error page, the page
    refusing a stale form token (the server no longer knows the session), its login.
    """
    return {
        maintenance: lambda page: CabinetMaintenance(f"{cabinet} cabinet: {page_text(page)}"),
        server_error: lambda page: CabinetUnavailable(f"{cabinet} cabinet: {page_text(page)}"),
        refused: lambda page: SessionExpired(f"{cabinet} cabinet refused: {page_text(page)}"),
        login: lambda page: SessionExpired(f"the {cabinet} cabinet session ended"),
    }


@dataclass(frozen=True)
class Fetched:
    """A file a cabinet gave: its bytes, the cabinet's name for it, where it came from."""

    data: bytes
    name: str
    url: str


class Screen:
    """One screen of a cabinet. Subclasses name their ``heading``."""

    heading: ClassVar[str]
    # Screens a cabinet may show instead of the expected one, by heading: what each means.
    detours: ClassVar[Mapping[str, Detour]] = {}

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def heading_on(cls, page: Page) -> Locator:
        return page.get_by_role("heading", name=cls.heading, exact=True)

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def press(self, name: str) -> None:
        """Click the button that sends the form and wait for the cabinet's answer page.

        Waiting for the navigation matters: the next screen often has the same heading
        as this one, so "the heading is visible" alone would be true too early.
        """
        with self.page.expect_navigation():
            self.button(name).click()

    def is_here(self) -> bool:
        return self.heading_on(self.page).is_visible()

    def controls(self) -> Controls:
        """What the robot fills, chooses and presses here, the button that sends last."""
        return {}

    def form_controls(
        self, fields: Sequence[str] = (), buttons: Sequence[str] = (), radios: Sequence[str] = ()
    ) -> Controls:
        """Controls found the way the robot finds them: fields by label, buttons and radio
        buttons by name."""
        found = {f"field «{label}»": self.field(label) for label in fields}
        found |= {
            f"radio button «{name}»": self.page.get_by_role("radio", name=name, exact=True)
            for name in radios
        }
        found |= {f"button «{name}»": self.button(name) for name in buttons}
        return found

    @classmethod
    def arrive(cls, page: Page) -> Self:
        """Wait until this screen shows; raise the meaning of any detour instead."""
        return arrive_at(page, cls)

    # -- the cabinet's messages -----------------------------------------------------------

    def alert(self) -> str | None:
        """The refusal or validation message shown, if any."""
        alert = self.page.get_by_role("alert")
        if alert.count() == 0 or not alert.first.is_visible():
            return None
        return " ".join(alert.first.inner_text().split())

    def refuse_if_alerted(self) -> None:
        """The cabinet's own refusal on this screen, as OrderRefused."""
        message = self.alert()
        if message:
            raise OrderRefused(message)

    def status(self) -> str:
        """The confirmation the cabinet shows after an action."""
        return " ".join(self.page.get_by_role("status").first.inner_text().split())

    def expect(self, locator: Locator) -> Locator:
        """Wait for ``locator``; raise what a detour means if one shows instead.

        A detour (the login page after the session ended, a maintenance page) is
        checked first: the login page's own alert is not the cabinet refusing.
        """
        detours = self.detours_from_here()
        either = locator
        for name in detours:
            either = either.or_(self.page.get_by_role("heading", name=name, exact=True))
        either.first.wait_for(timeout=_screen_timeouts.get(self.page))
        _raise_detour(self.page, detours)
        return locator

    @classmethod
    def detours_from_here(cls) -> Mapping[str, Detour]:
        """The detours, less this screen itself: the login page is a detour from every
        other screen, but on the login page its own heading means nothing went wrong."""
        here = getattr(cls, "heading", None)
        return {name: meaning for name, meaning in cls.detours.items() if name != here}

    def outcome(self, within: Locator | None = None) -> tuple[str | None, str | None]:
        """Wait for a confirmation or a refusal after submitting: (status, alert)."""
        scope: Page | Locator = self.page if within is None else within
        status = scope.get_by_role("status")
        alert = scope.get_by_role("alert")
        self.expect(status.or_(alert))
        shown = " ".join(status.first.inner_text().split()) if status.count() else None
        refused = " ".join(alert.first.inner_text().split()) if alert.count() else None
        return shown, refused

    def file_or_page(self, action: Callable[[], None]) -> Download | None:
        """Run ``action`` (a click asking for a file): the download, or None when the
        cabinet answered with a page instead (a refusal, an error page: read it next).

        The answer's Content-Disposition tells the two apart, so a refusal is seen at
        once instead of after a download timeout.
        """
        downloads: list[Download] = []

        def collect(download: Download) -> None:
            downloads.append(download)

        self.page.on("download", collect)
        try:
            with self.page.expect_response(
                lambda r: r.request.resource_type == "document"
            ) as answer:
                action()
            if "attachment" not in answer.value.headers.get("content-disposition", "").lower():
                self.page.wait_for_load_state()
                return None
            return downloads[0] if downloads else self.page.wait_for_event("download")
        finally:
            self.page.remove_listener("download", collect)

    def settle(self) -> str:
        """After sending a form: the confirmation, or OrderRefused with the cabinet's words."""
        status, alert = self.outcome()
        if alert:
            raise OrderRefused(alert)
        return status or ""

    def table_rows(self, table: Locator) -> list[tuple[dict[str, str], Locator]]:
        """Each body row of ``table`` as {column header: cell text}, with the row itself."""
        headers = [_squeeze(h) for h in table.get_by_role("columnheader").all_inner_texts()]
        rows = table.get_by_role("row")
        found = []
        for i in range(rows.count()):
            row = rows.nth(i)
            cells = [_squeeze(c) for c in row.get_by_role("cell").all_inner_texts()]
            if cells:  # the header row has no cells
                found.append((dict(zip(headers, cells, strict=False)), row))
        return found

    def options(self, select: Locator) -> list[tuple[str, str]]:
        """(value, text) of every option of a select."""
        # <option> has no role Playwright can query inside a closed <select>: by tag.
        found = select.locator("option")
        return [
            (found.nth(i).get_attribute("value") or "", found.nth(i).inner_text().strip())
            for i in range(found.count())
        ]


def _raise_detour(page: Page, detours: Mapping[str, Detour]) -> None:
    for name, meaning in detours.items():
        if page.get_by_role("heading", name=name, exact=True).count():
            raise meaning(page)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


S = TypeVar("S", bound=Screen)


def arrive_at(page: Page, *expected: type[S]) -> S:
    """Wait for the first of ``expected`` (or a detour) to show; return its screen object."""
    detours = expected[0].detours
    headings = [screen.heading_on(page) for screen in expected]
    headings += [page.get_by_role("heading", name=name, exact=True) for name in detours]
    either = headings[0]
    for other in headings[1:]:
        either = either.or_(other)
    either.first.wait_for(timeout=_screen_timeouts.get(page))
    for screen in expected:
        if screen.heading_on(page).count():
            return screen(page)
    _raise_detour(page, detours)
    heading = page.get_by_role("heading")
    shown = heading.first.inner_text() if heading.count() else page.title()
    raise UnexpectedScreen(f"expected {' or '.join(s.heading for s in expected)!r}, got {shown!r}")
