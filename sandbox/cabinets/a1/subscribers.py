"""«Абоненты»: the account's subscribers, searched by number or SIM and filtered by
tariff and status, and «Выгрузка в Excel» (an .xlsx of the listed rows, downloaded
directly). The subscriber's own pages (services, tariff, SIM) are not simulated: the
robot reads only the list.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from sandbox.cabinets.a1 import texts
from sandbox.cabinets.a1.company import Subscriber
from sandbox.documents.model import FIXED_TIMESTAMP

if TYPE_CHECKING:
    from sandbox.cabinets.a1.cabinet import A1Cabinet


def listed(rows: list[Subscriber], query: str, tariff: str, status: str) -> list[Subscriber]:
    """The rows whose number or SIM contains ``query``, of ``tariff`` and ``status``
    (``""``: any)."""
    query = "".join(query.split())
    return [
        r
        for r in rows
        if (query in r.number or query in r.sim)
        and tariff in ("", r.tariff)
        and status in ("", r.status)
    ]


def subscribers_xlsx(rows: list[Subscriber]) -> bytes:
    """The export: the five columns of the list, numbers as 12-digit text."""
    from openpyxl import Workbook  # type: ignore[import-untyped]  # slow: only when used

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = texts.SUBSCRIBERS_HEADING
    sheet.append(list(texts.SUBSCRIBER_COLUMNS))
    for row in rows:
        sheet.append([row.number, row.name, row.sim, row.tariff, row.status])
    book.properties.created = book.properties.modified = FIXED_TIMESTAMP.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_routes(app: FastAPI, cab: A1Cabinet) -> None:
    """The «Абоненты» page and its export."""

    def filters(request: Request) -> tuple[str, str, str]:
        params = request.query_params
        return params.get("q", ""), params.get("tariff", ""), params.get("status", "")

    @app.get("/subscribers")
    async def subscribers(request: Request) -> Response:
        session = cab.require_role(request)
        everyone = cab.client.subscribers(cab.account(session))
        query, tariff, status = filters(request)
        return cab.page(
            request,
            session,
            "subscribers.html",
            rows=listed(everyone, query, tariff, status),
            query=query,
            tariff=tariff,
            status_filter=status,
            tariffs=sorted({r.tariff for r in everyone}),
            statuses=sorted({r.status for r in everyone}),
        )

    @app.get("/subscribers/export")
    async def export(request: Request) -> Response:
        session = cab.require_role(request)
        account = cab.account(session)
        rows = listed(cab.client.subscribers(account), *filters(request))
        data = await run_in_threadpool(subscribers_xlsx, rows)
        return cab.download(f"Абоненты_{account.id}.xlsx", data)
