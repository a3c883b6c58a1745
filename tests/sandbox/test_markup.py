"""Markup changes (``sandbox.cabinets.markup``): restyled pages keep every visible text,
label and role but no id or class of the normal page; renamed texts replace the old
ones everywhere while the forms keep working; an empty spec changes nothing. Read on
the SIP cabinet's semantic markup (its legacy markup: ``test_sip_legacy``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from robots.domain import Operator
from sandbox.cabinets.markup import MarkupSpec, restyle_css, restyled_name, rewrite_html
from sandbox.mailserver import MailServer
from sandbox.stack import Sandbox
from sandbox.world import accounts_of

if TYPE_CHECKING:
    from tests.sandbox.conftest import CabinetClient, Page

pytestmark = pytest.mark.integration

ACCOUNT = accounts_of(Operator.SIP)[0].id
# The screens the robot walks through, after logging in (path, query).
SCREENS: list[tuple[str, dict[str, str]]] = [
    ("/menu", {}),
    ("/info", {}),
    ("/bills", {}),
    ("/bills/email", {}),
    ("/bills/email/period", {"account": ACCOUNT}),
    ("/bills/link", {}),
    ("/bills/delivery/current", {"account": ACCOUNT}),
    ("/bills/delivery/method", {"account": ACCOUNT}),
    ("/bills/delivery/address", {"account": ACCOUNT}),
    ("/bills/details", {}),
    ("/bills/details/subscribers", {"period": "2026-11", "kind": "pdf"}),
    ("/bills/charges", {}),
]


# -- reading markup ------------------------------------------------------------------------


@dataclass
class Markup:
    """The ids, classes, id references and structure of one HTML page."""

    ids: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    label_targets: dict[str, str] = field(default_factory=dict)  # label text -> field name
    form_targets: dict[str, str] = field(default_factory=dict)  # button text -> form action
    divs: int = 0
    stylesheets: list[str] = field(default_factory=list)


class _MarkupReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markup = Markup()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.labels: list[tuple[str, list[str]]] = []  # (for, text parts)
        self.buttons: list[tuple[str, list[str]]] = []  # (form, text parts)
        self.open_label: list[str] | None = None
        self.open_button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.markup.ids.add(str(a["id"]))
            self.by_id[str(a["id"])] = {**a, "tag": tag}
        self.markup.classes.update(str(a.get("class") or "").split())
        self.markup.divs += tag == "div"
        if tag == "link" and a.get("rel") == "stylesheet":
            self.markup.stylesheets.append(str(a["href"]))
        if tag == "label" and a.get("for"):
            self.open_label = []
            self.labels.append((str(a["for"]), self.open_label))
        if tag == "button" and a.get("form"):
            self.open_button = []
            self.buttons.append((str(a["form"]), self.open_button))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_label = None
        if tag == "button":
            self.open_button = None

    def handle_data(self, data: str) -> None:
        for parts in (self.open_label, self.open_button):
            if parts is not None:
                parts.append(data)

    def result(self) -> Markup:
        for target, parts in self.labels:
            field_ = self.by_id[target]  # KeyError: a label pointing at nothing
            self.markup.label_targets[" ".join("".join(parts).split())] = str(field_["name"])
        for target, parts in self.buttons:
            form = self.by_id[target]
            assert form["tag"] == "form"
            self.markup.form_targets[" ".join("".join(parts).split())] = str(form["action"])
        return self.markup


def read_markup(page: str) -> Markup:
    reader = _MarkupReader()
    reader.feed(page)
    reader.close()
    return reader.result()


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', page)


def fetch(client: CabinetClient, path: str, params: dict[str, str]) -> tuple[Page, str]:
    """The page as the tests' reader sees it and its HTML."""
    response = client.http.get(path, params=params or None)
    assert response.status_code == 200, (path, response.status_code)
    page = client.open(path, **params)
    return page, response.text


def same_reading(normal: Page, changed: Page) -> None:
    """Everything a person (and the robot) reads is the same."""
    assert changed.text == normal.text
    assert changed.h1 == normal.h1
    assert changed.buttons == normal.buttons
    assert changed.labels == normal.labels
    assert changed.links == normal.links
    assert changed.alerts == normal.alerts
    assert changed.statuses == normal.statuses
    assert changed.options == normal.options
    assert [(i.get("name"), i.get("type"), i.get("value")) for i in changed.inputs] == [
        (i.get("name"), i.get("type"), i.get("value")) for i in normal.inputs
    ]


# -- the spec ------------------------------------------------------------------------------


def test_spec_parses_and_prints_back() -> None:
    spec = MarkupSpec.parse("restyle, seed=5,rename=Далее=>Продолжить;Войти => Вход")
    assert spec == MarkupSpec(True, 5, (("Далее", "Продолжить"), ("Войти", "Вход")))
    assert MarkupSpec.parse(str(spec)) == spec
    assert str(spec) == "restyle,seed=5,rename=Далее=>Продолжить;Войти=>Вход"
    assert MarkupSpec.parse("") == MarkupSpec.parse(" none ") == MarkupSpec()
    assert MarkupSpec().empty and str(MarkupSpec()) == ""
    assert MarkupSpec.parse("restyle") == MarkupSpec(restyle=True)
    several = MarkupSpec.parse("rename=A=>B,rename=C=>D")
    assert several.renames == (("A", "B"), ("C", "D"))
    # A comma not followed by an item belongs to the text.
    comma = MarkupSpec.parse("rename=Выберите месяц, за который желаете получить счет:=>Месяц:")
    assert comma.renames == (("Выберите месяц, за который желаете получить счет:", "Месяц:"),)
    assert MarkupSpec.parse(str(comma)) == comma
    styled = MarkupSpec.parse("spa, rename=Далее=>Продолжить")
    assert (styled.style, styled.renames, str(styled)) == (
        "spa",
        (("Далее", "Продолжить"),),
        "spa,rename=Далее=>Продолжить",
    )
    assert MarkupSpec.parse("semantic").empty  # a style alone rewrites nothing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("restyle,restyle", "'restyle' given twice"),
        ("restyle,seed=1,seed=2", "'seed' given twice"),
        ("restyle,seed=x", "bad value for markup seed: 'x'"),
        ("seed=3", "'seed' needs 'restyle'"),
        ("bold", "unknown markup item 'bold'"),
        ("legacy,spa", "names two styles: 'legacy' and 'spa'"),
        ("restyle=1", "unknown markup item 'restyle=1'"),
        ("rename=Далее", "must be OLD=>NEW"),
        ("rename==>Вход", "needs both texts"),
        ("rename=Далее=>", "needs both texts"),
        ("rename=A=>B;A=>C", "renames 'A' twice"),
    ],
)
def test_bad_specs_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        MarkupSpec.parse(text)


def test_restyled_names_depend_on_the_seed_only() -> None:
    assert restyled_name(5, "field") == restyled_name(5, "field") != "field"
    assert restyled_name(5, "field") != restyled_name(6, "field")
    assert restyled_name(5, "field") != restyled_name(5, "fields")
    assert re.fullmatch(r"[a-z][0-9a-f]{9}", restyled_name(0, "x"))


def test_rewrite_html_keeps_references_and_values() -> None:
    page = (
        '<main><p class="a b"><label for="x">Имя &amp; фамилия</label>'
        '<input id="x" name="x" value="Далее" aria-describedby="h1 h2"></p>'
        '<option>Далее</option><textarea name="t">Далее</textarea>'
        '<a href="#x" title="Далее">Далее</a><script>var s = "Далее";</script></main>'
    )
    spec = MarkupSpec.parse("restyle,seed=1,rename=Далее=>Дальше;Имя & фамилия=>ФИО")
    out = rewrite_html(page, spec)
    x, h1, h2 = (restyled_name(1, n) for n in ("x", "h1", "h2"))
    assert f'<label for="{x}">ФИО</label>' in out
    assert f'id="{x}" name="x" value="Далее" aria-describedby="{h1} {h2}"' in out
    assert "<option>Далее</option>" in out  # its text is its value
    assert '<textarea name="t">Далее</textarea>' in out
    assert f'<a href="#{x}" title="Дальше">Дальше</a>' in out
    assert '<script>var s = "Далее";</script>' in out
    assert f'class="{restyled_name(1, "a")} {restyled_name(1, "b")}"' in out
    assert re.match(r'<main><div class="\w+">(<div class="\w+">)?<p ', out)  # wrapped
    assert re.search(r'<div class="\w+">(<div class="\w+">)?<textarea ', out)
    assert rewrite_html(page, MarkupSpec()) is page


def test_restyle_css_changes_selectors_only() -> None:
    css = (
        ".a, p.b > #c { color: #fff; background: url(x.png); }\n"
        '@media (max-width: 600px) { .a[title="x.y"] { margin: 0.5em; } }\n'
    )
    a, b, c = (restyled_name(2, n) for n in "abc")
    assert restyle_css(css, 2) == (
        f".{a}, p.{b} > #{c} {{ color: #fff; background: url(x.png); }}\n"
        f'@media (max-width: 600px) {{ .{a}[title="x.y"] {{ margin: 0.5em; }} }}\n'
    )


# -- a running cabinet ---------------------------------------------------------------------


def test_restyled_pages_read_the_same_with_other_ids_classes_and_nesting(
    sandbox: Sandbox, sip: CabinetClient
) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # its ids, labels and roles
    cabinet = sandbox.cabinet("sip")
    login_normal, login_html = fetch(sip, "/login", {})
    cabinet.set_markup("restyle,seed=5")
    login_restyled, login_restyled_html = fetch(sip, "/login", {})
    pages = [(login_normal, login_html, login_restyled, login_restyled_html)]
    sip.login()
    for path, params in SCREENS:
        cabinet.set_markup("")
        normal, normal_html = fetch(sip, path, params)
        cabinet.set_markup("restyle,seed=5")
        restyled, restyled_html = fetch(sip, path, params)
        pages.append((normal, normal_html, restyled, restyled_html))
    normal_names: set[str] = set()
    for normal, normal_html, restyled, restyled_html in pages:
        same_reading(normal, restyled)
        before, after = read_markup(normal_html), read_markup(restyled_html)
        assert before.classes, normal.url
        assert not (before.ids | before.classes) & (after.ids | after.classes), normal.url
        assert after.ids == {restyled_name(5, i) for i in before.ids}
        assert after.label_targets == before.label_targets, normal.url  # labels still work
        assert after.form_targets == before.form_targets, normal.url  # so do form="..."
        assert after.divs > before.divs, normal.url
        normal_names |= before.ids | before.classes
    assert {"account", "password", "step", "field", "buttons", "grid"} <= normal_names


def test_the_stylesheet_follows_the_restyle(sandbox: Sandbox, sip: CabinetClient) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # its ids, labels and roles
    normal_html = sip.http.get("/login").text
    sandbox.cabinet("sip").set_markup("restyle,seed=9")
    restyled_html = sip.http.get("/login").text
    (normal_href,) = read_markup(normal_html).stylesheets
    (restyled_href,) = read_markup(restyled_html).stylesheets
    assert (normal_href, restyled_href) == ("/static/sip.css", "/static/sip.css?restyle=9")
    normal_css = sip.http.get(normal_href).text
    restyled = sip.http.get(restyled_href)
    assert restyled.headers["content-type"].startswith("text/css")
    assert "etag" not in restyled.headers
    assert restyled.text == restyle_css(normal_css, 9)
    for name in ("site-header", "field", "buttons", "grid", "alert", "status"):
        assert f".{name}" in normal_css and f".{name}" not in restyled.text
        assert f".{restyled_name(9, name)}" in restyled.text
    assert restyled.text.count("{") == normal_css.count("{")
    assert sip.http.get(normal_href).text == normal_css  # the plain sheet stays plain


def test_the_same_seed_gives_the_same_markup_and_another_seed_another(
    sandbox: Sandbox, sip: CabinetClient
) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # its ids, labels and roles
    cabinet = sandbox.cabinet("sip")
    sip.login()
    cabinet.set_markup("restyle,seed=5")
    first = [without_csrf(sip.http.get(p, params=q or None).text) for p, q in SCREENS]
    cabinet.set_markup("restyle,seed=5")
    again = [without_csrf(sip.http.get(p, params=q or None).text) for p, q in SCREENS]
    assert first == again
    cabinet.set_markup("restyle,seed=6")
    other = sip.http.get("/bills/link").text
    ids_5 = read_markup(first[SCREENS.index(("/bills/link", {}))]).ids
    assert ids_5 and not ids_5 & read_markup(other).ids


def test_restyled_forms_and_the_maintenance_page_still_work(
    sandbox: Sandbox, sip: CabinetClient
) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # its ids, labels and roles
    cabinet = sandbox.cabinet("sip")
    cabinet.set_markup("restyle,seed=3")
    sip.invoices_take_a_while()
    assert sip.login().h1 == "Главное меню администратора"
    sip.open("/bills/link")
    job = sip.submit("/bills/link", {"account": ACCOUNT, "period": "2026-10", "format": "pdf"})
    assert job.h1 == "Загрузить счет по ссылке"
    assert job.statuses == ["Счет формируется"]
    html = sip.http.get(job.url).text
    assert "data-status-url=" in html and "data-job-link" in html  # what the script uses
    cabinet.set_faults("maintenance=sip")
    maintenance = sip.open("/menu")
    assert (maintenance.status_code, maintenance.h1) == (503, "Технические работы")
    html = sip.http.get("/menu").text
    assert 'role="alert"' in html and 'class="alert"' not in html


def test_renamed_texts_replace_the_old_ones_and_forms_keep_working(
    sandbox: Sandbox, sip: CabinetClient
) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # its ids, labels and roles
    cabinet = sandbox.cabinet("sip")
    cabinet.set_markup(
        "rename=Войти=>Вход;Лицевой счет=>Номер договора,"
        "rename=Далее=>Продолжить;Счета=>Счета и оплата;Счет формируется=>Идёт формирование"
    )
    login = sip.open("/login")
    assert login.buttons == ["Вход"] and "Войти" not in login.text
    assert login.labels[0] == "Номер договора"
    assert sip.login().h1 == "Главное меню администратора"  # the form posts as before
    menu = sip.last
    assert menu.links["Счета и оплата"] == "/bills" and "Счета" not in menu.links
    assert sip.open("/bills").h1 == "Счета и оплата"
    link = sip.open("/bills/link")
    assert "Продолжить" in link.buttons and "Далее" not in link.buttons
    assert "Для получения счета нажмите Далее" in link.text  # a longer text: not renamed
    sip.invoices_take_a_while()
    job = sip.submit("/bills/link", {"account": ACCOUNT, "period": "2026-10", "format": "pdf"})
    assert job.statuses == ["Идёт формирование"]
    status = sip.http.get(job.url + "/status").json()
    assert status == {"ready": False, "status": "Идёт формирование"}
    assert sip.status_when_ready(job.url)["status"] == "Счет сформирован"
    assert [o["kind"] for o in cabinet.orders()] == ["invoice"]


def test_an_empty_spec_serves_the_pages_exactly_as_made(
    sandbox: Sandbox, sip: CabinetClient
) -> None:
    sandbox.cabinet("sip").set_markup("semantic")  # its ids, labels and roles
    cabinet = sandbox.cabinet("sip")
    sip.login()
    before = [sip.http.get(p, params=q or None) for p, q in SCREENS]
    css = sip.http.get("/static/sip.css")
    cabinet.set_markup("restyle,seed=1,rename=Далее=>Продолжить")
    assert sip.http.get("/bills/link").text != before[SCREENS.index(("/bills/link", {}))].text
    cabinet.set_markup("")
    after = [sip.http.get(p, params=q or None) for p, q in SCREENS]
    assert [r.content for r in after] == [r.content for r in before]
    assert [r.headers.get("content-length") for r in after] == [
        r.headers.get("content-length") for r in before
    ]
    assert sip.http.get("/static/sip.css").headers["etag"] == css.headers["etag"]
    link = after[SCREENS.index(("/bills/link", {}))].text
    assert 'id="step"' in link and 'class="field"' in link and 'for="account"' in link


def test_markup_endpoint_and_sandbox_option(mail_server: MailServer, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown markup item"):
        Sandbox(tmp_path / "bad", markup="bold")
    assert not (tmp_path / "bad").exists()
    with Sandbox(tmp_path / "sb", mail_server=mail_server, markup="restyle,seed=4") as box:
        url = box.cabinet("sip").url
        # The SIP cabinet serves its era's markup: the spec names no style.
        markup = httpx.get(f"{url}_sandbox/markup").json()
        assert markup == {"markup": "legacy,restyle,seed=4"}
        answer = httpx.post(f"{url}_sandbox/markup", content="semantic,rename=Войти=>Вход")
        assert answer.json() == {"markup": "semantic,rename=Войти=>Вход"}
        assert ">Вход</button>" in httpx.get(f"{url}login").text
        refused = httpx.post(f"{url}_sandbox/markup", content="seed=1")
        assert refused.status_code == 400 and "needs 'restyle'" in refused.json()["error"]
        answer = httpx.get(f"{url}_sandbox/markup")
        assert answer.json() == {"markup": "semantic,rename=Войти=>Вход"}
        form = httpx.post(f"{url}_sandbox/markup", data={"spec": ""})
        assert form.json() == {"markup": "semantic"}  # a spec naming no style keeps it
        box.set_markup("restyle")
        assert box.cabinet("sip").cabinet.markup.spec == MarkupSpec(restyle=True, style="semantic")


def test_each_cabinet_serves_its_era_and_refuses_a_style_it_has_not(
    mail_server: MailServer, tmp_path: Path
) -> None:
    with pytest.raises(
        ValueError, match="the kcell cabinet has no legacy markup: use semantic or spa"
    ):
        Sandbox(tmp_path / "legacy", mail_server=mail_server, markup="legacy").start()
    with Sandbox(tmp_path / "sb", mail_server=mail_server) as box:
        styles = {running.cabinet.name: running.cabinet.style for running in box.cabinets}
        assert styles == {"sip": "legacy", "mts": "legacy", "kcell": "spa", "a1": "spa"}
        refused = httpx.post(f"{box.cabinet('a1').base_url}_sandbox/markup", content="legacy")
        assert refused.status_code == 400
        assert refused.json()["error"] == "the a1 cabinet has no legacy markup: use semantic or spa"
        box.set_markup("semantic")
        assert {running.cabinet.style for running in box.cabinets} == {"semantic"}


@pytest.mark.parametrize(
    ("post", "status", "said"),
    [
        # curl -d 'rename=Войти=>Вход' posts a form whose only field is "rename"
        ({"data": {"rename": "Войти=>Вход"}}, 400, "the form has no field 'spec' (it has: rename)"),
        (
            {"json": {"spec": "rename=Войти=>Вход"}},
            415,
            "cannot read a body of type application/json",
        ),
        ({"files": {"spec": ("spec.txt", b"restyle")}}, 415, "multipart/form-data"),
    ],
)
def test_a_markup_posted_in_a_way_it_cannot_read_is_refused_and_kept(
    sip: CabinetClient, sandbox: Sandbox, post: dict[str, object], status: int, said: str
) -> None:
    sandbox.cabinet("sip").set_markup("restyle,seed=4")

    answer = sip.http.post("/_sandbox/markup", **post)  # type: ignore[arg-type]

    assert answer.status_code == status
    assert said in answer.json()["error"] and "text/plain" in answer.json()["error"]
    assert sip.http.get("/_sandbox/markup").json() == {"markup": "legacy,restyle,seed=4"}
    assert sip.http.post("/_sandbox/markup", data={"spec": ""}).json() == {"markup": "legacy"}
