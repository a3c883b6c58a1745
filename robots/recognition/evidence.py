"""The one rule that combines what the content says with where the file came from.

Evidence for the operator comes from two sides:

- the content: an operator's legal name or tax id (``OPERATOR_SIGNATURES``), the
  structure of one of its known formats (MTS XML, A1's «Детализация» sheet), or a tax
  id or legal name the configuration lists for a cabinet (``recognition = {...}``);
- the origin: the cabinet whose ``mail_from`` the sender matches, or that downloaded
  the file, and the order of that cabinet the file answers (the order book's row of the
  same kind and period, and account if the content prints one).

The rule: when both speak they must agree, else the file goes to a person with both
named; when one speaks it decides; when neither does the file is not the robot's.
Kind and period come from the content, and a period never from the issue date alone;
the account from the content, else from the subscriber numbers, else from the one order
the file answers. An order the content contradicts is not answered: it says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from robots.domain import DocumentKind, Operator, Period
from robots.recognition.common import Recognition


@dataclass(frozen=True)
class Order:
    """A document the robot ordered (or downloaded) in a cabinet, as the order book has it."""

    cabinet: str
    period: Period
    kind: DocumentKind
    account: str

    def __str__(self) -> str:
        return f"order {self.cabinet} {self.period} {self.kind}"


@dataclass(frozen=True)
class Origin:
    """The cabinet a file came from: ``how`` is "sender" (its mail) or "download";
    ``orders`` are the cabinet's orders the file may answer."""

    cabinet: str
    operator: Operator
    how: str = "sender"
    orders: tuple[Order, ...] = ()

    def __str__(self) -> str:
        return f"{self.how} {self.cabinet}"


def answered_order(recognition: Recognition, origin: Origin | None) -> Order | None:
    """The one order of ``origin`` the file answers: of its kind and period, and of its
    account where the content prints one; None if none or several."""
    if origin is None:
        return None
    answered = [
        order
        for order in origin.orders
        if order.cabinet == origin.cabinet
        and order.kind is recognition.kind
        and order.period == recognition.period
        and recognition.account in (None, order.account)
    ]
    return answered[0] if len(answered) == 1 else None


@dataclass(frozen=True)
class ConfiguredIssuer:
    """A tax id or legal name the configuration says a cabinet's operator prints."""

    cabinet: str
    operator: Operator
    marker: str


_LEGAL_FORM_RE = re.compile(r"^(?:ООО|ОАО|ЗАО|ПАО|АО|УП|СООО|ИООО|ЧУП|ТОО|LLC|JSC)\s+")


def _name_key(name: str) -> str:
    bare = re.sub(r"[«»\"“”']", "", " ".join(name.split())).strip()
    return _LEGAL_FORM_RE.sub("", bare).casefold()


def configured_issuer(
    parties: Iterable[str], configured: Iterable[ConfiguredIssuer]
) -> tuple[ConfiguredIssuer, str] | None:
    """The configured issuer among the tax ids and legal names a document prints."""
    printed = list(parties)
    for issuer in configured:
        wanted = _name_key(issuer.marker)
        for party in printed:
            if party == issuer.marker or (wanted and _name_key(party) == wanted):
                return issuer, party
    return None


class Contradiction(ValueError):
    """The content names one operator and the file came from another's cabinet."""


def place_operator(
    recognition: Recognition,
    origin: Origin | None,
    configured: Iterable[ConfiguredIssuer] = (),
) -> tuple[Operator, str] | None:
    """The operator of a recognised file and the evidence for it, by the rule above.

    Returns:
        The operator and its evidence ("text «ПАО «МТС»», sender mts-main"), or None when
        neither the content nor the origin names one.

    Raises:
        Contradiction: The content and the origin name different operators.
    """
    content: tuple[Operator, str] | None = None
    if recognition.operator is not None:
        content = recognition.operator, dict(recognition.evidence).get("operator", "content")
    elif (found := configured_issuer(recognition.parties, configured)) is not None:
        issuer, party = found
        content = issuer.operator, f"text «{party}» (recognition of {issuer.cabinet})"
    if origin is None:
        return content
    order = answered_order(recognition, origin)
    from_origin = f"{origin}, {order}" if order is not None else str(origin)
    if content is None:
        return origin.operator, from_origin
    if content[0] is not origin.operator:
        raise Contradiction(
            f"the content names {content[0]} ({content[1]}) but it came from cabinet "
            f"{origin.cabinet} ({origin.operator}"
            + (f", {order}" if order is not None else "")
            + "): a person must say which is right"
        )
    return content[0], f"{content[1]}, {from_origin}"
