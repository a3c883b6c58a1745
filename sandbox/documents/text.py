"""Operator documents as HTML (MTS call details) and plain text (A1 invoices)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from robots.domain import DocumentKind, Operator
from sandbox.documents.model import REQUISITES, DocumentSpec, month_phrase, range_phrase, total
from sandbox.documents.pdf import (
    VAT_PERCENT,
    calls_by_number,
    document_number,
    duration,
    money,
    services,
    vat_included,
)

_CALL_HEADERS = ("Дата", "Время", "Номер собеседника", "Услуга", "Длительность", "Сумма")


def _tr(cells: tuple[str, ...], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>"


def render_html(spec: DocumentSpec) -> bytes:
    """Render MTS call details as the HTML page the MTS cabinet e-mails.

    Args:
        spec: MTS call details with at least one subscriber number.

    Returns:
        A UTF-8 HTML document (with a meta charset), identical for identical specs.

    Raises:
        ValueError: Anything other than MTS call details, or no numbers.
    """
    if (spec.operator, spec.kind) != (Operator.MTS, DocumentKind.CALL_DETAILS):
        raise ValueError(f"no HTML {spec.kind} for {spec.operator}")
    req, grouped = REQUISITES[spec.operator], calls_by_number(spec)
    title = "Детализация разговоров"
    parts = [
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">',
        f"<title>{title}</title>\n</head>\n<body>",
        f"<div class='requisites'><p><b>{escape(req.legal_name)}</b></p>",
        f"<p>{req.tax_id_label} {req.tax_id}</p><p>Адрес: {escape(req.address)}</p></div>",
        f"<h1>{title}</h1>",
        f"<p>Лицевой счет: {escape(spec.account)}</p>",
        f"<p>Период: {range_phrase(spec.period)}</p>",
        f"<p>Плательщик: {escape(spec.customer.name)}</p>",
        f"<p>Абонентские номера: {', '.join(grouped)}</p>",
    ]
    for number, calls in grouped.items():
        parts.append(f"<h2>Абонентский номер: {number}</h2>\n<table border='1'>")
        parts.append(_tr(_CALL_HEADERS, "th"))
        parts.extend(
            _tr((f"{c.when:%d.%m.%Y}", f"{c.when:%H:%M:%S}", c.other, c.service,
                 duration(c.duration_s), money(c.charge)))
            for c in calls
        )  # fmt: skip
        parts.append(f"</table>\n<p>Итого по номеру {number}: {money(total(calls))} руб.</p>")
    grand = sum((total(calls) for calls in grouped.values()), Decimal(0))
    parts.append(f"<p><b>Итого по детализации: {money(grand)} руб.</b></p>\n</body>\n</html>\n")
    return "\n".join(parts).encode("utf-8")


def render_txt(spec: DocumentSpec) -> bytes:
    """Render an A1 invoice as the plain text A1 sends when the delivery format is "txt".

    Args:
        spec: An A1 invoice.

    Returns:
        cp1251-encoded text with CRLF line ends, identical for identical specs.

    Raises:
        ValueError: Anything other than an A1 invoice.
    """
    if (spec.operator, spec.kind) != (Operator.A1, DocumentKind.INVOICE):
        raise ValueError(f"no TXT {spec.kind} for {spec.operator}")
    req, items = REQUISITES[spec.operator], services(spec)
    amount = sum((a for _, a in items), Decimal(0))
    rule = "-" * 60
    lines = [
        req.legal_name,
        f"{req.tax_id_label} {req.tax_id}",
        f"Адрес: {req.address}",
        "",
        f"СЧЕТ № {document_number(spec)} от {spec.issued_on:%d.%m.%Y}",
        f"за {month_phrase(spec.period)}",
        f"Лицевой счет: {spec.account}",
        f"Плательщик: {spec.customer.name}",
        rule,
        f"{'Услуга':<44}{'Сумма, ' + req.currency:>16}",
        rule,
        *(f"{name:<44}{money(a):>16}" for name, a in items),
        rule,
        f"{'Итого к оплате:':<44}{money(amount):>16}",
        f"{f'В том числе НДС {VAT_PERCENT[spec.operator]}%:':<44}"
        f"{money(vat_included(spec.operator, amount)):>16}",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")
