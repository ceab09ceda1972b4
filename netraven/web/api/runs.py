"""``/api/v1/runs``: runs (list, show with per-host results, start now, cancel), their host results
and, as server-sent events, their progress.

Viewers read; operators start and cancel runs. A run started here is queued for a worker, as
``netraven job run`` queues one; its progress is read from the database (:class:`netraven.jobs.RunFeed`),
so it can be followed whichever process or machine runs it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from netraven import jobs
from netraven.jobs.views import result_to_dict
from netraven.users import Principal, Role
from netraven.web.api import models
from netraven.web.api.events import EVENT_STREAM, run_events
from netraven.web.deps import PluginsDep, QueueDep, SessionDep, require
from netraven.web.pagination import Page, Paging, paging
from netraven.web.schemas import Strict

router = APIRouter(prefix="/runs", tags=["runs"])
RunId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The run's id.")]


class RunStart(Strict):
    """A run of a job type now on some targets (a stored job is run with ``POST /jobs/{id}/run``)."""

    job_type: str = Field(examples=["backup"])
    targets: models.TargetsIn
    parameters: dict[str, Any] = Field(default_factory=dict)


class Progress(BaseModel):
    """How far a run is: its summary and its hosts done by status."""

    run: models.Run
    counts: dict[str, int] = Field(examples=[{"succeeded": 10, "failed": 1, "skipped": 0, "done": 11}])


@router.get("", response_model=Page[models.Run], dependencies=[require(Role.VIEWER)])
def list_runs(
    session: SessionDep,
    page: Annotated[Paging, Depends(paging)],
    status: models.RunStatusName | None = None,
    job: Annotated[str | None, Query(description="A job's id or name.")] = None,
    job_type: str | None = None,
    since: Annotated[
        datetime | None, Query(description="Runs created at or after this time (ISO, with offset).")
    ] = None,
    triggered_by: str | None = None,
    sort: Annotated[
        str | None,
        Query(description="id, created_at, started_at, completed_at, status or job_type; '-': descending."),
    ] = None,
) -> Page[models.Run]:
    """Runs, newest first unless ``sort`` says otherwise."""
    job_id = models.job_ref(job) if job is not None else None
    filters = jobs.RunFilter(
        status=status, job=job_id, job_type=job_type, since=since, triggered_by=triggered_by
    )
    found = jobs.page_runs(session, filters, limit=page.limit, offset=page.offset, sort=sort)
    return page.page([models.Run.model_validate(jobs.run_to_dict(r)) for r in found.items], found.total)


@router.post("", response_model=models.Run, status_code=status.HTTP_202_ACCEPTED)
def start_run(
    body: RunStart,
    session: SessionDep,
    queue: QueueDep,
    plugins: PluginsDep,
    principal: Annotated[Principal, require(Role.OPERATOR, "run.start")],
) -> models.Run:
    """Run a job type now on the targets: queued for a worker. A bad job type, parameter or target
    is refused and nothing is queued."""
    targets = jobs.Targets.of(body.targets.devices, body.targets.tags, body.targets.all)
    queued = jobs.queue_run(
        session, plugins.job_types, body.job_type, targets, body.parameters, principal.username
    )
    data = models.Run.model_validate(jobs.run_to_dict(jobs.get_run(session, queued.run_id)))
    session.commit()  # the run must exist before a worker can take it
    queue.enqueue_run(queued)
    return data


@router.get("/{run_id}", response_model=models.RunDetail, dependencies=[require(Role.VIEWER)])
def get_run(run_id: RunId, session: SessionDep) -> models.RunDetail:
    """A run with its targets and every host's result."""
    run = jobs.get_run(session, run_id)
    return models.RunDetail.model_validate(jobs.run_detail(run, jobs.run_results(session, run_id)))


@router.get("/{run_id}/results", response_model=Page[models.HostResult], dependencies=[require(Role.VIEWER)])
def list_results(
    run_id: RunId,
    session: SessionDep,
    page: Annotated[Paging, Depends(paging)],
    status: models.HostStatusName | None = None,
    sort: Annotated[
        str | None, Query(description="hostname, status, completed_at, duration_seconds or id.")
    ] = None,
) -> Page[models.HostResult]:
    """A run's host results, by hostname unless ``sort`` says otherwise, each with the job type's output."""
    found = jobs.page_results(session, run_id, status=status, limit=page.limit, offset=page.offset, sort=sort)
    items = [models.HostResult.model_validate(result_to_dict(r)) for r in found.items]
    return page.page(items, found.total)


@router.get("/{run_id}/progress", response_model=Progress, dependencies=[require(Role.VIEWER)])
def get_progress(run_id: RunId, session: SessionDep) -> Progress:
    """The run and its hosts done so far, by status."""
    found = jobs.RunFeed(run_id).poll(session)
    return Progress(run=models.Run.model_validate(found.run), counts=found.counts)


@router.post("/{run_id}/cancel", response_model=models.Run)
def cancel_run(
    run_id: RunId, session: SessionDep, principal: Annotated[Principal, require(Role.OPERATOR, "run.cancel")]
) -> models.Run:
    """Stop a run: a queued one ends cancelled at once; a running one is asked to stop, and its worker
    ends it cancelled within seconds (hosts under way finish, the others are skipped)."""
    run = jobs.cancel_run(session, run_id, principal.username)
    return models.Run.model_validate(jobs.run_to_dict(run))


@router.get(
    "/{run_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {EVENT_STREAM: {}}, "description": "Server-sent events (see docs/web-api.md)"}
    },
    dependencies=[require(Role.VIEWER)],
)
def run_progress_events(
    run_id: RunId,
    request: Request,
    session: SessionDep,
    after: Annotated[int, Query(ge=0, description="Only hosts whose result id is above this.")] = 0,
    last_event_id: Annotated[int | None, Header(ge=0)] = None,
) -> StreamingResponse:
    """The run's progress as server-sent events: ``host`` (a host done, with its result), ``progress``
    (counts), then ``end`` (the final run) and the stream closes. A client reconnecting with
    ``Last-Event-ID`` gets only the hosts after that one."""
    jobs.get_run(session, run_id)  # an unknown run is a 404 before the stream starts
    feed = jobs.RunFeed(run_id, after=max(after, last_event_id or 0))
    return StreamingResponse(
        run_events(request, feed),
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
