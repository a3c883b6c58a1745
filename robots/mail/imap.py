"""The robot's mailbox over IMAP (imapclient); imapclient and socket errors stop here.

Messages are fetched with ``BODY.PEEK[]`` so that reading never sets ``\\Seen``: mail
that turns out not to be the robot's is left exactly as it was.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from config.models import MailSecurity, MailSettings
from robots.errors import CredentialsError, MailError, MailUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FolderInfo:
    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int


def _tls_context(settings: MailSettings) -> ssl.SSLContext:
    # Certificates and host names are always verified; ca_file adds a private CA.
    context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    return context


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({exc.verify_message}); set mail.ca_file for a private CA"
    text = str(exc) or type(exc).__name__
    return text.replace("\n", " ")[:300]


class Mailbox:
    """One authenticated IMAP session."""

    def __init__(self, client: IMAPClient, settings: MailSettings) -> None:
        self._client = client
        self._settings = settings

    @property
    def where(self) -> str:
        return f"{self._settings.host}:{self._settings.effective_port}"

    def select(self, folder: str) -> FolderInfo:
        try:
            if not self._client.folder_exists(folder):
                raise MailError(f"folder {folder!r} does not exist in {self._settings.username}")
            info = self._client.select_folder(folder)
        except (IMAPClientError, OSError) as exc:
            raise MailError(f"cannot open folder {folder!r}: {_describe(exc)}") from None
        return FolderInfo(
            name=folder,
            uidvalidity=int(info[b"UIDVALIDITY"]),
            uidnext=int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None,
            exists=int(info.get(b"EXISTS", 0)),
        )

    def ensure_folder(self, folder: str) -> None:
        """Create a destination folder that does not exist yet."""
        with self._errors(f"create folder {folder!r}"):
            if not self._client.folder_exists(folder):
                self._client.create_folder(folder)
                self._client.subscribe_folder(folder)

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs greater than ``last_uid``, ascending."""
        with self._errors("search"):
            # "n:*" always includes the highest UID even when it is below n: filter.
            found = self._client.search(["UID", f"{last_uid + 1}:*"])
        return sorted(uid for uid in found if uid > last_uid)

    def existing(self, uids: Sequence[int]) -> set[int]:
        """Which of ``uids`` are still in the selected folder."""
        if not uids:
            return set()
        with self._errors("search"):
            return set(self._client.search(["UID", _uid_set(uids)]))

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        with self._errors("fetch sizes"):
            data = self._client.fetch(list(uids), ["RFC822.SIZE"])
        return {uid: int(item[b"RFC822.SIZE"]) for uid, item in data.items()}

    def senders(self, uids: Sequence[int]) -> dict[int, bytes]:
        """Only the From header, for messages too large to fetch whole."""
        with self._errors("fetch headers"):
            data = self._client.fetch(list(uids), ["BODY.PEEK[HEADER.FIELDS (FROM)]"])
        return {
            uid: bytes(item.get(b"BODY[HEADER.FIELDS (FROM)]", b"")) for uid, item in data.items()
        }

    def fetch_raw(self, uids: Sequence[int]) -> dict[int, bytes]:
        """Whole messages, without marking them seen."""
        with self._errors("fetch messages"):
            data = self._client.fetch(list(uids), ["BODY.PEEK[]"])
        return {uid: bytes(item[b"BODY[]"]) for uid, item in data.items() if b"BODY[]" in item}

    def fetch_into(self, uid: int, out: BinaryIO, chunk_bytes: int) -> bool:
        """Write a whole message to ``out`` in pieces (partial fetches), without marking
        it seen: a large message never sits in memory whole. False if it is gone."""
        offset = 0
        while True:
            with self._errors("fetch a message"):
                data = self._client.fetch([uid], [f"BODY.PEEK[]<{offset}.{chunk_bytes}>"])
            piece = data.get(uid, {}).get(f"BODY[]<{offset}>".encode())
            if piece is None:
                return False  # expunged by someone else meanwhile
            out.write(piece)
            offset += len(piece)
            if len(piece) < chunk_bytes:
                return True

    def move(self, uids: Sequence[int], folder: str) -> None:
        if not uids:
            return
        with self._errors(f"move messages to {folder!r}"):
            if self._client.has_capability("MOVE"):
                self._client.move(list(uids), folder)
            else:  # RFC 3501 servers: copy, flag deleted, expunge just those UIDs
                self._client.copy(list(uids), folder)
                self._client.delete_messages(list(uids))
                self._client.uid_expunge(list(uids))

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except (TimeoutError, imaplib.IMAP4.abort, ConnectionError) as exc:
            raise MailUnavailable(
                f"{self.where}: connection lost during {action}: {_describe(exc)}"
            ) from None
        except (IMAPClientError, OSError) as exc:
            raise MailError(f"{self.where}: {action} failed: {_describe(exc)}") from None


def _uid_set(uids: Sequence[int]) -> str:
    return ",".join(str(uid) for uid in uids)


@retry(
    retry=retry_if_exception_type(MailUnavailable),
    stop=stop_after_attempt(3),
    wait=wait_exponential(multiplier=0.5, max=4),
    reraise=True,
)
def _connect(settings: MailSettings) -> IMAPClient:
    where = f"{settings.host}:{settings.effective_port}"
    context = _tls_context(settings)
    try:
        client = IMAPClient(
            settings.host,
            port=settings.effective_port,
            ssl=settings.security is MailSecurity.SSL,
            ssl_context=context,
            timeout=settings.timeout_s,
        )
    except ssl.SSLError as exc:
        raise MailError(f"{where}: TLS failed: {_describe(exc)}") from None
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailUnavailable(f"cannot connect to {where}: {_describe(exc)}") from None
    # imapclient turns imaplib's protocol trace on (debug 5) and routes it to a logger:
    # imaplib then formats the repr() of every fetched message, whether or not anything
    # logs it, which cost over 90 % of the CPU of a fetch. imapclient still logs the
    # commands it sends.
    client._imap.debug = 0
    if settings.security is MailSecurity.STARTTLS:
        try:
            client.starttls(context)
        except ssl.SSLError as exc:
            raise MailError(f"{where}: STARTTLS failed: {_describe(exc)}") from None
        except (OSError, IMAPClientError) as exc:
            raise MailError(f"{where}: STARTTLS not available: {_describe(exc)}") from None
    return client


@contextmanager
def open_mailbox(settings: MailSettings) -> Iterator[Mailbox]:
    """Connect, log in and yield the session; log out however the block ends."""
    client = _connect(settings)
    where = f"{settings.host}:{settings.effective_port}"
    try:
        try:
            client.login(settings.username, settings.password().get_secret_value())
        except LoginError:
            raise CredentialsError(
                f"{where}: login refused for {settings.username} (check {settings.password_source})"
            ) from None
        except (OSError, IMAPClientError) as exc:
            raise MailUnavailable(f"{where}: login failed: {_describe(exc)}") from None
        yield Mailbox(client, settings)
    finally:
        _logout(client)


def _logout(client: Any) -> None:
    try:
        client.logout()
    except Exception:  # the session is over either way; nothing to recover
        log.debug("IMAP logout failed", exc_info=True)
