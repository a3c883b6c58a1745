"""The one rule that combines the content's evidence with the file's cabinet."""

from __future__ import annotations

import pytest

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from robots.intake import NumberIndex, Placed, place
from robots.recognition.common import Recognition
from robots.recognition.evidence import ConfiguredIssuer, Order, Origin

OCTOBER = Period(year=2026, month=10)


def recognition(operator: Operator | None, parties: tuple[str, ...] = ()) -> Recognition:
    evidence = (("kind", "title «Счет №»"), ("period", "text «октябрь 2026»"))
    if operator is not None:
        evidence += (("operator", "text «УНП 101528843»"),)
    return Recognition(
        operator,
        DocumentKind.INVOICE,
        DocumentFormat.PDF,
        OCTOBER,
        "25602051",
        parties=parties,
        evidence=(*evidence, ("account", "text «л/с 25602051»")),
    )


NUMBERS = NumberIndex(())
A1_SENDER = Origin("a1-main", Operator.A1)


def test_the_cabinet_gives_the_operator_the_content_does_not_name() -> None:
    placed = place(recognition(None), NUMBERS, A1_SENDER)
    assert isinstance(placed, Placed)
    assert placed.document.operator is Operator.A1
    assert placed.evidence == {
        "operator": "sender a1-main",
        "account": "text «л/с 25602051»",
        "period": "text «октябрь 2026»",
        "kind": "title «Счет №»",
    }


def test_content_and_cabinet_that_agree_are_both_recorded() -> None:
    placed = place(recognition(Operator.A1), NUMBERS, A1_SENDER)
    assert isinstance(placed, Placed)
    assert placed.evidence["operator"] == "text «УНП 101528843», sender a1-main"


def test_content_that_contradicts_the_cabinet_names_both() -> None:
    placed = place(recognition(Operator.A1), NUMBERS, Origin("mts-main", Operator.MTS, "download"))
    assert placed == (
        "the content names a1 (text «УНП 101528843») but it came from cabinet mts-main (mts): "
        "a person must say which is right"
    )


@pytest.mark.parametrize("party", ["191234567", "Бизнес Связь"])
def test_the_configuration_names_an_operator(party: str) -> None:
    configured = [
        ConfiguredIssuer("sip-main", Operator.SIP, "191234567"),
        ConfiguredIssuer("sip-main", Operator.SIP, "ООО «Бизнес Связь»"),
    ]
    placed = place(recognition(None, (party,)), NUMBERS, None, configured)
    assert isinstance(placed, Placed)
    assert placed.document.operator is Operator.SIP
    assert placed.evidence["operator"] == f"text «{party}» (recognition of sip-main)"
    # ...and a configured issuer from another operator's cabinet is a contradiction.
    assert isinstance(place(recognition(None, (party,)), NUMBERS, A1_SENDER, configured), str)


def test_no_operator_from_content_and_no_cabinet_is_not_placed() -> None:
    reason = place(recognition(None, ("Ромашка",)), NUMBERS, None)
    assert isinstance(reason, str) and "operator unknown from content" in reason


SIP_OCTOBER_INVOICE = Order("sip-main", OCTOBER, DocumentKind.INVOICE, "1100023457")


def sip_invoice(account: str | None) -> Recognition:
    """A SIP invoice whose content names the kind and the month, and maybe an account."""
    evidence = (("kind", "title «Счет»"), ("period", "text «октябрь 2026»"))
    evidence += (("account", f"text «л/с {account}»"),) if account else ()
    return Recognition(
        None, DocumentKind.INVOICE, DocumentFormat.PDF, OCTOBER, account, evidence=evidence
    )


def test_the_order_the_file_answers_is_evidence_and_gives_the_account_the_content_omits() -> None:
    ordered = Origin("sip-main", Operator.SIP, "sender", (SIP_OCTOBER_INVOICE,))

    placed = place(sip_invoice(None), NUMBERS, ordered)

    assert isinstance(placed, Placed)
    assert placed.document.account == "1100023457"
    assert placed.evidence == {
        "operator": "sender sip-main, order sip-main 2026-10 invoice",
        "account": "order sip-main 2026-10 invoice",
        "period": "text «октябрь 2026», order sip-main 2026-10 invoice",
        "kind": "title «Счет», order sip-main 2026-10 invoice",
    }
    # Without the order, the account is unknown: a person must place the file.
    assert isinstance(place(sip_invoice(None), NUMBERS, Origin("sip-main", Operator.SIP)), str)


def test_an_order_the_content_contradicts_says_nothing() -> None:
    ordered = Origin("sip-main", Operator.SIP, "sender", (SIP_OCTOBER_INVOICE,))

    other_account = place(sip_invoice("1100023456"), NUMBERS, ordered)
    assert isinstance(other_account, Placed)
    assert other_account.document.account == "1100023456"
    assert other_account.evidence["operator"] == "sender sip-main"
    assert "order" not in " ".join(other_account.evidence.values())
    september = Order("sip-main", OCTOBER.previous(), DocumentKind.INVOICE, "1100023457")
    not_this_month = Origin("sip-main", Operator.SIP, "sender", (september,))
    assert isinstance(place(sip_invoice(None), NUMBERS, not_this_month), str)
    # Two accounts' invoices ordered: the order cannot say which one this is.
    both = (SIP_OCTOBER_INVOICE, Order("sip-main", OCTOBER, DocumentKind.INVOICE, "1100023456"))
    assert isinstance(
        place(sip_invoice(None), NUMBERS, Origin("sip-main", Operator.SIP, "sender", both)), str
    )


def test_content_that_contradicts_a_download_names_the_order_too() -> None:
    download = Origin("mts-main", Operator.MTS, "download",
                      (Order("mts-main", OCTOBER, DocumentKind.INVOICE, "25602051"),))  # fmt: skip
    placed = place(recognition(Operator.A1), NUMBERS, download)
    assert placed == (
        "the content names a1 (text «УНП 101528843») but it came from cabinet mts-main (mts, "
        "order mts-main 2026-10 invoice): a person must say which is right"
    )
