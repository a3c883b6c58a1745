"""A HAR recording (Playwright's, content embedded): its bodies, and scrubbing it.

Scrubbing keeps the HAR a HAR (any viewer opens it) and the scenario replayable:
every string (URLs, headers, cookies, form fields, page texts) goes through the
recording's ``Scrubber``; a workbook or other zip has its members scrubbed; a document
the cabinet hands out whose text cannot be reached (PDF, XLS) is replaced by a note,
since the robot never reads it and it is the company's data.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import zipfile
from collections.abc import Iterator
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from robots.scenarios.scrub import TOKEN_NAME, Scrubber

Entry = dict[str, Any]
_ZIP_MAGIC = b"PK\x03\x04"
_TEXT_TYPES = ("text/", "json", "javascript", "xml", "html", "x-www-form-urlencoded")


def load_har(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def save_har(har: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(har, ensure_ascii=False, indent=1), encoding="utf-8")


def entries(har: dict[str, Any]) -> list[Entry]:
    found: list[Entry] = har["log"]["entries"]
    return found


def header(headers: list[dict[str, str]], name: str) -> str | None:
    for item in headers:
        if item["name"].lower() == name:
            return item["value"]
    return None


def response_body(entry: Entry) -> bytes:
    content = entry["response"].get("content", {})
    text = content.get("text") or ""
    return base64.b64decode(text) if content.get("encoding") == "base64" else text.encode()


def set_response_body(entry: Entry, data: bytes) -> None:
    content = entry["response"].setdefault("content", {})
    content["size"] = len(data)
    try:
        content["text"] = data.decode("utf-8")
        content.pop("encoding", None)
    except UnicodeDecodeError:
        content["text"] = base64.b64encode(data).decode("ascii")
        content["encoding"] = "base64"


def is_attachment(entry: Entry) -> bool:
    disposition = header(entry["response"].get("headers", []), "content-disposition") or ""
    return disposition.lower().startswith("attachment")


def mime_type(entry: Entry) -> str:
    return str(entry["response"].get("content", {}).get("mimeType") or "")


def fill_downloads(har: dict[str, Any], downloads: list[tuple[str, bytes]]) -> None:
    """Put the files the robot downloaded into their answers: a HAR has no body for an
    answer the browser turned into a download, nor for an attachment a page's script
    fetched and saved from a Blob (its download's URL is the Blob's: it fills the first
    attachment still without a body, downloads and answers being in the same order)."""
    pending = [e for e in entries(har) if is_attachment(e) and not response_body(e)]
    for url, data in downloads:
        same = [e for e in pending if e["request"]["url"] == url]
        if not same and url.startswith("blob:"):
            same = pending[:1]
        if same:
            set_response_body(same[0], data)
            pending.remove(same[0])


# -- scrubbing ---------------------------------------------------------------------------------


def scrub_har(har: dict[str, Any], scrubber: Scrubber) -> None:
    """Scrub ``har`` in place: learn every token and cookie first, so a value is replaced
    in the pages that came before the request that carried it."""
    for entry in entries(har):
        _learn(entry, scrubber)
    for entry in entries(har):
        body = response_body(entry)
        if body:
            set_response_body(entry, scrub_body(entry, body, scrubber))
        _scrub_strings(entry, scrubber)
    har["log"]["pages"] = _scrub_value(har["log"].get("pages", []), scrubber)


def scrub_body(entry: Entry, body: bytes, scrubber: Scrubber) -> bytes:
    if body.startswith(_ZIP_MAGIC):
        return scrub_zip_bytes(body, scrubber)
    mime = mime_type(entry).lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and (any(t in mime for t in _TEXT_TYPES) or not is_attachment(entry)):
        return scrubber.text(text).encode("utf-8")
    if is_attachment(entry):
        return (
            f"Withheld from the scenario: a {mime or 'binary'} file of {len(body)} bytes whose "
            "content cannot be scrubbed; the robot does not read it.\n"
        ).encode()
    return body  # images and fonts of the cabinet's own pages


def scrub_zip_bytes(data: bytes, scrubber: Scrubber) -> bytes:
    """A zip (a workbook) with every text member scrubbed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            member = old.read(item)
            with contextlib.suppress(UnicodeDecodeError):  # a picture in a workbook stays
                member = scrubber.text(member.decode("utf-8")).encode("utf-8")
            new.writestr(item, member)
    return out.getvalue()


def _learn(entry: Entry, scrubber: Scrubber) -> None:
    request, response = entry["request"], entry["response"]
    for cookie in request.get("cookies", []) + response.get("cookies", []):
        scrubber.learn_cookie(cookie.get("value", ""))
    for name, value in _named_values(request):
        if name.lower() in ("cookie", "set-cookie"):
            for cookie_value in _cookie_values(value):
                scrubber.learn_cookie(cookie_value)
        elif name.lower() == "authorization":
            scrubber.learn_token(value.split(" ", 1)[-1])
        elif TOKEN_NAME.search(name):
            scrubber.learn_token(value)
    for name, value in _named_values(response):
        if name.lower() == "set-cookie":
            for cookie_value in _cookie_values(value):
                scrubber.learn_cookie(cookie_value)
    for text in (_post_text(request), response_body(entry).decode("utf-8", "replace")):
        scrubber.learn_text(text)
        scrubber.learn_names(text)
        scrubber.learn_tokens_in_html(text)
        with contextlib.suppress(ValueError):  # not JSON
            scrubber.learn_tokens_in_json(json.loads(text))


def _named_values(message: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Headers, query parameters and form fields of a request or response."""
    for key in ("headers", "queryString"):
        for item in message.get(key, []):
            yield item["name"], item["value"]
    post = message.get("postData") or {}
    for item in post.get("params") or []:
        yield item["name"], item.get("value", "")
    if "x-www-form-urlencoded" in (post.get("mimeType") or ""):
        yield from parse_qsl(post.get("text") or "", keep_blank_values=True)


def _cookie_values(header_value: str) -> list[str]:
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(header_value)
    except CookieError:
        return []
    return [morsel.value for morsel in cookie.values()]


def _post_text(request: dict[str, Any]) -> str:
    return str((request.get("postData") or {}).get("text") or "")


def _scrub_strings(entry: Entry, scrubber: Scrubber) -> None:
    """Every string of the entry but the response body (done already)."""
    content = entry["response"].pop("content", None)
    scrubbed = _scrub_value(entry, scrubber)
    entry.clear()
    entry.update(scrubbed)
    if content is not None:
        entry["response"]["content"] = content


def _scrub_value(value: Any, scrubber: Scrubber) -> Any:
    if isinstance(value, str):
        return scrubber.text(value)
    if isinstance(value, list):
        return [_scrub_value(item, scrubber) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_value(item, scrubber) for key, item in value.items()}
    return value
