"""The sandbox mail server's SMTP door: what the robot sends (its summary e-mails) goes
in over SMTP, like to any company relay, and lands in Dovecot over LMTP.

Example::

    with SmtpRelay(mail_server) as relay:
        ...  # the robot sends to 127.0.0.1:relay.port; read the mailbox over IMAP
"""

from __future__ import annotations

import logging
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from sandbox.lifecycle import Service
from sandbox.mailserver import MailServer, MailServerError, free_ports

log = logging.getLogger(__name__)


class _ToDovecot:
    def __init__(self, server: MailServer) -> None:
        self._server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        try:
            for rcpt in envelope.rcpt_tos:
                self._server.deliver(rcpt, content)
        except MailServerError as exc:
            log.warning("relay: %s", exc)
            return "451 Requested action aborted: local error in processing"
        return "250 OK"


class SmtpRelay(Service):
    """Plain SMTP on a free loopback port, delivering every recipient into ``server``."""

    def __init__(self, server: MailServer) -> None:
        self._server = server
        self._controller: Controller | None = None

    @property
    def port(self) -> int:
        if self._controller is None:
            raise RuntimeError("the SMTP relay is not running")
        return int(self._controller.port)

    def start(self) -> Self:
        if self._controller is None:
            port = free_ports(["127.0.0.1"], 1)[0]
            controller = Controller(_ToDovecot(self._server), hostname="127.0.0.1", port=port)
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
