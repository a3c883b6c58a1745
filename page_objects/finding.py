"""How the robot finds what it uses on a screen: exactly, tolerantly (by which rule), or not.

The survey reports it for each control of each screen, so that a person reading about a
cabinet seen for the first time knows how much the robot relies on its tolerance:

- **exact**: by its role and accessible name, or a field by its ``<label>``, as an
  accessible page names it;
- **tolerant**: by one of the rules for pages without that (an image's alt text, the
  text of a clickable cell, a caption in the cell before a field, …), named;
- **own locator**: not by its word, but by the page object's own rule for it (a table
  by its headers, a list);
- **healed**: not by its word, but by the one close text healing took for it
  (``page_objects.healing``);
- **not found**.

A control is described as the page objects name it for the canary (``Controls``): its
kind and the manual's word, e.g. "button «Далее»", "field «Лицевой счет»", "choice
«Формат»"; the word is looked up as the cabinet's configuration says it shows
(``label_shown``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from playwright.sync_api import Locator, Page

from page_objects.base import (
    CAPTION,
    Scope,
    control_rules,
    field_rules,
    label_shown,
    tick_rules,
    title_on,
    title_shown,
    words,
)
from page_objects.healing import MARGIN, candidates_for, heals_on, similarity

_DESCRIBED = re.compile(r"^(?P<kind>[^«]+?)\s*«(?P<word>[^»]+)»")
# The rules by which a page says what a control or field is, as an accessible page does.
_EXACT_RULES = re.compile(r"^(role |its label$)")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class How(StrEnum):
    EXACT = "exact"
    TOLERANT = "tolerant"
    OWN = "own locator"
    HEALED = "healed"
    MISSING = "not found"


@dataclass(frozen=True)
class Finding:
    """How one control or title was found: ``how``, by which ``rule``, looked for as
    ``shown`` (the manual's word, or what the configuration says the cabinet shows)."""

    how: How
    rule: str
    word: str
    shown: str

    @property
    def found(self) -> bool:
        return self.how is not How.MISSING


def described(description: str) -> tuple[str, str] | None:
    """(kind, word) of a control's description, e.g. ("button", "Далее")."""
    match = _DESCRIBED.match(description)
    return (match["kind"].strip(), match["word"]) if match else None


Rules = list[tuple[str, Locator]]


def _control(scope: Scope, shown: str) -> Rules:
    return control_rules(scope, words(shown))


def _field(scope: Scope, shown: str) -> Rules:
    return field_rules(scope, words(shown))


def _choice(scope: Scope, shown: str) -> Rules:
    """A choice is a field, a custom drop-down written after its caption, or a control."""
    named = words(shown)
    beside = scope.locator(CAPTION, has_text=named).locator("xpath=following-sibling::*[1]")
    return [
        *field_rules(scope, named),
        ("a caption with the drop-down just after it", beside),
        *control_rules(scope, named),
    ]


def _tick(scope: Scope, shown: str) -> Rules:
    """A radio button is ticked by its text (``tick_on``), or clicked as a control."""
    return [*tick_rules(scope, shown), *control_rules(scope, words(shown))]


_RULES_BY_KIND: dict[str, Callable[[Scope, str], Rules]] = {
    "field": _field,
    "choice": _choice,
    "radio button": _tick,
}


def finding_of(page: Page, description: str, locator: Locator) -> Finding:
    """How the control the page object found as ``locator`` is found by its word.

    The rules are tried in ``control_on``'s (``field_on``'s) order; the first that shows
    a visible element names the finding.
    """
    kind, word = described(description) or ("", description)
    shown = label_shown(page, word) if kind else word
    if kind:
        rules = _RULES_BY_KIND.get(kind, _control)(page, shown)
        for rule, found in rules:
            if found.filter(visible=True).count():
                how = How.EXACT if _EXACT_RULES.match(rule) else How.TOLERANT
                return Finding(how, rule, word, shown)
    for heal in heals_on(page):
        if heal.expected == word:
            return Finding(How.HEALED, f"from «{heal.used}» ({heal.score:.2f})", word, shown)
    if locator.first.is_visible():
        return Finding(How.OWN, "the page object's own locator", word, shown)
    return Finding(How.MISSING, "", word, shown)


def title_finding(page: Page, title: str) -> Finding:
    """How a screen's title is found: a heading (exact), or text in another element."""
    shown = title_shown(page, title)
    found = title_on(page, title)
    if not found.count():
        return Finding(How.MISSING, "", title, shown)
    tag = str(found.evaluate("e => e.tagName.toLowerCase()"))
    if tag in _HEADINGS or found.get_attribute("role") == "heading":
        return Finding(How.EXACT, f"a heading <{tag}>", title, shown)
    return Finding(How.TOLERANT, f"text in <{tag}>", title, shown)


# -- what is close, for what is not found ---------------------------------------------------

# What reads as a screen's title (``title_on``'s elements that are not controls).
_TITLES_JS = r"""(elements) => elements
  .filter(e => e.getClientRects().length > 0 && !e.closest("a, button"))
  .map(e => e.innerText.replace(/\s+/g, " ").trim())
  .filter(t => t && t.length <= 120)"""
_TITLE_ELEMENTS = "h1, h2, h3, h4, h5, h6, [role=heading], b, strong, th, caption, legend"


@dataclass(frozen=True)
class Closest:
    """A text the page shows of the kind looked for, and how close it reads (0..1,
    ``page_objects.healing.similarity``)."""

    text: str
    score: float


def closest_on(page: Page, word: str, kind: str, limit: int = 3) -> list[Closest]:
    """The texts of ``kind`` ("control", "field" or "title") the page shows, closest to
    ``word`` first (controls and fields as healing finds them)."""
    if kind in ("control", "field"):
        found = [Closest(c.text, c.score) for c in candidates_for(page, word, kind, limit)]
        return found
    texts = dict.fromkeys(str(t) for t in page.locator(_TITLE_ELEMENTS).evaluate_all(_TITLES_JS))
    scored = [Closest(text, similarity(word, text)) for text in texts]
    return sorted((c for c in scored if c.score), key=lambda c: -c.score)[:limit]


def clear_winner(closest: Sequence[Closest], threshold: float) -> Closest | None:
    """The one text close enough to take for a word, as healing decides (at least
    ``threshold``, ``MARGIN`` ahead of the next), or None."""
    if not closest or closest[0].score < threshold:
        return None
    if len(closest) > 1 and closest[0].score - closest[1].score < MARGIN:
        return None
    return closest[0]
