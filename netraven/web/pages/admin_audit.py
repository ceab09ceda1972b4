"""``/admin/audit`` (admins): the audit trail, newest first, filtered by actor, action (or a
prefix such as ``device.*``), object, outcome and a time window, a page at a time. The query is
the domain's (:func:`netraven.audit.list_entries`), as for ``GET /api/v1/audit``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from netraven import audit, logs
from netraven.db.paging import Paged
from netraven.exceptions import NetRavenError, in_field
from netraven.users import Principal, Role
from netraven.web.api.jobs import tz_of
from netraven.web.deps import SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.forms import field_errors
from netraven.web.pages.render import render

router = APIRouter()
PageNumber = Annotated[int, Query(alias="page", ge=1, le=10**6)]
LIMIT = 50
FILTERS = ("actor", "action", "object_type", "object_id", "outcome", "since", "until")


@router.get("/admin/audit")
def list_audit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, page(Role.ADMIN)],
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """Who changed what, when, from where, and how it ended."""
    values = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    found: Paged[Any] = Paged([], 0, LIMIT, 0)
    errors: dict[str, str] = {}
    try:
        now, tz, times = datetime.now(UTC), tz_of(settings), {}
        for name in ("since", "until"):
            with in_field(name):
                times[name] = logs.parse_time(values[name], now, tz, name) if values[name] else None
        found = audit.list_entries(
            session,
            **{name: values[name] or None for name in FILTERS[:5]},
            **times,
            limit=LIMIT,
            offset=(page_number - 1) * LIMIT,
        )
    except NetRavenError as exc:
        errors = field_errors(exc)
    context = {
        "found": found,
        "entries": [audit.entry_to_dict(row) for row in found.items],
        "values": values,
        "errors": errors,
        "outcomes": audit.OUTCOMES,
        "filtered": any(values.values()),
    }
    return render(request, "admin/audit.html", context, status_code=422 if errors else 200)
