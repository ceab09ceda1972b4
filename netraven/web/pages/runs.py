"""``/runs`` and ``/runs/{id}``: runs with their status, counts and duration; one run's hosts, each
with its status, error kind, message, the job type's output and a link to its logs. While a run
is queued or running, its page follows it live (``/runs/{id}/live``, :mod:`.live`). Operators
cancel runs, as ``POST /api/v1/runs/{id}/cancel`` does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from netraven import jobs, logs
from netraven.db.models import RUN_STATUSES
from netraven.jobs.queries import HOST_STATUSES
from netraven.jobs.runs import ACTIVE
from netraven.jobs.views import result_to_dict
from netraven.users import Principal, Role
from netraven.web.api.jobs import tz_of
from netraven.web.api.models import job_ref
from netraven.web.deps import PluginsDep, SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import render
from netraven.web.pages.submit import attempt

router = APIRouter()
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=10**6)]
LIMIT = 50
HOSTS_LIMIT = 100


@router.get("/runs")
def list_runs(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    plugins: PluginsDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    status: str = "",
    job: str = "",
    job_type: str = "",
    triggered_by: str = "",
    since: str = "",
    sort: str = "-id",
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """Runs, newest first, filtered by status, job, job type, who started them and since when."""
    after = logs.parse_time(since, datetime.now(UTC), tz_of(settings), "since") if since.strip() else None
    filters = jobs.RunFilter(
        status=status or None,
        job=job_ref(job) if job.strip() else None,
        job_type=job_type or None,
        since=after,
        triggered_by=triggered_by.strip() or None,
    )
    runs = jobs.page_runs(session, filters, limit=LIMIT, offset=(page_number - 1) * LIMIT, sort=sort)
    context = {
        "runs": runs,
        "sort": sort,
        "statuses": RUN_STATUSES,
        "job_types": plugins.job_types.names(),
        "filters": {
            "status": status,
            "job": job,
            "job_type": job_type,
            "triggered_by": triggered_by,
            "since": since,
        },
        "filtered": any((status, job, job_type, triggered_by, since)),
    }
    return render(request, "runs/list.html", context)


def host_view(result: Any) -> dict[str, Any]:
    """A host result row as the templates show it (the same view the live stream sends)."""
    return {"id": result.id, **result_to_dict(result)}


def run_page(
    request: Request,
    session: Session,
    run_id: int,
    status: str = "",
    page_number: int = 1,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    run = jobs.get_run(session, run_id)
    found = jobs.page_results(
        session, run_id, status=status or None, limit=HOSTS_LIMIT, offset=(page_number - 1) * HOSTS_LIMIT
    )
    context = {
        "run": run,
        "summary": jobs.run_to_dict(run),
        "counts": jobs.result_counts(session, run_id),
        "kinds": jobs.failure_kinds(session, run_id),
        "active": run.status in ACTIVE,
        "hosts": [host_view(r) for r in found.items],
        "found": found,
        "host_statuses": HOST_STATUSES,
        "status": status,
        "last_id": jobs.latest_result_id(session, run_id),
        "targets": jobs.Targets.from_dict(run.targets).describe() if run.targets else "",
        "run_id": run_id,
        "errors": errors or {},
    }
    return render(request, "runs/detail.html", context, status_code=400 if errors else 200)


@router.get("/runs/{run_id:int}")
def show_run(
    request: Request,
    run_id: RunId,
    session: SessionDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    status: str = "",
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """A run: its summary, failed hosts by kind, and every host (live while the run goes on)."""
    return run_page(request, session, run_id, status, page_number)


@router.post("/runs/{run_id:int}/cancel")
def cancel_run(
    request: Request,
    run_id: RunId,
    session: SessionDep,
    principal: Annotated[Principal, page(Role.OPERATOR, action="run.cancel")],
) -> Response:
    """Stop the run (a queued one at once; a running one within seconds), then its page."""
    jobs.get_run(session, run_id)
    _, errors = attempt(request, session, lambda: jobs.cancel_run(session, run_id, principal.username))
    if errors:
        return run_page(request, session, run_id, errors=errors)
    return RedirectResponse(f"/runs/{run_id}", status_code=303)
