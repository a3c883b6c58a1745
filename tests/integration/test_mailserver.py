"""The sandbox mail server: a real Dovecot started, fed over LMTP and read over IMAP."""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
from email.message import EmailMessage
from pathlib import Path

import imapclient
import pytest
from imapclient.exceptions import LoginError

from sandbox.mailserver import (
    STOP_TIMEOUT_S,
    ImapProbe,
    Mailbox,
    MailServer,
    MailServerError,
    group_members,
)

pytestmark = pytest.mark.integration


def letter(n: int, *, to: str = "robot@example.com") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "МТС <noreply@mts.ru>"
    msg["To"] = to
    msg["Subject"] = f"Счет №{n}"
    msg["Message-ID"] = f"<letter-{n}@mts.ru>"
    msg.set_content(f"Письмо {n}\n")
    msg.add_attachment(
        b"%PDF-1.4\n" + bytes([n]) * 64, maintype="application", subtype="pdf", filename="d.pdf"
    )
    return msg


def test_deliver_read_back_and_move(mail_server: MailServer) -> None:
    address, password = mail_server.add_user("reader-1")  # added while the server runs
    assert address == "reader-1@example.com"
    for n in range(1, 4):
        mail_server.deliver(address, letter(n, to=address))

    client = imapclient.IMAPClient(mail_server.host, port=mail_server.imap_port, ssl=False)
    try:
        client.plain_login("reader-1", password)
        folders = {name for _flags, _sep, name in client.list_folders()}
        assert {"INBOX", "Processed", "Quarantine"} <= folders
        client.select_folder("INBOX")
        uids = client.search("ALL")
        assert len(uids) == 3
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        subjects = [fetched[uid][b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().strip() for uid in uids]
        assert all(s.startswith("Subject: =?utf-8?") for s in subjects)
        assert b"MOVE" in client.capabilities()
        client.move([uids[0]], "Processed")
        assert len(client.search("ALL")) == 2
        assert client.folder_status("Processed", [b"MESSAGES"])[b"MESSAGES"] == 1
        assert client.folder_status("Quarantine", [b"MESSAGES"])[b"MESSAGES"] == 0
    finally:
        client.logout()


def test_mailbox_helpers_and_exact_bytes(mailbox: Mailbox, imap: ImapProbe) -> None:
    tricky = (
        b"From: billing@siptelecom.by\n"  # bare LFs: normalised to CRLF on the way
        b"To: x@example.com\n"
        b"Subject: dots\n"
        b"Content-Type: text/plain; charset=koi8-r\n"
        b"Content-Transfer-Encoding: 8bit\n"
        b"\n"
        b".leading dot\n"
        b"..two dots\n"
        b".\n" + "Счет".encode("koi8-r") + b"\n"
    )
    assert mailbox.deliver_many([letter(1), tricky, letter(2)]) == 3

    stored = imap.messages("INBOX")
    assert [m.subject for m in stored] == ["Счет №1", "dots", "Счет №2"]
    assert stored[1].raw.endswith(
        b"\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n" + "Счет".encode("koi8-r") + b"\r\n"
    )
    assert stored[0].message_id == "<letter-1@mts.ru>"
    assert "\\Seen" not in stored[0].flags
    assert imap.count("INBOX") == 3
    assert imap.subjects("Processed") == []
    assert imap.folders() == ["INBOX", "Processed", "Quarantine"]
    client = imap.client()
    client.select_folder("INBOX")
    client.move(client.search("ALL")[:1], "Quarantine")
    assert mailbox.count("Quarantine") == 1


def test_users_are_separate_and_passwords_checked(mail_server: MailServer) -> None:
    first, second = mail_server.mailbox(), mail_server.mailbox()
    first.deliver(letter(7))
    assert first.count() == 1
    assert second.count() == 0
    with pytest.raises(ValueError, match="already exists"):
        mail_server.add_user(first.username)
    client = imapclient.IMAPClient(mail_server.host, port=mail_server.imap_port, ssl=False)
    try:
        with pytest.raises(LoginError):
            client.login(first.username, "not-the-password")
    finally:
        client.shutdown()


def test_tls_server_with_its_ca(tls_mail_server: MailServer) -> None:
    box = tls_mail_server.mailbox()
    box.deliver(letter(1))
    context = ssl.create_default_context(cafile=str(tls_mail_server.ca_file))
    client = imapclient.IMAPClient(
        tls_mail_server.host, port=tls_mail_server.imaps_port, ssl_context=context
    )
    try:
        client.login(box.username, box.password)
        assert client.select_folder("INBOX", readonly=True)[b"EXISTS"] == 1
    finally:
        client.logout()
    starttls = imapclient.IMAPClient(
        tls_mail_server.host, port=tls_mail_server.imap_port, ssl=False
    )
    try:
        starttls.starttls(context)
        starttls.login(box.username, box.password)
    finally:
        starttls.logout()
    assert box.messages()[0].subject == "Счет №1"  # Mailbox.imap() uses IMAPS + the CA


def test_tls_server_without_its_ca_fails_verification(tls_mail_server: MailServer) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        imapclient.IMAPClient(
            tls_mail_server.host,
            port=tls_mail_server.imaps_port,
            ssl_context=ssl.create_default_context(),  # the system CAs only
        )


def test_tls_is_required_where_dovecot_does_not_trust_loopback(
    tls_mail_server: MailServer,
) -> None:
    box = tls_mail_server.mailbox()
    client = imapclient.IMAPClient(
        tls_mail_server.strict_host, port=tls_mail_server.imap_port, ssl=False
    )
    try:
        with pytest.raises(LoginError, match="PRIVACYREQUIRED"):
            client.login(box.username, box.password)
    finally:
        client.shutdown()


def test_stop_leaves_no_process_and_no_directory() -> None:
    server = MailServer().start()
    root, pid = server.root, server.pid
    assert server.start_seconds is not None and server.start_seconds < 10
    box = server.mailbox()
    box.deliver(letter(1))
    # A client still logged in: Dovecot would keep its imap process 10 s after SIGTERM.
    client = imapclient.IMAPClient(server.host, port=server.imap_port, ssl=False)
    client.login(box.username, box.password)
    client.select_folder("INBOX")
    assert len(group_members(pid)) > 1

    server.stop()

    assert server.stop_seconds is not None and server.stop_seconds < STOP_TIMEOUT_S
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert group_members(pid) == []
    assert not root.exists()
    assert not server.running


def test_a_given_root_is_kept() -> None:
    parent = Path(tempfile.mkdtemp(prefix="cabinet-test-"))
    parent.chmod(0o755)
    try:
        with MailServer(root=parent / "dovecot") as server:
            assert server.root == (parent / "dovecot").resolve()
            server.mailbox().deliver(letter(1))
        assert (parent / "dovecot" / "dovecot.log").exists()
    finally:
        shutil.rmtree(parent)


@pytest.mark.skipif(os.geteuid() != 0, reason="not root: every Dovecot process is this user")
def test_a_directory_the_mail_user_cannot_enter_is_refused_before_starting() -> None:
    parent = Path(tempfile.mkdtemp(prefix="cabinet-test-"))  # 0700, as a private TMPDIR
    try:
        server = MailServer(root=parent / "dovecot")
        with pytest.raises(MailServerError, match=rf"cannot enter {parent} \(mode 700\)"):
            server.start()
        assert not server.running and not (parent / "dovecot").exists()
    finally:
        shutil.rmtree(parent)


def test_a_dovecot_that_dies_at_start_is_reported() -> None:
    server = MailServer(dovecot="/bin/false")
    with pytest.raises(MailServerError, match="exited with code 1"):
        server.start()
    assert not server.running


def test_not_started() -> None:
    server = MailServer()
    with pytest.raises(MailServerError, match="not been started"):
        _ = server.imap_port
    with pytest.raises(MailServerError, match="tls=True"):
        _ = server.ca_file


def test_the_bad_corpus_is_accepted_and_stored_unchanged(mailbox: Mailbox) -> None:
    from sandbox.mails import bad_messages

    corpus = bad_messages(mailbox.address, oversized_mb=2)
    assert mailbox.deliver_many(corpus.values()) == len(corpus)
    stored = mailbox.messages()
    assert len(stored) == len(corpus)
    for original, message in zip(corpus.values(), stored, strict=True):
        # LMTP only prepends its trace headers (Return-Path, Delivered-To, Received).
        assert message.raw.endswith(original)


def test_a_port_taken_before_dovecot_binds_it_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import sandbox.mailserver as mailserver

    real = mailserver.free_ports
    calls: list[list[int]] = []
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()

        def first_one_taken(hosts: list[str], count: int) -> list[int]:
            ports = real(hosts, count)
            if not calls:
                ports[0] = taken.getsockname()[1]
            calls.append(ports)
            return ports

        monkeypatch.setattr(mailserver, "free_ports", first_one_taken)
        with MailServer() as server:
            assert len(calls) == 2
            assert server.imap_port == calls[1][0]
            server.mailbox().deliver(letter(1))
