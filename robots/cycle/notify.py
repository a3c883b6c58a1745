"""The summary e-mail sent when a cycle ends with something missing, failed or in review.

Plain text and HTML say the same for a person: the counts, what needs attention and
why, the files of the operators' mail that wait in review with the command that places
each, and which report files accounting finds in Tarifer's inbox (attached when given).
No path on the robot's server appears in it: files by name, evidence by its folder.
"""

from __future__ import annotations

import html
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from config.models import MailSecurity, NotifySettings, read_secret
from robots.cycle.matrix import NEEDS_ATTENTION, Cell, Status, counts
from robots.cycle.report import (
    REVIEW_HEADERS,
    STATUS_LABELS,
    ReportFiles,
    kind_label,
    month_label,
    report_name,
    tally_ru,
)
from robots.errors import MailUnavailable
from robots.masking import shown
from robots.review import ReviewLead

_PROBLEMS = NEEDS_ATTENTION
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _evidence(cell: Cell) -> str | None:
    """The evidence folder as ``<cabinet>/<time>``: where under the robot's state it is."""
    if not cell.evidence:
        return None
    parts = Path(cell.evidence).parts
    return "/".join(parts[-2:])


def _problem_line(cell: Cell) -> str:
    line = (
        f"{cell.cabinet}, лицевой счёт {cell.account}, {kind_label(cell.kind)}: "
        f"{STATUS_LABELS[cell.status]}: {cell.detail}"
    )
    evidence = _evidence(cell)
    return line + (f" (трасса и снимок экрана: evidence/{evidence})" if evidence else "")


def _paragraphs(period: str, cells: list[Cell], attached: bool) -> tuple[str, list[str]]:
    """The heading line, and what follows the problems: what waits, where the report is."""
    heading = f"Документы за {month_label(period)} ({period}): {tally_ru(cells)}."
    waiting = counts(cells)[str(Status.WAITING)]
    xlsx, page, flat = (report_name(period, suffix) for suffix in ("xlsx", "html", "csv"))
    after = (
        [f"Ещё ожидаются: {waiting} (срок, который дают кабинеты, не истёк)."] if waiting else []
    )
    after += [
        f"Отчёт для бухгалтерии в папке импорта Tarifer: {xlsx} (Excel), "
        f"{page} (браузер, со ссылками на файлы), {flat}."
        + (f" {xlsx} во вложении." if attached else ""),
        f"Повторный запуск «cabinet-robot run --period {period}» попробует снова то, что не вышло.",
    ]
    return heading, after


def _review_heading(review: Sequence[ReviewLead]) -> str:
    return (
        f"Ждут проверки человеком: {len(review)} файл(ов) из почты операторов, робот не "
        "определил, что это за документ. Оператор робота смотрит каждый командой ниже и "
        "доставляет его (cabinet-robot review assign) или отклоняет (review reject):"
    )


def _review_line(lead: ReviewLead) -> str:
    return f"№ {lead.id}, {lead.file}, {lead.known}: {lead.command}"


def summary_text(
    period: str, cells: list[Cell], attached: bool, review: Sequence[ReviewLead] = ()
) -> str:
    """The summary as plain text."""
    heading, after = _paragraphs(period, cells, attached)
    problems = [f"- {_problem_line(c)}" for c in cells if c.status in _PROBLEMS]
    lines = [heading, ""] + (["Требует внимания:", *problems, ""] if problems else [])
    if review:
        lines += [_review_heading(review), *(f"- {_review_line(lead)}" for lead in review), ""]
    return "\n".join(lines + [line for paragraph in after for line in (paragraph, "")])


def _review_table(review: Sequence[ReviewLead]) -> str:
    if not review:
        return ""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in REVIEW_HEADERS)
    rows = "".join(
        f"<tr><td>{lead.id}</td><td>{lead.received_at:%d.%m.%Y %H:%M}</td>"
        f"<td>{e(lead.sender or '—')}</td><td>{e(lead.file)}</td><td>{e(lead.known)}</td>"
        f"<td><code>{e(lead.command)}</code></td></tr>"
        for lead in review
    )
    return (
        f"<p>{e(_review_heading(review))}</p>"
        "<table border=1 cellpadding=4 style=border-collapse:collapse>"
        f"<tr>{head}</tr>{rows}</table>"
    )


def summary_html(
    period: str, cells: list[Cell], attached: bool, review: Sequence[ReviewLead] = ()
) -> str:
    """The summary as an HTML page: the same words, the problems as a table."""
    e = html.escape
    heading, after = _paragraphs(period, cells, attached)
    rows = "".join(
        f"<tr><td>{e(c.cabinet)}</td><td>{e(c.account)}</td><td>{e(kind_label(c.kind))}</td>"
        f"<td>{e(STATUS_LABELS[c.status])}</td><td>{e(c.detail)}</td>"
        f"<td>{e('evidence/' + ev if (ev := _evidence(c)) else '')}</td></tr>"
        for c in cells
        if c.status in _PROBLEMS
    )
    table = (
        "<h2>Требует внимания</h2><table border=1 cellpadding=4 style=border-collapse:collapse>"
        "<tr><th>Кабинет</th><th>Лицевой счёт</th><th>Документ</th><th>Состояние</th>"
        f"<th>Причина</th><th>Трасса и снимок экрана</th></tr>{rows}</table>"
        if rows
        else ""
    )
    return (
        '<!doctype html><html lang="ru"><meta charset="utf-8">'
        f"<p><b>{e(heading)}</b></p>{table}{_review_table(review)}"
        + "".join(f"<p>{e(paragraph)}</p>" for paragraph in after)
        + "</html>\n"
    )


def summary_message(
    settings: NotifySettings,
    period: str,
    cells: list[Cell],
    reports: ReportFiles | None = None,
    review: Sequence[ReviewLead] = (),
    mask_numbers: bool = True,
) -> EmailMessage:
    """The e-mail: the counts in the subject, text and HTML bodies, the XLSX attached.

    Args:
        settings: [notify].
        period: ``YYYY-MM``.
        cells: The month's reconciliation.
        reports: The report files just written; the XLSX is attached when given.
        review: The files waiting in review.
        mask_numbers: ``[privacy] mask_numbers``: subscriber numbers in the bodies masked.
    """
    tally = counts(cells)
    named = [
        f"{tally[str(status)]} {status}"
        for status in (Status.MISSING, Status.FAILED, Status.IN_REVIEW, Status.WAITING)
        if tally[str(status)]
    ]
    if review and not tally[str(Status.IN_REVIEW)]:
        named.append(f"{len(review)} file(s) waiting in review")
    problems = ", ".join(named)
    attach = reports is not None and reports.xlsx.exists()
    message = EmailMessage()
    message["Subject"] = f"cabinet-robot: documents for {period}: {problems or 'all delivered'}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    text = summary_text(period, cells, attach, review)
    message.set_content(shown(text, mask_numbers))
    page = summary_html(period, cells, attach, review)
    message.add_alternative(shown(page, mask_numbers), subtype="html")
    if reports is not None and attach:
        maintype, subtype = _XLSX.split("/")
        message.add_attachment(
            reports.xlsx.read_bytes(), maintype, subtype, filename=reports.xlsx.name
        )
    return message


def send_summary(
    settings: NotifySettings,
    period: str,
    cells: list[Cell],
    reports: ReportFiles | None = None,
    review: Sequence[ReviewLead] = (),
    mask_numbers: bool = True,
) -> None:
    """Send the summary over SMTP; MailUnavailable when the server cannot take it."""
    message = summary_message(settings, period, cells, reports, review, mask_numbers)
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
