"""``/devices``: the inventory as a filtered, sorted, paged table, and a backup now of the devices
selected in it (the run the API's ``POST /runs`` starts, then its page ``/runs/{id}``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from netraven import inventory, jobs
from netraven.db.paging import Paged
from netraven.exceptions import NetRavenError
from netraven.users import Principal, Role
from netraven.web.api.models import TargetsIn
from netraven.web.api.runs import RunStart
from netraven.web.deps import PluginsDep, QueueDep, SessionDep
from netraven.web.pages.auth import page
from netraven.web.pages.forms import field_errors
from netraven.web.pages.render import render

router = APIRouter()
PAGE_SIZE = 100
MAX_PAGE = 2**31 // PAGE_SIZE
FIELDS = {"name": "q", "text": "q", "backup_status": "status", "tags": "tag"}  # domain field -> filter
SORTS = ("hostname", "host", "platform", "last_backup_status", "last_backup_at", "enabled")


@dataclass(frozen=True)
class Filters:
    """The table's query parameters: ``q`` (in name, address or description), ``tag``,
    ``platform``, ``status`` (of the last backup: success, failed, never), ``sort``, ``page``."""

    q: str = ""
    tag: str = ""
    platform: str = ""
    status: str = ""
    sort: str = ""
    page: int = 1


def device_table(session: Session, filters: Filters) -> tuple[Paged[Any], dict[str, str]]:
    """One page of devices matching ``filters``, or none and the errors of the filters at fault."""
    try:
        found = inventory.query_devices(
            session,
            text=filters.q or None,
            tags=[filters.tag.strip()] if filters.tag.strip() else [],
            platform=filters.platform.strip().lower() or None,
            backup_status=filters.status or None,
            sort=filters.sort or None,
            limit=PAGE_SIZE,
            offset=(filters.page - 1) * PAGE_SIZE,
        )
    except NetRavenError as exc:
        errors = field_errors(exc)
        field = next(iter(errors))
        message = errors[field]
        name = FIELDS.get(field, "sort" if "sort" in message else field)
        return Paged([], 0, PAGE_SIZE, 0), {name: message}
    return found, {}


def list_page(
    request: Request, session: Session, filters: Filters, errors: dict[str, str] | None = None
) -> HTMLResponse:
    """The devices page for ``filters``, with ``errors`` (of the filters, or of a refused action)."""
    found, filter_errors = device_table(session, filters)
    errors = {**filter_errors, **(errors or {})}
    tags = inventory.tag_names(session)
    context = {
        "devices": found,
        "filters": asdict(filters),
        "filtered": any((filters.q, filters.tag, filters.platform, filters.status)),
        "tags": tags,
        "errors": errors,
        "sorts": SORTS,
    }
    return render(request, "devices/list.html", context, status_code=422 if errors else 200)


@router.get("/devices")
def devices(
    request: Request,
    session: SessionDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    q: Annotated[str, Query(max_length=255)] = "",
    tag: Annotated[str, Query(max_length=255)] = "",
    platform: Annotated[str, Query(max_length=100)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    sort: Annotated[str, Query(max_length=50)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    """The devices, filtered, sorted (by name unless ``sort``) and paged by 100."""
    return list_page(request, session, Filters(q, tag, platform, status, sort, page_number))


@router.post("/devices/run")
async def run_backup(
    request: Request,
    session: SessionDep,
    queue: QueueDep,
    plugins: PluginsDep,
    principal: Annotated[Principal, page(Role.OPERATOR, action="run.start")],
) -> Response:
    """Back up the selected devices now: the run is queued, and its page shows it live."""
    chosen = [name for name in (await request.form()).getlist("device") if isinstance(name, str)]
    try:
        body = RunStart(job_type="backup", targets=TargetsIn(devices=chosen))
        targets = jobs.Targets.of(body.targets.devices, body.targets.tags, body.targets.all)
        with session.begin_nested():  # refused: this savepoint is rolled back, nothing is written
            queued = jobs.queue_run(session, plugins.job_types, "backup", targets, {}, principal.username)
    except (ValidationError, NetRavenError) as exc:
        message = "select the devices to back up" if not chosen else next(iter(field_errors(exc).values()))
        return list_page(request, session, Filters(), {"device": message})
    session.commit()  # the run must exist before a worker can take it
    queue.enqueue_run(queued)
    return RedirectResponse(f"/runs/{queued.run_id}", status_code=303)
