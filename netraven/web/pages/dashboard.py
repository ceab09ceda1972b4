"""``/``: the dashboard: the fleet's figures, the last runs, backups and changes per day, and the
health of the server, the queue and the workers (what ``/api/v1/health`` knows)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from netraven.jobs.history import list_runs
from netraven.jobs.overview import Overview, fleet_overview
from netraven.users import Principal, Role
from netraven.web.api.health import check_health
from netraven.web.deps import SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import render

router = APIRouter()
LAST_RUNS = 8


@router.get("/")
def dashboard(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _principal: Annotated[Principal, page(Role.VIEWER)],
) -> HTMLResponse:
    """The fleet at a glance; on a new install, what to do first."""
    overview = fleet_overview(session)
    context = {
        "overview": overview,
        "runs": list_runs(session, limit=LAST_RUNS),
        "health": check_health(request, settings, session),
        "chart": chart_data(overview),
        "next_steps": next_steps(overview),
    }
    return render(request, "dashboard.html", context)


def chart_data(overview: Overview) -> dict[str, Any]:
    """The per-day series, as the chart script reads them (days as UTC midnight epoch seconds)."""
    return {
        "days": [d.day.isoformat() for d in overview.days],
        "backups": [d.backups for d in overview.days],
        "changes": [d.changes for d in overview.days],
    }


def next_steps(overview: Overview) -> list[str]:
    """What a new install still lacks, in order: devices, a credential, a first backup."""
    steps = []
    if overview.devices == 0:
        steps.append("devices")
    if overview.credentials == 0:
        steps.append("credential")
    if overview.backups_ever == 0:
        steps.append("backup")
    return steps
