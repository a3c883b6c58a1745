"""The canary keeps its last runs' folders and removes older ones."""

from __future__ import annotations

from pathlib import Path

from robots.canary import prune_runs


def test_the_newest_runs_are_kept(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    stamps = ["20261101T080000Z", "20261124T095506Z", "20261201T080000Z", "20261206T080000Z"]
    for stamp in stamps:
        (canary / stamp / "sip-sandbox").mkdir(parents=True)
        (canary / stamp / "sip-sandbox" / "trace.zip").write_bytes(b"PK")
    (canary / "notes").mkdir()  # not a run's folder: left alone

    removed = prune_runs(canary, keep=2)

    assert sorted(p.name for p in removed) == stamps[:2]
    assert sorted(p.name for p in canary.iterdir()) == [
        "20261201T080000Z",
        "20261206T080000Z",
        "notes",
    ]


def test_nothing_to_prune(tmp_path: Path) -> None:
    assert prune_runs(tmp_path / "canary", keep=10) == []
    (tmp_path / "canary" / "20261206T080000Z").mkdir(parents=True)
    assert prune_runs(tmp_path / "canary", keep=1) == []
