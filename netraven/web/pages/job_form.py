"""``/jobs/new``, ``/jobs/{id}/edit`` and ``/jobs/schedule-preview``: the job form, with a schedule
editor whose next run times (or the reason a schedule is refused, next to its field) follow what
is typed, through an htmx fragment.

The form is validated with the API's schemas (:class:`~netraven.web.api.jobs.JobIn`,
``JobPatch``, ``ScheduleIn``) and stored by :func:`netraven.jobs.create_job` and
:func:`~netraven.jobs.edit_job`, as ``POST /api/v1/jobs`` and ``PATCH`` do.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from netraven import jobs
from netraven.db.base import utcnow
from netraven.exceptions import NetRavenError, in_field
from netraven.jobs.schedules import OPTIONAL, REQUIRED, SCHEDULE_TYPES, WEEKDAYS, format_time
from netraven.plugins import NetRavenPluginManager
from netraven.settings import Settings
from netraven.users import Principal, Role
from netraven.web.api import models
from netraven.web.api.jobs import JobIn, JobPatch, schedule_of, store_job_changes, store_new_job, tz_of
from netraven.web.deps import PluginsDep, SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.forms import field_errors
from netraven.web.pages.render import render
from netraven.web.pages.submit import FormDep, attempt, words

router = APIRouter()
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SCHEDULE_FIELDS = ("type", "run_at", "interval_seconds", "time_of_day", "days_of_week", "cron_expression")
JOB_FIELDS = ("name", "job_type", "devices", "tags", "parameters", "priority")


def form_values(form: FormData) -> dict[str, Any]:
    """The job form's fields as submitted (or a preview's query), to validate and to show again."""
    values: dict[str, Any] = {name: _text(form, name) for name in (*JOB_FIELDS, *SCHEDULE_FIELDS[:-2])}
    values["cron_expression"] = _text(form, "cron_expression")
    values["days_of_week"] = [day for day in form.getlist("days_of_week") if isinstance(day, str)]
    values["all"] = form.get("all") == "1"
    values["enabled"] = form.get("enabled") == "1"
    return values


def schedule_in(values: dict[str, Any]) -> models.ScheduleIn:
    """The schedule of the form's values, checked by the API's schema: the fields its type takes
    (the form keeps the others, hidden, while another type is chosen); empty ones are not given."""
    kind = values.get("type") or "immediate"
    used = REQUIRED.get(kind, SCHEDULE_FIELDS) + OPTIONAL.get(kind, ())
    fields = {name: values.get(name) or None for name in SCHEDULE_FIELDS[1:] if name in used}
    return models.ScheduleIn.model_validate({**fields, "type": kind})


def preview(values: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The schedule's description and next run times (local and UTC), or its errors by field."""
    tz = tz_of(settings)
    try:
        schedule = schedule_of(schedule_in(values), settings)
    except (ValidationError, NetRavenError) as exc:
        return {"errors": field_errors(exc), "times": []}
    times = []
    for moment in jobs.preview(schedule, utcnow(), tz):
        local, utc = format_time(moment, tz), moment.strftime("%Y-%m-%d %H:%M UTC")
        times.append((moment, local, utc if utc != local else ""))  # UTC again only when it differs
    return {"errors": {}, "description": schedule.describe(tz), "times": times}


def job_values(job: Any, tz: tzinfo) -> dict[str, Any]:
    """A stored job as the form's values (times of day and dates in the scheduler's zone)."""
    schedule = jobs.job_schedule(job)
    run_at = schedule.run_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M") if schedule.run_at else ""
    return {
        "name": job.name,
        "job_type": job.job_type,
        "devices": ", ".join(sorted(d.hostname for d in job.devices)),
        "tags": ", ".join(sorted(t.name for t in job.tags)),
        "all": job.target_all,
        "parameters": "\n".join(
            f"{key}={_assignment(value)}" for key, value in sorted(job.parameters.items())
        ),
        "priority": str(job.priority),
        "enabled": job.enabled,
        "type": schedule.type,
        "run_at": run_at,
        "interval_seconds": str(schedule.interval_seconds or ""),
        "time_of_day": schedule.time_of_day or "",
        "days_of_week": list(schedule.days_of_week),
        "cron_expression": schedule.cron_expression or "",
    }


def show_form(
    request: Request,
    settings: Settings,
    plugins: NetRavenPluginManager,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    job: Any = None,
) -> HTMLResponse:
    """The job form with ``values``, ``errors`` next to their fields (422 when there are some)."""
    shown = preview(values, settings)
    context = {
        "job": job,
        "values": values,
        "errors": {**shown["errors"], **(errors or {})},
        "preview": shown,
        "job_types": plugins.job_types.names(),
        "schedule_types": SCHEDULE_TYPES,
        "weekdays": WEEKDAYS,
        "timezone": settings.scheduler.timezone,
    }
    return render(request, "jobs/form.html", context, status_code=422 if errors else 200)


@router.get("/jobs/schedule-preview")
def schedule_preview(
    request: Request, settings: SettingsDep, _viewer: Annotated[Principal, page(Role.VIEWER)]
) -> HTMLResponse:
    """The fragment under the schedule fields: the next run times, or each refused field's reason."""
    values = form_values(FormData([(k, v) for k, v in request.query_params.multi_items()]))
    shown = preview(values, settings)
    context = {"preview": shown, "errors": shown["errors"], "oob": True}
    return render(request, "jobs/_preview.html", context)


@router.get("/jobs/new")
def new_job(
    request: Request,
    settings: SettingsDep,
    plugins: PluginsDep,
    _op: Annotated[Principal, page(Role.OPERATOR)],
) -> HTMLResponse:
    """An empty job form (a nightly backup of a tag, as a start)."""
    values = {"job_type": "backup", "type": "daily", "time_of_day": "02:00", "enabled": True, "priority": "0"}
    return show_form(request, settings, plugins, values)


@router.post("/jobs/new")
def create_job(
    request: Request,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    plugins: PluginsDep,
    principal: Annotated[Principal, page(Role.OPERATOR, action="job.create")],
) -> Response:
    """Store the job and show it; refused, the form again with each reason next to its field."""
    values = form_values(form)

    def create() -> int:
        body = JobIn.model_validate(
            {
                "name": values["name"],
                "job_type": values["job_type"],
                "parameters": _parameters(values),
                "targets": _targets(values),
                "schedule": schedule_in(values),
                "priority": values["priority"] or 0,
                "enabled": values["enabled"],
            }
        )
        job = store_new_job(session, body, settings, plugins, principal.username)
        return job.id

    job_id, errors = attempt(request, session, create)
    if errors:
        return show_form(request, settings, plugins, values, errors)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id:int}/edit")
def edit_form(
    request: Request,
    job_id: JobId,
    session: SessionDep,
    settings: SettingsDep,
    plugins: PluginsDep,
    _op: Annotated[Principal, page(Role.OPERATOR)],
) -> HTMLResponse:
    """The form of a stored job."""
    job = jobs.get_job(session, job_id)
    return show_form(request, settings, plugins, job_values(job, tz_of(settings)), job=job)


@router.post("/jobs/{job_id:int}/edit")
def edit_job(
    request: Request,
    job_id: JobId,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    plugins: PluginsDep,
    _op: Annotated[Principal, page(Role.OPERATOR, action="job.edit")],
) -> Response:
    """Change the job and show it; refused, the form again with nothing changed."""
    job = jobs.get_job(session, job_id)
    values = form_values(form)
    values["job_type"] = job.job_type  # a job keeps its type

    def change() -> None:
        targets = _targets(values)
        body = JobPatch.model_validate(
            {
                "name": values["name"],
                "parameters": _parameters(values),
                "schedule": schedule_in(values),
                "priority": values["priority"] or 0,
                **targets,
            }
        )
        store_job_changes(session, job_id, body, settings, plugins)

    _, errors = attempt(request, session, change)
    if errors:
        return show_form(request, settings, plugins, values, errors, job=job)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _targets(values: dict[str, Any]) -> dict[str, Any]:
    return {"devices": words(values["devices"]), "tags": words(values["tags"]), "all": values["all"]}


def _parameters(values: dict[str, Any]) -> dict[str, str]:
    with in_field("parameters"):
        return jobs.parse_assignments(line for line in values["parameters"].splitlines() if line.strip())


def _assignment(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
