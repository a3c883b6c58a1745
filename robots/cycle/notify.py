"""The summary e-mail sent when a cycle ends with something missing or failed."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from email.message import EmailMessage

from config.models import MailSecurity, NotifySettings, read_secret
from robots.cycle.matrix import Cell, Status, counts, markdown, report_html
from robots.errors import MailUnavailable


def summary_message(settings: NotifySettings, period: str, cells: list[Cell]) -> EmailMessage:
    """The e-mail: the counts in the subject, the matrix as text and as HTML."""
    tally = counts(cells)
    problems = ", ".join(
        f"{tally[str(status)]} {status}"
        for status in (Status.MISSING, Status.FAILED, Status.WAITING)
        if tally[str(status)]
    )
    message = EmailMessage()
    message["Subject"] = f"cabinet-robot: documents for {period}: {problems or 'all delivered'}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message.set_content(markdown(period, cells))
    message.add_alternative(report_html(period, cells, dt.datetime.now(dt.UTC)), subtype="html")
    return message


def send_summary(settings: NotifySettings, period: str, cells: list[Cell]) -> None:
    """Send the summary over SMTP; MailUnavailable when the server cannot take it."""
    message = summary_message(settings, period, cells)
    host, port = settings.smtp_host, settings.effective_port
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if settings.security is MailSecurity.SSL:
            smtp = smtplib.SMTP_SSL(host, port, timeout=settings.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=settings.timeout_s)
        with smtp:
            if settings.security is MailSecurity.STARTTLS:
                smtp.starttls(context=context)
            if settings.username and settings.password_env:
                secret = read_secret(settings.password_env, "notify.password_env")
                smtp.login(settings.username, secret.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailUnavailable(f"cannot send the summary through {host}:{port}: {exc}") from None
