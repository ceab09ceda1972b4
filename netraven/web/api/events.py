"""Server-sent events fed from the database: a run's progress, and log lines as they are written.

Each stream polls the database every :data:`POLL_SECONDS` (in a worker thread, one short
session per look), so it shows runs executing in any process on any machine. It sends a comment
every :data:`KEEPALIVE_SECONDS` while nothing happens (proxies keep it open), ends when the client
goes away, when the run ends, or after :data:`MAX_STREAM_SECONDS` (the client reconnects with
``Last-Event-ID`` and misses nothing). A database failure mid-stream sends an ``error`` event and
ends the stream.

Every event's ``data`` is one JSON object; ``id`` is the host result's or log line's id.
``app.state.open_streams`` counts the streams open in this process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from netraven.exceptions import NetRavenError
from netraven.jobs import Progress, RunFeed
from netraven.logs import LogEntry, Tail, entry_to_dict

log = logging.getLogger("netraven.web")

EVENT_STREAM = "text/event-stream"
POLL_SECONDS = 1.0  # between two looks at the database
KEEPALIVE_SECONDS = 15.0
MAX_STREAM_SECONDS = 3600.0
T = TypeVar("T")


def event(name: str, data: Any, event_id: int | None = None) -> str:
    """One server-sent event: ``event``, optional ``id``, one line of JSON ``data``."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(jsonable_encoder(data), separators=(',', ':'))}\n\n"


def run_events(request: Request, feed: RunFeed) -> AsyncIterator[str]:
    """``host`` for each host done (its result), ``progress`` when the counts or status change,
    ``end`` with the run once it has ended and every host was sent; then the stream closes."""
    last: list[Any] = [None]

    def render(progress: Progress) -> tuple[list[str], bool]:
        events = [event("host", host, host["id"]) for host in progress.hosts]
        state = (progress.run["status"], sorted(progress.counts.items()))
        if state != last[0]:
            last[0] = state
            events.append(event("progress", {"run": progress.run, "counts": progress.counts}))
        if progress.ended:
            events.append(event("end", progress.run))
        return events, progress.ended

    return stream(request, feed.poll, render)


def log_events(request: Request, tail: Tail) -> AsyncIterator[str]:
    """``log`` for each new line matching the tail's filters, in id order, until the client leaves."""

    def render(entries: list[LogEntry]) -> tuple[list[str], bool]:
        return [event("log", entry_to_dict(entry), entry.id) for entry in entries], False

    return stream(request, tail.poll, render)


async def stream(
    request: Request, look: Callable[[Session], T], render: Callable[[T], tuple[list[str], bool]]
) -> AsyncIterator[str]:
    """``render(look(session))`` every poll interval until it says done, the client leaves or the
    stream is :data:`MAX_STREAM_SECONDS` old; a keep-alive comment when quiet for a while."""
    state = request.app.state
    sessions: sessionmaker[Session] = state.sessions
    state.open_streams = getattr(state, "open_streams", 0) + 1  # one event loop: no lock needed
    started = sent = time.monotonic()
    try:
        while time.monotonic() - started < MAX_STREAM_SECONDS and not await request.is_disconnected():
            try:
                found = await run_in_threadpool(_look, sessions, look)
            except (NetRavenError, SQLAlchemyError) as exc:
                log.warning("event stream %s ended: %s", request.url.path, type(exc).__name__)
                yield _error(exc)
                return
            events, done = render(found)
            for text in events:
                yield text
            now = time.monotonic()
            if events:
                sent = now
            elif now - sent >= KEEPALIVE_SECONDS:
                sent = now
                yield ": keep-alive\n\n"
            if done:
                return
            await asyncio.sleep(POLL_SECONDS)
    finally:
        state.open_streams -= 1


def _look(sessions: sessionmaker[Session], look: Callable[[Session], T]) -> T:
    with sessions() as session:
        return look(session)


def _error(exc: Exception) -> str:
    message = str(exc) if isinstance(exc, NetRavenError) else "the database could not be read"
    return event("error", {"message": message.splitlines()[0] if message else type(exc).__name__})
