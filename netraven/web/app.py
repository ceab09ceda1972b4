"""The ASGI app: :func:`create_app` builds it from settings (nothing happens at import time).

``netraven serve`` runs :func:`create_app_from_environment` in uvicorn's factory mode, so each
server process (``--workers N``) builds its own app, engine and queue from the same settings.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from netraven._version import __version__
from netraven.db.session import create_engine_from_settings, create_session_factory
from netraven.redaction import RedactingFormatter
from netraven.settings import Settings, load_settings
from netraven.web import pages
from netraven.web.api import routers
from netraven.web.context import REQUEST_ID_HEADER, RequestContextMiddleware, RequestIdFilter
from netraven.web.deps import CSRF_HEADER, new_queue_slot
from netraven.web.errors import ErrorEnvelope, install_error_handlers, internal_error

API_PREFIX = "/api/v1"
STATIC = Path(__file__).resolve().parent / "static"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
DESCRIPTION = """NetRaven's HTTP API: inventory, credentials, jobs, runs, configs, logs, users.

Authenticate with `POST /api/v1/auth/token` (user name and password) and send the token as
`Authorization: Bearer <token>`, or use a personal API token the same way. Every failure answers
`{"error": {"code", "message", "details", "request_id"}}`; every response carries `X-Request-ID`.
"""


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """The API (``/api/v1``) and the pages on ``settings``' database (or ``engine``, which the
    caller then disposes)."""
    own_engine = engine is None
    engine = engine or create_engine_from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if app.state.queue is not None:
            app.state.queue.close()
        if own_engine:
            engine.dispose()

    app = FastAPI(
        title="NetRaven",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
        responses={"default": {"model": ErrorEnvelope, "description": "Any failure"}},
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = create_session_factory(engine)
    for name, value in new_queue_slot().items():
        setattr(app.state, name, value)
    install_error_handlers(app)
    for router in routers():
        app.include_router(router, prefix=API_PREFIX)
    for router in pages.routers():
        app.include_router(router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if settings.web.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.web.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", CSRF_HEADER, REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER],
        )
    app.add_middleware(
        RequestContextMiddleware, max_body_bytes=settings.web.max_body_bytes, on_error=internal_error
    )
    return app


def create_app_from_environment() -> FastAPI:
    """uvicorn's factory: settings from ``$NETRAVEN_CONFIG`` or the data directory, and the server
    log on stderr with each request's id, masked like every NetRaven log."""
    settings = load_settings()
    configure_logging(settings.logging.level)
    return create_app(settings)


def configure_logging(level: str) -> None:
    """NetRaven's records on stderr at ``level``, each with its request id (once per process)."""
    root = logging.getLogger()
    if any(isinstance(f, RequestIdFilter) for handler in root.handlers for f in handler.filters):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(LOG_FORMAT))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("netraven").setLevel(level)
