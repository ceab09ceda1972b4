"""Job definitions: what to run, on which targets, when; stored on the ``Job`` model.

Every function takes a ``Session`` first and works inside the caller's transaction; bad input
raises a one-line :class:`~netraven.exceptions.JobError` before anything is written::

    with sessions.begin() as session:
        job = create_job(session, name="nightly", job_type="backup", job_types=pm.job_types,
                         tags=["core"], schedule=Schedule("daily", time_of_day="02:00"), tz=tz)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import InstrumentedAttribute

from netraven import audit
from netraven.db.base import MAX_INTEGER, utcnow
from netraven.db.models import Device, Job, JobRun, Tag
from netraven.exceptions import JobConflict, JobError, JobNotFound, in_field
from netraven.inventory.batches import batched
from netraven.inventory.validation import check_name, check_text, show
from netraven.jobs import JobTypeRegistry
from netraven.jobs.schedules import Schedule, next_run

_Row = TypeVar("_Row", Device, Tag)


def create_job(
    session: Session,
    *,
    name: str,
    job_type: str,
    job_types: JobTypeRegistry,
    parameters: Mapping[str, Any] | None = None,
    devices: Iterable[str] = (),
    tags: Iterable[str] = (),
    target_all: bool = False,
    schedule: Schedule | None = None,
    priority: int = 0,
    enabled: bool = True,
    created_by: str | None = None,
    now: datetime | None = None,
    tz: tzinfo = UTC,
) -> Job:
    """Store a job, due at its schedule's first time after ``now`` (immediate: ``now``).

    ``job_types`` validates ``job_type`` and its ``parameters``; ``devices`` are hostnames and
    ``tags`` tag names, all existing; ``target_all`` targets the whole fleet instead. Schedule
    times are wall-clock times in ``tz`` (default UTC).
    """
    now, schedule = now or utcnow(), schedule or Schedule()
    name = _check_name(name)
    created_by = check_text(created_by, "created_by", JobError) or audit.acting_user()
    if session.scalar(select(Job.id).where(Job.name == name)) is not None:
        raise JobConflict(f"a job named {name!r} already exists", field="name")
    with in_field("job_type"):
        job_cls = job_types.job_type(job_type)
    with in_field("parameters"):
        values = job_cls.validate(parameters or {})
    _check_priority(priority)
    device_rows = _existing(session, Device, Device.hostname, devices, "device")
    tag_rows = _existing(session, Tag, Tag.name, tags, "tag")
    if target_all and (device_rows or tag_rows):
        raise JobError(
            f"job {name!r} targets all devices: give no --device or --tag with --all", field="targets"
        )
    if not (target_all or device_rows or tag_rows):
        raise JobError(f"job {name!r} has no targets: give --device, --tag or --all", field="targets")
    schedule.check_not_past(now, tz)
    job = Job(
        name=name,
        job_type=job_cls.name,
        parameters=values,
        target_all=target_all,
        devices=device_rows,
        tags=tag_rows,
        priority=priority,
        enabled=enabled,
        created_by=created_by,
        next_run_at=next_run(schedule, now, tz) if enabled else None,
        **schedule.as_columns(),
    )
    try:
        with session.begin_nested():  # a concurrent insert of the name rolls back only this savepoint
            session.add(job)
    except IntegrityError as exc:
        raise JobConflict(f"a job named {name!r} already exists", field="name") from exc
    audit.record(session, "job.create", "job", job.id, {"job_type": job.job_type, **_editable(job)})
    return job


def get_job(session: Session, name_or_id: str | int) -> Job:
    """The job with this name (or id, given an int), its devices and tags loaded."""
    query = select(Job).options(selectinload(Job.devices), selectinload(Job.tags))
    if isinstance(name_or_id, int):
        job = session.scalar(query.where(Job.id == name_or_id))
    else:
        job = session.scalar(query.where(Job.name == name_or_id.strip()))
    if job is None:
        raise JobNotFound(f"no job {'with id' if isinstance(name_or_id, int) else 'named'} {name_or_id!r}")
    return job


def list_jobs(session: Session, *, scheduled: bool | None = None, enabled: bool | None = None) -> list[Job]:
    """Jobs by name, devices and tags loaded; ``scheduled``: only those (not) run by a schedule."""
    query = select(Job).options(selectinload(Job.devices), selectinload(Job.tags)).order_by(Job.name)
    if scheduled is not None:
        query = query.where(
            (Job.schedule_type != "immediate") if scheduled else (Job.schedule_type == "immediate")
        )
    if enabled is not None:
        query = query.where(Job.enabled == enabled)
    return list(session.scalars(query))


def set_enabled(
    session: Session, name_or_id: str | int, enabled: bool, *, now: datetime | None = None, tz: tzinfo = UTC
) -> Job:
    """Enable or disable a job. Disabled, nothing is due; re-enabled, it is next due after ``now``.

    Re-enabling keeps an interval on its grid (anchored on the last run's due time), and a
    one-time job that has not run yet is due at its time, at once if that passed meanwhile.
    """
    job = get_job(session, name_or_id)
    if job.enabled != enabled:
        job.enabled = enabled
        job.next_run_at = (
            next_run(job_schedule(job), now or utcnow(), tz, last_run=_last_due(session, job.id))
            if enabled
            else None
        )
        session.flush()
        audit.record(session, "job.enable" if enabled else "job.disable", "job", job.id,
                     {"enabled": [not enabled, enabled]})  # fmt: skip
    return job


def edit_job(
    session: Session,
    name_or_id: str | int,
    *,
    job_types: JobTypeRegistry,
    name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    devices: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    target_all: bool | None = None,
    schedule: Schedule | None = None,
    priority: int | None = None,
    now: datetime | None = None,
    tz: tzinfo = UTC,
) -> tuple[Job, dict[str, list[Any]]]:
    """Change the fields given (None: unchanged) of a job, validated as :func:`create_job` does.

    Parameters replace the old ones whole; targets given replace the old targets (devices and
    tags given alone keep the other kind). A new schedule makes an enabled job due at its first
    time after ``now``. Returns the job and its changes, ``{field: [old, new]}``.
    """
    now = now or utcnow()
    job = get_job(session, name_or_id)
    before = _editable(job)
    if name is not None and _check_name(name) != job.name:
        new_name = _check_name(name)
        if session.scalar(select(Job.id).where(Job.name == new_name)) is not None:
            raise JobConflict(f"a job named {new_name!r} already exists", field="name")
        job.name = new_name
    if parameters is not None:
        with in_field("parameters"):
            job.parameters = job_types.job_type(job.job_type).validate(parameters)
    if priority is not None:
        _check_priority(priority)
        job.priority = priority
    if devices is not None or tags is not None or target_all is not None:
        # Devices or tags given to a job targeting all devices make it target them instead.
        all_ = target_all if target_all is not None else job.target_all and devices is None and tags is None
        device_rows = (
            list(job.devices)
            if devices is None
            else _existing(session, Device, Device.hostname, devices, "device")
        )
        tag_rows = list(job.tags) if tags is None else _existing(session, Tag, Tag.name, tags, "tag")
        if all_ and (device_rows or tag_rows):
            raise JobError(
                f"job {job.name!r} targets all devices: give no devices or tags with all", field="targets"
            )
        if not (all_ or device_rows or tag_rows):
            raise JobError(
                f"job {job.name!r} would have no targets: give devices, tags or all", field="targets"
            )
        job.target_all, job.devices, job.tags = all_, device_rows, tag_rows
    if schedule is not None:
        schedule.check_not_past(now, tz)
        for column, value in schedule.as_columns().items():
            setattr(job, column, value)
        job.next_run_at = next_run(schedule, now, tz) if job.enabled else None
    session.flush()
    after = _editable(job)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        audit.record(session, "job.edit", "job", job.id, changes)
    return job, changes


def remove_job(session: Session, name_or_id: str | int) -> None:
    """Delete a job with its runs, their results and logs."""
    job = get_job(session, name_or_id)
    session.delete(job)
    session.flush()
    audit.record(session, "job.remove", "job", job.id, {"name": [job.name, None]})


def job_schedule(job: Job) -> Schedule:
    """The schedule stored on ``job``'s columns."""
    return Schedule.parse(
        job.schedule_type,
        run_at=job.run_at,
        interval_seconds=job.interval_seconds,
        time_of_day=job.time_of_day,
        days_of_week=job.days_of_week,
        cron_expression=job.cron_expression,
    )


def _check_name(value: str) -> str:
    if not isinstance(value, str):
        raise JobError(f"job name {show(value)}: expected text", field="name")
    with in_field("name"):
        name = check_name(value, "job name", JobError)
    if name.isdigit():
        raise JobError(f"job name {show(name)} must not be a number (numbers are job ids)", field="name")
    return name


def _check_priority(priority: int) -> None:
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise JobError(f"priority {priority!r} must be an integer", field="priority")
    if abs(priority) > MAX_INTEGER:
        raise JobError(f"priority {priority} is outside -{MAX_INTEGER} to {MAX_INTEGER}", field="priority")


def _editable(job: Job) -> dict[str, Any]:
    """The fields :func:`edit_job` may change, as plain values to compare."""
    return {
        "name": job.name,
        "parameters": dict(job.parameters),
        "devices": sorted(d.hostname for d in job.devices),
        "tags": sorted(t.name for t in job.tags),
        "target_all": job.target_all,
        "schedule": {
            k: v.isoformat() if isinstance(v, datetime) else v for k, v in job_schedule(job).to_dict().items()
        },
        "priority": job.priority,
        "next_run_at": job.next_run_at.isoformat() if job.next_run_at else None,
    }


def _existing(
    session: Session, model: type[_Row], column: InstrumentedAttribute[str], names: Iterable[str], noun: str
) -> list[_Row]:
    """The rows of ``model`` whose ``column`` is one of ``names``; a JobError naming any missing."""
    wanted: Sequence[str] = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    found: dict[str, _Row] = {}
    for batch in batched(wanted):
        found.update(
            (getattr(row, column.key), row) for row in session.scalars(select(model).where(column.in_(batch)))
        )
    missing = [name for name in wanted if name not in found]
    if len(missing) == 1:
        raise JobError(f"no {noun} named {missing[0]!r}", field=f"{noun}s")
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise JobError(f"no {noun}s named {', '.join(map(repr, missing[:5]))}{more}", field=f"{noun}s")
    return [found[name] for name in wanted]


def _last_due(session: Session, job_id: int) -> datetime | None:
    """When the job's latest run was due (or created, for a run started by hand)."""
    due = func.coalesce(JobRun.scheduled_for, JobRun.created_at)
    return session.scalar(select(func.max(due)).where(JobRun.job_id == job_id))
