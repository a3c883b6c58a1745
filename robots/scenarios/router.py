"""Answering a browser from a recorded HAR alone, tolerating what changes between runs.

Playwright's own ``route_from_har`` matches a request by URL, method and, for a POST,
the exact body. A replay needs more tolerance and more order than that:

- a form or a JSON call carries values that differ from run to run (CSRF tokens,
  session ids, timestamps, the placeholders of scrubbed values): a recorded field whose
  name says token, or whose value is a placeholder or a timestamp, matches any value;
  so do such query parameters;
- a multipart upload has a new boundary (and, for a generated workbook, new bytes)
  every time: it is compared by its field names, values and file names;
- the same URL answers differently in turn (a page before and after an order, a job
  polled until ready): the recorded answers are served in their order, and the last one
  again once they run out;
- a request nothing answers is aborted (there is no network) and remembered with the
  closest recorded request, so a failed replay can say what differed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from playwright.sync_api import Route

from robots.scenarios.har import Entry, entries, header, response_body
from robots.scenarios.scrub import PLACEHOLDER_MARK, TOKEN_NAME

Fields = tuple[tuple[str, str], ...]
_TIMESTAMP = re.compile(r"^(?:1[5-9]\d{8}(?:\d{3})?|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*)$")
_VOLATILE_NAMES = re.compile(r"^(?:_|ts|t|timestamp|nocache|rnd|rand)$", re.I)
_MAX_REDIRECTS = 10
# Headers a fulfilled answer must not repeat: the body is handed over decoded and whole.
_DROPPED_HEADERS = {"content-length", "content-encoding", "transfer-encoding"}


def volatile(name: str, value: str) -> bool:
    """Whether a recorded field matches any value in a replay."""
    return bool(
        TOKEN_NAME.search(name)
        or _VOLATILE_NAMES.match(name)
        or PLACEHOLDER_MARK in value.lower()
        or _TIMESTAMP.match(value)
    )


def query_key(url: str) -> str:
    """The URL without its fragment, volatile query parameters dropped, the rest sorted."""
    parts = urlsplit(url)
    params = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not volatile(name, value)
    )
    query = "&".join(f"{name}={value}" for name, value in params)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{query}" if query else "")


def body_fields(content_type: str, body: bytes) -> Fields:
    """A request body as (name, value) pairs, by its content type."""
    content_type = content_type.lower()
    if "x-www-form-urlencoded" in content_type:
        return tuple(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if "multipart/form-data" in content_type:
        return _multipart_fields(content_type, body)
    if "json" in content_type:
        try:
            return tuple(_flatten(json.loads(body)))
        except ValueError:
            pass
    return (("", body.decode("utf-8", "replace")),) if body else ()


def _multipart_fields(content_type: str, body: bytes) -> Fields:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    found = []
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition") or "")
        filename = part.get_filename()
        if filename is not None:
            found.append((name, f"file {filename}"))
        else:
            payload = part.get_payload(decode=True)
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
            found.append((name, text))
    return tuple(found)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _flatten(v, f"{prefix}{k}.")]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in _flatten(v, f"{prefix}{i}.")]
    return [(prefix.rstrip("."), json.dumps(value, ensure_ascii=False))]


def difference(recorded: Fields, sent: Fields) -> str | None:
    """The first field the replay sent differently; None if ``sent`` matches."""
    if [name for name, _ in recorded] != [name for name, _ in sent]:
        return f"fields {[n for n, _ in sent]} where the recording has {[n for n, _ in recorded]}"
    for (name, want), (_, got) in zip(recorded, sent, strict=True):
        if want != got and not volatile(name, want):
            return f"{name or 'the body'}={got!r} where the recording has {want!r}"
    return None


@dataclass
class _Answer:
    fields: Fields
    entry: Entry


@dataclass
class HarRouter:
    """Answers requests from the HAR's entries; ``misses`` lists what had no answer."""

    har: dict[str, Any]
    misses: list[str] = field(default_factory=list, init=False)
    _answers: dict[tuple[str, str], list[_Answer]] = field(default_factory=dict, init=False)
    _served: dict[tuple[str, str], int] = field(default_factory=dict, init=False)  # last index

    def __post_init__(self) -> None:
        for entry in entries(self.har):
            request, response = entry["request"], entry["response"]
            if response.get("status", 0) <= 0:
                continue  # never answered (cancelled by a navigation)
            post = request.get("postData") or {}
            fields = body_fields(post.get("mimeType") or "", (post.get("text") or "").encode())
            key = (request["method"], query_key(request["url"]))
            self._answers.setdefault(key, []).append(_Answer(fields, entry))

    def handle(self, route: Route) -> None:
        request = route.request
        method, url = request.method, request.url
        sent = body_fields(request.headers.get("content-type", ""), request.post_data_buffer or b"")
        for _ in range(_MAX_REDIRECTS):
            answer, why = self._answer_for(method, url, sent)
            if answer is None:
                self.misses.append(f"{method} {url}: {why}")
                route.abort()
                return
            location = _redirect_to(answer.entry)
            if location is None:
                _fulfil(route, answer.entry)
                return
            location = urljoin(url, location)
            if request.is_navigation_request():
                # Chromium does not follow a redirect fulfilled to a navigation: Playwright's
                # own HAR replay redirects the navigation through this (private) call.
                route._sync(route._impl_obj._redirected_navigation_request(location))
                return
            method, url, sent = "GET", location, ()  # a script's request: follow it here
        self.misses.append(f"{request.method} {request.url}: too many redirects")
        route.abort()

    def _answer_for(self, method: str, url: str, sent: Fields) -> tuple[_Answer | None, str]:
        key = (method, query_key(url))
        candidates = self._answers.get(key)
        if not candidates:
            path = key[1].split("?")[0]
            others = [k[1] for k in self._answers if k[0] == method and k[1].split("?")[0] == path]
            if others:
                return None, f"recorded with ?{others[0].partition('?')[2]} only"
            return None, "nothing recorded for this URL"
        matching = [i for i, c in enumerate(candidates) if difference(c.fields, sent) is None]
        if not matching:
            reason = difference(candidates[0].fields, sent) or "no recorded body"
            return None, f"the replay sent {reason}"
        # The next recorded answer in order, or the last one again once they are used up.
        served = self._served.get(key, -1)
        chosen = next((i for i in matching if i > served), matching[-1])
        self._served[key] = max(served, chosen)
        return candidates[chosen], ""


def _redirect_to(entry: Entry) -> str | None:
    response = entry["response"]
    if 300 <= response["status"] < 400:
        return header(response.get("headers", []), "location") or response.get("redirectURL")
    return None


def _fulfil(route: Route, entry: Entry) -> None:
    response = entry["response"]
    headers: dict[str, str] = {}
    for item in response.get("headers", []):
        name = item["name"].lower()
        if name in _DROPPED_HEADERS:
            continue
        # Several Set-Cookie headers travel as one value, a line each (Playwright's form).
        headers[name] = f"{headers[name]}\n{item['value']}" if name in headers else item["value"]
    if "content-type" not in headers and response.get("content", {}).get("mimeType"):
        headers["content-type"] = response["content"]["mimeType"]
    route.fulfill(status=response["status"], headers=headers, body=response_body(entry))
