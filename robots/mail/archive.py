"""ZIP archives from operators (``Report.zip``), opened with limits.

Declared sizes in a ZIP are not trusted: members are read through a bounded reader,
so a bomb is stopped at the limit whatever its headers claim. Nested archives are
opened up to a depth; an archive that contains one of its ancestors is a loop.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from config.models import LimitsSettings
from robots.delivery import StagedFile
from robots.domain import DocumentFormat
from robots.mail.files import FoundFile, Refusal, discard, megabytes
from robots.recognition.common import sniff_format

_CHUNK = 1 << 20


@dataclass
class _Budget:
    """What is left to unpack from one top-level archive, shared by its nested ones."""

    bytes_left: int
    members_left: int


class _ArchiveRefused(Exception):
    pass


def is_archive(data: bytes | Path) -> bool:
    """A ZIP to open, as opposed to an XLSX (which is a ZIP too, but a document)."""
    return sniff_format(data) is DocumentFormat.ZIP


def files_in(
    found: FoundFile, limits: LimitsSettings, max_bytes: int
) -> tuple[list[FoundFile], list[Refusal]]:
    """The files ``found`` stands for: itself, or the members of an archive; refusals.

    Every file of a message goes through here, attached or fetched from a link, so that
    each meets the same limits. An archive or a refused file is removed from staging:
    it is not delivered itself.
    """
    data = found.data
    if not found.size:
        refusal = Refusal(found.origin, "empty file")
    elif found.size > max_bytes:
        limit = max_bytes / 1_000_000
        refusal = Refusal(found.origin, f"{megabytes(found.size)}, over the {limit:g} MB limit")
    elif is_archive(data.path if isinstance(data, StagedFile) else data):
        members = expand(found, limits)
        discard(data)
        return members
    else:
        return [found], []
    discard(data)
    return [], [refusal]


def expand(archive: FoundFile, limits: LimitsSettings) -> tuple[list[FoundFile], list[Refusal]]:
    """Every non-archive file inside ``archive`` (recursively), and what was refused.

    A refusal of the archive as a whole (corrupt, bomb, loop, too deep) refuses all of
    it: a partly unpacked archive would deliver an incomplete set of documents.
    """
    budget = _Budget(
        bytes_left=int(limits.max_unpacked_mb * 1_000_000),
        members_left=limits.max_archive_members,
    )
    found: list[FoundFile] = []
    try:
        _expand(archive, limits, budget, ancestors=(), found=found)
    except _ArchiveRefused as exc:
        return [], [Refusal(archive.origin, str(exc))]
    return found, []


def _expand(
    archive: FoundFile,
    limits: LimitsSettings,
    budget: _Budget,
    ancestors: tuple[str, ...],
    found: list[FoundFile],
) -> None:
    data = archive.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest in ancestors:
        raise _ArchiveRefused(f"archive loop: {archive.origin} contains an archive it is inside of")
    if len(ancestors) >= limits.max_archive_depth:
        raise _ArchiveRefused(
            f"archives nested deeper than {limits.max_archive_depth} levels ({archive.origin})"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [info for info in zf.infolist() if not info.is_dir()]
            budget.members_left -= len(members)
            if budget.members_left < 0:
                raise _ArchiveRefused(
                    f"more than {limits.max_archive_members} files in the archive"
                )
            for info in members:
                if info.flag_bits & 0x1:
                    raise _ArchiveRefused(f"{info.filename!r} is encrypted")
                data = _read_member(zf, info, limits, budget)
                member = FoundFile(
                    name=info.filename.rsplit("/", 1)[-1],
                    data=data,
                    origin=f"{archive.origin} > {info.filename!r}",
                )
                if is_archive(data):
                    _expand(member, limits, budget, (*ancestors, digest), found)
                else:
                    found.append(member)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise _ArchiveRefused(f"corrupt archive: {exc}") from None


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: LimitsSettings, budget: _Budget
) -> bytes:
    ratio_limit = limits.max_compression_ratio
    if info.compress_size and info.file_size / info.compress_size > ratio_limit:
        raise _ArchiveRefused(
            f"{info.filename!r} expands {info.file_size / info.compress_size:.0f}x "
            f"(limit {ratio_limit:.0f}x): refused as a zip bomb"
        )
    max_member = int(limits.max_attachment_mb * 1_000_000)
    parts: list[bytes] = []
    size = 0
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            budget.bytes_left -= len(chunk)
            if size > max_member:
                raise _ArchiveRefused(
                    f"{info.filename!r} is over the {limits.max_attachment_mb:g} MB file limit"
                )
            if budget.bytes_left < 0:
                raise _ArchiveRefused(
                    f"unpacks to more than {limits.max_unpacked_mb:g} MB: refused as a zip bomb"
                )
            if info.compress_size and size / info.compress_size > ratio_limit:
                raise _ArchiveRefused(
                    f"{info.filename!r} expands over {ratio_limit:.0f}x: refused as a zip bomb"
                )
            parts.append(chunk)
    return b"".join(parts)
