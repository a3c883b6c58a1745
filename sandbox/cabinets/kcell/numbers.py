"""«Управление номерами»: the company's numbers (with «Поиск»), a number's profile
(«Информация по номеру», «Блокировка») and its «Детализация»: the last 90 days on the
screen or as a PDF or XLS file downloaded directly.

The sandbox's call details cover whole months: a file holds the month of the start date
(the order records the exact days); the screen shows the calls of the chosen days.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException

from robots.domain import DocumentFormat, DocumentKind, Period
from sandbox.cabinets.kcell import texts
from sandbox.cabinets.kcell.company import (
    Company,
    NumberRow,
    default_details_range,
    details_window,
    month_range,
    typed_dates,
)
from sandbox.cabinets.sessions import Session
from sandbox.documents import DocumentSpec
from sandbox.documents.model import Call, generate_calls

if TYPE_CHECKING:
    from sandbox.cabinets.kcell.cabinet import KcellCabinet

_FILES = {"pdf": DocumentFormat.PDF, "xls": DocumentFormat.XLS}


def _duration(seconds: int) -> str:
    """``00:12:34``, or empty for SMS and data sessions (as the PDF prints it)."""
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds else ""


def add_routes(app: FastAPI, cab: KcellCabinet) -> None:
    """The list of numbers, a number's profile, its blocking and its call details."""

    def row_of(session: Session, number: str) -> tuple[Company, NumberRow]:
        """The current company's number, or a 404 page (another company's, unknown)."""
        company = cab.company(session)
        found = next((r for r in company.rows() if r.number == number), None)
        if found is None:
            raise HTTPException(404)
        return company, found

    def status_of(row: NumberRow) -> str:
        return texts.BLOCKED if row.number in cab.blocked else row.line.status

    @app.get("/numbers")
    async def numbers_list(request: Request, q: str = "", page: int = 1) -> Response:
        session = cab.require_login(request)
        rows = cab.company(session).rows(q[:64])
        pages, page_no = 1, 1
        if cab.style == "spa":  # a single-page app's table shows 10 rows a page
            size = texts.NUMBERS_PER_PAGE
            pages = max(1, -(-len(rows) // size))
            page_no = min(max(page, 1), pages)
            rows = rows[(page_no - 1) * size : page_no * size]
        statuses = {row.number: status_of(row) for row in rows}
        return cab.render(
            request,
            "numbers.html",
            session,
            rows=rows,
            statuses=statuses,
            query=q[:64],
            pages=pages,
            page_no=page_no,
        )

    @app.get("/numbers/{number}")
    async def number_profile(request: Request, number: str) -> Response:
        session = cab.require_login(request)
        _, row = row_of(session, number)
        return cab.render(
            request,
            "number.html",
            session,
            row=row,
            status=status_of(row),
            phone=texts.phone_text(number),
            done="",
        )

    @app.get("/numbers/{number}/block")
    async def block_form(request: Request, number: str) -> Response:
        session = cab.require_login(request)
        _, row = row_of(session, number)
        blocked = number in cab.blocked
        return cab.render(
            request,
            "block.html",
            session,
            row=row,
            phone=texts.phone_text(number),
            heading=texts.UNBLOCK_HEADING if blocked else texts.BLOCK_HEADING,
            question=texts.UNBLOCK_QUESTION if blocked else texts.BLOCK_QUESTION,
        )

    @app.post("/numbers/{number}/block")
    async def block(request: Request, number: str) -> Response:
        # Not in the contract: the robot never blocks a number. Done at once (the real
        # cabinet shows «В обработке» for a minute or two).
        session = cab.require_login(request)
        await cab.checked_form(request, session)
        _, row = row_of(session, number)
        if number in cab.blocked:
            cab.blocked.discard(number)
            done = texts.UNBLOCK_DONE
        else:
            cab.blocked.add(number)
            done = texts.BLOCK_DONE
        return cab.render(
            request,
            "number.html",
            session,
            row=row,
            status=status_of(row),
            phone=texts.phone_text(number),
            done=done,
        )

    # -- «Детализация» -------------------------------------------------------------------

    def details_page(
        request: Request,
        session: Session,
        row: NumberRow,
        start: str,
        end: str,
        output: str,
        alert: str = "",
        calls: list[Call] | None = None,
        typed: str = "",
    ) -> Response:
        earliest, latest = details_window(cab.calendar.today())
        lines = [
            (
                f"{c.when:%d.%m.%Y}",
                f"{c.when:%H:%M:%S}",
                c.other,
                c.service,
                _duration(c.duration_s),
                f"{c.charge:.2f}".replace(".", ","),
            )
            for c in calls or []
        ]
        return cab.render(
            request,
            "details.html",
            session,
            row=row,
            phone=texts.phone_text(row.number),
            start=start,
            end=end,
            output=output,
            date_min=earliest.isoformat(),
            date_max=latest.isoformat(),
            alert=alert,
            shown=calls is not None,
            calls=lines,
            typed=typed,
        )

    def spec_of(
        row: NumberRow, company: Company, period: Period, fmt: DocumentFormat
    ) -> DocumentSpec:
        return DocumentSpec(
            cab.operator,
            DocumentKind.CALL_DETAILS,
            fmt,
            row.account,
            period,
            (row.number,),
            customer=company.customer,
            calls_per_number=cab.settings.calls_per_number,
        )

    def calls_between(row: NumberRow, company: Company, start: dt.date, end: dt.date) -> list[Call]:
        calls: list[Call] = []
        for period in month_range(Period.of(start), Period.of(end)):
            spec = spec_of(row, company, period, DocumentFormat.PDF)
            calls += [c for c in generate_calls(spec) if start <= c.when.date() <= end]
        return calls

    @app.get("/numbers/{number}/details")
    async def details_form(request: Request, number: str) -> Response:
        session = cab.require_login(request)
        _, row = row_of(session, number)
        start, end = default_details_range(cab.calendar.today())
        return details_page(request, session, row, start.isoformat(), end.isoformat(), "screen")

    @app.post("/numbers/{number}/details")
    async def details(request: Request, number: str) -> Response:
        session = cab.require_login(request)
        form = await cab.checked_form(request, session)
        company, row = row_of(session, number)
        typed_start, typed_end, start, end = typed_dates(form)
        typed = form.get("period")
        output = form.get("output")
        if output not in ("screen", *_FILES):
            output = "screen"  # not in the manual: a forged choice shows the screen
        earliest, latest = details_window(cab.calendar.today())
        if start is None or end is None or start > end or start < earliest or end > latest:
            return details_page(
                request,
                session,
                row,
                typed_start,
                typed_end,
                output,
                texts.DETAILS_RANGE,
                typed=typed,
            )
        if output == "screen":
            calls = calls_between(row, company, start, end)
            return details_page(
                request, session, row, typed_start, typed_end, output, calls=calls, typed=typed
            )
        fmt = _FILES[output]
        period = Period.of(start)
        cab.accept_order(
            kind=DocumentKind.CALL_DETAILS,
            method="download",
            account=row.account,
            period=period,
            fmt=fmt,
            numbers=(row.number,),
            date_from=start,
            date_to=end,
        )
        return await cab.document_download(spec_of(row, company, period, fmt))
