"""Markup changes a cabinet can be told to make to its pages, to prove that the robot
depends only on what a person sees (headings, labels, button and link names, roles),
never on ids, classes or nesting, and to rehearse a cabinet renaming a button; and the
style of markup a cabinet serves (``semantic``, ``legacy``, ``spa``).

A markup spec is one string, the same on the command line (``cabinet-robot sandbox up
--markup SPEC``), in Python (``Sandbox(..., markup=SPEC)``,
``RunningCabinet.set_markup(SPEC)``) and in ``POST /_sandbox/markup`` (the body)::

    restyle,seed=5
    rename=Далее=>Продолжить
    rename=Далее=>Продолжить;Войти=>Вход,rename=Счета=>Счета и оплата
    restyle,seed=5,rename=Далее=>Продолжить
    semantic
    legacy,rename=Далее=>Продолжить

Grammar (white space around items, keys and texts is ignored)::

    SPEC   := "" | "none" | ITEM ("," ITEM)*
    ITEM   := STYLE | "restyle" | "seed=" INTEGER | "rename=" PAIR (";" PAIR)*
    STYLE  := "semantic" | "legacy" | "spa"
    PAIR   := OLD "=>" NEW

Each item at most once, except ``rename``:

- a style: the kind of markup the cabinet's pages are written in. Each cabinet serves
  the markup of its era unless told otherwise (``Cabinet.era``): ``legacy`` (SIP, MTS:
  server-rendered tables, titles as bold text, labels as text beside their fields, links
  and ``<input type=button>`` as buttons, no ARIA) or ``spa`` (Kcell, A1: client-side
  screens, custom drop-downs, toasts, JavaScript downloads); ``semantic`` is accessible
  markup (headings, ``<label for>``, roles), which every cabinet also has. A cabinet
  refuses a style it does not have. A spec that names no style keeps the style the
  cabinet serves now, so ``rename=…`` on a cabinet started as ``semantic`` stays
  semantic.

- ``restyle``: every ``id`` and ``class`` in the HTML is replaced by a name derived from
  the seed (``for``, ``form``, ``list``, ``headers``, the ``aria-*`` id references and
  ``href="#id"`` follow, so labels still point at their inputs); the cabinet's own
  stylesheets (``<link rel="stylesheet" href="/static/...">``, and ``<style>`` elements)
  have their ``.class`` and ``#id`` selectors rewritten the same way, so the pages look
  the same; form fields, buttons, tables and lists get one or two extra wrapper
  ``<div>``s (a field inside a paragraph or label: the paragraph or label is wrapped).
  Texts, roles, labels, headings, form field names and values, ``data-*`` attributes and
  behaviour stay as they are. Scripts must therefore find their elements by ``data-*``
  attributes, never by id or class. Attribute selectors on ids or classes
  (``[class~=x]``) and ids or classes named inside scripts are not rewritten.
- ``seed=N``: the seed of ``restyle`` (0 by default; only together with ``restyle``).
  The same seed gives the same names and the same wrappers for the same page.
- ``rename=OLD=>NEW``: wherever a piece of visible text is exactly ``OLD`` (a text node,
  surrounding white space aside, e.g. a button's name, a heading, a label, a link, an
  option, a status message), it reads ``NEW``; so do the ``aria-label``, ``title``,
  ``placeholder`` and ``alt`` attributes equal to ``OLD``, the ``value`` of a nameless
  ``<input type=button|submit|reset>`` (its visible name), and string values equal to
  ``OLD`` in the cabinet's JSON answers (a status a script shows). Form field names and
  values are untouched, so the server understands the form as before. Several renames go
  in one item separated by ``;`` or in several ``rename=`` items. A new item starts only
  at a comma followed by ``restyle``, ``seed=`` or ``rename=``: any other comma belongs to
  the text, so texts may contain commas (but not ``;`` or ``=>``). Text inside a longer
  text node is not renamed.

An empty spec (or ``none``) leaves every answer exactly as the cabinet made it (in the
style it serves now). The
``/_sandbox/*`` endpoints and downloads are never changed.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import threading
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "STYLES",
    "MarkupSetting",
    "MarkupSpec",
    "restyle_css",
    "restyled_name",
    "rewrite_html",
    "rewrite_json",
]

_ITEM_START = re.compile(
    r",(?=\s*(?:(?:restyle|semantic|legacy|spa)\s*(?:,|$)|seed\s*=|rename\s*=))"
)
_ARROW = "=>"
STYLES = ("semantic", "legacy", "spa")


def _normal(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class MarkupSpec:
    """Parsed markup changes; the default changes nothing."""

    restyle: bool = False
    seed: int = 0
    renames: tuple[tuple[str, str], ...] = ()  # (old, new), white space normalised
    style: str | None = None  # one of STYLES; None: the style served now is kept

    @property
    def empty(self) -> bool:
        """Whether pages are served exactly as the cabinet renders them (in its style)."""
        return not self.restyle and not self.renames

    @classmethod
    def parse(cls, text: str) -> MarkupSpec:
        """Parse a spec (see the module docstring); empty or ``none`` is no change.

        Raises:
            ValueError: an unknown item, a repeated item or a bad value, named.
        """
        text = text.strip()
        if text in ("", "none"):
            return cls()
        restyle = False
        seed: int | None = None
        style: str | None = None
        renames: dict[str, str] = {}
        for raw_item in _ITEM_START.split(text):
            item = raw_item.strip()
            key, sep, value = item.partition("=")
            key = key.strip()
            if key in STYLES and not sep:
                if style is not None:
                    raise ValueError(f"markup names two styles: {style!r} and {key!r}")
                style = key
            elif key == "restyle" and not sep:
                if restyle:
                    raise ValueError("markup 'restyle' given twice")
                restyle = True
            elif key == "seed" and sep:
                if seed is not None:
                    raise ValueError("markup 'seed' given twice")
                try:
                    seed = int(value.strip())
                except ValueError:
                    raise ValueError(f"bad value for markup seed: {value.strip()!r}") from None
            elif key == "rename" and sep:
                for old, new in _pairs(value):
                    if old in renames:
                        raise ValueError(f"markup renames {old!r} twice")
                    renames[old] = new
            else:
                raise ValueError(
                    f"unknown markup item {item!r}: use {', '.join(STYLES)}, restyle, "
                    "seed=N, rename=OLD=>NEW"
                )
        if seed is not None and not restyle:
            raise ValueError("markup 'seed' needs 'restyle'")
        return cls(restyle, seed or 0, tuple(renames.items()), style)

    def __str__(self) -> str:
        parts = [self.style] if self.style else []
        if self.restyle:
            parts.append("restyle")
            if self.seed:
                parts.append(f"seed={self.seed}")
        if self.renames:
            parts.append("rename=" + ";".join(f"{old}{_ARROW}{new}" for old, new in self.renames))
        return ",".join(parts)


def _pairs(value: str) -> list[tuple[str, str]]:
    pairs = []
    for raw in value.split(";"):
        old, arrow, new = raw.partition(_ARROW)
        old, new = _normal(old), _normal(new)
        if not arrow or _ARROW in new:
            raise ValueError(f"markup rename {raw.strip()!r} must be OLD=>NEW")
        if not old or not new:
            raise ValueError(f"markup rename {raw.strip()!r} needs both texts")
        pairs.append((old, new))
    return pairs


class MarkupSetting:
    """The markup one cabinet serves now; thread-safe and changeable at runtime.

    Args:
        spec: the initial markup.
        era: the style served when no spec names one.
        styles: the styles the cabinet has (``era`` and ``semantic`` by default).
        cabinet: the cabinet's name, for errors.
    """

    def __init__(
        self,
        spec: MarkupSpec | str = "",
        *,
        era: str = "semantic",
        styles: tuple[str, ...] = (),
        cabinet: str = "the cabinet",
    ) -> None:
        self._lock = threading.Lock()
        self._cabinet = cabinet
        self._styles = tuple(dict.fromkeys(styles or ("semantic", era)))
        self._spec = MarkupSpec(style=era)
        self.set(spec)

    def set(self, spec: MarkupSpec | str) -> MarkupSpec:
        """Replace the markup (a spec string is parsed); a spec naming no style keeps the
        style served now.

        Raises:
            ValueError: the spec string is malformed, or names a style the cabinet has not.
        """
        parsed = MarkupSpec.parse(spec) if isinstance(spec, str) else spec
        if parsed.style is not None and parsed.style not in self._styles:
            raise ValueError(
                f"{self._cabinet} has no {parsed.style} markup: use {' or '.join(self._styles)}"
            )
        with self._lock:
            if parsed.style is None:
                parsed = replace(parsed, style=self._spec.style)
            self._spec = parsed
        return parsed

    @property
    def style(self) -> str:
        """The style the pages are written in now."""
        return self.spec.style or "semantic"

    @property
    def spec(self) -> MarkupSpec:
        with self._lock:
            return self._spec


# -- names -----------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def restyled_name(seed: int, name: str) -> str:
    """The name ``name`` (an id or a class) gets under ``restyle`` with ``seed``.

    A letter and nine hex digits, e.g. ``q3f09a1c2e``: never an original name, the same
    for the same seed, different for another seed.
    """
    digest = hashlib.blake2b(f"{seed}\0{name}".encode(), digest_size=8).hexdigest()
    return _LETTERS[int(digest[:2], 16) % 26] + digest[2:11]


# -- HTML ------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_VOID = _words("area base br col embed hr img input link meta param source track wbr")
_RAW_TEXT = frozenset({"script", "style"})
_IDREF = frozenset(
    {"for", "form", "list", "aria-activedescendant", "aria-details", "aria-errormessage"}
)
_IDREFS = frozenset(
    {
        "headers",
        "aria-controls",
        "aria-describedby",
        "aria-flowto",
        "aria-labelledby",
        "aria-owns",
    }
)
_NAMING_ATTRS = frozenset({"aria-label", "title", "placeholder", "alt"})
_WRAPPED = _words("table fieldset select textarea button input ul ol dl")
# Elements whose content is phrasing only: a wrapper <div> goes around them instead.
_PHRASING = _words(
    "p label span a button legend h1 h2 h3 h4 h5 h6 strong em b i small code abbr q "
    "cite sub sup mark output summary"
)
# Where a <div> may not stand: nothing is wrapped there.
_NO_DIV = _words("html head table thead tbody tfoot tr colgroup select datalist optgroup ul ol")


@dataclass
class _Text:
    raw: str  # as in the source (character references unexpanded)


@dataclass
class _Raw:
    raw: str  # a comment, a declaration or a stray end tag, kept verbatim


@dataclass
class _Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    start: str  # the start tag as written
    parent: _Element | None
    children: list[_Text | _Raw | _Element] = field(default_factory=list)
    end: str = ""  # the end tag ("" for a void or unclosed element)
    changed: bool = False
    wrappers: int = 0

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the page that can be written back as it was."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = _Element("#document", [], "", None)
        self.stack = [self.root]

    @property
    def current(self) -> _Element:
        return self.stack[-1]

    def _append(self, node: _Text | _Raw | _Element) -> None:
        children = self.current.children
        if isinstance(node, _Text) and children and isinstance(children[-1], _Text):
            children[-1].raw += node.raw
        else:
            children.append(node)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, attrs, self.get_starttag_text() or "", self.current)
        self._append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._append(_Element(tag, attrs, self.get_starttag_text() or "", self.current))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                self.stack[index].end = f"</{tag}>"
                del self.stack[index:]
                return
        self._append(_Raw(f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self._append(_Text(data))

    def handle_entityref(self, name: str) -> None:
        self._append(_Text(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._append(_Text(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self._append(_Raw(f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self._append(_Raw(f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self._append(_Raw(f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self._append(_Raw(f"<![{data}]>"))


def rewrite_html(page: str, spec: MarkupSpec) -> str:
    """``page`` with ``spec``'s changes (unchanged when the spec is empty)."""
    if spec.empty:
        return page
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    root = builder.root
    renames = dict(spec.renames)
    rng = random.Random(spec.seed)
    for element in _elements(root):
        if renames:
            _rename_in(element, renames)
        if spec.restyle:
            _restyle(element, spec.seed)
            target = _wrap_point(element)
            if target is not None and not target.wrappers:
                target.wrappers = 1 + rng.randrange(2)
    out: list[str] = []
    _write(root, spec, out)
    return "".join(out)


def _elements(root: _Element) -> list[_Element]:
    """Every element in document order."""
    found: list[_Element] = []
    todo = [root]
    while todo:
        element = todo.pop()
        found.append(element)
        todo.extend(reversed([c for c in element.children if isinstance(c, _Element)]))
    return found[1:]


def _rename_in(element: _Element, renames: dict[str, str]) -> None:
    # A textarea's text and a value-less option's text are what the form sends.
    sends_text = element.tag == "textarea" or (
        element.tag == "option" and element.attr("value") is None
    )
    if element.tag not in _RAW_TEXT and not sends_text:
        for index, child in enumerate(element.children):
            if isinstance(child, _Text):
                new = renames.get(_normal(html.unescape(child.raw)))
                if new is not None:
                    lead = child.raw[: len(child.raw) - len(child.raw.lstrip())]
                    trail = child.raw[len(child.raw.rstrip()) :]
                    element.children[index] = _Text(lead + html.escape(new, quote=False) + trail)
    # An <input type=button|submit> is named by its value (not sent: it has no name).
    named_by_value = element.tag == "input" and element.attr("name") is None
    named_by_value &= (element.attr("type") or "").lower() in ("button", "submit", "reset")
    for index, (name, value) in enumerate(element.attrs):
        if (name in _NAMING_ATTRS or (named_by_value and name == "value")) and value is not None:
            new = renames.get(_normal(value))
            if new is not None:
                element.attrs[index] = (name, new)
                element.changed = True


def _restyle(element: _Element, seed: int) -> None:
    def one(value: str) -> str:
        return restyled_name(seed, value)

    def many(value: str) -> str:
        return " ".join(one(token) for token in value.split())

    for index, (name, value) in enumerate(element.attrs):
        if value is None or not value.strip():
            continue
        if name in ("id", *_IDREF):
            new = one(value.strip())
        elif name == "class" or name in _IDREFS:
            new = many(value)
        elif name in ("href", "usemap") and value.startswith("#") and len(value) > 1:
            new = "#" + one(value[1:])
        else:
            continue
        element.attrs[index] = (name, new)
        element.changed = True
    if element.tag == "link" and "stylesheet" in (element.attr("rel") or "").split():
        for index, (name, value) in enumerate(element.attrs):
            if name == "href" and value and value.startswith("/static/") and "?" not in value:
                # A URL of its own: a browser never takes the plain sheet from its cache.
                element.attrs[index] = (name, f"{value}?restyle={seed}")
                element.changed = True


def _wrap_point(element: _Element) -> _Element | None:
    """The element to wrap in a <div> for ``element`` (a field, button, table, list)."""
    if element.tag not in _WRAPPED:
        return None
    if element.tag == "input" and (element.attr("type") or "").lower() == "hidden":
        return None
    node = element
    while node.parent is not None and node.parent.tag in _PHRASING:
        node = node.parent
    parent = node.parent
    if parent is None or parent.tag == "#document" or parent.tag in _NO_DIV:
        return None
    return node


def _write(element: _Element, spec: MarkupSpec, out: list[str]) -> None:
    for child in element.children:
        if isinstance(child, _Element):
            _write_element(child, spec, out)
        else:
            out.append(child.raw)


def _write_element(element: _Element, spec: MarkupSpec, out: list[str]) -> None:
    for level in range(element.wrappers):
        name = restyled_name(spec.seed, f"wrapper:{element.tag}:{level}")
        out.append(f'<div class="{name}">')
    out.append(_start_tag(element) if element.changed else element.start)
    if element.tag == "style" and spec.restyle:
        css = "".join(c.raw for c in element.children if not isinstance(c, _Element))
        out.append(restyle_css(css, spec.seed))
    else:
        _write(element, spec, out)
    out.append(element.end)
    out.append("</div>" * element.wrappers)


def _start_tag(element: _Element) -> str:
    parts = [element.tag]
    for name, value in element.attrs:
        parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
    return f"<{' '.join(parts)}>"


# -- CSS -------------------------------------------------------------------------------------

_CSS_PRELUDE = re.compile(r"([^{};]*)\{")
_CSS_SELECTOR_PART = re.compile(
    r"\"[^\"]*\"|'[^']*'|\[[^\]]*\]|(?P<sign>[.#])(?P<name>-?[_a-zA-Z][_a-zA-Z0-9-]*)"
)


def restyle_css(css: str, seed: int) -> str:
    """``css`` with every ``.class`` and ``#id`` in its selectors renamed as ``restyle`` does.

    Declarations (colours such as ``#fff``, URLs) and at-rule preludes are left alone, so
    are attribute selectors (``[class~=x]``).
    """

    def selector_part(match: re.Match[str]) -> str:
        if match.group("name") is None:
            return match.group(0)
        return match.group("sign") + restyled_name(seed, match.group("name"))

    def prelude(match: re.Match[str]) -> str:
        text = match.group(1)
        if text.lstrip().startswith("@"):
            return match.group(0)
        return _CSS_SELECTOR_PART.sub(selector_part, text) + "{"

    return _CSS_PRELUDE.sub(prelude, css)


# -- JSON ------------------------------------------------------------------------------------


def rewrite_json(body: bytes, spec: MarkupSpec) -> bytes:
    """A JSON answer with string values renamed as ``spec`` says (as is if none matched)."""
    if not spec.renames:
        return body
    try:
        value = json.loads(body)
    except ValueError:
        return body
    renames = dict(spec.renames)
    changed = False

    def walk(item: Any) -> Any:
        nonlocal changed
        if isinstance(item, str):
            new = renames.get(_normal(item))
            if new is not None:
                changed = True
                return new
            return item
        if isinstance(item, list):
            return [walk(x) for x in item]
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        return item

    renamed = walk(value)
    if not changed:
        return body
    return json.dumps(renamed, ensure_ascii=False, separators=(",", ":")).encode()
