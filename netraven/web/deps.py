"""Typed dependencies of the routes: settings, one database session per request, who is asking,
and the permission every route declares.

Every route declares who may call it, once: :func:`require` (``require(Role.OPERATOR)``, with the
audit ``action`` of a state-changing route) or :func:`public` (``/auth/token``, ``/health``). The
permission-walk test reads these declarations from the routes.

Who is asking (:func:`current_principal`): ``Authorization: Bearer <token>`` (an access token from
``/auth/token`` or a personal API token), else the browser session cookie, whose unsafe requests
(POST, PUT, PATCH, DELETE) must carry the session's CSRF token in ``X-CSRF-Token``. The principal
is the audit trail's actor for the rest of the request.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from netraven import audit, users
from netraven.exceptions import AuthenticationError, PermissionDenied
from netraven.plugins import NetRavenPluginManager, create_plugin_manager
from netraven.scheduler.queue import Queue, Runtime, create_queue
from netraven.settings import Settings
from netraven.users import Principal, Role
from netraven.web.context import request_state

SESSION_COOKIE = "netraven_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Declares the bearer scheme in the OpenAPI document (the docs' "Authorize" button logs in with
# /auth/token); the header itself is read by current_principal, which also takes the cookie.
BEARER = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Requests in the database at once: within SQLite's pool (5 + 10 overflow) and below anyio's 40
# worker threads, so a request holding a transaction always finds a thread for its next step.
MAX_DATABASE_REQUESTS = 15
_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


async def database_slot() -> AsyncIterator[None]:
    """Wait in the event loop, holding no thread, for one of :data:`MAX_DATABASE_REQUESTS` slots.

    A request keeps its transaction (on SQLite, the write lock) until its route returns, and needs
    a worker thread for each step on the way. Unbounded, 50 clients filled all 40 threads with
    requests waiting for that lock, leaving none for the request that held it: every request
    waited out the 30 s busy timeout and failed.
    """
    loop = asyncio.get_running_loop()
    slots = _SLOTS.setdefault(loop, asyncio.Semaphore(MAX_DATABASE_REQUESTS))
    async with slots:
        yield


DatabaseSlot = Annotated[None, Depends(database_slot, scope="function")]


def get_session(request: Request, _slot: DatabaseSlot) -> Iterator[Session]:
    """A session in a transaction: committed when the route returns, rolled back when it raises."""
    with request.app.state.sessions.begin() as session:
        yield session


def get_queue(request: Request) -> Queue:
    """The task queue of the settings, made on first use and kept by the app."""
    state = request.app.state
    with state.queue_lock:
        if state.queue is None:
            state.queue = create_queue(state.settings, Runtime(state.settings, engine=state.engine))
        queue: Queue = state.queue
        return queue


def get_plugins(request: Request) -> NetRavenPluginManager:
    """The plugin manager with every installed plugin, loaded on first use and kept by the app."""
    state = request.app.state
    with state.queue_lock:
        if state.plugins is None:
            state.plugins = create_plugin_manager()
        plugins: NetRavenPluginManager = state.plugins
        return plugins


SettingsDep = Annotated[Settings, Depends(get_settings)]
PluginsDep = Annotated[NetRavenPluginManager, Depends(get_plugins)]
# "function" scope: the commit happens before the response is sent, so a failed commit is an error
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
QueueDep = Annotated[Queue, Depends(get_queue)]


def set_session_cookie(request: Request, response: Response, settings: Settings, session_id: str) -> None:
    """Set the browser session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=settings.web.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_session_cookie(response: Response) -> None:
    """Remove the browser session cookie (logout)."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def client_address(request: Request) -> str | None:
    """The client's address (a trusted proxy's X-Forwarded-For, when uvicorn is told to believe it)."""
    return request.client.host if request.client else None


async def current_principal(
    request: Request, session: SessionDep, _bearer: Annotated[str | None, Depends(BEARER)]
) -> AsyncIterator[Principal]:
    """Who is asking: AuthenticationError (401) if nobody valid, PermissionDenied (403) on a bad CSRF."""
    settings: Settings = request.app.state.settings
    address = client_address(request)
    authorization = request.headers.get("authorization")
    cookie = request.cookies.get(SESSION_COOKIE)
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("expected an 'Authorization: Bearer <token>' header")
        principal = await run_in_threadpool(
            users.principal_from_bearer, session, settings, token.strip(), address
        )
    elif cookie:
        principal, csrf = await run_in_threadpool(
            users.principal_from_browser_session, session, settings, cookie, address
        )
        sent = request.headers.get(CSRF_HEADER)
        if request.method not in SAFE_METHODS and not users.csrf_matches(csrf, sent):
            raise PermissionDenied(f"missing or wrong {CSRF_HEADER} header (needed with a session cookie)")
    else:
        raise AuthenticationError(
            "authentication required: send 'Authorization: Bearer <token>' (see POST /api/v1/auth/token)"
        )
    request_state(request)["principal"] = principal
    with audit.acting_as(principal):
        yield principal


@dataclass(frozen=True)
class Requirement:
    """A route's declared permission: the least role (None: public) and its audit action."""

    role: Role | None
    action: str | None = None

    async def __call__(self, request: Request) -> None:  # public: nothing to check
        if self.action is not None:
            request_state(request)["audit_action"] = self.action


@dataclass(frozen=True)
class RoleRequirement(Requirement):
    async def __call__(  # type: ignore[override]
        self, request: Request, principal: Annotated[Principal, Depends(current_principal, scope="function")]
    ) -> Principal:
        if self.action is not None:
            request_state(request)["audit_action"] = self.action
        assert self.role is not None
        if not principal.allows(self.role):
            raise PermissionDenied(
                f"this needs the {self.role} role (you are {principal.role})", str(self.role)
            )
        return principal


def require(role: Role, action: str | None = None) -> Any:
    """The dependency declaring that a route needs ``role`` (or higher); it returns the principal.

    ``action`` (``"device.add"``) names a state-changing route's audit action: a refused or failed
    call is recorded as a ``failed`` audit row under that name.
    """
    return Depends(RoleRequirement(role, action), scope="function")


def public() -> Any:
    """The dependency declaring that a route needs no authentication."""
    return Depends(Requirement(None))


def requirement_of(dependant: Any) -> list[Requirement]:
    """The permission declarations among a route's dependencies (for tests and docs)."""
    found: list[Requirement] = []
    for sub in dependant.dependencies:
        if isinstance(sub.call, Requirement):
            found.append(sub.call)
        found.extend(requirement_of(sub))
    return found


def new_queue_slot() -> dict[str, Any]:
    """The app state the queue and plugins dependencies keep (:func:`get_queue`, :func:`get_plugins`)."""
    return {"queue": None, "plugins": None, "queue_lock": threading.Lock()}
