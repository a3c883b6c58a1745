"""Operator documents as HTML (MTS call details and invoices) and plain text (A1 invoices).

Sources (see ``sandbox/documents/SOURCES.md``): MTS offers call details as XML, HTML,
PDF or XLS (kakprosto.ru, «How to view calls», and the cabinet manual
``specs/mts-virtual-manager.md``); MTS e-bills as HTML, XLS or TXT
(mts.com.ua/eng/electronic_account.php); A1 sends invoices as PDF, as Excel in a ZIP
and as TXT (a1.by, «Invoice Delivery»; ``specs/a1-business-cabinet.md``). The layouts
inside are assumed: no public sample of these files was found.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from robots.domain import DocumentKind, Operator
from sandbox.documents.model import MONTHS, REQUISITES, DocumentSpec, total
from sandbox.documents.pdf import (
    VAT_PERCENT,
    calls_by_number,
    document_number,
    duration,
    money,
    services,
    spoken_number,
    vat_included,
)

_CALL_HEADERS = (
    "Дата/ Date", "Время/ Time", "Номер собеседника/ Interlocutor number", "Услуга/ Service",
    "Длит./ Duration", "Сумма/ Charge",
)  # fmt: skip


def _tr(cells: tuple[str, ...], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>"


def render_html(spec: DocumentSpec) -> bytes:
    """Render MTS call details, or an MTS invoice, as the HTML page MTS e-mails.

    Call details carry the brand beside the title («МТС Бизнес. Детализация звонков»),
    bilingual headers and numbers as people write them; the invoice is the page an
    e-mail may carry as its body, with no attachment.

    Args:
        spec: MTS call details with at least one subscriber number, or an MTS invoice.

    Returns:
        A UTF-8 HTML document (with a meta charset), identical for identical specs.

    Raises:
        ValueError: Anything else, or call details without numbers.
    """
    if (spec.operator, spec.kind) == (Operator.MTS, DocumentKind.INVOICE):
        return _html_invoice(spec)
    if (spec.operator, spec.kind) != (Operator.MTS, DocumentKind.CALL_DETAILS):
        raise ValueError(f"no HTML {spec.kind} for {spec.operator}")
    req, grouped = REQUISITES[spec.operator], calls_by_number(spec)
    title = "МТС Бизнес. Детализация звонков"
    period = spec.period
    parts = [
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">',
        f"<title>{title}</title>\n</head>\n<body>",
        f"<div class='requisites'><p><b>{escape(req.legal_name)}</b></p>",
        f"<p>{req.tax_id_label} {req.tax_id}</p><p>Адрес: {escape(req.address)}</p></div>",
        f"<h1>{title}</h1>",
        f"<p>Номер лицевого счета: {escape(spec.account)}</p>",
        f"<p>Период: с {period.first_day:%d.%m.%y} по {period.last_day:%d.%m.%y}</p>",
        f"<p>Клиент: {escape(spec.customer.name)}</p>",
        f"<p>Абонентские номера: {', '.join('+' + n for n in grouped)}</p>",
    ]
    for number, calls in grouped.items():
        parts.append(f"<h2>Абонент: {spoken_number(number)}</h2>\n<table border='1'>")
        parts.append(_tr(_CALL_HEADERS, "th"))
        parts.extend(
            _tr((f"{c.when:%d.%m.%y}", f"{c.when:%H:%M:%S}", spoken_number(c.other), c.service,
                 duration(c.duration_s), money(c.charge)))
            for c in calls
        )  # fmt: skip
        parts.append(f"</table>\n<p>Итого по номеру {number}: {money(total(calls))} руб.</p>")
    grand = sum((total(calls) for calls in grouped.values()), Decimal(0))
    parts.append(f"<p><b>Итого по детализации: {money(grand)} руб.</b></p>\n</body>\n</html>\n")
    return "\n".join(parts).encode("utf-8")


def _html_invoice(spec: DocumentSpec) -> bytes:
    """An MTS e-bill as an HTML page: requisites, «Счет № … от …», «Расчетный период:
    Октябрь, 2026», the account as «Лицевой счёт», the services in a table."""
    req, items = REQUISITES[spec.operator], services(spec)
    amount = sum((a for _, a in items), Decimal(0))
    month = MONTHS[spec.period.month - 1].capitalize()
    rows = "\n".join(_tr((name, money(a))) for name, a in items)
    vat = money(vat_included(spec.operator, amount))
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        "<title>Счет за услуги связи</title></head>\n<body>\n"
        f"<table><tr><td><b>{escape(req.legal_name)}</b></td>"
        f"<td>{req.tax_id_label} {req.tax_id}</td></tr></table>\n"
        f"<h1>Счет № {document_number(spec)} от {spec.issued_on:%d.%m.%Y}</h1>\n"
        f"<p>Расчетный период: {month}, {spec.period.year}</p>\n"
        f"<p>Лицевой счёт: {escape(spec.account)}</p>\n"
        f"<p>Плательщик: {escape(spec.customer.name)}</p>\n"
        f"<table border='1'>{_tr(('Услуга', 'Сумма, руб.'), 'th')}\n{rows}</table>\n"
        f"<p><b>Итого к оплате: {money(amount)} руб.</b>, в том числе НДС: {vat} руб.</p>\n"
        "</body></html>\n"
    ).encode()


def render_txt(spec: DocumentSpec) -> bytes:
    """Render an A1 invoice as the plain text A1 sends when the delivery format is "txt".

    A1 offers TXT invoices («Invoice Conversion», a1.by); the fixed-width layout, the
    short «ЛС №» and the numeric «Период: 10.2026» are assumed.

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
        f"Период: {spec.period.month:02d}.{spec.period.year}",
        f"ЛС № {spec.account}",
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
