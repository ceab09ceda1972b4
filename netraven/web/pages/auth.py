"""Who may see a page: :func:`page` declares its least role, as ``deps.require`` does for the API.

A page is for a logged-in browser: its session cookie (set by the login page or
``POST /api/v1/auth/session``). Without a valid one, a page answers ``303`` to
``/login?next=<path>`` (htmx requests get an ``HX-Redirect`` header instead); with a role too low,
a 403 page. A POST, PUT, PATCH or DELETE must carry the session's CSRF token, as the form field
``csrf_token`` (``csrf_field()`` in a form) or the ``X-CSRF-Token`` header (htmx sends it: see
``base.html``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from netraven import audit, users
from netraven.exceptions import AuthenticationError, PermissionDenied
from netraven.users import Principal, Role
from netraven.web.context import request_state
from netraven.web.deps import (
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    Requirement,
    SessionDep,
    client_address,
)

LOGIN_PATH = "/login"
CSRF_FIELD = "csrf_token"
CSRF_REFUSED = "this form has expired or did not come from this site: reload the page and try again"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequired(Exception):
    """Nobody is logged in (or the session has ended): go to the login page, then back to ``path``."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def login_redirect(request: Request, exc: LoginRequired) -> Response:
    """The answer to :class:`LoginRequired`: 303 to the login page, or ``HX-Redirect`` for htmx."""
    target = f"{LOGIN_PATH}?next={quote(exc.path, safe='/')}" if exc.path != "/" else LOGIN_PATH
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def safe_next(value: str | None) -> str:
    """Where to go after logging in: ``value`` if it is a path of this site, else ``/``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 32 for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


async def page_principal(request: Request, session: SessionDep) -> AsyncIterator[Principal]:
    """The logged-in principal of a page request (and its CSRF token in the request state)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method not in SAFE_METHODS:  # a form posted after the session ended: start over
        path = "/"
    if not cookie:
        raise LoginRequired(path)
    try:
        principal, csrf = await run_in_threadpool(
            users.principal_from_browser_session,
            session,
            request.app.state.settings,
            cookie,
            client_address(request),
        )
    except AuthenticationError:
        raise LoginRequired(path) from None
    state = request_state(request)
    state["principal"], state["csrf_token"] = principal, csrf
    if request.method not in SAFE_METHODS and not users.csrf_matches(csrf, await sent_csrf(request)):
        raise PermissionDenied(CSRF_REFUSED)
    with audit.acting_as(principal):
        yield principal


async def known_principal(request: Request) -> Principal | None:
    """Who is logged in, for a page outside any route (an error page): None when nobody is.

    Looks the session up (in a session of its own) only when no page dependency already did.
    """
    state = request_state(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if "principal" in state or not cookie:
        return state.get("principal")

    def look_up() -> tuple[Principal, str] | None:
        try:
            with request.app.state.sessions() as session:
                return users.principal_from_browser_session(session, request.app.state.settings, cookie)
        except Exception:  # an ended session or a database down: the error page shows no user
            return None

    found = await run_in_threadpool(look_up)
    if found is not None:
        state["principal"], state["csrf_token"] = found
    return found[0] if found else None


async def sent_csrf(request: Request) -> str | None:
    """The CSRF token a request sent: its header, else its form's field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        return None
    value = (await request.form()).get(CSRF_FIELD)
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class PageRequirement(Requirement):
    """A page's declared permission: the least role, and the audit action of a form's route."""

    async def __call__(  # type: ignore[override]
        self,
        request: Request,
        principal: Annotated[Principal, Depends(page_principal, scope="function")],
    ) -> Principal:
        if self.action is not None:
            request_state(request)["audit_action"] = self.action
        assert self.role is not None
        if not principal.allows(self.role):
            raise PermissionDenied(f"this page needs the {self.role} role (you are {principal.role})")
        return principal


def page(role: Role, action: str | None = None) -> Any:
    """The dependency declaring that a page needs ``role`` (or higher); it returns the principal.

    ``action`` (``"device.add"``) names a form route's audit action, as in ``deps.require``.
    """
    return Depends(PageRequirement(role, action), scope="function")
