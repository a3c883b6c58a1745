"""Scrubbing a recording: one placeholder per value, in every form it takes, and a scan
that finds what scrubbing missed, inside zips and encoded bodies too."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import quote_plus

from robots.scenarios.har import scrub_har
from robots.scenarios.record import find_secrets
from robots.scenarios.scrub import Scrubber

PASSWORD = "Pa&ss wörd+1"
ACCOUNT = "277012345678"


def test_phone_numbers_keep_their_shape_and_get_one_stand_in_everywhere() -> None:
    scrubber = Scrubber(secrets=[], phones=["79161234567"], not_phones=[ACCOUNT])
    text = scrubber.text(
        "+7 916 123-45-67 | 79161234567 | number=9161234567 | +375 29 123-45-67 | "
        f"SIM 8937501375291234567 | account {ACCOUNT} | 2026-10-15 | 1795512766567"
    )
    assert text == (
        "+7 916 000-00-01 | 79160000001 | number=9160000001 | +375 29 000-00-02 | "
        f"SIM 8937501375290000002 | account {ACCOUNT} | 2026-10-15 | 1795512766567"
    )
    assert scrubber.text("9161234567") == "9160000001"  # a login by phone number


def test_emails_secrets_tokens_and_cookies_in_every_encoding() -> None:
    scrubber = Scrubber(secrets=[PASSWORD, "123456"])
    scrubber.learn_tokens_in_html('<input type="hidden" name="csrf_token" value="Tok3n-abcdef12">')
    scrubber.learn_tokens_in_html('<div data-vm data-csrf-token="Other-t0ken-99"></div>')
    scrubber.learn_cookie("S3ss10n-value-xyz")
    scrubber.learn_cookie("ru")  # not random-looking: a language, kept
    form = (
        "password=Pa%26ss+w%C3%B6rd%2B1&code=123456&account=1123456789"
        "&email=Robot.One%40Example.com&csrf_token=Tok3n-abcdef12"
    )
    assert scrubber.text(form) == (
        "password=SCRUBBED-SECRET-1&code=SCRUBBED-SECRET-2&account=1123456789"
        "&email=scrubbed-1%40example.invalid&csrf_token=SCRUBBED-TOKEN-1"
    )
    page = '<p>robot.one@example.com</p><div data-csrf-token="Other-t0ken-99">'
    assert (
        scrubber.text(page)
        == '<p>scrubbed-1@example.invalid</p><div data-csrf-token="SCRUBBED-TOKEN-2">'
    )
    assert scrubber.text('{"v":"Pa&ss w\\u00f6rd+1"}') == '{"v":"SCRUBBED-SECRET-1"}'
    assert scrubber.text("Cookie: sid=S3ss10n-value-xyz; lang=ru") == (
        "Cookie: sid=SCRUBBED-COOKIE-1; lang=ru"
    )


def har_of(*entries: dict[str, object]) -> dict[str, object]:
    return {"log": {"pages": [], "entries": list(entries)}}


def entry(
    url: str, body: bytes, mime: str, *, post: str = "", attachment: bool = False
) -> dict[str, object]:
    headers = [{"name": "content-type", "value": mime}]
    if attachment:
        headers.append({"name": "content-disposition", "value": 'attachment; filename="f"'})
    content = {"mimeType": mime, "text": base64.b64encode(body).decode(), "encoding": "base64"}
    return {
        "request": {
            "method": "POST" if post else "GET",
            "url": url,
            "headers": [{"name": "Cookie", "value": "SID=Zx9-session-cookie"}],
            "cookies": [{"name": "SID", "value": "Zx9-session-cookie"}],
            "postData": {"mimeType": "application/x-www-form-urlencoded", "text": post},
        },
        "response": {"status": 200, "headers": headers, "cookies": [], "content": content},
    }


def workbook(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", text)
    return out.getvalue()


def test_a_har_is_scrubbed_in_urls_forms_pages_and_workbooks_and_documents_withheld() -> None:
    har = har_of(
        entry("http://cab/login", b"<p>ok</p>", "text/html",
              post=f"password={PASSWORD}&n=79161234567"),
        entry("http://cab/export?n=79161234567", workbook("<t>375291234567</t>"),
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              attachment=True),
        entry("http://cab/invoice.pdf", b"%PDF-1.4 \x00\xff 79161234567", "application/pdf",
              attachment=True),
    )  # fmt: skip
    scrub_har(har, Scrubber(secrets=[PASSWORD]))

    text = json.dumps(har)
    assert "79161234567" not in text and "Zx9-session-cookie" not in text
    login, export, pdf = har["log"]["entries"]  # type: ignore[index]
    assert login["request"]["postData"]["text"] == "password=SCRUBBED-SECRET-1&n=79160000001"
    assert export["request"]["url"] == "http://cab/export?n=79160000001"
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(export["response"]["content"]["text"]))) as x:
        assert x.read("xl/sharedStrings.xml") == b"<t>375290000002</t>"
    assert pdf["response"]["content"]["text"].startswith("Withheld from the scenario")


def test_the_scan_finds_a_secret_in_a_zip_and_in_an_encoded_body(tmp_path: Path) -> None:
    (tmp_path / "scenario.json").write_text("{}", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "trace.zip", "w", zipfile.ZIP_DEFLATED) as trace:
        trace.writestr("1-trace.trace", json.dumps({"value": PASSWORD}))
    har = har_of(entry("http://cab/", f"<p>{PASSWORD}</p>".encode(), "text/html"))
    (tmp_path / "recording.har").write_text(json.dumps(har), encoding="utf-8")

    found = find_secrets(tmp_path, {PASSWORD: "the password"})

    assert found == [
        "the password in recording.har: http://cab/",
        "the password in trace.zip:1-trace.trace",
    ]
    assert PASSWORD not in " ".join(found)


def test_a_long_random_cookie_without_a_digit_is_scrubbed_too() -> None:
    scrubber = Scrubber(secrets=[])
    scrubber.learn_cookie("kJqWbXzTmRvNpLsYhGdFcAeUoIyTrEwQ")  # token_urlsafe, no digit
    scrubber.learn_cookie("accepted")  # a consent flag: not a credential
    text = scrubber.text("sid=kJqWbXzTmRvNpLsYhGdFcAeUoIyTrEwQ; consent=accepted")
    assert text == "sid=SCRUBBED-COOKIE-1; consent=accepted"


def test_evidence_keeps_contacts_and_loses_credentials() -> None:
    scrubber = Scrubber(secrets=[PASSWORD], contacts=False)
    scrubber.learn_token("q1w2e3r4t5y6u7i8")
    text = scrubber.text(f"robot@example.com +7 916 123-45-67 {PASSWORD} csrf=q1w2e3r4t5y6u7i8")
    assert text == "robot@example.com +7 916 123-45-67 SCRUBBED-SECRET-1 csrf=SCRUBBED-TOKEN-1"


SELECTION = (
    "<table><thead><tr><th>Тип</th><th>Абонентский номер</th><th>Папка</th><th>ФИО</th>"
    "</tr></thead><tbody><tr><td>GSM</td><td>79161234567</td><td>277012345678</td>"
    "<td>Иванов Иван Иванович</td></tr><tr><td>GSM</td><td>375291234567</td><td>1</td>"
    "<td>Абонент 1</td></tr></tbody></table>"
)


def test_names_listed_with_numbers_get_one_pseudonym_of_as_many_words_everywhere() -> None:
    scrubber = Scrubber(secrets=[], not_phones=[ACCOUNT])
    scrubber.learn_names(SELECTION)
    scrubber.learn_names(json.dumps({"rows": [{"number": "79161234568", "name": "Петрова Анна"}]}))
    scrubber.learn_names(json.dumps({"name": "ТОО «Кабинет»", "bin": "123456789012"}))  # no phone

    assert scrubber.text(SELECTION) == SELECTION.replace("79161234567", "79160000001").replace(
        "375291234567", "375290000002"
    ).replace("Иванов Иван Иванович", "Фамилия1 Имя1 Отчество1").replace(
        "Абонент 1", "Фамилия2 Имя2"
    )
    answer = json.dumps({"name": "Петрова Анна"})  # \u-escaped, as a JSON answer is
    assert scrubber.text(answer) == json.dumps({"name": "Фамилия3 Имя3"})
    # In a form or a URL, the pseudonym is encoded as the name was.
    assert scrubber.text(f"n={quote_plus('Петрова Анна')}") == f"n={quote_plus('Фамилия3 Имя3')}"
    # A full name with a patronymic is a name wherever it stands; a company is not.
    assert scrubber.text("Здравствуйте, Сидоров Павел Андреевич! ТОО «Кабинет»") == (
        "Здравствуйте, Фамилия4 Имя4 Отчество4! ТОО «Кабинет»"
    )


def test_evidence_with_masking_shows_numbers_and_names_masked_and_keeps_addresses() -> None:
    scrubber = Scrubber([PASSWORD], ["9161234567"], contacts=False, mask_people=True)
    scrubber.learn_names(SELECTION)
    text = scrubber.text(f"{SELECTION} login 9161234567 robot@example.com {PASSWORD}")
    assert "Иванов" not in text and "Абонент 1" not in text and "91612345" not in text
    assert "<td>7916*****67</td>" in text and "<td>И*** И*** И***</td>" in text
    assert "<td>37529*****67</td>" in text and "<td>А*** 1***</td>" in text
    assert text.endswith("login 916*****67 robot@example.com SCRUBBED-SECRET-1")
    assert scrubber.text("+7 916 123-45-67") == "+7 916 ***-**-67"
