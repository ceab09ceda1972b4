"""``/api/v1/jobs``: job definitions (CRUD, enable/disable), schedule previews, running a job now.

Viewers read; operators create, change, remove, enable, disable and run jobs. Every query and
check is the domain's (:mod:`netraven.jobs`), as for ``netraven job ...``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from netraven import jobs
from netraven.db.base import utcnow
from netraven.db.models import Job
from netraven.plugins import NetRavenPluginManager
from netraven.settings import Settings
from netraven.users import Principal, Role
from netraven.web.api import models
from netraven.web.deps import PluginsDep, QueueDep, SessionDep, SettingsDep, require
from netraven.web.pagination import Page, Paging, paging
from netraven.web.schemas import Strict

router = APIRouter(prefix="/jobs", tags=["jobs"])
JobId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The job's id.")]
Sort = Annotated[
    str | None,
    Query(description="name, id, job_type, priority, next_run_at or created_at; '-' first: descending."),
]


class JobIn(Strict):
    """A new job: what to run (job type and parameters), on which targets, when."""

    name: str = Field(examples=["nightly-backup"])
    job_type: str = Field(examples=["backup"])
    parameters: dict[str, Any] = Field(default_factory=dict)
    targets: models.TargetsIn
    schedule: models.ScheduleIn = Field(default_factory=models.ScheduleIn)
    priority: int = 0
    enabled: bool = True


class JobPatch(Strict):
    """The fields to change; those left out keep their values. Targets given replace the old ones."""

    name: str | None = None
    parameters: dict[str, Any] | None = None
    devices: list[str] | None = None
    tags: list[str] | None = None
    all: bool | None = None
    schedule: models.ScheduleIn | None = None
    priority: int | None = None


class Preview(BaseModel):
    """A schedule and the next times it is due (UTC)."""

    schedule: models.Schedule
    next_runs: list[datetime] = Field(examples=[["2026-12-02T02:00:00Z", "2026-12-03T02:00:00Z"]])


def tz_of(settings: Settings) -> ZoneInfo:
    return ZoneInfo(settings.scheduler.timezone)


def schedule_of(body: models.ScheduleIn, settings: Settings) -> jobs.Schedule:
    """The domain's schedule from the request's (validated and normalised there)."""
    return jobs.Schedule.parse(body.type, **body.model_dump(exclude={"type"}), tz=tz_of(settings))


def job_out(session: SessionDep, job: Any, settings: Settings) -> models.Job:
    last = jobs.latest_runs(session, [job.id]).get(job.id)
    return models.Job.model_validate(jobs.job_view(job, last, tz_of(settings)))


@router.get("", response_model=Page[models.Job], dependencies=[require(Role.VIEWER)])
def list_jobs(
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[Paging, Depends(paging)],
    name: Annotated[str | None, Query(description="A part of the name (any case).")] = None,
    job_type: str | None = None,
    enabled: bool | None = None,
    scheduled: Annotated[
        bool | None, Query(description="Only jobs with (true) or without a schedule.")
    ] = None,
    sort: Sort = None,
) -> Page[models.Job]:
    """Jobs, by name unless ``sort`` says otherwise, each with its last run."""
    filters = jobs.JobFilter(name=name, job_type=job_type, enabled=enabled, scheduled=scheduled)
    found = jobs.page_jobs(session, filters, limit=page.limit, offset=page.offset, sort=sort)
    latest, tz = jobs.latest_runs(session, [j.id for j in found.items]), tz_of(settings)
    items = [models.Job.model_validate(jobs.job_view(j, latest.get(j.id), tz)) for j in found.items]
    return page.page(items, found.total)


@router.get("/schedule-preview", response_model=Preview, dependencies=[require(Role.VIEWER)])
def preview_schedule(
    settings: SettingsDep,
    type: Annotated[str, Query(description="immediate, onetime, interval, daily, weekly or cron.")],
    run_at: str | None = None,
    interval_seconds: Annotated[str | None, Query(description="Seconds, or 90s, 15m, 2h, 1d.")] = None,
    time_of_day: str | None = None,
    days_of_week: Annotated[str | None, Query(description="e.g. mon,thu")] = None,
    cron_expression: str | None = None,
) -> Preview:
    """The next five times a schedule would be due, before creating a job with it."""
    tz = tz_of(settings)
    schedule = jobs.Schedule.parse(
        type,
        run_at=run_at,
        interval_seconds=interval_seconds,
        time_of_day=time_of_day,
        days_of_week=days_of_week,
        cron_expression=cron_expression,
        tz=tz,
    )
    described = models.Schedule.model_validate({**schedule.to_dict(), "description": schedule.describe(tz)})
    return Preview(schedule=described, next_runs=jobs.preview(schedule, utcnow(), tz))


@router.post("", response_model=models.Job, status_code=status.HTTP_201_CREATED)
def create_job(
    body: JobIn,
    session: SessionDep,
    settings: SettingsDep,
    plugins: PluginsDep,
    principal: Annotated[Principal, require(Role.OPERATOR, "job.create")],
) -> models.Job:
    """Create a job; a bad job type, parameter, target or schedule is refused and nothing stored."""
    job = store_new_job(session, body, settings, plugins, principal.username)
    session.flush()
    return job_out(session, job, settings)


@router.get("/{job_id}", response_model=models.Job, dependencies=[require(Role.VIEWER)])
def get_job(job_id: JobId, session: SessionDep, settings: SettingsDep) -> models.Job:
    """One job, with its last run."""
    return job_out(session, jobs.get_job(session, job_id), settings)


@router.patch("/{job_id}", response_model=models.Job, dependencies=[require(Role.OPERATOR, "job.edit")])
def edit_job(
    job_id: JobId, body: JobPatch, session: SessionDep, settings: SettingsDep, plugins: PluginsDep
) -> models.Job:
    """Change a job's name, parameters, targets, schedule or priority."""
    job = store_job_changes(session, job_id, body, settings, plugins)
    return job_out(session, job, settings)


@router.delete(
    "/{job_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[require(Role.OPERATOR, "job.remove")]
)
def remove_job(job_id: JobId, session: SessionDep) -> Response:
    """Delete a job with its runs, their results and logs."""
    jobs.remove_job(session, job_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{job_id}/enable", response_model=models.Job, dependencies=[require(Role.OPERATOR, "job.enable")]
)
def enable_job(job_id: JobId, session: SessionDep, settings: SettingsDep) -> models.Job:
    """Enable a job: it is next due at its schedule's next time."""
    return job_out(session, jobs.set_enabled(session, job_id, True, tz=tz_of(settings)), settings)


@router.post(
    "/{job_id}/disable", response_model=models.Job, dependencies=[require(Role.OPERATOR, "job.disable")]
)
def disable_job(job_id: JobId, session: SessionDep, settings: SettingsDep) -> models.Job:
    """Disable a job: it is never due until enabled again (a run under way goes on)."""
    return job_out(session, jobs.set_enabled(session, job_id, False, tz=tz_of(settings)), settings)


@router.get("/{job_id}/schedule", response_model=Preview, dependencies=[require(Role.VIEWER)])
def job_schedule(job_id: JobId, session: SessionDep, settings: SettingsDep) -> Preview:
    """The job's schedule and its next five run times (none while it is disabled)."""
    job, tz = jobs.get_job(session, job_id), tz_of(settings)
    schedule = jobs.job_schedule(job)
    described = models.Schedule.model_validate({**schedule.to_dict(), "description": schedule.describe(tz)})
    return Preview(schedule=described, next_runs=jobs.job_preview(job, utcnow(), tz))


@router.post(
    "/{job_id}/run",
    response_model=models.Run,
    status_code=status.HTTP_202_ACCEPTED,
)
def run_job(
    job_id: JobId,
    session: SessionDep,
    queue: QueueDep,
    principal: Annotated[Principal, require(Role.OPERATOR, "run.start")],
) -> models.Run:
    """Run the job now, enabled or not (refused while it has a queued or running run): a worker
    takes it from the queue. Follow it with ``GET /runs/{id}/events``."""
    queued = jobs.queue_job_run(session, job_id, triggered_by=principal.username)
    run = jobs.get_run(session, queued.run_id)
    data = models.Run.model_validate(jobs.run_to_dict(run))
    session.commit()  # the run must exist before a worker can take it
    queue.enqueue_run(queued)
    return data


def store_new_job(
    session: Session, body: JobIn, settings: Settings, plugins: NetRavenPluginManager, created_by: str
) -> Job:
    """Create the job ``body`` describes (for the API and the job form): flushed, so it has its id."""
    job = jobs.create_job(
        session,
        name=body.name,
        job_type=body.job_type,
        job_types=plugins.job_types,
        parameters=body.parameters,
        devices=body.targets.devices,
        tags=body.targets.tags,
        target_all=body.targets.all,
        schedule=schedule_of(body.schedule, settings),
        priority=body.priority,
        enabled=body.enabled,
        created_by=created_by,
        tz=tz_of(settings),
    )
    session.flush()
    return job


def store_job_changes(
    session: Session, job_id: int, body: JobPatch, settings: Settings, plugins: NetRavenPluginManager
) -> Job:
    """Apply the changes ``body`` names to job ``job_id`` (for the API and the job form)."""
    job, _ = jobs.edit_job(
        session,
        job_id,
        job_types=plugins.job_types,
        name=body.name,
        parameters=body.parameters,
        devices=body.devices,
        tags=body.tags,
        target_all=body.all,
        schedule=schedule_of(body.schedule, settings) if body.schedule is not None else None,
        priority=body.priority,
        tz=tz_of(settings),
    )
    return job
