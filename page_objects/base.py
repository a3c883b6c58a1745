"""What every screen object shares: "am I here?", arriving, and the cabinet's messages.

A screen is recognised by its title, the text a person reads first, wherever it shows
(a heading, a bold cell, plain text); controls by their visible name whatever element
they are, fields by their label or the text beside them, choices by their display text
(the tolerant primitives at the end of this module), so the robot survives legacy and
single-page markup as long as the cabinet's words stay (or the configuration says what
a cabinet shows instead: ``set_overrides``). Where an action can land on
several screens (the expected one, the login page after a session ended, a maintenance
page), ``arrive`` waits for all of them at once with ``locator.or_()`` and raises what
the detour means.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, Self, TypeVar, get_args
from weakref import WeakKeyDictionary

from playwright.sync_api import ElementHandle, Frame, Locator, Page, Response, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from robots.domain import Period
from robots.errors import (
    CabinetMaintenance,
    CabinetServerError,
    OrderRefused,
    OrderUnconfirmed,
    RobotError,
    ScreenNotShown,
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


# Each page's cabinet's own words for the manual's (``set_overrides``): labels of controls
# and fields, titles of screens, as {manual's word folded: (manual's word, cabinet's)}.
_label_overrides: WeakKeyDictionary[Page, dict[str, tuple[str, str]]] = WeakKeyDictionary()
_title_overrides: WeakKeyDictionary[Page, dict[str, tuple[str, str]]] = WeakKeyDictionary()


def set_overrides(page: Page, labels: Mapping[str, str], titles: Mapping[str, str]) -> None:
    """What the cabinet on ``page`` shows instead of the manual's words: ``labels`` for
    controls and fields, ``titles`` for screens' titles ({manual's word: cabinet's word}).
    Every primitive below looks a word up here first."""
    _label_overrides[page] = {fold(word): (word, shown) for word, shown in labels.items()}
    _title_overrides[page] = {fold(word): (word, shown) for word, shown in titles.items()}


# How a control that does not show by its words may be found anyway, per page
# (``page_objects.healing``, installed when the configuration enables healing): given
# the scope, the manual's word, the kind ("control") and the locator by words.
Healer = Callable[["Scope", str, str, Locator], Locator]
_healers: WeakKeyDictionary[Page, Healer] = WeakKeyDictionary()
# The screen each page arrived at last (``arrive_at``): what a heal is reported on.
_arrived: WeakKeyDictionary[Page, type[Screen]] = WeakKeyDictionary()


def set_healer(page: Page, healer: Healer | None) -> None:
    """Let ``healer`` stand in for a control ``control_on`` does not find on ``page``
    (None: nothing stands in, the default)."""
    if healer is None:
        _healers.pop(page, None)
    else:
        _healers[page] = healer


def _healed(scope: Scope, name: str, kind: str, found: Locator) -> Locator:
    healer = _healers.get(_page_of(scope))
    return found if healer is None else healer(scope, name, kind, found)


def arrived_screen(page: Page) -> type[Screen] | None:
    """The screen ``page`` arrived at last (``arrive_at``), if any."""
    return _arrived.get(page)


def _page_of(scope: Scope) -> Page:
    return scope if isinstance(scope, Page) else scope.page


def label_shown(scope: Scope, label: str) -> str:
    """What the cabinet of ``scope`` shows for the manual's control or field ``label``."""
    return _label_overrides.get(_page_of(scope), {}).get(fold(label), (label, label))[1]


def title_shown(scope: Scope, title: str) -> str:
    """What the cabinet of ``scope`` shows for the manual's screen title ``title``."""
    return _title_overrides.get(_page_of(scope), {}).get(fold(title), (title, title))[1]


def as_configured(word: str, shown: str) -> str:
    """«Далее», or «Далее», configured as «Продолжить» where the cabinet's word differs."""
    return f"«{word}»" if shown == word else f"«{word}», configured as «{shown}»"


def configured_for(page: Page, shown: str) -> str | None:
    """«Далее», configured as «Продолжить» when ``shown`` is a word configured for the
    cabinet on ``page`` (that cabinet's only, not another's in the same process), for an
    error that only knows the word looked for (Playwright's call log)."""
    for overrides in (_label_overrides.get(page, {}), _title_overrides.get(page, {})):
        for word, configured in overrides.values():
            if fold(configured) == fold(shown):
                return f"«{word}», configured as «{configured}»"
    return None


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
        server_error: lambda page: CabinetServerError(f"{cabinet} cabinet: {page_text(page)}"),
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
    # The manual's words of the controls, fields and choices the robot uses here (and the
    # links it follows from here): what a cabinet's ``labels`` may replace.
    labels: ClassVar[tuple[str, ...]] = ()
    # Screens a cabinet may show instead of the expected one, by heading: what each means.
    detours: ClassVar[Mapping[str, Detour]] = {}
    # A step of logging in (the login form, an SMS code, a role to choose): no control
    # or field here is ever healed (``page_objects.healing``).
    login: ClassVar[bool] = False

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def heading_on(cls, page: Page) -> Locator:
        """The screen's title, wherever it shows (``title_on``)."""
        return title_on(page, cls.heading)

    def button(self, name: str) -> Locator:
        """The control named ``name``, whatever element it is (``control_on``)."""
        return control_on(self.page, name)

    def field(self, label: str) -> Locator:
        """The field labelled or captioned ``label`` (``field_on``)."""
        return field_on(self.page, label)

    def pick(self, label: str, text: str) -> bool:
        """Choose ``text`` in the choice ``label``; False when it is not offered."""
        return choose_on(opener_on(self.page, label), text)

    def offered(self, label: str) -> list[str]:
        """The texts the choice ``label`` offers."""
        return offered(opener_on(self.page, label))

    def press(self, name: str) -> None:
        """Click the control that sends the form (or follows a link) and wait for the
        cabinet's answer (``answer_to``): a new page, or a single-page app's new screen.

        Waiting for the answer matters: the next screen often has the same heading as
        this one, so "the heading is visible" alone would be true too early.
        """
        answer_to(self.page, self.button(name))

    def news(self) -> str:
        """What the screen says now that it did not before the last answer (``news_on``)."""
        return news_on(self.page)

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
        found |= {f"radio button «{name}»": self.button(name) for name in radios}
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
            either = either.or_(title_on(self.page, name))
        either.first.wait_for(timeout=_screen_timeouts.get(self.page))
        raise_detour(self.page, detours)
        return locator

    @classmethod
    def detours_from_here(cls) -> Mapping[str, Detour]:
        """The detours, less this screen itself: the login page is a detour from every
        other screen, but on the login page its own heading means nothing went wrong."""
        here = getattr(cls, "heading", None)
        return {name: meaning for name, meaning in cls.detours.items() if name != here}

    def outcome(
        self,
        within: Locator | None = None,
        confirmed: Sequence[str] = (),
        refused: Sequence[str] = (),
    ) -> tuple[str | None, str | None]:
        """Wait for a confirmation or a refusal after submitting: (confirmation, refusal).

        ``confirmed`` and ``refused`` are the cabinet's own words for each (a part of the
        message is enough), shown as plain text or as a toast; a ``role=status`` or
        ``role=alert`` message counts too. On the whole page only what the last answer
        newly shows counts (``news_on``): a form that always shows «доступны после 3
        числа месяца» as a warning is not refused until the cabinet says it again.
        OrderUnconfirmed when neither comes: the cabinet may have taken the order, so it
        must not be placed again by itself.
        """
        if within is None:
            return self._outcome_on_page(confirmed, refused)
        status = within.get_by_role("status")
        alert = within.get_by_role("alert")
        said = text_on(within, confirmed)
        denied = text_on(within, refused)
        yes = status if said is None else status.or_(said)
        no = alert if denied is None else alert.or_(denied)
        try:
            self.expect(yes.or_(no))
        except PlaywrightTimeout:
            raise OrderUnconfirmed(
                f"the cabinet showed neither a confirmation nor a refusal: {page_text(self.page)}"
            ) from None
        shown = _squeeze(yes.first.inner_text()) if yes.count() else None
        refusal = _squeeze(no.first.inner_text()) if no.count() else None
        return shown, refusal

    def _outcome_on_page(
        self, confirmed: Sequence[str], refused: Sequence[str]
    ) -> tuple[str | None, str | None]:
        detours = self.detours_from_here()
        raise_detour(self.page, detours)
        try:
            found = self.page.wait_for_function(
                _SAID_JS,
                arg={
                    "before": list(_shown_before.get(self.page, ())),
                    "yes": [fold(t) for t in confirmed],
                    "no": [fold(t) for t in refused],
                    "detours": [fold(title_shown(self.page, t)) for t in detours],
                },
                timeout=_screen_timeouts.get(self.page),
            ).json_value()
        except PlaywrightTimeout:
            raise_detour(self.page, detours)
            raise OrderUnconfirmed(
                f"the cabinet showed neither a confirmation nor a refusal: {page_text(self.page)}"
            ) from None
        raise_detour(self.page, detours)
        kind, text = found
        return (text, None) if kind == "yes" else (None, text)

    def file_or_page(self, action: Callable[[], None]) -> Fetched | None:
        """Run ``action`` (a click asking for a file): the file, or None when the cabinet
        answered with a page or a screen instead (a refusal, an error page: read it next,
        e.g. with ``news``).

        The answer's Content-Disposition tells the two apart, so a refusal is seen at
        once instead of after a download timeout. When the answer was a file but no
        download started, the click is made again: Chromium drops a download a page's
        script starts from a Blob now and then (about one in ten in a row of them), and
        a file asked for twice is the same file.
        """
        for _ in range(_DOWNLOAD_TRIES - 1):
            with contextlib.suppress(_DownloadDropped):
                return self._file_or_page_once(action, _DROPPED_AFTER_MS)
        return self._file_or_page_once(action, _screen_timeouts.get(self.page))

    def _file_or_page_once(
        self, action: Callable[[], None], download_timeout: float | None
    ) -> Fetched | None:
        answered = False
        try:
            # Awaited from before the click: the event may come before the answer is seen.
            with self.page.expect_download(timeout=download_timeout) as download:
                mark = self.page.locator("body").element_handle()
                _shown_before[self.page] = _lines(self.page)
                with self.page.expect_response(_is_answer) as answer:
                    action()
                answered = True
                disposition = answer.value.headers.get("content-disposition", "")
                if "attachment" not in disposition.lower():
                    _await_screen(self.page, mark, answer.value)
                    raise _NoFile  # leaving the block with it stops waiting for a download
            file = download.value
        except _NoFile:
            return None
        except PlaywrightTimeout:
            if answered and download_timeout == _DROPPED_AFTER_MS:
                raise _DownloadDropped from None
            raise
        return Fetched(file.path().read_bytes(), file.suggested_filename, file.url)

    def settle(self, confirmed: Sequence[str] = (), refused: Sequence[str] = ()) -> str:
        """After sending a form: the confirmation, or OrderRefused with the cabinet's words
        (``outcome``)."""
        status, alert = self.outcome(confirmed=confirmed, refused=refused)
        if alert:
            raise OrderRefused(alert)
        return status or ""

    def table_rows(self, table: Locator) -> list[tuple[dict[str, str], Locator]]:
        """Each body row of ``table`` as {column header: cell text}, with the row itself."""
        table.wait_for()
        return rows_of(table)

    def table_with(self, *headers: str) -> Locator:
        """The table with these column headers (``table_on``)."""
        return table_on(self.page, headers)

    def options(self, select: Locator) -> list[tuple[str, str]]:
        """(value, text) of every option of a select."""
        # <option> has no role Playwright can query inside a closed <select>: by tag.
        found = select.locator("option")
        return [
            (found.nth(i).get_attribute("value") or "", found.nth(i).inner_text().strip())
            for i in range(found.count())
        ]


# ``Screen.file_or_page``: a file's answer came, its download did not start within this
# long (a file being prepared takes longer only on the last try, with the screen timeout).
_DOWNLOAD_TRIES = 3
_DROPPED_AFTER_MS = 15_000


class _NoFile(Exception):
    """The answer to a click asking for a file was a page or a screen."""


class _DownloadDropped(Exception):
    """The answer to a click was a file, but the browser started no download of it."""


def raise_detour(page: Page, detours: Mapping[str, Detour], scope: Scope | None = None) -> None:
    """Raise the meaning of the detour shown on ``page`` (in ``scope``, a frame of it, if
    given), if any: one query when none shows (every step asks this, and each title
    found by its text costs a pass over the page)."""
    titles = {name: title_on(scope or page, name) for name in detours}
    if not titles:
        return
    shown = functools.reduce(Locator.or_, titles.values())
    if not shown.count():
        return
    for name, title in titles.items():
        if title.count():
            raise detours[name](page)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


# -- answers: a page load or a single-page app's fetch -------------------------------------

# The visible lines of each page before its last answer (``news_on``).
_shown_before: WeakKeyDictionary[Page, tuple[str, ...]] = WeakKeyDictionary()
# What a request that answers an action is: the page itself, or a script's fetch.
_ANSWERS = ("document", "fetch", "xhr")


def _is_answer(response: Response) -> bool:
    """The final answer to an action: a page or a script's request, not a redirect."""
    return response.request.resource_type in _ANSWERS and not 300 <= response.status < 400


def _lines(page: Page) -> tuple[str, ...]:
    text = page.locator("body").inner_text()
    return tuple(line for line in (_squeeze(raw) for raw in text.splitlines()) if line)


def _await_screen(page: Page, mark: ElementHandle | None, response: Response) -> None:
    """Wait until the answer ``response`` shows: an HTML answer (a page, or a screen a
    single-page app swaps in) replaces the element ``mark``; a JSON answer is applied in
    place by the page's script, so its response is all there is to wait for."""
    html = "html" in response.headers.get("content-type", "")
    if mark is not None and (html or response.request.resource_type == "document"):
        # An error: its page is gone, a new one was loaded.
        with contextlib.suppress(PlaywrightError):
            mark.wait_for_element_state("hidden")
    page.wait_for_load_state()


def answer_to(page: Page, control: Locator, act: Callable[[Locator], object] | None = None) -> None:
    """Act on ``control`` (click it by default: it sends a form, follows a link or
    chooses in a drop-down that sends itself) and wait for the cabinet's answer.

    The answer is the page or the script's request the action makes (``fetch``/XHR,
    redirects followed). A single-page app is assumed to swap in the screen it was
    answered with (as pjax and Turbo do), so the answer shows when ``control`` is gone
    from the page; a JSON answer is applied in place and shows with its response.
    ``news_on`` then tells what the answer says that the screen before did not.
    """
    mark = control.element_handle()
    _shown_before[page] = _lines(page)
    with page.expect_response(_is_answer) as answered:
        (act or Locator.click)(control)
    _await_screen(page, mark, answered.value)


def news_on(page: Page) -> str:
    """The lines of text the page shows now that it did not before its last answer
    (``answer_to``), squeezed and joined: a toast, a refusal written as plain text. A
    line shown once before and twice now (a warning the refusal repeats) is news."""
    before = Counter(_shown_before.get(page, ()))
    new = []
    for line in _lines(page):
        if before[line]:
            before[line] -= 1
        else:
            new.append(line)
    return " ".join(new)


# A page's newest confirmation or refusal (``Screen.outcome``): a role=status or
# role=alert message, a line new since the last answer holding one of the cabinet's
# words, or a detour's title (the page object raises its meaning).
_SAID_JS = r"""({before, yes, no, detours}) => {
  const fold = s => s.toLowerCase().replaceAll("ё", "е").replace(/\s+/g, " ").trim();
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  for (const [role, kind] of [["status", "yes"], ["alert", "no"]]) {
    for (const e of document.querySelectorAll(`[role=${role}]`)) {
      const text = e.innerText.replace(/\s+/g, " ").trim();
      if (text && shown(e)) return [kind, text];
    }
  }
  const left = new Map();
  for (const line of before) left.set(line, (left.get(line) || 0) + 1);
  const lines = document.body.innerText.split("\n").map(l => l.replace(/\s+/g, " ").trim());
  for (const line of lines.filter(Boolean)) {
    const seen = left.get(line) || 0;
    if (seen) { left.set(line, seen - 1); continue; }
    const folded = fold(line);
    if (no.some(t => folded.includes(t))) return ["no", line];
    if (yes.some(t => folded.includes(t))) return ["yes", line];
    if (detours.some(t => folded.replace(/[\s:*]+$/, "") === t)) return ["detour", line];
  }
  return null;
}"""


S = TypeVar("S", bound=Screen)


def arrive_at(page: Page, *expected: type[S]) -> S:
    """Wait for the first of ``expected`` (or a detour) to show; return its screen object."""
    detours = expected[0].detours
    headings = [screen.heading_on(page) for screen in expected]
    headings += [title_on(page, name) for name in detours]
    either = headings[0]
    for other in headings[1:]:
        either = either.or_(other)
    either.first.wait_for(timeout=_screen_timeouts.get(page))
    present = [screen for screen in expected if screen.heading_on(page).count()]
    if len(present) == 1:
        return _arrived_at(page, present[0])
    # A title may also show as a kicker or a breadcrumb on another screen («ВИРТУАЛЬНЫЙ
    # МЕНЕДЖЕР» above «Вход в Виртуальный менеджер»): a screen whose title is the page's
    # heading wins, else the first expected.
    for screen in present:
        if page.get_by_role("heading", name=words(title_shown(page, screen.heading))).count():
            return _arrived_at(page, screen)
    if present:
        return _arrived_at(page, present[0])
    raise_detour(page, detours)
    heading = page.get_by_role("heading")
    shown = heading.first.inner_text() if heading.count() else page.title()
    titles = " or ".join(as_configured(s.heading, title_shown(page, s.heading)) for s in expected)
    expected_titles = tuple(screen.heading for screen in expected)
    raise ScreenNotShown(f"expected {titles}, got {shown!r}", expected_titles, shown)


def _arrived_at(page: Page, screen: type[S]) -> S:
    _arrived[page] = screen
    return screen(page)


# -- tolerant primitives ------------------------------------------------------------------
#
# Real cabinets are legacy server-rendered pages (titles in bold cells, labels in the
# neighbouring cell, links and <input type=button> as buttons, no ARIA) or single-page
# apps (custom drop-downs, toasts without roles, JavaScript downloads). These find what a
# person reads by its words, whatever element carries them.

Scope = Page | Frame | Locator

# Elements a title is written in; one holding a link or a button is a control's place
# (a menu item, a cell with a link), never a screen's title.
# The site's own header (a brand, the product's name) is chrome: only a heading there is
# a title.
_TITLE = (
    "h1, h2, h3, h4, h5, h6, :is(b, strong, th, td, caption, legend, p, div, span, font, "
    "center, em, li, dt, dd):not(header *, [role=banner] *)"
)
_IN_CONTROL = "a, button, input[type=button], input[type=submit]"
# What a person types into or chooses in (a custom drop-down's opener is found beside).
_INPUT = (
    "input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset]), "
    "select, textarea, [role=combobox], [role=listbox], [role=textbox]"
)
_INPUT_X = (
    "self::input[not(@type='hidden' or @type='button' or @type='submit')] or self::select "
    "or self::textarea or @role='combobox' or @role='listbox' or @role='textbox'"
)
# A caption written beside its field: in the cell before it, or just before it.
CAPTION = "td, th, span, div, p, b, strong, font, label, dt, legend"
_BESIDE = f"xpath=following-sibling::*[1][{_INPUT_X}] | following-sibling::*[1]//*[{_INPUT_X}]"
MONTHS = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip


def fold(text: str) -> str:
    """``text`` as compared: case, «ё», white space and a trailing «:» or «*» aside."""
    return " ".join(text.casefold().replace("ё", "е").split()).rstrip(":* ").rstrip()


def words(text: str, *, whole: bool = True) -> re.Pattern[str]:
    """A pattern Playwright matches as ``fold`` compares: the whole text, or within it.
    It keeps the text's own letters, so an error can name what was looked for."""
    parts = []
    for char in " ".join(text.split()).rstrip(":* ").rstrip():
        if char in "еёЕЁ":
            parts.append("[её]")
        elif char.isspace():
            parts.append(r"\s+")
        elif char == "/":  # Playwright writes the pattern between slashes
            parts.append(r"\/")
        else:
            parts.append(re.escape(char))
    body = "".join(parts)
    return re.compile(rf"^\s*{body}[\s:*]*$" if whole else body, re.IGNORECASE)


def title_on(scope: Scope, title: str) -> Locator:
    """Where ``title`` shows as a whole text (a heading, a bold cell, plain text), never
    as a link, a button or a label."""
    shown = title_shown(scope, title)
    found = scope.locator(_TITLE, has_text=words(shown))
    found = found.filter(has_not=scope.locator(_IN_CONTROL))
    return found.filter(visible=True).first.describe(f"the title {as_configured(title, shown)}")


# The roles a control a person clicks may have: found by them, it is found "exactly", as
# an accessible page names it (``page_objects.finding`` tells the survey which rule found it).
_ControlRole = Literal["button", "link", "tab", "radio", "menuitem", "menuitemradio", "treeitem"]
_CONTROL_ROLES: tuple[_ControlRole, ...] = get_args(_ControlRole)


def control_rules(scope: Scope, named: re.Pattern[str]) -> list[tuple[str, Locator]]:
    """How ``control_on`` finds a control named ``named``, as (rule, locator): its role and
    accessible name first, then what legacy pages give instead."""
    rules = [(f"role {role}", scope.get_by_role(role, name=named)) for role in _CONTROL_ROLES]
    return [
        *rules,
        ("an image's alt text", scope.get_by_alt_text(named)),
        ("a title attribute", scope.get_by_title(named)),
        # A link without href, a cell that reacts to clicks: no role, only their text.
        (
            "the text of a link without href or of a clickable element",
            scope.locator("a, [onclick]", has_text=named),
        ),
    ]


def field_rules(scope: Scope, named: re.Pattern[str]) -> list[tuple[str, Locator]]:
    """How ``field_on`` finds a field labelled ``named``, as (rule, locator): its label
    first, then captions written beside it."""
    captions = scope.locator(CAPTION, has_text=named)
    in_next_cell = captions.locator("xpath=parent::td/following-sibling::td[1]").locator(_INPUT)
    return [
        ("its label", scope.get_by_label(named)),
        ("its placeholder", scope.get_by_placeholder(named)),
        ("a caption just before it", captions.locator(_BESIDE)),
        ("a caption in the cell before it", in_next_cell),
        ("a caption in its own cell", captions.locator(_INPUT)),  # «Номер: <input>»
    ]


def either_of(rules: Sequence[tuple[str, Locator]]) -> Locator:
    """What any of ``rules`` finds, as one locator."""
    found = rules[0][1]
    for _, locator in rules[1:]:
        found = found.or_(locator)
    return found


def control_on(scope: Scope, name: str) -> Locator:
    """The control a person clicks by ``name``: a button, a link, ``<input type=button>``,
    an image or icon by its alt or title, ``role=button``, a tab, a radio button or a
    menu item (``control_rules``)."""
    shown = label_shown(scope, name)
    found = either_of(control_rules(scope, words(shown)))
    found = found.filter(visible=True).first.describe(f"the control {as_configured(name, shown)}")
    return _healed(scope, name, "control", found)


def field_on(scope: Scope, label: str) -> Locator:
    """The field a person fills by ``label``: its <label>, the text beside it (the
    preceding cell or element), its placeholder or its aria name (``field_rules``)."""
    shown = label_shown(scope, label)
    found = either_of(field_rules(scope, words(shown)))
    return found.filter(visible=True).first.describe(f"the field {as_configured(label, shown)}")


def opener_on(scope: Scope, label: str) -> Locator:
    """A choice by ``label``: its field, else what is written just after the caption
    (a custom drop-down's opener)."""
    caption = words(label_shown(scope, label))
    beside = scope.locator(CAPTION, has_text=caption).locator("xpath=following-sibling::*[1]")
    field = field_on(scope, label)
    return field if field.count() else beside.filter(visible=True).first


def offered(choice: Locator) -> list[str]:
    """The texts a choice offers: a native select's options, a custom drop-down's items."""
    if _tag(choice) == "select":
        return [_squeeze(t) for t in choice.locator("option").all_inner_texts()]
    items = _items_of(choice)
    texts = [_squeeze(t) for t in items.all_inner_texts()]
    choice.page.keyboard.press("Escape")
    return texts


def choose_on(choice: Locator, text: str) -> bool:
    """Choose ``text`` (compared as ``fold`` does) in a native select, an ARIA
    combobox/listbox or a custom drop-down; False when it is not offered."""
    if _tag(choice) == "select":
        texts = [fold(t) for t in choice.locator("option").all_inner_texts()]
        if fold(text) not in texts:
            return False
        choice.select_option(index=texts.index(fold(text)))
        return True
    items = _items_of(choice)
    wanted = items.filter(has_text=words(text))
    if not wanted.count():
        choice.page.keyboard.press("Escape")
        return False
    wanted.last.click()
    return True


def _items_of(opener: Locator) -> Locator:
    """Open a drop-down; its items as they show: the list it controls, else a list
    beside it, else any list of options in the page (it may sit anywhere)."""
    page = opener.page
    listbox_id = opener.get_attribute("aria-controls")
    opener.click()
    if listbox_id:
        items = page.locator(f"[id='{listbox_id}']").locator("[role=option], li")
    else:
        beside = opener.locator("xpath=..").locator("[role=option], li").filter(visible=True)
        items = (
            beside
            if beside.count()
            else page.locator("[role=option], [role=listbox] li, ul li, ol li")
        )
    items = items.filter(visible=True)
    items.first.wait_for()
    return items


def chosen_on(choice: Locator) -> str:
    """The text a choice shows as chosen: a native select's selected option, a custom
    drop-down's opener."""
    if _tag(choice) == "select":
        return _squeeze(str(choice.evaluate("s => s.selectedOptions[0]?.text || ''")))
    return _squeeze(choice.inner_text())


def _tag(element: Locator) -> str:
    return str(element.evaluate("e => e.tagName.toLowerCase()"))


def text_on(scope: Scope, texts: Sequence[str]) -> Locator | None:
    """Where any of ``texts`` shows (each within a longer text too); None for none."""
    found: Locator | None = None
    for text in texts:
        one = scope.get_by_text(words(text, whole=False))
        found = one if found is None else found.or_(one)
    return None if found is None else found.filter(visible=True)


def month_text(period: Period) -> str:
    """A month as cabinets write it: «Октябрь 2026»."""
    return f"{MONTHS[period.month - 1]} {period.year}"


def month_of(text: str) -> Period | None:
    """The month a text like «Октябрь 2026» names, or None."""
    match = re.fullmatch(r"(\w+)\s+(\d{4})(?:\s*г\.?)?", fold(text))
    folded = [fold(m) for m in MONTHS]
    if not match or match[1] not in folded:
        return None
    return Period(year=int(match[2]), month=folded.index(match[1]) + 1)


# Date formats a field may show, tried in this order: «26-01-2019», «26.01.2019»,
# «26/01/2019», ISO.
_DATES = (
    (re.compile(r"\d{2}-\d{2}-\d{4}"), "%d-%m-%Y"),
    (re.compile(r"\d{2}\.\d{2}\.\d{4}"), "%d.%m.%Y"),
    (re.compile(r"\d{2}/\d{2}/\d{4}"), "%d/%m/%Y"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"),
)
_MONTH = re.compile(rf"(?:{'|'.join(MONTHS)})\s+\d{{4}}", re.IGNORECASE)


def _as_shown(day: dt.date, sample: str) -> str:
    """``day`` written the way ``sample`` (a field's value or placeholder) writes dates:
    a month («Сентябрь 2020») or a date in its format (ISO when it shows none)."""
    if _MONTH.search(sample):
        return month_text(Period.of(day))
    form = next((form for pattern, form in _DATES if pattern.search(sample)), "%Y-%m-%d")
    return day.strftime(form)


def _sample(field: Locator) -> str:
    return (field.input_value() or field.get_attribute("placeholder") or "").strip()


def period_into(
    scope: Scope, caption: str, start: dt.date, end: dt.date, parts: Sequence[str] = ()
) -> tuple[str, str]:
    """Enter the period ``start``..``end`` and read it back as the page shows it.

    Where the page has a field for each end (labelled ``parts``, e.g. «Начало периода»,
    «Конец периода»: date inputs, selects of months, drop-downs), each is filled or
    chosen. Otherwise the period is one range picker captioned ``caption`` showing both
    ends, e.g. «26-01-2019 → 26-02-2019» or «Сентябрь 2020 - Сентябрь 2020»: the period
    is typed in the picker's own format and separator. UnexpectedScreen when the page
    does not show the period typed (the picker refused or changed it).
    """
    if parts and field_on(scope, parts[0]).count():
        shown = []
        for label, day in zip(parts, (start, end), strict=True):
            shown.append(_one_end(field_on(scope, label), opener_on(scope, label), day))
        return shown[0], shown[1]
    field = field_on(scope, caption)
    sample = _sample(field)
    ends = [m.group() for m in (_MONTH.finditer(sample) if _MONTH.search(sample) else ())]
    ends = ends or [m.group() for p, _ in _DATES for m in p.finditer(sample)][:2]
    between = sample.split(ends[0], 1)[1].split(ends[1], 1)[0] if len(ends) == 2 else " → "
    wanted = (_as_shown(start, sample), _as_shown(end, sample))
    field.fill(f"{wanted[0]}{between}{wanted[1]}")
    field.blur()  # a picker takes what was typed when it is left
    back = _squeeze(field.input_value())
    if back != _squeeze(f"{wanted[0]}{between}{wanted[1]}"):
        raise UnexpectedScreen(f"the period «{caption}» shows {back!r}, not {wanted!r}")
    return wanted


def _one_end(field: Locator, opener: Locator, day: dt.date) -> str:
    """One end of a period in its own field: a date input, a text field, a choice."""
    if field.count() and _tag(field) == "input":
        if field.get_attribute("type") == "date":
            field.fill(day.isoformat())
        else:
            field.fill(_as_shown(day, _sample(field)))
        return field.input_value()
    text = month_text(Period.of(day))
    if not choose_on(opener, text):
        raise UnexpectedScreen(f"the period offers no {text}")
    return chosen_on(opener)


def table_on(page: Page, headers: Sequence[str]) -> Locator:
    """The innermost table with every one of ``headers`` in a header cell or in its first
    row, in the page or in one of its frames; of several, the first with rows below its
    headers (legacy pages draw the headers as a table of their own)."""
    frames = [page.main_frame, *[f for f in page.frames if f != page.main_frame]]
    chosen: Locator | None = None
    for frame in frames:
        table = frame.locator("table:not(:has(table))")
        for header in headers:
            table = table.filter(has=frame.locator("th, td", has_text=words(header)))
        if chosen is None:
            chosen = table.first
        with_rows = table.filter(has=frame.locator("tr").nth(1))
        if with_rows.count():
            return with_rows.first
        if table.count():
            return table.first
    assert chosen is not None
    return chosen


def rows_of(table: Locator) -> list[tuple[dict[str, str], Locator]]:
    """Each body row of ``table`` as {header: cell text}, with the row. The headers are
    the <th> row, else the first row."""
    cells = table.evaluate(
        """t => Array.from(t.rows).map(r => Array.from(r.cells).map(
            c => [c.tagName === 'TH', c.innerText.replace(/\\s+/g, ' ').trim()]))"""
    )
    rows = table.locator("xpath=./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    head = next((i for i, row in enumerate(cells) if row and all(th for th, _ in row)), 0)
    headers = [text for _, text in cells[head]] if cells else []
    return [
        (dict(zip(headers, (text for _, text in row), strict=False)), rows.nth(i))
        for i, row in enumerate(cells)
        if i != head and row
    ]


def all_rows(
    page: Page, headers: Sequence[str], next_page: str | None = None, pages: int = 100
) -> list[tuple[dict[str, str], Locator]]:
    """The rows of the table with ``headers`` on every page, turned with the control
    named ``next_page`` until it is gone or disabled. A row's locator is good until the
    next page shows."""
    found: list[tuple[dict[str, str], Locator]] = []
    for _ in range(pages):
        table = table_on(page, headers)
        table.wait_for()
        rows = rows_of(table)
        found += rows
        if next_page is None:
            break
        turn = control_on(page, next_page)
        if (
            not turn.count()
            or not turn.is_enabled()
            or turn.get_attribute("aria-disabled") == "true"
        ):
            break
        before = table.text_content() or ""
        turn.click()
        expect(table_on(page, headers)).not_to_have_text(before)
    return found


def file_from(page: Page, action: Callable[[], None]) -> Fetched:
    """Run ``action`` and take the file it gives: a response with Content-Disposition, a
    JavaScript (Blob) download or a new tab that downloads."""
    tabs: list[Page] = []

    def opened(tab: Page) -> None:
        tabs.append(tab)

    page.context.on("page", opened)
    try:
        with page.expect_download() as started:
            action()
    except PlaywrightTimeout:
        if not tabs:
            raise
        with tabs[-1].expect_download() as started:
            pass
    finally:
        page.context.remove_listener("page", opened)
    download = started.value
    return Fetched(download.path().read_bytes(), download.suggested_filename, download.url)


def screen_timeout(page: Page) -> float | None:
    """How long ``arrive``/``expect`` wait for a screen on ``page`` (ms; None: the page's
    default timeout), for screen objects that wait in a frame of their own."""
    return _screen_timeouts.get(page)


def tick_on(scope: Scope, text: str) -> Locator:
    """The radio button or checkbox a person ticks by ``text``: its label, else the text
    written right after it (legacy pages: ``<input type="radio"> PDF``) (``tick_rules``)."""
    shown = label_shown(scope, text)
    found = either_of(tick_rules(scope, shown))
    return found.first.describe(f"the choice {as_configured(text, shown)}")


def tick_rules(scope: Scope, shown: str) -> list[tuple[str, Locator]]:
    """How ``tick_on`` finds a box ticked by the text ``shown``, as (rule, locator)."""
    named = words(shown)
    # A box without a label has no name: the text node just after it is what a person reads.
    box = "(@type='radio' or @type='checkbox')"
    beside = f"normalize-space(following-sibling::node()[1])={_xpath_literal(_squeeze(shown))}"
    return [
        ("role radio", scope.get_by_role("radio", name=named)),
        ("role checkbox", scope.get_by_role("checkbox", name=named)),
        ("the text just after it", scope.locator(f"xpath=//input[{box} and {beside}]")),
    ]


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in text.split("'")) + ")"
