"""Which recorded answer a replayed request gets: tolerant of what changes between runs,
strict about what the robot chose, in the recorded order."""

from __future__ import annotations

from typing import Any

from robots.scenarios.router import HarRouter, body_fields, query_key

FORM = "application/x-www-form-urlencoded"


def recorded(method: str, url: str, body: str = "", mime: str = FORM, page: str = "") -> Any:
    return {
        "request": {"method": method, "url": url, "postData": {"mimeType": mime, "text": body}},
        "response": {"status": 200, "headers": [], "content": {"text": page}},
    }


def router(*entries: Any) -> HarRouter:
    return HarRouter({"log": {"entries": list(entries)}})


def answer(r: HarRouter, method: str, url: str, body: str = "", mime: str = FORM) -> str:
    found, why = r._answer_for(method, url, body_fields(mime, body.encode()))
    return found.entry["response"]["content"]["text"] if found else f"miss: {why}"


def test_tokens_timestamps_and_placeholders_match_anything_choices_do_not() -> None:
    r = router(
        recorded("POST", "http://c/order", "csrf_token=SCRUBBED-TOKEN-1&period=2026-10&email="
                 "scrubbed-1%40example.invalid&ts=1795512766567", page="october"),
        recorded("POST", "http://c/order", "csrf_token=SCRUBBED-TOKEN-1&period=2026-09&email="
                 "scrubbed-1%40example.invalid&ts=1795512766999", page="september"),
    )  # fmt: skip
    sent = "csrf_token=abc123def456&period=2026-09&email=a%40b.c&ts=1800000000000"
    assert answer(r, "POST", "http://c/order", sent) == "september"
    assert answer(r, "POST", "http://c/order", sent.replace("2026-09", "2026-08")) == (
        "miss: the replay sent period='2026-08' where the recording has '2026-10'"
    )


def test_answers_of_one_url_come_in_order_then_the_last_again() -> None:
    r = router(
        recorded("GET", "http://c/job/7?_=1795512766001", page="forming"),
        recorded("GET", "http://c/job/7?_=1795512767001", page="ready"),
    )
    seen = [answer(r, "GET", f"http://c/job/7?_={n}") for n in range(4)]
    assert seen == ["forming", "ready", "ready", "ready"]
    assert query_key("http://c/a?b=2&a=1&csrf=x#top") == "http://c/a?a=1&b=2"


def test_a_url_recorded_with_other_parameters_says_so() -> None:
    r = router(recorded("GET", "http://c/details?period=2026-11&kind=pdf"))
    assert answer(r, "GET", "http://c/details?period=2026-11&kind=xlsx") == (
        "miss: recorded with ?kind=pdf&period=2026-11 only"
    )
    assert answer(r, "GET", "http://c/other") == "miss: nothing recorded for this URL"


def test_json_and_multipart_bodies_are_compared_by_their_fields() -> None:
    assert body_fields("application/json", b'{"account":"1","numbers":["7","8"]}') == (
        ("account", '"1"'),
        ("numbers.0", '"7"'),
        ("numbers.1", '"8"'),
    )
    boundary = "----x"
    upload = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="year"\r\n\r\n2026\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="n.xlsx"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\nPK\x03\x04 bytes\r\n--{boundary}--\r\n"
    ).encode()
    fields = body_fields(f"multipart/form-data; boundary={boundary}", upload)
    assert fields == (("year", "2026"), ("file", "file n.xlsx"))
