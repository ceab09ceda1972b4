"""``/api/v1/logs``: job log lines filtered as ``netraven logs`` filters them, paged; following new
lines as server-sent events; and each host's connection transcript (redacted) in a run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from netraven import logs
from netraven.users import Role
from netraven.web.api.events import EVENT_STREAM, log_events
from netraven.web.api.models import job_ref
from netraven.web.deps import SessionDep, SettingsDep, require
from netraven.web.pagination import Page, Paging, paging

router = APIRouter(tags=["logs"])
RunId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The run's id.")]


class LogLine(BaseModel):
    """One job log line (:func:`netraven.logs.entry_to_dict`), already redacted."""

    id: int
    timestamp: datetime
    level: str = Field(examples=["WARNING"])
    category: str = Field(examples=["connection"])
    run_id: int | None
    device_id: int | None
    hostname: str | None = Field(examples=["core-1"])
    message: str = Field(examples=["core-1: login as netops (lab): authentication failed"])
    details: dict[str, Any]


class TranscriptHost(BaseModel):
    hostname: str
    device_id: int | None


class Transcript(BaseModel):
    """The SSH session of one host in one run, secrets redacted."""

    run_id: int
    device_id: int | None
    hostname: str
    timestamp: datetime
    transcript: str


class LogQuery:
    """The filters of ``netraven logs``: run, job (id or name), device, lowest level, category,
    a part of the message, and a time window (ISO times, or durations ago such as 30m, 2h, 1d)."""

    def __init__(
        self,
        settings: SettingsDep,
        run_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
        job: Annotated[str | None, Query(description="A job's id or name.")] = None,
        device: Annotated[str | None, Query(description="A hostname.")] = None,
        level: Annotated[
            str | None, Query(description="DEBUG, INFO, WARNING, ERROR or CRITICAL: this and above.")
        ] = None,
        category: Annotated[str | None, Query(examples=["connection"])] = None,
        text: Annotated[
            str | None, Query(max_length=200, description="A part of the message (any case).")
        ] = None,
        since: Annotated[
            str | None, Query(description="From this time: ISO, or a duration ago (30m, 2h).")
        ] = None,
        until: Annotated[str | None, Query(description="Before this time: ISO, or a duration ago.")] = None,
    ) -> None:
        tz, now = ZoneInfo(settings.scheduler.timezone), datetime.now(UTC)
        self.filters = logs.LogFilter(
            run_id=run_id,
            job=job_ref(job) if job is not None else None,
            device=device,
            level=level,
            category=category,
            text=text,
            since=logs.parse_time(since, now, tz, "since") if since else None,
            until=logs.parse_time(until, now, tz, "until") if until else None,
        )


Filters = Annotated[LogQuery, Depends()]


@router.get("/logs", response_model=Page[LogLine], dependencies=[require(Role.VIEWER)])
def list_logs(query: Filters, session: SessionDep, page: Annotated[Paging, Depends(paging)]) -> Page[LogLine]:
    """Log lines matching the filters: the newest ``limit`` after the ``offset`` newest, oldest first."""
    filters = replace(query.filters, limit=page.limit, offset=page.offset)
    entries = logs.list_logs(session, filters)
    items = [LogLine.model_validate(logs.entry_to_dict(e)) for e in entries]
    return page.page(items, logs.count_logs(session, filters))


@router.get(
    "/logs/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {EVENT_STREAM: {}}, "description": "Server-sent events (see docs/web-api.md)"}
    },
    dependencies=[require(Role.VIEWER)],
)
def follow_logs(
    query: Filters,
    request: Request,
    session: SessionDep,
    after: Annotated[
        int | None, Query(ge=0, description="Lines with ids above this (default: new lines only).")
    ] = None,
    last_event_id: Annotated[int | None, Header(ge=0)] = None,
) -> StreamingResponse:
    """New log lines matching the filters as server-sent ``log`` events, as they are written, until
    the client disconnects (or after an hour: reconnect with ``Last-Event-ID``)."""
    logs.logs_after(session, query.filters, 0, limit=1)  # an unknown run, job or device is a 404 first
    start = last_event_id if last_event_id is not None else after
    tail = logs.Tail(query.filters, logs.latest_id(session) if start is None else start)
    return StreamingResponse(
        log_events(request, tail),
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get(
    "/runs/{run_id}/transcripts", response_model=list[TranscriptHost], dependencies=[require(Role.VIEWER)]
)
def list_transcripts(run_id: RunId, session: SessionDep) -> list[TranscriptHost]:
    """The hosts of a run that have a connection transcript."""
    return [TranscriptHost(hostname=h, device_id=d) for h, d in logs.list_transcripts(session, run_id)]


@router.get(
    "/runs/{run_id}/transcripts/{device}", response_model=Transcript, dependencies=[require(Role.VIEWER)]
)
def get_transcript(
    run_id: RunId, device: Annotated[str, Path(max_length=255)], session: SessionDep
) -> Transcript:
    """One host's connection transcript in a run (its hostname then or now)."""
    return Transcript.model_validate(logs.transcript_to_dict(logs.get_transcript(session, run_id, device)))
