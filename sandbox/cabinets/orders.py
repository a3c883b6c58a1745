"""What a cabinet accepted: the orders book (``GET /_sandbox/orders``) and the SMS
codes it sent (``GET /_sandbox/sms?phone=``), for tests to check against.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any, Literal

from robots.domain import DocumentFormat, DocumentKind, Period

__all__ = ["OrderBook", "OrderRecord", "Sms", "SmsGateway"]

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
    date_from: dt.date | None = None  # call details for a range of days (MTS)
    date_to: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        """The order as ``/_sandbox/orders`` lists it (``date_from``/``date_to`` if set)."""
        extra = {}
        if self.date_from is not None and self.date_to is not None:
            extra = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
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
            **extra,
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
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
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
                date_from,
                date_to,
            )
            self._orders.append(record)
            return record

    def all(self) -> list[OrderRecord]:
        with self._lock:
            return list(self._orders)


@dataclass(frozen=True)
class Sms:
    """One code sent by SMS."""

    phone: str
    code: str
    sent_at: dt.datetime  # the real time (UTC): a robot compares it with its own clock

    def as_json(self) -> dict[str, Any]:
        return {"phone": self.phone, "code": self.code, "sent_at": self.sent_at.isoformat()}


class SmsGateway:
    """The last code sent to each phone (cabinets that confirm by SMS use it).

    ``sent_at`` is the wall clock, not the sandbox calendar: whoever reads the code
    (the robot's OTP source) tells a fresh code from an old one by its own clock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: dict[str, Sms] = {}

    def send(self, phone: str, code: str) -> Sms:
        sms = Sms(phone, code, dt.datetime.now(dt.UTC))
        with self._lock:
            self._sent[phone] = sms
        return sms

    def last(self, phone: str) -> str | None:
        """The last code sent to ``phone``."""
        sms = self.last_sms(phone)
        return sms.code if sms else None

    def last_sms(self, phone: str) -> Sms | None:
        with self._lock:
            return self._sent.get(phone)
