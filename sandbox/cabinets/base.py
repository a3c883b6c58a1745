"""``Cabinet``: what every simulated cabinet has, and the FastAPI app around it.

A cabinet subclass says who it is (``name``, ``operator``, its templates and static
files, the texts of its error pages, its ``settings``) and adds its screens in
``add_routes``. The base gives it the sandbox calendar, a fault injector, server-side
sessions with CSRF tokens (for forms and for its scripts' JSON calls), the orders
book, the SMS gateway, a login lockout, files served by expiring links or downloaded
directly (``download``, ``document_download``: Content-Disposition attachment), the
outbox for its e-mails, Jinja2 rendering with a shared layout, markup changes of its
pages (``restyle``, ``rename``: ``sandbox.cabinets.markup``) and the ``/_sandbox/*``
endpoints.

Styles of markup (``semantic``, ``legacy``, ``spa``): a cabinet serves its ``era``'s
unless its markup spec names another of its ``styles``. Templates are looked up in
``templates/<style>/`` first, then ``templates/``, then the shared ones the same way;
every template gets ``markup`` (the style) to branch on.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, ClassVar

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.cabinets.auth import LoginLockout
from sandbox.cabinets.calendar import SandboxCalendar
from sandbox.cabinets.faults import FaultInjector, FaultSpec
from sandbox.cabinets.files import EXPIRED, FileLinks
from sandbox.cabinets.markup import MarkupSetting, MarkupSpec
from sandbox.cabinets.orders import Method, OrderBook, OrderRecord, SmsGateway
from sandbox.cabinets.sessions import Lookup, Session, SessionStore
from sandbox.cabinets.web import (
    CsrfRefused,
    Form,
    Redirect,
    Unauthorized,
    Upload,
    content_disposition,
    install_faults,
    install_markup,
    read_form,
    read_json,
    read_multipart,
    sandbox_router,
)
from sandbox.documents import Customer, DocumentSpec, render
from sandbox.mails import CONTENT_TYPES, operator_filename
from sandbox.outbox import LinkOffer, Outbox, Parcel

__all__ = ["CSRF_HEADER", "Cabinet", "CabinetSettings", "ErrorTexts", "Timings"]

CSRF_HEADER = "X-CSRF-Token"  # how a page's script sends the session's token with fetch()

SHARED_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Timings:
    """How long the simulated back office takes, in seconds."""

    invoice_ready_s: float = 5.0  # a download-by-link invoice is generated
    invoice_mail_delay_s: float = 3.0  # an ordered invoice reaches the mailbox
    details_delay_s: float = 10.0  # call details ("по истечении суток", scaled down)
    charges_delay_s: float = 3.0  # current-period charges reach the mailbox
    report_delay_s: float = 3.0  # a report ordered to e-mail (Kcell: акт сверки, отчеты)

    @classmethod
    def uniform(cls, seconds: float) -> Timings:
        """Every timing the same (tests use a fraction of a second)."""
        return cls(**{f.name: seconds for f in fields(cls)})


@dataclass(frozen=True)
class ErrorTexts:
    """Headings and messages of a cabinet's error pages: (h1, text)."""

    maintenance: tuple[str, str]
    server_error: tuple[str, str]
    csrf: tuple[str, str]
    not_found: tuple[str, str]
    gone: tuple[str, str] = (  # a download link that expired (410)
        "Срок действия ссылки истек",
        "Файл больше недоступен для скачивания. Закажите документ повторно.",
    )
    session_expired: str = ""  # what a script's 401 JSON says (shown on the login page)


@dataclass(frozen=True)
class CabinetSettings:
    """A cabinet's own knobs (lockout, SMS step, size limits...); subclasses add fields.

    ``RunningCabinet.set_settings(**changes)`` replaces them while the cabinet runs;
    handlers read ``cabinet.settings`` at each request.
    """


class Cabinet:
    """One simulated cabinet: state, templates and the web app.

    Args:
        login: the login the cabinet accepts.
        password: its password.
        calendar: the sandbox calendar (shared by all cabinets of a sandbox).
        outbox: where the cabinet's e-mails go.
        timings: back-office delays.
        faults: the initial fault spec.
        markup: the initial markup spec (``sandbox.cabinets.markup``).
        settings: the cabinet's own knobs (default: ``settings_type()``).
    """

    name: ClassVar[str]  # what ``maintenance=`` names, e.g. "sip"
    operator: ClassVar[Operator]
    title: ClassVar[str]  # the <title> of every page
    cookie_name: ClassVar[str]
    templates_dir: ClassVar[Path]
    static_dir: ClassVar[Path | None] = None
    errors: ClassVar[ErrorTexts]
    timezone: ClassVar[dt.timezone] = dt.UTC  # of the operator's mail and order times
    login_path: ClassVar[str] = "/login"
    home_path: ClassVar[str] = "/menu"
    start_path: ClassVar[str] = "/"  # what a person opens first (the robot's ``url``)
    # What the robot's configuration says about the cabinet: it types an e-mail address
    # into the cabinet's forms (``email``), the login may ask for an SMS code (``otp``).
    asks_email: ClassVar[bool] = False
    may_ask_sms: ClassVar[bool] = False
    settings_type: ClassVar[type[CabinetSettings]] = CabinetSettings
    # The markup of the cabinet's era, served by default, and every style it has.
    era: ClassVar[str] = "semantic"
    styles: ClassVar[tuple[str, ...]] = ()  # default: ("semantic", era)

    def __init__(
        self,
        *,
        login: str,
        password: str,
        calendar: SandboxCalendar,
        outbox: Outbox,
        timings: Timings | None = None,
        faults: FaultSpec | str = "",
        markup: MarkupSpec | str = "",
        settings: CabinetSettings | None = None,
    ) -> None:
        if settings is not None and not isinstance(settings, self.settings_type):
            raise TypeError(f"{self.name} takes {self.settings_type.__name__}, not {settings!r}")
        self.settings = settings if settings is not None else self.settings_type()
        self.login = login
        self.password = password
        self.calendar = calendar
        self.outbox = outbox
        self.timings = timings or Timings()
        self.faults = FaultInjector(self.name, faults)
        self.markup = MarkupSetting(
            markup, era=self.era, styles=self.styles, cabinet=f"the {self.name} cabinet"
        )
        self.sessions = SessionStore(lambda: self.faults.session_ttl_s)
        self.orders = OrderBook()
        self.sms = SmsGateway()
        self.lockout = LoginLockout()
        self.files = FileLinks()
        self._jinja: dict[str, jinja2.Environment] = {}

    # -- what a cabinet adds -------------------------------------------------------------

    def add_routes(self, app: FastAPI) -> None:
        """Add the cabinet's screens to ``app``."""
        raise NotImplementedError

    def context(self, request: Request, session: Session | None) -> dict[str, Any]:
        """Variables every page of this cabinet gets (e.g. its navigation)."""
        return {}

    # -- helpers for screens ---------------------------------------------------------------

    @property
    def style(self) -> str:
        """The style of markup the cabinet serves now (``sandbox.cabinets.markup``)."""
        return self.markup.style

    @property
    def jinja(self) -> jinja2.Environment:
        """The templates of the style served now."""
        style = self.style
        if style not in self._jinja:
            folders = [self.templates_dir / style, self.templates_dir]
            folders += [SHARED_TEMPLATES / style, SHARED_TEMPLATES]
            self._jinja[style] = jinja2.Environment(
                loader=jinja2.FileSystemLoader([f for f in folders if f.is_dir()]),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            self._jinja[style].globals["markup"] = style
        return self._jinja[style]

    def render(
        self,
        request: Request,
        template: str,
        session: Session | None = None,
        *,
        status_code: int = 200,
        **variables: Any,
    ) -> HTMLResponse:
        """Render ``template`` with the cabinet's common variables and ``variables``."""
        page = self.jinja.get_template(template).render(
            title=self.title,
            session=session,
            csrf_token=session.csrf_token if session else "",
            path=request.url.path,
            **{**self.context(request, session), **variables},
        )
        return HTMLResponse(page, status_code=status_code)

    def current_session(self, request: Request) -> Session | Lookup:
        return self.sessions.get(request.cookies.get(self.cookie_name))

    def login_url(self, why: Lookup = Lookup.MISSING) -> str:
        """The login page, saying so when the session expired."""
        return f"{self.login_path}?expired=1" if why is Lookup.EXPIRED else self.login_path

    def login_redirect(self, why: Lookup = Lookup.MISSING) -> RedirectResponse:
        return RedirectResponse(self.login_url(why), status_code=303)

    def require_login(self, request: Request) -> Session:
        """The logged-in session, or a redirect to the login page (``?expired=1``)."""
        found = self.current_session(request)
        if not isinstance(found, Session):
            raise Redirect(self.login_url(found))
        if found.login is None:
            raise Redirect(self.login_url())
        return found

    async def checked_form(self, request: Request, session: Session) -> Form:
        """The posted form, if it carries the session's CSRF token."""
        form = await read_form(request)
        if not secrets.compare_digest(form.get("csrf_token").encode(), session.csrf_token.encode()):
            raise CsrfRefused
        return form

    async def checked_multipart(
        self, request: Request, session: Session
    ) -> tuple[Form, dict[str, Upload]]:
        """A posted ``multipart/form-data`` form (a file input) and its files, if it
        carries the session's CSRF token (refused like any form otherwise)."""
        form, files = await read_multipart(request)
        if not secrets.compare_digest(form.get("csrf_token").encode(), session.csrf_token.encode()):
            raise CsrfRefused
        return form, files

    # -- JSON endpoints called by a page's script (fetch) -----------------------------------

    def require_login_json(self, request: Request) -> Session:
        """The logged-in session, or a 401 JSON answer saying where to log in."""
        found = self.current_session(request)
        if not isinstance(found, Session):
            raise Unauthorized(self.login_url(found), self.errors.session_expired)
        if found.login is None:
            raise Unauthorized(self.login_url(), self.errors.session_expired)
        return found

    async def checked_json(self, request: Request, session: Session) -> dict[str, Any]:
        """The posted JSON object, if the ``X-CSRF-Token`` header is the session's token
        (refused like a form: 403 with the CSRF error page)."""
        token = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(token.encode(), session.csrf_token.encode()):
            raise CsrfRefused
        return await read_json(request)

    def set_cookie(self, response: Response, session: Session) -> None:
        response.set_cookie(self.cookie_name, session.id, httponly=True, samesite="lax", path="/")

    def log_in(self, previous: Session, login: str) -> RedirectResponse:
        """A new session for ``login`` (the anonymous one is dropped: no fixation)."""
        self.sessions.delete(previous.id)
        response = RedirectResponse(self.home_path, status_code=303)
        self.set_cookie(response, self.sessions.create(login))
        return response

    def log_out(self, request: Request) -> RedirectResponse:
        found = self.current_session(request)
        if isinstance(found, Session):
            self.sessions.delete(found.id)
        response = RedirectResponse(self.login_path, status_code=303)
        response.delete_cookie(self.cookie_name, path="/")
        return response

    def lock_login(self, login: str | None = None, *, lockout_s: float | None = None) -> None:
        """Lock ``login`` (default: the cabinet's) as too many wrong passwords would, for
        ``lockout_s`` (default: the cabinet's ``lockout_s`` setting, else 15 minutes)."""
        seconds = lockout_s if lockout_s is not None else getattr(self.settings, "lockout_s", 900)
        self.lockout.lock(login or self.login, lockout_s=float(seconds))

    def now(self) -> dt.datetime:
        """The sandbox's date and time in the cabinet's time zone."""
        return self.calendar.now(self.timezone)

    def accept_order(
        self,
        *,
        kind: DocumentKind,
        method: Method,
        account: str,
        period: Period,
        fmt: DocumentFormat,
        numbers: tuple[str, ...] = (),
        to: tuple[str, ...] = (),
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> OrderRecord:
        """Record an order in the book (what ``/_sandbox/orders`` lists)."""
        return self.orders.add(
            kind=kind,
            method=method,
            account=account,
            period=period,
            format=fmt,
            numbers=numbers,
            to=to,
            ordered_at=self.now(),
            date_from=date_from,
            date_to=date_to,
        )

    def mail_document(
        self,
        order: OrderRecord,
        spec: DocumentSpec,
        customer: Customer,
        delay_s: float,
        link: LinkOffer | None = None,
        *,
        zipped: bool = False,
    ) -> None:
        """E-mail the document of ``order`` to its recipients after ``delay_s``.

        The message's Date is the order's time plus the delay (whole seconds), not the
        clock when it is sent, so the same order always gives the same bytes. With
        ``link``, a file over its limit goes as a download link (see ``link_offer``).
        With ``zipped``, the attachment is a .zip holding the file (A1's Excel invoice).
        """
        date = order.ordered_at + dt.timedelta(seconds=round(delay_s))
        spec = replace(spec, customer=replace(customer, email=order.to[0] if order.to else ""))
        self.outbox.post(Parcel(spec, order.to, date, link, zipped), delay_s)

    # -- files by link ---------------------------------------------------------------------

    def link_offer(
        self, base_url: str, files_path: str, *, max_bytes: int, ttl_s: float
    ) -> LinkOffer:
        """Files over ``max_bytes`` are kept in ``files`` for ``ttl_s`` and e-mailed as
        ``{base_url}{files_path}/{token}`` (``base_url`` as the browser reached the
        cabinet, e.g. ``str(request.base_url)``)."""
        prefix = base_url.rstrip("/") + "/" + files_path.strip("/") + "/"

        def publish(name: str, data: bytes) -> str:
            return prefix + self.files.add(name, data, ttl_s=ttl_s)

        return LinkOffer(max_bytes=max_bytes, publish=publish, valid_for_s=ttl_s)

    def file_response(self, request: Request, token: str) -> Response:
        """A linked file as a download; 410 once expired, 404 for an unknown token."""
        found = self.files.get(token)
        if found is None:
            return self.error_page(request, "not_found")
        if found is EXPIRED:
            return self.error_page(request, "gone")
        return self.download(found.name, found.data)

    # -- files downloaded directly -----------------------------------------------------------

    @staticmethod
    def download(filename: str, data: bytes) -> Response:
        """``data`` as a file the browser saves: the content type of the name's extension,
        ``Content-Disposition: attachment`` with the name (RFC 6266 for non-ASCII)."""
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return Response(
            data,
            media_type="/".join(CONTENT_TYPES.get(ext, ("application", "octet-stream"))),
            headers={"Content-Disposition": content_disposition(filename)},
        )

    async def document_download(self, spec: DocumentSpec, filename: str | None = None) -> Response:
        """The document ``spec`` describes, rendered (in a worker thread: renderers are
        slow) and downloaded directly, named as the operator names its files unless
        ``filename`` is given."""
        data = await run_in_threadpool(render, spec)
        name = filename or operator_filename(
            spec.operator, spec.kind, spec.format, account=spec.account, period=spec.period
        )
        return self.download(name, data)

    def error_page(self, request: Request, kind: str) -> HTMLResponse:
        """One of the cabinet's error pages: maintenance, server_error, csrf, not_found, gone."""
        codes = {
            "maintenance": 503,
            "server_error": 500,
            "csrf": 403,
            "not_found": 404,
            "gone": 410,
        }
        heading, text = getattr(self.errors, kind)
        return self.render(
            request, "error.html", status_code=codes[kind], heading=heading, message=text
        )

    # -- the app ---------------------------------------------------------------------------

    def app(self) -> FastAPI:
        """The cabinet's ASGI app: its screens, the faults, the markup, the sandbox endpoints."""
        app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
        install_faults(app, self.faults, self.error_page)
        install_markup(app, self.markup)  # added last, so outermost: error pages too
        app.include_router(
            sandbox_router(self.orders, self.sms, self.faults, self.calendar, self.markup)
        )
        if self.static_dir is not None:
            app.mount("/static", StaticFiles(directory=self.static_dir), name="static")

        async def on_redirect(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, Redirect)
            return RedirectResponse(exc.url, status_code=303)

        async def on_csrf(request: Request, exc: Exception) -> Response:
            return self.error_page(request, "csrf")

        async def on_unauthorized(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, Unauthorized)
            body = {"error": "unauthorized", "message": exc.message, "location": exc.location}
            return JSONResponse(body, status_code=401)

        async def on_http(request: Request, exc: Exception) -> Response:
            if isinstance(exc, HTTPException) and exc.status_code == 404:
                return self.error_page(request, "not_found")
            status = exc.status_code if isinstance(exc, HTTPException) else 500
            return Response(status_code=status)

        app.add_exception_handler(Redirect, on_redirect)
        app.add_exception_handler(CsrfRefused, on_csrf)
        app.add_exception_handler(Unauthorized, on_unauthorized)
        app.add_exception_handler(HTTPException, on_http)
        self.add_routes(app)
        return app
