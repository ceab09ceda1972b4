"""Live pages over server-sent events whose data is HTML, for htmx's SSE extension to swap in:
``/runs/{id}/live`` (a run's progress) and ``/logs/live`` (new log lines).

They poll the database like the API's streams (:mod:`netraven.web.api.events`), so they follow a
run executing in any worker on any machine; a client reconnecting with ``Last-Event-ID`` misses
nothing and gets nothing twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from netraven import jobs, logs
from netraven.users import Principal, Role
from netraven.web.api.events import EVENT_STREAM, stream
from netraven.web.api.logs import LogQuery
from netraven.web.context import request_state
from netraven.web.deps import SessionDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import environment

router = APIRouter()
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def html_event(name: str, html: str, event_id: int | None = None) -> str:
    """One server-sent event whose data is ``html`` (each of its lines a ``data:`` line)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    data = "".join(f"data: {line}\n" for line in html.strip().splitlines() or [""])
    return f"{head}event: {name}\n{data}\n"


def fragment(name: str, **context: Any) -> str:
    """The template ``name`` rendered alone (no request: only what ``context`` gives)."""
    return environment().get_template(name).render(context)


def run_stream(request: Request, feed: jobs.RunFeed, can_cancel: bool) -> AsyncIterator[str]:
    """``host`` (a table row) per host done, ``progress`` (the summary, with the cancel button when
    ``can_cancel``) when it changes, and ``end`` (the final summary) once the run has ended and
    every host was sent; then the stream closes."""
    last: list[Any] = [None]
    csrf_token = request_state(request).get("csrf_token", "")

    def look(session: Session) -> tuple[jobs.Progress, dict[str, int]]:
        return feed.poll(session), jobs.failure_kinds(session, feed.run_id)

    def render(found: tuple[jobs.Progress, dict[str, int]]) -> tuple[list[str], bool]:
        progress, kinds = found
        events = [
            html_event("host", fragment("runs/_host_row.html", host=host, run_id=feed.run_id), host["id"])
            for host in progress.hosts
        ]
        state = (progress.run["status"], sorted(progress.counts.items()))
        if state != last[0] or progress.ended:
            last[0] = state
            summary = fragment(
                "runs/_summary.html",
                summary=progress.run,
                counts=progress.counts,
                kinds=kinds,
                active=not progress.ended,
                live=True,
                can_cancel=can_cancel,
                csrf_token=csrf_token,
            )
            events.append(html_event("end" if progress.ended else "progress", summary))
        return events, progress.ended

    return stream(request, look, render)


@router.get("/runs/{run_id:int}/live", response_class=StreamingResponse)
def run_live(
    run_id: RunId,
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, page(Role.VIEWER)],
    after: Annotated[int, Query(ge=0, le=2**63)] = 0,
    last_event_id: Annotated[int | None, Header(ge=0)] = None,
) -> StreamingResponse:
    """The run's progress as HTML events, from the host results above ``after``."""
    jobs.get_run(session, run_id)  # an unknown run is a 404 before the stream starts
    feed = jobs.RunFeed(run_id, after=max(after, last_event_id or 0))
    stream_ = run_stream(request, feed, principal.allows(Role.OPERATOR))
    return StreamingResponse(stream_, media_type=EVENT_STREAM, headers=HEADERS)


@router.get("/logs/live", response_class=StreamingResponse)
def logs_live(
    query: Annotated[LogQuery, Depends()],
    request: Request,
    session: SessionDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    after: Annotated[int | None, Query(ge=0, le=2**63)] = None,
    last_event_id: Annotated[int | None, Header(ge=0)] = None,
) -> StreamingResponse:
    """New log lines matching the filters, as table rows, until the client leaves."""
    logs.logs_after(session, query.filters, 0, limit=1)  # an unknown run, job or device is a 404 first
    start = last_event_id if last_event_id is not None else after
    tail = logs.Tail(query.filters, logs.latest_id(session) if start is None else start)

    def render(entries: list[logs.LogEntry]) -> tuple[list[str], bool]:
        return [html_event("log", fragment("logs/_row.html", line=e), e.id) for e in entries], False

    return StreamingResponse(stream(request, tail.poll, render), media_type=EVENT_STREAM, headers=HEADERS)
