"""Files a cabinet offers for download, delivered like the e-mailed ones.

The same recognition (from the content, not the name), the same account resolution,
de-duplication, versions and manifest as the mail collector; the same lock, so a
download and a collection never write the inbox or the ledger at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from config.models import RobotConfig
from robots.delivery import TariferInbox
from robots.domain import Document
from robots.errors import ParseError
from robots.intake import (
    Incoming,
    NumberIndex,
    cabinet_origin,
    configured_issuers,
    place,
    stage,
)
from robots.inventory import load_subscribers
from robots.ledger import Ledger
from robots.mail.analysis import analyse_file
from robots.mail.archive import expand, is_archive
from robots.mail.files import FoundFile, Refusal
from robots.mail.recovery import exclusive, recover
from robots.permissions import private_folder
from robots.recognition.evidence import Order


@dataclass(frozen=True)
class DownloadedFile:
    """A file as the cabinet gave it: its bytes, its name and where it came from."""

    data: bytes
    name: str | None
    source: str  # e.g. "sip-main https://cabinet/bills/link/7/file"


@dataclass(frozen=True)
class Delivered:
    """A downloaded document and where it went; ``path`` is None for a duplicate."""

    document: Document
    path: str | None
    sha256: str

    @property
    def duplicate(self) -> bool:
        return self.path is None


def recognise_download(
    config: RobotConfig, file: DownloadedFile, order: Order | None = None
) -> Incoming:
    """What the file is; ParseError if it is not a document the robot can deliver.

    ``order`` is what the cabinet was asked for: evidence for the file where its content
    says nothing else (``robots.recognition.evidence``).
    """
    result = analyse_file(FoundFile(file.name, file.data, f"download {file.name!r}"))
    if isinstance(result, Refusal):
        raise ParseError(f"the cabinet's file {file.name!r} cannot be used: {result.reason}")
    # The source starts with the name of the cabinet that downloaded the file.
    name = file.source.split(" ", 1)[0]
    cabinet = next((c for c in config.cabinets if c.name == name), None)
    placed = place(
        result.recognition,
        NumberIndex(config.cabinets, load_subscribers(config)),
        cabinet_origin(cabinet, "download", (order,) if order is not None else ()),
        configured_issuers(config.cabinets),
    )
    if isinstance(placed, str):
        raise ParseError(f"the cabinet's file {file.name!r}: {placed}")
    return Incoming(placed.document, file.data, file.source, file.name, placed.evidence)


def unpacked(config: RobotConfig, file: DownloadedFile) -> list[DownloadedFile]:
    """The files in a cabinet's ZIP (Kcell's register of every account of a company),
    opened with the collector's limits; any other file as it is."""
    if not is_archive(file.data):
        return [file]
    members, refused = expand(FoundFile(file.name, file.data, f"download {file.name!r}"),
                              config.limits)  # fmt: skip
    if refused:
        raise ParseError(f"the cabinet's archive {file.name!r} cannot be used: {refused[0]}")
    return [DownloadedFile(m.read(), m.name, f"{file.source} > {m.name}") for m in members]


def deliver_downloads(
    config: RobotConfig, files: list[DownloadedFile], order: Order | None = None
) -> list[Delivered]:
    """Recognise ``files`` (what the cabinet gave for ``order``) and deliver the new ones
    to Tarifer's inbox with the manifest."""
    incoming = [
        recognise_download(config, member, order)
        for file in files
        for member in unpacked(config, file)
    ]
    private_folder(config.state.dir)
    inbox = TariferInbox.of(config.tarifer)
    with exclusive(config.state.dir / "collect.lock", config.state.ledger_url, wait=True):
        inbox.prepare()
        ledger = Ledger(config.state.ledger_url)
        try:
            recover(ledger, inbox)
            staged = stage(incoming, ledger, dt.datetime.now(dt.UTC))
            inbox.write_files(staged.files)
            manifest_size = inbox.append_manifest(staged.entries)
            ledger.commit_documents([e.record() for e in staged.entries], manifest_size)
        finally:
            ledger.close()
    paths = {entry.sha256: entry.path for entry in staged.entries}
    return [Delivered(item.document, paths.get(item.sha256), item.sha256) for item in incoming]
