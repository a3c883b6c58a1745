"""What a cabinet accepted: the orders book (``GET /_sandbox/orders``) and the SMS
codes it sent (``GET /_sandbox/sms?phone=``), for tests to check against.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any, Literal

from robots.domain import DocumentFormat, DocumentKind, Period

__all__ = ["OrderBook", "OrderRecord", "SmsGateway"]

Method = Literal["email", "download"]


@dataclass(frozen=True)
class OrderRecord:
    """One accepted order (delivery-setting changes are not orders)."""

    id: int
    kind: DocumentKind
    method: Method
    account: str
    period: Period
    format: DocumentFormat
    numbers: tuple[str, ...]
    to: tuple[str, ...]  # e-mail recipients; empty for a download
    ordered_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": str(self.kind),
            "method": self.method,
            "account": self.account,
            "period": str(self.period),
            "format": str(self.format),
            "numbers": list(self.numbers),
            "to": list(self.to),
            "ordered_at": self.ordered_at.isoformat(),
        }


class OrderBook:
    """Orders in the order they were accepted, numbered from 1."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._orders: list[OrderRecord] = []

    def add(
        self,
        *,
        kind: DocumentKind,
        method: Method,
        account: str,
        period: Period,
        format: DocumentFormat,
        ordered_at: dt.datetime,
        numbers: tuple[str, ...] = (),
        to: tuple[str, ...] = (),
    ) -> OrderRecord:
        """Record an order and return it with its id."""
        with self._lock:
            record = OrderRecord(
                len(self._orders) + 1,
                kind,
                method,
                account,
                period,
                format,
                numbers,
                to,
                ordered_at,
            )
            self._orders.append(record)
            return record

    def all(self) -> list[OrderRecord]:
        with self._lock:
            return list(self._orders)


class SmsGateway:
    """The last code sent to each phone (cabinets that confirm by SMS use it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: dict[str, str] = {}

    def send(self, phone: str, code: str) -> None:
        with self._lock:
            self._codes[phone] = code

    def last(self, phone: str) -> str | None:
        with self._lock:
            return self._codes.get(phone)
