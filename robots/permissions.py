"""Who may read what the robot writes: its own folders are its user's alone (0700, files
0600), whatever the umask; Tarifer's inbox may also be its group's (0750, files 0640).

Call details are personal data: the spool, the review queue, the ledger and the
evidence hold them, so nobody but the robot's user reads them. Tarifer's import often
runs as another user: ``[tarifer] group = "tarifer"`` gives every folder and file the
robot makes in the inbox to that group, readable and never writable by it.
"""

from __future__ import annotations

import contextlib
import grp
import os
from dataclasses import dataclass
from pathlib import Path

from config.models import TariferSettings
from robots.errors import ConfigurationError

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def private_dirs(path: Path) -> Path:
    """``path`` and every missing folder above it, created owner-only (0700)."""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another session made it meanwhile
            folder.mkdir(mode=PRIVATE_FOLDER)
    return path


def private_folder(path: Path) -> Path:
    """``path`` created as ``private_dirs`` does, and made 0700 if an older version (or
    another umask) made it more open."""
    private_dirs(path).chmod(PRIVATE_FOLDER)
    return path


def private_file(path: Path) -> Path:
    """``path`` created empty if missing, and made 0600 either way (the ledger's SQLite
    file before SQLite opens it: its journal files copy the database file's mode).

    A file that exists is never opened here: closing any descriptor of a file drops every
    POSIX lock the process holds on it, so opening the ledger beside a connection of the
    same process that holds SQLite's locks would let another process write under them
    and corrupt the database (SQLite's "How To Corrupt", 2.2).
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    path.chmod(PRIVATE_FILE)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (mode 0600) through a temporary name, so an interrupted
    write leaves no half file under the final name."""
    temporary = path.with_name(f".{path.name}.partial")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


@dataclass(frozen=True)
class InboxAccess:
    """The modes, and the group if any, of what the robot puts in Tarifer's inbox."""

    shared: bool = False  # readable by a group: 0750 and 0640; else 0700 and 0600
    gid: int | None = None  # the group given every folder and file; None: left as made
    group: str | None = None  # the group's name, for the errors

    @property
    def folder_mode(self) -> int:
        return 0o750 if self.shared else PRIVATE_FOLDER

    @property
    def file_mode(self) -> int:
        return 0o640 if self.shared else PRIVATE_FILE

    def folders(self, path: Path, root: Path) -> Path:
        """``path`` and the missing folders above it, up to ``root`` included, made with
        the inbox's mode and group (``root`` also when it was there already)."""
        missing = []
        folder = path
        while not folder.exists():
            missing.append(folder)
            if folder == root:
                break
            folder = folder.parent
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=self.folder_mode)
            self.give(folder, self.folder_mode)
        if root not in missing:
            self.give(root, self.folder_mode)
        return path

    def file(self, path: Path) -> Path:
        """Give the file ``path`` the inbox's file mode and group (before it is renamed
        into place, so that Tarifer never sees it otherwise)."""
        return self.give(path, self.file_mode)

    def give(self, path: Path, mode: int) -> Path:
        if self.gid is not None:
            try:
                os.chown(path, -1, self.gid)
            except PermissionError:
                raise ConfigurationError(
                    f"tarifer.group {self.group!r}: {path} cannot be given to the group: "
                    "add the robot's user to it"
                ) from None
        path.chmod(mode)
        return path


def inbox_access(settings: TariferSettings) -> InboxAccess:
    """The inbox's access from ``[tarifer] group``; ConfigurationError for an unknown group."""
    if settings.group is None:
        return InboxAccess()
    try:
        gid = grp.getgrnam(settings.group).gr_gid
    except KeyError:
        raise ConfigurationError(
            f"tarifer.group {settings.group!r}: no such group on this machine: create it "
            "(groupadd) or remove the key"
        ) from None
    return InboxAccess(shared=True, gid=gid, group=settings.group)
