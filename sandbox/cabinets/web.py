"""HTTP pieces every cabinet app shares: form and JSON reading, redirects and refusals
(403 CSRF, 401 JSON for scripts) as exceptions, the fault and markup middlewares and
the sandbox's own endpoints (``/_sandbox/*``).

Forms are read from the urlencoded body by hand: cabinets post nothing else (and JSON
from their scripts), and it spares a multipart dependency.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from sandbox.cabinets.calendar import SandboxCalendar, parse_day
from sandbox.cabinets.faults import FaultInjector
from sandbox.cabinets.markup import MarkupSetting, restyle_css, rewrite_html, rewrite_json
from sandbox.cabinets.orders import OrderBook, SmsGateway

__all__ = [
    "CsrfRefused",
    "Form",
    "Redirect",
    "Unauthorized",
    "Upload",
    "content_disposition",
    "install_faults",
    "install_markup",
    "is_email_address",
    "read_form",
    "read_json",
    "read_multipart",
    "sandbox_router",
]

SANDBOX_PREFIX = "/_sandbox"
STATIC_PREFIX = "/static/"
_MAX_FORM_BYTES = 256 * 1024


class Redirect(Exception):
    """Answer 303 to ``url`` (raised from deep inside a handler)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class CsrfRefused(Exception):
    """A POST without the session's CSRF token: answer 403."""


class Unauthorized(Exception):
    """A fetch() call without a live session: answer 401 JSON saying where to log in.

    Pages redirect (``Redirect``); a script cannot follow a redirect to the login page
    usefully, so JSON endpoints answer ``{"error": "unauthorized", "message", "location"}``
    and the page's script navigates to ``location`` itself.
    """

    def __init__(self, location: str, message: str = "") -> None:
        super().__init__(location)
        self.location = location
        self.message = message


class Form:
    """A posted urlencoded form: every field with all its values."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self._fields = fields

    def get(self, name: str, default: str = "") -> str:
        """The first value of ``name``, or ``default``."""
        values = self._fields.get(name)
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        """Every value of ``name`` (ticked checkboxes), in order."""
        return list(self._fields.get(name, []))


async def read_json(request: Request) -> dict[str, Any]:
    """The request's JSON object body (empty for anything else: a script sent it)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type != "application/json" or len(body) > _MAX_FORM_BYTES:
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


async def read_form(request: Request) -> Form:
    """The request's urlencoded body as a ``Form`` (empty for any other body)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type != "application/x-www-form-urlencoded" or len(body) > _MAX_FORM_BYTES:
        return Form({})
    text = body.decode("utf-8", errors="replace")
    return Form(urllib.parse.parse_qs(text, keep_blank_values=True))


_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_BOUNDARY_RE = re.compile(r"boundary=(\"[^\"]+\"|[^;\s]+)", re.IGNORECASE)
_NAME_RE = re.compile(r'(?i)content-disposition:[^\r\n]*?;\s*name="([^"]*)"')
_FILENAME_RE = re.compile(r'(?i)content-disposition:[^\r\n]*?;\s*filename="([^"]*)"')


@dataclass(frozen=True)
class Upload:
    """A file posted in a multipart form."""

    filename: str
    data: bytes


async def read_multipart(request: Request) -> tuple[Form, dict[str, Upload]]:
    """A posted ``multipart/form-data`` body: its text fields as a ``Form`` and its files
    by field name (both empty for any other body or one over 2 MB). Parsed with the
    boundary in the Content-Type (the sandbox has no multipart dependency)."""
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    found = _BOUNDARY_RE.search(content_type)
    if (
        not content_type.lower().startswith("multipart/form-data")
        or found is None
        or len(body) > _MAX_UPLOAD_BYTES
    ):
        return Form({}), {}
    delimiter = b"--" + found[1].strip('"').encode("latin-1")
    fields: dict[str, list[str]] = {}
    files: dict[str, Upload] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):  # the closing delimiter
            break
        head, sep, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            continue
        data = data.removesuffix(b"\r\n")
        headers = head.decode("utf-8", errors="replace")
        name = _NAME_RE.search(headers)
        if name is None:
            continue
        filename = _FILENAME_RE.search(headers)
        if filename is not None:
            files[name[1]] = Upload(filename[1], data)
        else:
            fields.setdefault(name[1], []).append(data.decode("utf-8", errors="replace"))
    return Form(fields), files


_ADDRESS_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_MAX_ADDRESS = 254


def is_email_address(text: str) -> bool:
    """Whether ``text`` is an e-mail address a cabinet's form accepts (the usual
    ``name@domain.tld``, at most 254 characters)."""
    return len(text) <= _MAX_ADDRESS and _ADDRESS_RE.match(text) is not None


def content_disposition(filename: str) -> str:
    """``attachment`` with the name as browsers read it (RFC 6266 for non-ASCII names)."""
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        return f'attachment; filename="{filename}"'
    fallback = filename.encode("ascii", "replace").decode().replace('"', "_").replace("\\", "_")
    quoted = urllib.parse.quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


ErrorPage = Callable[[Request, str], Response]  # request, "maintenance" | "server_error"


def install_faults(app: FastAPI, faults: FaultInjector, error_page: ErrorPage) -> None:
    """Delay, refuse (maintenance) or fail (500) requests as ``faults`` says now.

    The sandbox's endpoints are never touched (tests must be able to lift the faults);
    static files are only delayed.
    """

    @app.middleware("http")
    async def inject(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if path.startswith(SANDBOX_PREFIX):
            return await call_next(request)
        if faults.latency_s:
            await anyio.sleep(faults.latency_s)
        if path.startswith(STATIC_PREFIX):
            return await call_next(request)
        if faults.in_maintenance:
            return error_page(request, "maintenance")
        if faults.draw_error():
            return error_page(request, "server_error")
        response = await call_next(request)
        if faults.spec.hold_files and "attachment" in response.headers.get(
            "content-disposition", ""
        ):
            await faults.hold_file()
        return response


_UNCACHEABLE = frozenset({b"content-length", b"etag", b"last-modified", b"cache-control"})


def install_markup(app: FastAPI, markup: MarkupSetting) -> None:
    """Rewrite pages as ``markup`` says now (see ``sandbox.cabinets.markup``).

    HTML answers get the restyle and the renames, JSON answers the renames, stylesheets
    asked for as ``/static/....css?restyle=SEED`` (the URL restyled pages link to) the
    restyled selectors. With an empty spec every answer passes untouched; the sandbox's
    own endpoints and downloads always do.
    """

    @app.middleware("http")
    async def rewrite(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if path.startswith(SANDBOX_PREFIX):
            return await call_next(request)
        css_seed = _seed(request.query_params.get("restyle", ""))
        if path.startswith(STATIC_PREFIX) and path.endswith(".css") and css_seed is not None:
            response = await call_next(request)
            if response.status_code != 200:
                return response
            body = await _body(response)
            css = restyle_css(body.decode("utf-8", errors="replace"), css_seed)
            return _replaced(response, css.encode("utf-8"))
        spec = markup.spec  # read once: one answer, one spec
        response = await call_next(request)
        if spec.empty:
            return response
        content_type = response.headers.get("content-type", "")
        if content_type.startswith("text/html"):
            body = await _body(response)
            page = rewrite_html(body.decode("utf-8", errors="replace"), spec)
            return _replaced(response, page.encode("utf-8"))
        if content_type.startswith("application/json") and spec.renames:
            return _replaced(response, rewrite_json(await _body(response), spec))
        return response


def _seed(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


async def _body(response: Response) -> bytes:
    """The whole body of a response coming out of ``call_next`` (a streamed one)."""
    chunks = getattr(response, "body_iterator", None)
    if chunks is None:
        return bytes(response.body)
    return b"".join([chunk async for chunk in chunks])


def _replaced(response: Response, body: bytes) -> Response:
    """``response`` with another body: the same status and headers, never cached."""
    new = Response(body, status_code=response.status_code)
    headers = [(k, v) for k, v in response.raw_headers if k.lower() not in _UNCACHEABLE]
    headers += [(b"content-length", str(len(body)).encode()), (b"cache-control", b"no-cache")]
    new.raw_headers = headers
    return new


def sandbox_router(
    orders: OrderBook,
    sms: SmsGateway,
    faults: FaultInjector,
    calendar: SandboxCalendar,
    markup: MarkupSetting,
) -> APIRouter:
    """``/_sandbox/*``: what tests and the CLI read and change in a running cabinet.

    - ``GET orders``: the accepted orders, oldest first.
    - ``GET sms?phone=``: the last code sent to ``phone`` (``{"phone", "code", "sent_at"}``,
      ``sent_at`` an ISO datetime of the real clock), or 404.
    - ``GET|POST faults``: the current faults; POST a spec string (the body) to change them.
    - ``GET|POST today``: the sandbox date; POST ``YYYY-MM-DD`` (or ``real``) to change it.
    - ``GET|POST markup``: the current markup changes; POST a spec string (the body, or
      the form field ``spec``) to change them.
    """
    router = APIRouter(prefix=SANDBOX_PREFIX)

    @router.get("/orders")
    async def list_orders() -> JSONResponse:
        return JSONResponse([order.as_json() for order in orders.all()])

    @router.get("/sms")
    async def last_sms(phone: str = "") -> JSONResponse:
        sent = sms.last_sms(phone)
        if sent is None:
            return JSONResponse({"error": f"no SMS was sent to {phone!r}"}, status_code=404)
        return JSONResponse(sent.as_json())

    @router.get("/faults")
    async def get_faults() -> JSONResponse:
        return JSONResponse({"faults": str(faults.spec)})

    @router.post("/faults")
    async def set_faults(request: Request) -> JSONResponse:
        try:
            spec = faults.set(await _posted_text(request, "spec"))
        except ValueError as exc:
            status = exc.status_code if isinstance(exc, UnreadableBody) else 400
            return JSONResponse({"error": str(exc)}, status_code=status)
        return JSONResponse({"faults": str(spec)})

    @router.get("/markup")
    async def get_markup() -> JSONResponse:
        return JSONResponse({"markup": str(markup.spec)})

    @router.post("/markup")
    async def set_markup(request: Request) -> JSONResponse:
        try:
            spec = markup.set(await _posted_text(request, "spec"))
        except ValueError as exc:
            status = exc.status_code if isinstance(exc, UnreadableBody) else 400
            return JSONResponse({"error": str(exc)}, status_code=status)
        return JSONResponse({"markup": str(spec)})

    @router.get("/today")
    async def get_today() -> JSONResponse:
        return JSONResponse({"today": calendar.today().isoformat(), "fixed": calendar.fixed})

    @router.post("/today")
    async def set_today(request: Request) -> JSONResponse:
        try:
            calendar.set_today(parse_day(await _posted_text(request, "today")))
        except ValueError as exc:
            status = exc.status_code if isinstance(exc, UnreadableBody) else 400
            return JSONResponse({"error": str(exc)}, status_code=status)
        return JSONResponse({"today": calendar.today().isoformat(), "fixed": calendar.fixed})

    return router


class UnreadableBody(ValueError):
    """A posted body the endpoint cannot take its text from: nothing is changed."""

    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


async def _posted_text(request: Request, field: str) -> str:
    """A plain-text body (or one without a content type), or the field ``field`` of a
    urlencoded one; UnreadableBody for anything else, so that a spec sent the wrong way
    (``curl -d`` posts a form) never reads as the empty spec that resets everything."""
    how = f"post the text as text/plain, or as the form field {field!r}; nothing changed"
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        body = (await request.body()).decode("utf-8", errors="replace")
        fields = urllib.parse.parse_qs(body, keep_blank_values=True)
        if field not in fields:
            given = ", ".join(sorted(fields)) or "none"
            raise UnreadableBody(f"the form has no field {field!r} (it has: {given}): {how}", 400)
        return fields[field][0]
    if content_type not in ("", "text/plain"):
        raise UnreadableBody(f"cannot read a body of type {content_type}: {how}", 415)
    return (await request.body()).decode("utf-8", errors="replace")
