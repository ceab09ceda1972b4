"""``/logs``: job log lines (already masked when written), filtered by run, job, device, lowest
level, a part of the message and a time window, newest page first; a live tail follows new lines
(``/logs/live``, :mod:`.live`). The filters are those of ``netraven logs`` and ``GET /api/v1/logs``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from netraven import logs
from netraven.db.paging import Paged
from netraven.exceptions import NetRavenError, in_field
from netraven.settings import Settings
from netraven.users import Principal, Role
from netraven.web.api.jobs import tz_of
from netraven.web.api.models import job_ref
from netraven.web.deps import SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.forms import field_errors
from netraven.web.pages.render import render

router = APIRouter()
PageNumber = Annotated[int, Query(alias="page", ge=1, le=10**6)]
LIMIT = 100
FILTERS = ("run_id", "job", "device", "level", "text", "since", "until")


def log_filter(values: dict[str, str], settings: Settings) -> logs.LogFilter:
    """The filters typed in the form, checked by the domain (each error names its field)."""
    now, tz = datetime.now(UTC), tz_of(settings)
    run_id = values["run_id"].strip()
    if run_id and not (run_id.isdigit() and 0 < int(run_id) < 2**31):
        raise NetRavenError(f"run {run_id!r}: expected a run number", field="run_id")
    with in_field("since"):
        since = logs.parse_time(values["since"], now, tz, "since") if values["since"].strip() else None
    with in_field("until"):
        until = logs.parse_time(values["until"], now, tz, "until") if values["until"].strip() else None
    with in_field("level"):
        return logs.LogFilter(
            run_id=int(run_id) if run_id else None,
            job=job_ref(values["job"]) if values["job"].strip() else None,
            device=values["device"].strip() or None,
            level=values["level"] or None,
            text=values["text"].strip()[:200] or None,
            since=since,
            until=until,
        )


@router.get("/logs")
def list_logs(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """The newest log lines matching the filters (oldest of the page first), and a live tail."""
    values = {name: request.query_params.get(name, "") for name in FILTERS}
    errors: dict[str, str] = {}
    lines: list[logs.LogEntry] = []
    total, latest = 0, 0
    try:
        filters = replace(log_filter(values, settings), limit=LIMIT, offset=(page_number - 1) * LIMIT)
        lines, total = logs.list_logs(session, filters), logs.count_logs(session, filters)
        latest = logs.latest_id(session)
    except NetRavenError as exc:
        errors = field_errors(exc)
    query = urlencode([(k, v) for k, v in values.items() if v and k in FILTERS])
    context = {
        "values": values,
        "errors": errors,
        "lines": lines,
        "found": Paged(lines, total, LIMIT, (page_number - 1) * LIMIT),
        "levels": logs.LEVELS,
        "filtered": any(values.values()),
        "live_url": f"/logs/live?after={latest}" + (f"&{query}" if query else ""),
        "live": request.query_params.get("live") == "1" and page_number == 1 and not errors,
    }
    return render(request, "logs/list.html", context, status_code=422 if errors else 200)
