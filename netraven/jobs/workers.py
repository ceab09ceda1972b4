"""The worker registry: each worker registers at start, renews its heartbeat, and says when it stops.

What ``netraven worker list``, the health check and the API show. A worker is ``running`` while its
heartbeat is younger than ``scheduler.lease_seconds``, ``lost`` when it is older and the worker never
said it stopped (killed, or its machine gone), ``stopped`` when it did.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from netraven.db.base import utcnow
from netraven.db.models import JobRun, Worker

STOPPED_SHOWN = timedelta(days=1)  # stopped workers listed for this long, unless all are asked for


def register_worker(
    session: Session, name: str, *, hostname: str, pid: int, version: str, threads: int, queue: str
) -> Worker:
    """Record a starting worker (a worker of the same name before it, pid reused, is replaced)."""
    now = utcnow()
    worker = session.get(Worker, name) or Worker(name=name)
    worker.hostname, worker.pid, worker.version, worker.threads, worker.queue = (
        hostname,
        pid,
        version,
        threads,
        queue,
    )
    worker.started_at = worker.heartbeat_at = now
    worker.stopped_at = None
    session.add(worker)
    return worker


def worker_heartbeat(session: Session, name: str) -> None:
    """Renew ``name``'s heartbeat."""
    session.execute(update(Worker).where(Worker.name == name).values(heartbeat_at=utcnow()))


def worker_stopped(session: Session, name: str) -> None:
    """Record that ``name`` stopped cleanly."""
    now = utcnow()
    session.execute(update(Worker).where(Worker.name == name).values(heartbeat_at=now, stopped_at=now))


def worker_state(worker: Worker, lease: timedelta, now: datetime) -> str:
    """``running``, ``lost`` (no heartbeat within ``lease``) or ``stopped``."""
    if worker.stopped_at is not None:
        return "stopped"
    return "running" if now - worker.heartbeat_at <= lease else "lost"


def list_workers(session: Session, lease: timedelta, *, everything: bool = False) -> list[dict[str, Any]]:
    """Every worker not stopped, and those stopped within a day (all with ``everything``), newest
    first, each with its state and the runs it is running."""
    now = utcnow()
    query = select(Worker).order_by(Worker.started_at.desc(), Worker.name)
    if not everything:
        query = query.where((Worker.stopped_at.is_(None)) | (Worker.stopped_at >= now - STOPPED_SHOWN))
    workers = list(session.scalars(query))
    running: dict[str | None, int] = {
        name: count
        for name, count in session.execute(
            select(JobRun.worker, func.count())
            .where(JobRun.status == "running", JobRun.worker.in_([w.name for w in workers]))
            .group_by(JobRun.worker)
        )
    }
    return [worker_to_dict(w, worker_state(w, lease, now), running.get(w.name, 0)) for w in workers]


def worker_to_dict(worker: Worker, state: str, runs_running: int) -> dict[str, Any]:
    """A worker's JSON view."""
    return {
        "name": worker.name,
        "state": state,
        "hostname": worker.hostname,
        "pid": worker.pid,
        "version": worker.version,
        "threads": worker.threads,
        "queue": worker.queue,
        "runs_running": runs_running,
        "started_at": worker.started_at,
        "heartbeat_at": worker.heartbeat_at,
        "stopped_at": worker.stopped_at,
    }
