"""A recorded HAR gets the bodies of the files the robot downloaded: answers the browser
turned into downloads, and attachments a page's script fetched and saved from a Blob."""

from __future__ import annotations

from typing import Any

from robots.scenarios.har import fill_downloads, response_body


def attachment(url: str) -> dict[str, Any]:
    headers = [{"name": "Content-Disposition", "value": 'attachment; filename="a.xlsx"'}]
    return {
        "request": {"url": url, "method": "GET"},
        "response": {"status": 200, "headers": headers, "content": {"size": 0}},
    }


def page(url: str) -> dict[str, Any]:
    content = {"size": 4, "text": "<p>", "mimeType": "text/html"}
    return {
        "request": {"url": url, "method": "GET"},
        "response": {"headers": [], "content": content},
    }


def test_downloads_by_url_and_blobs_in_order() -> None:
    har = {"log": {"entries": [
        page("http://cab/subscribers"),
        attachment("http://cab/export?account=1"),
        attachment("http://cab/file/7"),
        attachment("http://cab/export?account=2"),
    ]}}  # fmt: skip
    fill_downloads(har, [
        ("blob:http://cab/0b6e", b"PK\x03\x04first"),
        ("http://cab/file/7", b"%PDF-seven"),
        ("blob:http://cab/91fa", b"PK\x03\x04second"),
        ("blob:http://cab/ffff", b"PK\x03\x04nowhere"),  # no answer left: nothing to fill
    ])  # fmt: skip
    bodies = [response_body(entry) for entry in har["log"]["entries"]]
    assert bodies == [b"<p>", b"PK\x03\x04first", b"%PDF-seven", b"PK\x03\x04second"]
