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
        now, tz = datetime.now(UTC), tz_of(settings)
        with in_field("since"):
            since = logs.parse_time(values["since"], now, tz, "since") if values["since"] else None
        with in_field("until"):
            until = logs.parse_time(values["until"], now, tz, "until") if values["until"] else None
        found = audit.list_entries(
            session,
            actor=values["actor"] or None,
            action=values["action"] or None,
            object_type=values["object_type"] or None,
            object_id=values["object_id"] or None,
            outcome=values["outcome"] or None,
            since=since,
            until=until,
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
