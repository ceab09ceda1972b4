"""``/jobs`` and ``/jobs/{id}``: job definitions with their targets, schedule and next run; an
operator enables, disables, runs now (queued for a worker, as ``POST /api/v1/jobs/{id}/run``)
and deletes them. Every query and check is the domain's (:mod:`netraven.jobs`).
"""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netraven import jobs
from netraven.db.base import utcnow
from netraven.exceptions import QueueError
from netraven.jobs.schedules import format_time
from netraven.users import Principal, Role
from netraven.web.api.jobs import tz_of
from netraven.web.deps import PluginsDep, QueueDep, SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import render
from netraven.web.pages.submit import attempt

router = APIRouter()
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PageNumber = Annotated[int, Query(ge=1, le=10**6)]
LIMIT = 50
RECENT_RUNS = 10


def describe_targets(job: Any) -> str:
    """``all devices`` or ``tags core, edge; devices r1``."""
    if job.target_all:
        return "all devices"
    parts = []
    if job.tags:
        parts.append("tags " + ", ".join(sorted(t.name for t in job.tags)))
    if job.devices:
        parts.append("devices " + ", ".join(sorted(d.hostname for d in job.devices)))
    return "; ".join(parts) or "none left"


@router.get("/jobs")
def list_jobs(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    plugins: PluginsDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    q: str = "",
    job_type: str = "",
    enabled: str = "",
    sort: str = "name",
    page_number: Annotated[PageNumber, Query(alias="page")] = 1,
) -> HTMLResponse:
    """Jobs, filtered by name, type and state, sorted, a page at a time, each with its last run."""
    filters = jobs.JobFilter(
        name=q.strip() or None, job_type=job_type or None, enabled={"yes": True, "no": False}.get(enabled)
    )
    found = jobs.page_jobs(session, filters, limit=LIMIT, offset=(page_number - 1) * LIMIT, sort=sort)
    latest, tz = jobs.latest_runs(session, [j.id for j in found.items]), tz_of(settings)
    rows = [
        {
            "job": j,
            "schedule": jobs.job_schedule(j).describe(tz),
            "targets": describe_targets(j),
            "last": latest.get(j.id),
        }
        for j in found.items
    ]
    context = {
        "found": found,
        "rows": rows,
        "job_types": plugins.job_types.names(),
        "filters": {"q": q, "job_type": job_type, "enabled": enabled},
        "sort": sort,
        "filtered": bool(q or job_type or enabled),
    }
    return render(request, "jobs/list.html", context)


def job_page(
    request: Request, session: Any, settings: Any, job_id: int, errors: dict[str, str] | None = None
) -> HTMLResponse:
    """A job's page: its fields, next run times and recent runs (``errors`` of a refused action)."""
    job, tz = jobs.get_job(session, job_id), tz_of(settings)
    schedule = jobs.job_schedule(job)
    runs = jobs.page_runs(session, jobs.RunFilter(job=job.id), limit=RECENT_RUNS)
    context = {
        "job": job,
        "schedule": schedule.describe(tz),
        "targets": describe_targets(job),
        "next_runs": [(t, format_time(t, tz)) for t in jobs.job_preview(job, utcnow(), tz)],
        "runs": runs,
        "errors": errors or {},
        "timezone": settings.scheduler.timezone,
    }
    return render(request, "jobs/detail.html", context, status_code=400 if errors else 200)


@router.get("/jobs/{job_id:int}")
def show_job(
    request: Request,
    job_id: JobId,
    session: SessionDep,
    settings: SettingsDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
) -> HTMLResponse:
    """One job."""
    return job_page(request, session, settings, job_id)


@router.post("/jobs/{job_id:int}/enable")
def enable_job(
    request: Request,
    job_id: JobId,
    session: SessionDep,
    settings: SettingsDep,
    _op: Annotated[Principal, page(Role.OPERATOR, action="job.enable")],
) -> Response:
    """Enable the job: it is next due at its schedule's next time."""
    jobs.set_enabled(session, job_id, True, tz=tz_of(settings))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/jobs/{job_id:int}/disable")
def disable_job(
    request: Request,
    job_id: JobId,
    session: SessionDep,
    settings: SettingsDep,
    _op: Annotated[Principal, page(Role.OPERATOR, action="job.disable")],
) -> Response:
    """Disable the job: never due until enabled again."""
    jobs.set_enabled(session, job_id, False, tz=tz_of(settings))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/jobs/{job_id:int}/run")
def run_job(
    request: Request,
    job_id: JobId,
    session: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
    principal: Annotated[Principal, page(Role.OPERATOR, action="run.start")],
) -> Response:
    """Run the job now: queued for a worker, then its run's page. Refused while it has a queued or
    running run (the job's page says so)."""
    jobs.get_job(session, job_id)
    queued, errors = attempt(
        request, session, lambda: jobs.queue_job_run(session, job_id, principal.username)
    )
    if queued is None:
        return job_page(request, session, settings, job_id, errors)
    session.commit()  # the run must exist before a worker can take it
    with suppress(QueueError):  # stored queued: a worker's dispatch enqueues it once the queue is back
        queue.enqueue_run(queued)
    return RedirectResponse(f"/runs/{queued.run_id}", status_code=303)


@router.post("/jobs/{job_id:int}/delete")
def delete_job(
    request: Request,
    job_id: JobId,
    session: SessionDep,
    _op: Annotated[Principal, page(Role.OPERATOR, action="job.remove")],
) -> Response:
    """Delete the job with its runs, their results and logs."""
    jobs.remove_job(session, job_id)
    return RedirectResponse("/jobs", status_code=303)
