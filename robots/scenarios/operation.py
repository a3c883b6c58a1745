"""One robot operation, as a scenario records and replays it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from robots.cabinets.base import CabinetRobot, OrderRequest
from robots.domain import DocumentFormat, DocumentKind, Period
from robots.errors import ConfigurationError


class OperationName(StrEnum):
    LOGIN = "login"  # log in from the login page to the cabinet's home screen
    ACCOUNTS = "accounts"  # read the personal accounts and their numbers
    ORDER = "order"  # order a document by e-mail
    DOWNLOAD = "download"  # fetch a document the cabinet gives as a file


@dataclass(frozen=True)
class Operation:
    """What the robot does in a scenario; ``order`` and ``download`` name a kind, a
    period and an account."""

    name: OperationName
    kind: DocumentKind | None = None
    period: Period | None = None
    account: str | None = None
    format: DocumentFormat | None = None

    def __post_init__(self) -> None:
        needs_document = self.name in (OperationName.ORDER, OperationName.DOWNLOAD)
        if needs_document and not (self.kind and self.period and self.account):
            raise ConfigurationError(f"operation {self.name} needs a kind, a period and an account")

    @property
    def slug(self) -> str:
        """The scenario folder's name: ``login``, ``accounts``, ``order-invoice``, ..."""
        return f"{self.name}-{self.kind}" if self.kind else str(self.name)

    def run(self, robot: CabinetRobot) -> str:
        """Do it; one line saying what the robot did."""
        if self.name is OperationName.LOGIN:
            reused = robot.check_session()
            return "the saved session was alive" if reused else "logged in"
        if self.name is OperationName.ACCOUNTS:
            accounts = robot.accounts()
            return "accounts: " + "; ".join(f"{a.id} ({', '.join(a.numbers)})" for a in accounts)
        assert self.kind and self.period and self.account  # __post_init__
        request = OrderRequest(self.kind, self.period, self.account, self.format)
        if self.name is OperationName.DOWNLOAD:
            files = robot.download(request)
            # Names only: a recording keeps a note in place of a document's bytes.
            return "downloaded " + ", ".join(f.name or "a file" for f in files)
        order = robot.order(request)
        numbers = f" for {', '.join(order.numbers)}" if order.numbers else ""
        return f"ordered {order.kind} {order.period} of {order.account}{numbers}"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": str(self.name),
            "kind": str(self.kind) if self.kind else None,
            "period": str(self.period) if self.period else None,
            "account": self.account,
            "format": str(self.format) if self.format else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Operation:
        return cls(
            OperationName(data["name"]),
            DocumentKind(data["kind"]) if data.get("kind") else None,
            Period.parse(data["period"]) if data.get("period") else None,
            data.get("account"),
            DocumentFormat(data["format"]) if data.get("format") else None,
        )
