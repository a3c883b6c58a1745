"""Self-healing: a control the cabinet renamed, found by a close text, bounded and reported.

When healing is enabled for a page (``enable_healing``, from the configuration's
``[healing]``), a control that ``control_on`` does not find by its words within
``wait_s`` is looked for among the page's visible controls (``candidates_for``). It is
used, and recorded as a ``Heal`` with a screenshot (``heals_on``), only when:

- exactly one candidate scores at least the threshold (default 0.75), and the next best
  is at least ``MARGIN`` behind it;
- its text is none of the robot's own words for another control of this cabinet (a
  «Следующая страница» missing on a list's last page is never healed to «Предыдущая
  страница»);
- its text names no irreversible action (``IRREVERSIBLE``: blocking, deleting, ending
  service, replacing a SIM, changing a tariff, connecting or disconnecting a service…);
- the screen is no step of logging in (a ``Screen`` with ``login = True``, or a page
  showing a password field, or a candidate in a form with one);
- the operation is not barred (``barred``): the robots bar documents that cost money or
  change a subscriber, and changing a cabinet's settings.

The score (``similarity``) compares words, not letters, so that a changed word is a
different control however alike it is spelled («Загрузить в PDF» / «Загрузить в Excel»:
0.67, «Следующая страница» / «Предыдущая страница»: 0.5) while a word's ending, «ё», case
and punctuation do not count («Сформировать детализации»: 0.95): both texts are folded as
``fold`` does and split into words; each word of the robot's text is paired with the most
alike unpaired word of the candidate (``difflib.SequenceMatcher`` ratio, counted when at
least ``WORD_ALIKE``); the score is twice the sum of the paired ratios over the number of
words of both texts (a Dice coefficient). One word added to a two-word name scores 0.8.

Only controls are healed. A field is also how page objects ask whether a screen has one
(a custom drop-down has no field; a period is one field or two), so a heal there would
answer that question wrongly: ``candidates_for(..., "field")`` lists the close captions
for a person (the survey) and nothing uses them by itself.

Healing off (the default) costs nothing: no Playwright call is added. Healing on costs one
call per control looked for (a wait that returns at once when it shows), and ``wait_s``
for a control the page legitimately lacks (a list's last page has no next-page arrow).
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from weakref import WeakKeyDictionary, WeakSet

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from page_objects.base import (
    Scope,
    arrived_screen,
    control_on,
    field_on,
    fold,
    label_shown,
    set_healer,
)

log = logging.getLogger(__name__)

KINDS = ("control", "field")
MARGIN = 0.1  # how far the best candidate must be ahead of the next one
WORD_ALIKE = 0.75  # two words are the same word in another form («счет» / «счета»: 0.89)
# Irreversible actions the cabinets' manuals show (blocking a number, deleting a secret
# code, ending service, replacing a SIM, changing a tariff or a number, connecting or
# disconnecting a service, registering a payment, forwarding calls, «Да, уверен»),
# as folded stems found anywhere in a candidate's text. A candidate with one is never
# healed onto, however close.
IRREVERSIBLE = (
    "блокир",  # Блокировка, Заблокировать, Разблокировать
    "удал",  # Удалить, Удаление
    "прекращ",  # Прекращение обслуживания
    "расторж",
    "замен",  # Замена SIM, Замена Sim-карты
    "тариф",  # Смена тарифа, Изменить тариф
    "смен",  # Смена номера, Смена пароля
    "отключ",  # Отключить, Отключение услуг
    "подключ",  # Подключить (a paid service)
    "активац",
    "переимен",
    "переадрес",
    "запрет",
    "секретн",  # Отправить / Удалить секретный код
    "парол",
    "оплат",  # Регистрация оплаты
    "аннулир",
    "сброс",
    "уверен",  # «Да, уверен»: the confirmation of a blocking
)
_MAX_TEXT = 120  # longer texts are paragraphs that happen to react to clicks

# What a person clicks (``control_on``'s kinds) and what a person fills (``field_on``'s).
_CONTROLS = (
    "button, a, input[type=button], input[type=submit], input[type=image], [onclick], "
    "[role=button], [role=link], [role=tab], [role=radio], [role=menuitem], "
    "[role=menuitemradio], [role=treeitem]"
)
_FIELDS = (
    "input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset])"
    ":not([type=image]):not([type=radio]):not([type=checkbox]), "
    "select, textarea, [role=combobox], [role=listbox], [role=textbox]"
)
# Each visible element's texts (a control: its name; a field: its label, placeholder,
# aria name, the caption before it or in its cell), whether it is in a form with a
# password field, and whether the document shows a password field at all.
_TEXTS_JS = r"""(elements, kind) => {
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const squeeze = s => (s || "").replace(/\s+/g, " ").trim();
  const own = e => squeeze(Array.from(e.childNodes)
    .filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(" "));
  const named = e => {
    if (e.tagName === "INPUT") return [e.value || e.alt || e.getAttribute("aria-label")];
    const img = e.querySelector("img[alt]");
    return [e.getAttribute("aria-label") || e.innerText || e.title || (img && img.alt)];
  };
  const captions = e => {
    const found = [e.getAttribute("aria-label"), e.placeholder];
    for (const label of e.labels || []) found.push(label.innerText);
    const before = e.previousElementSibling;
    if (before) found.push(before.innerText);
    const cell = e.closest("td");
    if (cell && cell.previousElementSibling) found.push(cell.previousElementSibling.innerText);
    if (e.parentElement) found.push(own(e.parentElement));
    return found;
  };
  const password = Array.from(document.querySelectorAll("input[type=password]")).some(shown);
  const items = [];
  for (const e of elements) {
    if (!shown(e)) continue;
    const form = e.closest("form");
    const login = !!(form && form.querySelector("input[type=password]"));
    for (const text of (kind === "control" ? named(e) : captions(e)).map(squeeze)) {
      if (text) items.push([text, login]);
    }
  }
  return {password, items};
}"""


def similarity(expected: str, text: str) -> float:
    """How alike two texts are as a person reads them, 0..1 (the module's docstring)."""
    wanted, offered = _words(expected), _words(text)
    if not wanted or not offered:
        return 0.0
    paired = 0.0
    left = list(offered)
    for word in wanted:
        ratio, best = max(((_alike(word, other), other) for other in left), default=(0.0, ""))
        if ratio >= WORD_ALIKE:
            paired += ratio
            left.remove(best)
            if not left:
                break
    return round(2 * paired / (len(wanted) + len(offered)), 2)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _alike(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def irreversible(text: str) -> bool:
    """Whether ``text`` names an irreversible action (``IRREVERSIBLE``)."""
    folded = fold(text)
    return any(stem in folded for stem in IRREVERSIBLE)


@dataclass(frozen=True)
class Candidate:
    """A visible element of the kind looked for, by its text, and how close that is."""

    text: str
    score: float
    locator: Locator
    in_login_form: bool = False  # in a form with a password field


@dataclass(frozen=True)
class Heal:
    """A control used in place of the one the robot looked for, for a person to confirm."""

    screen: str  # the manual's title of the screen (else the page's title)
    kind: str  # "control"
    expected: str  # the manual's word the robot looked for
    looked_for: str  # what it looked for (the configured override of ``expected``, if any)
    used: str  # the text of the control used instead
    score: float
    url: str
    screenshot: bytes | None

    @property
    def note(self) -> str:
        """«healed: «Сформировать детализацию» → «Сформировать детализацию звонков» (0.80)»"""
        return f"healed: «{self.looked_for}» → «{self.used}» ({self.score:.2f})"

    @property
    def override(self) -> str:
        """The line of the cabinet's configuration that makes the heal unnecessary."""
        return f"labels = {{ {_toml(self.expected)} = {_toml(self.used)} }}"


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class HealingPolicy:
    """How a page heals: the least score, how long a control may take to show, and the
    robot's own words for this cabinet (folded; never a heal's target)."""

    threshold: float = 0.75
    wait_ms: float = 3000
    known: frozenset[str] = frozenset()


_policies: WeakKeyDictionary[Page, HealingPolicy] = WeakKeyDictionary()
_heals: WeakKeyDictionary[Page, list[Heal]] = WeakKeyDictionary()
_bars: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()  # why not, innermost last
_looking: WeakSet[Page] = WeakSet()  # building a candidate's locator: no healing inside


def enable_healing(page: Page, policy: HealingPolicy, known: Sequence[str] = ()) -> None:
    """Heal on ``page`` by ``policy``; ``known``: the robot's words for this cabinet (the
    manual's and the configured ones), which are never a heal's target."""
    words = policy.known | {fold(word) for word in known}
    _policies[page] = HealingPolicy(policy.threshold, policy.wait_ms, frozenset(words))
    set_healer(page, _heal_or)


def disable_healing(page: Page) -> None:
    """No healing on ``page`` (the default); the heals recorded so far stay."""
    _policies.pop(page, None)
    set_healer(page, None)


def healing_policy(page: Page) -> HealingPolicy | None:
    """The policy ``page`` heals by, or None when it does not heal."""
    return _policies.get(page)


@contextmanager
def barred(page: Page, reason: str) -> Iterator[None]:
    """No heal on ``page`` inside, because of ``reason`` (e.g. «the document costs money»)."""
    if page in _policies:
        log.debug("no control is healed now: %s", reason)
    _bars.setdefault(page, []).append(reason)
    try:
        yield
    finally:
        _bars[page].pop()


def heals_on(page: Page) -> list[Heal]:
    """The heals used on ``page`` since it was opened or last cleared, in order."""
    return list(_heals.get(page, ()))


def clear_heals(page: Page) -> None:
    """Forget the heals recorded on ``page`` (one document's, one screen's are next)."""
    _heals.pop(page, None)


def candidates_for(scope: Scope, name: str, kind: str, limit: int = 5) -> list[Candidate]:
    """The visible controls (``kind`` "control") or fields by their captions ("field") in
    ``scope`` whose text is closest to ``name`` (as the cabinet is configured to show it),
    best first, at most ``limit``; texts that share no word with it are left out."""
    candidates, _ = _candidates(scope, name, kind)
    return candidates[:limit]


def _candidates(scope: Scope, name: str, kind: str) -> tuple[list[Candidate], bool]:
    """The candidates, best first, and whether the page shows a password field."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    shown = label_shown(scope, name)
    found = scope.locator(_CONTROLS if kind == "control" else _FIELDS)
    answer = found.evaluate_all(_TEXTS_JS, kind)
    scored: dict[str, Candidate] = {}
    for text, in_login_form in answer["items"]:
        score = similarity(shown, text)
        if score <= 0 or len(text) > _MAX_TEXT or fold(text) in {fold(c) for c in scored}:
            continue
        scored[text] = Candidate(text, score, _locator(scope, text, kind), bool(in_login_form))
    ranked = sorted(scored.values(), key=lambda c: c.score, reverse=True)
    return ranked, bool(answer["password"])


def _locator(scope: Scope, text: str, kind: str) -> Locator:
    """Where ``text`` is, found as the robot finds a control or field by its words."""
    page = _page_of(scope)
    _looking.add(page)
    try:
        return control_on(scope, text) if kind == "control" else field_on(scope, text)
    finally:
        _looking.discard(page)


def _page_of(scope: Scope) -> Page:
    return scope if isinstance(scope, Page) else scope.page


def choose(
    candidates: Sequence[Candidate], name: str, policy: HealingPolicy
) -> tuple[Candidate | None, str]:
    """The one candidate a heal may use for ``name``, or None; and why (for the log)."""
    close = [c for c in candidates if c.score >= policy.threshold]
    if not close:
        if not candidates:
            return None, "nothing is close to it"
        closest = candidates[0]
        return None, f"nothing is close to it (the closest: «{closest.text}», {closest.score:.2f})"
    best = close[0]
    behind = [c for c in candidates if c is not best]
    if len(close) > 1 or (behind and best.score - behind[0].score < MARGIN):
        rival = behind[0]
        return None, f"«{best.text}» and «{rival.text}» are both close to it"
    about = f"«{best.text}» ({best.score:.2f}) is close to it, but "
    if fold(best.text) in policy.known and fold(best.text) != fold(name):
        return None, about + "it is the robot's word for another control"
    if irreversible(best.text):
        return None, about + "it names an irreversible action"
    if best.in_login_form:
        return None, about + "it is in the login form"
    return best, about


def _heal_or(scope: Scope, name: str, kind: str, found: Locator) -> Locator:
    """``found`` when it shows within the policy's wait, else the heal's locator if one
    is allowed, else ``found`` (whose action then fails as it would without healing)."""
    page = _page_of(scope)
    policy = _policies.get(page)
    screen = arrived_screen(page)
    if (
        policy is None
        or page in _looking
        or _bars.get(page)
        or (screen is not None and screen.login)
        or not _words(name)  # «+», «>»: no word to compare
    ):
        return found
    try:
        found.wait_for(state="visible", timeout=policy.wait_ms)
        return found
    except PlaywrightError:  # not there: a timeout, or the page went on
        pass
    shown = label_shown(scope, name)
    candidates, password = _candidates(scope, name, kind)
    if password:
        log.debug("«%s» not found on a page with a password field: never healed", shown)
        return found
    chosen, why = choose(candidates, shown, policy)
    if chosen is None:
        if candidates and candidates[0].score >= policy.threshold:
            log.warning("the %s «%s» is not shown, and is not healed: %s", kind, shown, why)
        return found
    heal = _record(page, screen.heading if screen else None, kind, name, shown, chosen)
    return chosen.locator.describe(f"the {kind} «{name}», {heal.note}")


def _record(
    page: Page, screen: str | None, kind: str, name: str, shown: str, chosen: Candidate
) -> Heal:
    """Keep the heal (once per page, control and text), with a screenshot, and log it."""
    done = _heals.setdefault(page, [])
    for heal in done:
        if (heal.expected, heal.used) == (name, chosen.text):
            return heal
    try:
        screenshot: bytes | None = page.screenshot(full_page=True)
    except PlaywrightError as exc:
        log.warning("no screenshot of the healed control: %s", exc)
        screenshot = None
    where = screen or page.title() or page.url
    heal = Heal(where, kind, name, shown, chosen.text, chosen.score, page.url, screenshot)
    done.append(heal)
    log.warning(
        "on «%s»: %s; the run goes on with it. If it is right, confirm it in the cabinet's "
        "configuration: %s",
        where,
        heal.note,
        heal.override,
    )
    return heal
