"""``GET /api/v1/health``: can this server do its work? Public, for load balancers and monitors.

200 when the database answers and its schema is current (``status`` ``ok``, or ``degraded`` when
the queue cannot be reached or no worker was seen within ``scheduler.lease_seconds``); 503 when
the database or its schema is not usable. Workers are seen through their own heartbeats (the worker
registry, :mod:`netraven.jobs.workers`), idle or busy, and through their runs' heartbeats.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from netraven._version import __version__
from netraven.db.base import utcnow
from netraven.db.migrate import SCHEMA_REVISION, current_revision
from netraven.exceptions import NetRavenError
from netraven.jobs.runs import last_heartbeat
from netraven.jobs.workers import list_workers
from netraven.settings import Settings
from netraven.web.deps import DatabaseSlot, SettingsDep, get_queue, public

router = APIRouter(tags=["health"])


class Check(BaseModel):
    """One part of the server: usable or not, and why not."""

    ok: bool
    detail: str | None = Field(default=None, examples=["revision 0004"])


class WorkerInfo(BaseModel):
    """One registered worker (``netraven worker list``)."""

    name: str = Field(examples=["host-1:4242"])
    state: Literal["running", "lost", "stopped"]
    hostname: str
    pid: int
    version: str
    threads: int
    queue: str
    runs_running: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None = None


class Workers(BaseModel):
    """When a worker was last seen (its heartbeat or a run's), and the registered workers."""

    seen_recently: bool
    last_seen_at: datetime | None = None
    last_worker: str | None = Field(default=None, examples=["host-1:4242"])
    registered: list[WorkerInfo] = []


class Health(BaseModel):
    """The server's checks; ``status`` sums them up."""

    status: Literal["ok", "degraded", "failing"]
    version: str
    database: Check
    schema_current: Check
    queue: Check
    workers: Workers | None = None


@router.get("/health", response_model=Health, responses={503: {"model": Health}}, dependencies=[public()])
def health(request: Request, response: Response, settings: SettingsDep, _slot: DatabaseSlot) -> Health:
    """The database, its schema, the queue and the workers."""
    checked = check_health(request, settings)
    if checked.status == "failing":
        response.status_code = 503
    return checked


def check_health(request: Request, settings: Settings, session: Session | None = None) -> Health:
    """The server's checks (the dashboard shows them too, in its request's ``session``: on SQLite
    a second session would wait for the write lock that one holds)."""
    engine = request.app.state.engine
    workers: Workers | None = None
    try:
        revision = current_revision(session.connection() if session is not None else engine)
        database = Check(ok=True)
        schema = Check(
            ok=revision == SCHEMA_REVISION, detail=f"revision {revision}, expected {SCHEMA_REVISION}"
        )
    except NetRavenError as exc:
        database = Check(ok=False, detail=str(exc))
        schema = Check(ok=False, detail="unknown: the database cannot be reached")
    if schema.ok:
        lease = timedelta(seconds=settings.scheduler.lease_seconds)
        if session is not None:
            workers = _workers(session, lease)
        else:
            with Session(engine) as own:
                workers = _workers(own, lease)
    queue = _queue_check(request)
    if not (database.ok and schema.ok):
        status: Literal["ok", "degraded", "failing"] = "failing"
    elif not queue.ok or not (workers and workers.seen_recently):
        status = "degraded"
    else:
        status = "ok"
    return Health(
        status=status,
        version=__version__,
        database=database,
        schema_current=schema,
        queue=queue,
        workers=workers,
    )


def _workers(session: Session, lease: timedelta) -> Workers:
    seen, worker = last_heartbeat(session)  # runs beat too, those of `netraven run` included
    recently = seen is not None and utcnow() - seen <= lease
    registered = [WorkerInfo(**w) for w in list_workers(session, lease)]
    for w in registered:
        recently = recently or w.state == "running"
        if seen is None or w.heartbeat_at > seen:
            seen, worker = w.heartbeat_at, w.name
    return Workers(seen_recently=recently, last_seen_at=seen, last_worker=worker, registered=registered)


def _queue_check(request: Request) -> Check:
    try:
        queue = get_queue(request)
        pending = queue.huey.pending_count()
    except Exception as exc:  # any storage error (Redis, psycopg, sqlite3) means unreachable
        return Check(ok=False, detail=f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    return Check(ok=True, detail=f"{queue.huey.__class__.__name__}, {pending} task(s) pending")
