"""The outbox: due order, determinism, waiting without sleeping, failures, stopping."""

from __future__ import annotations

import datetime as dt
import threading

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.cabinets.base import Timings
from sandbox.cabinets.calendar import SandboxCalendar
from sandbox.cabinets.sip import SipCabinet
from sandbox.documents import DocumentSpec
from sandbox.outbox import Outbox, Parcel

DATE = dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def parcel(account: str = "1100023456", to: tuple[str, ...] = ("robot@example.com",)) -> Parcel:
    spec = DocumentSpec(
        Operator.SIP, DocumentKind.CHARGES, DocumentFormat.XLSX, account, Period.parse("2026-11")
    )
    return Parcel(spec, to, DATE)


def test_parcels_are_sent_when_due_to_each_recipient_with_the_same_bytes() -> None:
    got: list[tuple[str, bytes]] = []
    with Outbox(lambda rcpt, data: got.append((rcpt, data))) as outbox:
        outbox.post(parcel("1100023457"), 0.3)
        outbox.post(parcel(to=("a@example.com", "b@example.com")), 0.05)
        assert outbox.pending() == 2
        assert outbox.wait_idle(10)
    assert [rcpt for rcpt, _ in got] == ["a@example.com", "b@example.com", "robot@example.com"]
    assert got[0][1] == got[1][1]
    assert b"charges_1100023457_202611.xlsx" in got[2][1]
    assert [s.filename for s in outbox.sent][-1] == "charges_1100023457_202611.xlsx"
    assert parcel().message().as_bytes() == parcel().message().as_bytes()


def test_a_refused_delivery_is_recorded_and_the_rest_go_on() -> None:
    got: list[str] = []

    def deliver(rcpt: str, data: bytes) -> None:
        if rcpt.startswith("bad"):
            raise OSError("refused")
        got.append(rcpt)

    with Outbox(deliver) as outbox:
        outbox.post(parcel(to=("bad@example.com", "good@example.com")), 0)
        assert outbox.wait_idle(10)
    assert got == ["good@example.com"]
    assert outbox.failures == ["charges_1100023456_202611.xlsx to bad@example.com: refused"]


def test_wait_idle_times_out_and_stop_drops_what_is_not_due() -> None:
    outbox = Outbox(lambda rcpt, data: None).start()
    outbox.post(parcel(), 60)
    assert not outbox.wait_idle(0.05)
    outbox.stop()
    assert outbox.pending() == 0 and outbox.sent == []
    assert not any(t.name == "outbox" for t in threading.enumerate())


def test_the_same_order_gives_the_same_message() -> None:
    got: list[bytes] = []
    with Outbox(lambda rcpt, data: got.append(data)) as outbox:
        cabinet = SipCabinet(
            password="x",
            calendar=SandboxCalendar(dt.date(2026, 11, 10)),
            outbox=outbox,
            delivery_email="robot@example.com",
            timings=Timings.uniform(0),
        )
        order = cabinet.accept_order(
            kind=DocumentKind.INVOICE,
            method="email",
            account="1100023456",
            period=Period.parse("2026-10"),
            fmt=DocumentFormat.PDF,
            to=("robot@example.com",),
        )
        spec = DocumentSpec(
            Operator.SIP, DocumentKind.INVOICE, DocumentFormat.PDF, "1100023456", order.period
        )
        for _ in range(2):
            cabinet.mail_document(order, spec, cabinet.company.customer, 0)
        assert outbox.wait_idle(10)
    assert len(got) == 2 and got[0] == got[1]
    assert b"Date: Tue, 10 Nov 2026" in got[0]
