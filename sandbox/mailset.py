"""A month of operator mail, as the sandbox company receives it.

Used by the demo and by the end-to-end tests: every operator, the kinds and formats
each really sends, a re-sent copy, a corrected re-issue, a scanned invoice (a picture
of the page, no text: it waits in review for a person), a person's letter in the same
mailbox, and one broken message.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents import DocumentSpec, render
from sandbox.mails import operator_message, zip_bytes
from sandbox.scans import scanned_invoice
from sandbox.world import accounts_of


@dataclass(frozen=True)
class Letter:
    """One message and what the robot should make of it."""

    description: str
    message: EmailMessage
    expected: str  # "delivered", "duplicate", "review", "ignored", "quarantined"


def spec(
    operator: Operator,
    kind: DocumentKind,
    fmt: DocumentFormat,
    period: Period,
    *,
    account_index: int = 0,
    numbers: tuple[str, ...] | None = None,
    seed: int = 0,
) -> DocumentSpec:
    account = accounts_of(operator)[account_index]
    return DocumentSpec(
        operator=operator,
        kind=kind,
        format=fmt,
        account=account.id,
        period=period,
        numbers=account.numbers if numbers is None else numbers,
        seed=seed,
    )


def month_of_mail(period: Period, to: str) -> list[Letter]:
    """The letters of one month, in the order they arrive."""
    k, f, op = DocumentKind, DocumentFormat, Operator
    mts_invoice = render(spec(op.MTS, k.INVOICE, f.PDF, period))
    kcell_number = accounts_of(op.KCELL)[0].numbers[:1]

    def letter(
        description: str, operator: Operator, name: str, data: bytes, expected: str = "delivered"
    ) -> Letter:
        return Letter(description, operator_message(operator, [(name, data)], to=to), expected)

    def doc(operator: Operator, kind: DocumentKind, fmt: DocumentFormat, **more: Any) -> bytes:
        return render(spec(operator, kind, fmt, period, **more))

    return [
        letter("MTS invoice (PDF)", op.MTS, "document.pdf", mts_invoice),
        letter(
            "MTS call details (XML in a ZIP)",
            op.MTS,
            "Report.zip",
            zip_bytes([("report.xml", doc(op.MTS, k.CALL_DETAILS, f.XML))]),
        ),
        letter(
            "MTS call details, second account (XLSX)",
            op.MTS,
            "Детализация.xlsx",
            doc(op.MTS, k.CALL_DETAILS, f.XLSX, account_index=1),
        ),
        letter(
            "A1 invoice (Excel, zipped)",
            op.A1,
            "Schet.zip",
            zip_bytes([("schet.xlsx", doc(op.A1, k.INVOICE, f.XLSX))]),
        ),
        letter(
            "A1 call details (XLSX)", op.A1, "Детализация.xlsx", doc(op.A1, k.CALL_DETAILS, f.XLSX)
        ),
        letter(
            "A1 reconciliation act (PDF)", op.A1, "akt.pdf", doc(op.A1, k.RECONCILIATION_ACT, f.PDF)
        ),
        letter(
            "Kcell call details for one number (XLS)",
            op.KCELL,
            "detail.xls",
            doc(op.KCELL, k.CALL_DETAILS, f.XLS, numbers=kcell_number),
        ),
        letter("Kcell work act (PDF)", op.KCELL, "document.pdf", doc(op.KCELL, k.WORK_ACT, f.PDF)),
        letter("SIP invoice (PDF)", op.SIP, "invoice.pdf", doc(op.SIP, k.INVOICE, f.PDF)),
        letter(
            "SIP current charges (XLSX)", op.SIP, "charges.xlsx", doc(op.SIP, k.CHARGES, f.XLSX)
        ),
        letter(
            "SIP invoice of the second account, scanned (no text)",
            op.SIP,
            "scan_0001.pdf",
            scanned_invoice(spec(op.SIP, k.INVOICE, f.PDF, period, account_index=1)),
            "review",
        ),
        letter(
            "MTS invoice re-sent (same bytes)", op.MTS, "document.pdf", mts_invoice, "duplicate"
        ),
        letter(
            "MTS invoice corrected (a new version)",
            op.MTS,
            "document.pdf",
            doc(op.MTS, k.INVOICE, f.PDF, seed=1),
        ),
        Letter("A person's letter in the same mailbox", _personal_letter(to), "ignored"),
        letter(
            "MTS message with a damaged PDF",
            op.MTS,
            "document.pdf",
            mts_invoice[: len(mts_invoice) // 3],
            "quarantined",
        ),
    ]


def _personal_letter(to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Ольга Петрова <o.petrova@example.com>"
    msg["To"] = to
    msg["Subject"] = "Обед в пятницу"
    msg["Message-ID"] = "<lunch-1@example.com>"
    msg.set_content("Коллеги, в пятницу обед в 13:00. Ольга")
    return msg
