"""The main screen «Виртуальный менеджер» (tab «Операции с номерами»): the billing
hierarchy, «Текущая выборка» filled by drag and drop, and the selection's JSON
endpoints the page's script calls (``static/vm.js``). Every load of the main screen
starts with an empty selection; the legacy page has its working area in a frame
(``GET /selfcare/vm/work?tab=N``).

JSON endpoints (CSRF token in the ``X-CSRF-Token`` header; an expired session answers
401 ``{"error": "unauthorized", "message", "location"}``):

- ``GET /selfcare/api/selection``: ``{"count", "heading", "selected_text", "rows": [{"type",
  "number", "folder", "name"}]}``;
- ``POST /selfcare/api/selection`` with ``{"account": "277012345678"}`` (all its numbers)
  or ``{"number": "79161234567"}``: the selection after adding; 400 for an unknown one;
- ``POST /selfcare/api/selection/clear``: the empty selection.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from sandbox.cabinets.mts.company import (
    closed_months,
    default_details_range,
    details_window,
    month_option,
)
from sandbox.cabinets.sessions import Session

if TYPE_CHECKING:
    from sandbox.cabinets.mts.cabinet import MtsCabinet


def _legacy_day(day: dt.date) -> str:
    """A day as the legacy page's text fields write it: ``01.10.2026``."""
    return day.strftime("%d.%m.%Y")


def add_routes(app: FastAPI, cab: MtsCabinet) -> None:
    """The main screen and the selection endpoints."""
    company = cab.company

    def working_area(request: Request, session: Session, template: str, tab: int = 1) -> Response:
        today = cab.calendar.today()
        date_from, date_to = default_details_range(today)
        earliest, latest = details_window(today)
        legacy = cab.style == "legacy"
        day = _legacy_day if legacy else dt.date.isoformat
        return cab.render(
            request,
            template,
            session,
            tree=company.tree(),
            selection=company.selection_json(session),
            periods=[month_option(p, legacy=legacy) for p in closed_months(today)],
            date_from=day(date_from),
            date_to=day(date_to),
            date_min=earliest.isoformat(),
            date_max=latest.isoformat(),
            tab=tab,
        )

    @app.get("/selfcare/vm")
    async def main_screen(request: Request) -> Response:
        session = cab.require_login(request)
        # The manual's main screen opens with an empty «Текущая выборка»: the selection
        # lives as long as the page that shows it.
        company.clear(session)
        return working_area(request, session, "vm.html")

    @app.get("/selfcare/vm/work")
    async def working_frame(request: Request, tab: int = 1) -> Response:
        # The legacy page draws its working area in a frame (tab by tab); the accessible
        # page has it in place.
        session = cab.require_login(request)
        if cab.style != "legacy":
            return cab.error_page(request, "not_found")
        return working_area(request, session, "work.html", tab)

    @app.get("/selfcare/api/selection")
    async def get_selection(request: Request) -> Response:
        session = cab.require_login_json(request)
        return JSONResponse(company.selection_json(session))

    @app.post("/selfcare/api/selection")
    async def add_to_selection(request: Request) -> Response:
        session = cab.require_login_json(request)
        body = await cab.checked_json(request, session)
        account, number = body.get("account"), body.get("number")
        if isinstance(account, str) and account in company.accounts:
            company.select(session, company.accounts[account].numbers)
        elif isinstance(number, str) and number in company.subscribers:
            company.select(session, [number])
        else:  # not in the manual: a drop of something that is not in the hierarchy
            return JSONResponse({"error": "unknown account or number"}, status_code=400)
        return JSONResponse(company.selection_json(session))

    @app.post("/selfcare/api/selection/clear")
    async def clear_selection(request: Request) -> Response:
        session = cab.require_login_json(request)
        await cab.checked_json(request, session)
        company.clear(session)
        return JSONResponse(company.selection_json(session))
