"""Delivery into Tarifer's inbox: names, atomic files, the manifest and its repair."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from robots.delivery import ManifestEntry, TariferInbox, relative_path
from robots.domain import Document, DocumentFormat, DocumentKind, Operator, Period


def doc(numbers: tuple[str, ...] = ()) -> Document:
    return Document(
        operator=Operator.MTS,
        account="277012345678",
        period=Period.parse("2026-10"),
        kind=DocumentKind.CALL_DETAILS,
        format=DocumentFormat.XML,
        numbers=numbers,
    )


def entry(path: str, sha: str) -> ManifestEntry:
    return ManifestEntry(
        document=doc(),
        path=path,
        sha256=sha,
        size=3,
        source="test",
        received_at=dt.datetime(2026, 11, 5, tzinfo=dt.UTC),
        supersedes=None,
        supersedes_sha256=None,
        version=1,
        original_name="document.xml",
    )


def test_paths_are_built_from_the_document() -> None:
    assert (
        relative_path(doc(), 1) == "mts/277012345678/2026-10/call_details_277012345678_2026-10.xml"
    )
    assert relative_path(doc(("79161234567",)), 2) == (
        "mts/277012345678/2026-10/call_details_277012345678_2026-10_79161234567_v2.xml"
    )
    several = relative_path(doc(("79161234567", "79161234568")), 1)
    assert several.startswith("mts/277012345678/2026-10/call_details_277012345678_2026-10_n2-")


def test_files_are_written_whole_and_leave_no_temporaries(tmp_path: Path) -> None:
    inbox = TariferInbox(tmp_path)
    inbox.prepare()
    (inbox.staging / "incoming-left-by-a-killed-run").write_bytes(b"partial")
    inbox.prepare()
    assert list(inbox.staging.iterdir()) == []
    inbox.write_files([("mts/1/2026-10/a.pdf", b"%PDF-1"), ("mts/1/2026-10/b.pdf", b"%PDF-2")])
    inbox.write_files([("mts/1/2026-10/a.pdf", b"%PDF-1")])  # a rerun overwrites in place
    folder = tmp_path / "mts" / "1" / "2026-10"
    assert sorted(p.name for p in folder.iterdir()) == ["a.pdf", "b.pdf"]
    assert (folder / "b.pdf").read_bytes() == b"%PDF-2"
    assert list(inbox.staging.iterdir()) == []


def test_manifest_lines_carry_what_tarifer_needs(tmp_path: Path) -> None:
    inbox = TariferInbox(tmp_path)
    size = inbox.append_manifest([entry("a", "1" * 64), entry("b", "2" * 64)])
    assert size == inbox.manifest.stat().st_size
    lines = [json.loads(line) for line in inbox.manifest.read_text().splitlines()]
    assert [line["path"] for line in lines] == ["a", "b"]
    assert {
        "operator",
        "account",
        "period",
        "kind",
        "format",
        "path",
        "sha256",
        "size",
        "source",
        "received_at",
        "supersedes",
    } <= set(lines[0])
    assert lines[0]["period"] == "2026-10"
    assert inbox.read_manifest_from(size) == []
    assert len(inbox.read_manifest_from(0)) == 2


def test_a_torn_last_line_is_cut(tmp_path: Path) -> None:
    inbox = TariferInbox(tmp_path)
    good = inbox.append_manifest([entry("a", "1" * 64)])
    with open(inbox.manifest, "ab") as f:
        f.write(b'{"operator": "mts", "pa')
    assert inbox.repair_manifest() == good
    assert inbox.manifest.stat().st_size == good
    assert inbox.repair_manifest() == good  # nothing to do the second time


def test_the_manifest_line_records_the_evidence_of_each_field() -> None:
    evidence = {"operator": "sender mts-main", "period": "calls 01.10.2026–31.10.2026"}
    line = json.loads(dataclasses.replace(entry("a", "1"), evidence=evidence).to_json())
    assert line["evidence"] == evidence
    assert json.loads(entry("a", "1").to_json())["evidence"] == {}
