"""A month of operator mail, as the sandbox company receives it.

Used by the demo and by the end-to-end tests: every operator, the kinds and formats
each really sends, a re-sent copy, a corrected re-issue, a person's letter in the
same mailbox, and one broken message.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents import DocumentSpec, render
from sandbox.mails import operator_message, zip_bytes
from sandbox.world import accounts_of


@dataclass(frozen=True)
class Letter:
    """One message and what the robot should make of it."""

    description: str
    message: EmailMessage
    expected: str  # "delivered", "duplicate", "ignored", "quarantined"


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
    k = DocumentKind
    f = DocumentFormat
    mts_invoice = render(spec(Operator.MTS, k.INVOICE, f.PDF, period))
    a1_invoice = render(spec(Operator.A1, k.INVOICE, f.XLSX, period))
    kcell = accounts_of(Operator.KCELL)[0]
    letters = [
        Letter(
            "MTS invoice (PDF)",
            operator_message(Operator.MTS, [("document.pdf", mts_invoice)], to=to),
            "delivered",
        ),
        Letter(
            "MTS call details (XML)",
            operator_message(
                Operator.MTS,
                [
                    (
                        "Report.zip",
                        zip_bytes(
                            [
                                (
                                    "report.xml",
                                    render(spec(Operator.MTS, k.CALL_DETAILS, f.XML, period)),
                                )
                            ]
                        ),
                    )
                ],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "MTS call details, second account (XLSX)",
            operator_message(
                Operator.MTS,
                [
                    (
                        "Детализация.xlsx",
                        render(spec(Operator.MTS, k.CALL_DETAILS, f.XLSX, period, account_index=1)),
                    )
                ],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "A1 invoice (Excel, zipped)",
            operator_message(
                Operator.A1, [("Schet.zip", zip_bytes([("schet.xlsx", a1_invoice)]))], to=to
            ),
            "delivered",
        ),
        Letter(
            "A1 call details (XLSX)",
            operator_message(
                Operator.A1,
                [("Детализация.xlsx", render(spec(Operator.A1, k.CALL_DETAILS, f.XLSX, period)))],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "A1 reconciliation act (PDF)",
            operator_message(
                Operator.A1,
                [("akt.pdf", render(spec(Operator.A1, k.RECONCILIATION_ACT, f.PDF, period)))],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "Kcell call details for one number (XLS)",
            operator_message(
                Operator.KCELL,
                [
                    (
                        "detail.xls",
                        render(
                            spec(
                                Operator.KCELL,
                                k.CALL_DETAILS,
                                f.XLS,
                                period,
                                numbers=kcell.numbers[:1],
                            )
                        ),
                    )
                ],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "Kcell work act (PDF)",
            operator_message(
                Operator.KCELL,
                [("document.pdf", render(spec(Operator.KCELL, k.WORK_ACT, f.PDF, period)))],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "SIP invoice (PDF)",
            operator_message(
                Operator.SIP,
                [("invoice.pdf", render(spec(Operator.SIP, k.INVOICE, f.PDF, period)))],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "SIP current charges (XLSX)",
            operator_message(
                Operator.SIP,
                [("charges.xlsx", render(spec(Operator.SIP, k.CHARGES, f.XLSX, period)))],
                to=to,
            ),
            "delivered",
        ),
        Letter(
            "MTS invoice re-sent (same bytes)",
            operator_message(Operator.MTS, [("document.pdf", mts_invoice)], to=to),
            "duplicate",
        ),
        Letter(
            "MTS invoice corrected (a new version)",
            operator_message(
                Operator.MTS,
                [("document.pdf", render(spec(Operator.MTS, k.INVOICE, f.PDF, period, seed=1)))],
                to=to,
            ),
            "delivered",
        ),
        Letter("A person's letter in the same mailbox", _personal_letter(to), "ignored"),
        Letter(
            "MTS message with a damaged PDF",
            operator_message(
                Operator.MTS, [("document.pdf", mts_invoice[: len(mts_invoice) // 3])], to=to
            ),
            "quarantined",
        ),
    ]
    return letters


def _personal_letter(to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Ольга Петрова <o.petrova@example.com>"
    msg["To"] = to
    msg["Subject"] = "Обед в пятницу"
    msg["Message-ID"] = "<lunch-1@example.com>"
    msg.set_content("Коллеги, в пятницу обед в 13:00. Ольга")
    return msg
